package dev.loupe.projection;

import java.util.Arrays;

/**
 * How faithful a projection is. Trustworthiness as {@code sklearn.manifold.trustworthiness} defines it (Venna and
 * Kaski): 1 − 2/(n·k·(2n − 3k − 1)) · Σ_i Σ_{j ∈ N_k^low(i)} max(0, r(i, j) − k), with r(i, j) the rank of j among
 * i's neighbours in the original space; and kNN-label accuracy: how often the majority label of a point's k nearest
 * neighbours (itself excluded) is its own, in the projection and in the original space.
 *
 * <p>Both are exact (O(n²·d)). On large sets they are computed for a seeded sample of query points against all
 * points; {@link #trustworthiness(Points, Points, int, int[], int)} says how (the sum runs over the sample and the
 * normaliser uses n, so the full sample gives scikit-learn's number exactly).
 */
public final class Quality {
    private Quality() {
    }

    public static double trustworthiness(Points high, Points low, int k, int threads) {
        int[] all = new int[high.n()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return trustworthiness(high, low, k, all, threads);
    }

    /** Trustworthiness summed over {@code queries} only, scaled to the whole set (an unbiased estimate). */
    public static double trustworthiness(Points high, Points low, int k, int[] queries, int threads) {
        int n = high.n();
        if (low.n() != n) {
            throw new IllegalArgumentException("the projection has " + low.n() + " points, the original " + n);
        }
        if (k >= n / 2.0) {
            throw new IllegalArgumentException("k must be below n / 2 = " + n / 2.0 + ", got " + k);
        }
        double[] penalty = new double[queries.length];
        try (Parallel par = new Parallel(threads)) {
            par.forRange(queries.length, 16, (from, to) -> {
                double[] dh = new double[n];
                for (int q = from; q < to; q++) {
                    int i = queries[q];
                    int[] lowNn = nearest(low, i, k);
                    for (int j = 0; j < n; j++) {
                        dh[j] = j == i ? Double.POSITIVE_INFINITY : high.dist2Exact(i, j);
                    }
                    long p = 0;
                    for (int j : lowNn) {
                        // rank of j among i's neighbours in the original space (1 = nearest); ties by index
                        int rank = 1;
                        double dj = dh[j];
                        for (int m = 0; m < n; m++) {
                            if (dh[m] < dj || (dh[m] == dj && m < j)) {
                                rank++;
                            }
                        }
                        p += Math.max(0, rank - k);
                    }
                    penalty[q] = p;
                }
            });
        }
        double sum = 0;
        for (double v : penalty) {
            sum += v;
        }
        sum *= (double) n / queries.length;
        return 1 - sum * (2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)));
    }

    /** The k nearest points to i (itself excluded) by exact distance, ties by index. */
    static int[] nearest(Points p, int i, int k) {
        int n = p.n();
        int[] idx = new int[k];
        double[] dist = new double[k];
        Arrays.fill(dist, Double.POSITIVE_INFINITY);
        Arrays.fill(idx, Integer.MAX_VALUE);
        for (int j = 0; j < n; j++) {
            if (j == i) {
                continue;
            }
            double d = p.dist2Exact(i, j);
            if (d < dist[k - 1] || (d == dist[k - 1] && j < idx[k - 1])) {
                int pos = k - 1;
                while (pos > 0 && (dist[pos - 1] > d || (dist[pos - 1] == d && idx[pos - 1] > j))) {
                    dist[pos] = dist[pos - 1];
                    idx[pos] = idx[pos - 1];
                    pos--;
                }
                dist[pos] = d;
                idx[pos] = j;
            }
        }
        return idx;
    }

    /**
     * Leave-one-out kNN-label accuracy over {@code queries}: the share of points whose k nearest neighbours' majority
     * label (ties broken by the nearest neighbour among the tied labels) equals their own. Labels < 0 are skipped.
     */
    public static double knnAccuracy(Points p, int[] labels, int k, int[] queries, int threads) {
        int[] hits = new int[queries.length];
        int[] counted = new int[queries.length];
        int classes = 0;
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        int kk = classes;
        try (Parallel par = new Parallel(threads)) {
            par.forRange(queries.length, 16, (from, to) -> {
                int[] votes = new int[kk];
                for (int q = from; q < to; q++) {
                    int i = queries[q];
                    if (labels[i] < 0) {
                        continue;
                    }
                    int[] nn = nearest(p, i, k);
                    Arrays.fill(votes, 0);
                    int best = -1;
                    for (int j : nn) {
                        if (labels[j] >= 0) {
                            votes[labels[j]]++;
                        }
                    }
                    for (int j : nn) {
                        int l = labels[j];
                        if (l >= 0 && (best < 0 || votes[l] > votes[best])) {
                            best = l;
                        }
                    }
                    counted[q] = 1;
                    hits[q] = best == labels[i] ? 1 : 0;
                }
            });
        }
        int h = 0;
        int c = 0;
        for (int q = 0; q < queries.length; q++) {
            h += hits[q];
            c += counted[q];
        }
        return c == 0 ? Double.NaN : (double) h / c;
    }

    /** A seeded sample of at most m distinct indices of [0, n), sorted (all of them when n ≤ m). */
    public static int[] sample(int n, int m, long seed) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        if (n <= m) {
            return all;
        }
        Rng rng = new Rng(seed, 505, 0);
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] s = Arrays.copyOf(all, m);
        Arrays.sort(s);
        return s;
    }
}
