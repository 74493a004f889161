package dev.loupe.metrics;

import java.util.Arrays;

/** Percentile bootstrap intervals. */
final class Percentiles {
    private Percentiles() {
    }

    /** numpy's default (linear) percentile of the non-NaN values; NaN when none. */
    static double percentile(double[] sortedFinite, int m, double q) {
        if (m == 0) {
            return Double.NaN;
        }
        double pos = q * (m - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, m - 1);
        double frac = pos - lo;
        return sortedFinite[lo] + frac * (sortedFinite[hi] - sortedFinite[lo]);
    }

    /** The central {@code level} interval of the replicate values, ignoring NaN replicates. */
    static double[] interval(double[] values, double level) {
        double[] v = new double[values.length];
        int m = 0;
        for (double x : values) {
            if (!Double.isNaN(x)) {
                v[m++] = x;
            }
        }
        // too few defined replicates: no honest interval
        if (m < Math.max(2, values.length / 2)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        Arrays.sort(v, 0, m);
        double a = (1 - level) / 2;
        return new double[] {percentile(v, m, a), percentile(v, m, 1 - a)};
    }
}
