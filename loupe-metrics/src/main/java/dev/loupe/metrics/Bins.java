package dev.loupe.metrics;

/** Equal-width bins over [0, 1]: edges {@code j / n}; a value goes to the bin whose interval [e_j, e_{j+1}) holds it, the last bin also holds 1. */
final class Bins {
    private Bins() {
    }

    /** Same as numpy's {@code searchsorted(edges[1:-1], x, side='right')} with {@code edges = arange(n+1)/n}. */
    static int index(double x, int n) {
        int b = (int) (x * n);
        if (b < 0) {
            b = 0;
        } else if (b > n - 1) {
            b = n - 1;
        }
        while (b > 0 && x < (double) b / n) {
            b--;
        }
        while (b < n - 1 && x >= (double) (b + 1) / n) {
            b++;
        }
        return b;
    }
}
