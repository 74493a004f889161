package dev.loupe.metrics;

/**
 * Two classifiers scored on the same examples: is B's accuracy different from A's? Unlike comparing two
 * intervals, the paired view uses that both saw the same rows, so it resolves much smaller differences.
 * <ul>
 *   <li>the difference {@code accuracy(B) − accuracy(A)} with a paired Poisson-bootstrap percentile interval: one
 *       weight per example and replicate, shared by both models (keyed like {@link BootstrapState}, so it does not
 *       depend on row order);</li>
 *   <li>McNemar's exact test on the discordant pairs (A right and B wrong: {@code onlyA}; the reverse: {@code onlyB}):
 *       two-sided p = min(1, 2·P(X ≤ min(onlyA, onlyB))), X ~ Binomial(onlyA + onlyB, ½), as
 *       {@code scipy.stats.binomtest} gives it.</li>
 * </ul>
 */
public final class PairedComparison {
    private PairedComparison() {
    }

    /** {@code delta} = accuracy B − accuracy A; NaN interval when {@code replicates} is 0 or {@code n} is 0. */
    public record Result(int n, double accuracyA, double accuracyB, double delta, double ciLow, double ciHigh,
                         int onlyA, int onlyB, double pValue) {
    }

    /**
     * @param correctA whether model A got example i right
     * @param correctB the same for model B (same examples, same order)
     * @param keys     each example's bootstrap key (its row position or a hash of its id)
     */
    public static Result compare(boolean[] correctA, boolean[] correctB, long[] keys, int replicates, long seed, double level) {
        int n = correctA.length;
        if (correctB.length != n || keys.length != n) {
            throw new IllegalArgumentException("paired arrays differ in length: " + n + ", " + correctB.length + ", " + keys.length);
        }
        if (replicates < 0 || !(level > 0 && level < 1)) {
            throw new IllegalArgumentException("replicates " + replicates + ", level " + level);
        }
        int a = 0;
        int b = 0;
        int onlyA = 0;
        int onlyB = 0;
        for (int i = 0; i < n; i++) {
            a += correctA[i] ? 1 : 0;
            b += correctB[i] ? 1 : 0;
            onlyA += correctA[i] && !correctB[i] ? 1 : 0;
            onlyB += correctB[i] && !correctA[i] ? 1 : 0;
        }
        double accA = n == 0 ? Double.NaN : (double) a / n;
        double accB = n == 0 ? Double.NaN : (double) b / n;
        double[] ci = {Double.NaN, Double.NaN};
        if (replicates > 0 && n > 0) {
            long[] weights = new long[replicates];
            long[] diff = new long[replicates];
            for (int i = 0; i < n; i++) {
                long h = Poisson.rowHash(seed, keys[i]);
                int d = (correctB[i] ? 1 : 0) - (correctA[i] ? 1 : 0);
                for (int q = 0, r = 0; r < replicates; q++) {
                    int d4 = Poisson.draws4(h, q);
                    for (int j = 0; j < 4 && r < replicates; j++, r++) {
                        int w = d4 >>> (8 * j) & 0xFF;
                        weights[r] += w;
                        diff[r] += (long) w * d;
                    }
                }
            }
            double[] deltas = new double[replicates];
            for (int r = 0; r < replicates; r++) {
                deltas[r] = weights[r] == 0 ? Double.NaN : (double) diff[r] / weights[r];
            }
            ci = Percentiles.interval(deltas, level);
        }
        return new Result(n, accA, accB, accB - accA, ci[0], ci[1], onlyA, onlyB, mcnemarExact(onlyA, onlyB));
    }

    /**
     * The share of rows where {@code x} holds, with the Poisson-bootstrap percentile interval (each row's weight a
     * function of its key, as everywhere): {value, low, high}; NaN interval without replicates or rows.
     */
    public static double[] rate(boolean[] x, long[] keys, int replicates, long seed, double level) {
        double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            v[i] = x[i] ? 1 : 0;
        }
        return mean(v, keys, replicates, seed, level);
    }

    /**
     * The mean of {@code x} (per-row values, such as paired differences), with the Poisson-bootstrap percentile
     * interval of the weighted means: {value, low, high}; NaN interval without replicates, NaN mean without rows.
     */
    public static double[] mean(double[] x, long[] keys, int replicates, long seed, double level) {
        int n = x.length;
        if (keys.length != n) {
            throw new IllegalArgumentException("arrays differ in length: " + n + ", " + keys.length);
        }
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double[] ci = {Double.NaN, Double.NaN};
        if (replicates > 0 && n > 0) {
            long[] weights = new long[replicates];
            double[] sums = new double[replicates];
            for (int i = 0; i < n; i++) {
                long h = Poisson.rowHash(seed, keys[i]);
                for (int q = 0, r = 0; r < replicates; q++) {
                    int d4 = Poisson.draws4(h, q);
                    for (int j = 0; j < 4 && r < replicates; j++, r++) {
                        int w = d4 >>> (8 * j) & 0xFF;
                        weights[r] += w;
                        sums[r] += w * x[i];
                    }
                }
            }
            double[] means = new double[replicates];
            for (int r = 0; r < replicates; r++) {
                means[r] = weights[r] == 0 ? Double.NaN : sums[r] / weights[r];
            }
            ci = Percentiles.interval(means, level);
        }
        return new double[] {n == 0 ? Double.NaN : sum / n, ci[0], ci[1]};
    }

    /** Two-sided exact McNemar p-value for discordant counts {@code b} and {@code c} (1 when there are none). */
    public static double mcnemarExact(int b, int c) {
        int m = b + c;
        if (m == 0) {
            return 1.0;
        }
        int k = Math.min(b, c);
        // P(X <= k), X ~ Binomial(m, 1/2), summed in log space (0.5^m underflows for m > 1074)
        double logPmf = -m * Math.log(2);
        double maxLog = logPmf;
        double[] logs = new double[k + 1];
        logs[0] = logPmf;
        for (int j = 0; j < k; j++) {
            logPmf += Math.log(m - j) - Math.log(j + 1);
            logs[j + 1] = logPmf;
            maxLog = Math.max(maxLog, logPmf);
        }
        double s = 0;
        for (double l : logs) {
            s += Math.exp(l - maxLog);
        }
        return Math.min(1.0, 2 * Math.exp(maxLog + Math.log(s)));
    }
}
