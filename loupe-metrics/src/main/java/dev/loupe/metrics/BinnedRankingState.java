package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;

import java.util.stream.IntStream;

/**
 * Constant-memory ranking state for inputs too big to keep: per class, the weighted positive and negative
 * counts in {@code N} equal-width score bins over [0, 1] (bin j = [j/N, (j+1)/N), the last one closed).
 *
 * <p><b>Error bound.</b> The binned curve is exact at the thresholds j/N: every row of bin j has score ≥ j/N,
 * so the counts at those thresholds are the exact ones. Only the rows inside one bin are treated as tied, so
 * the ROC AUC differs from the exact one by at most ½·Σ_b P_b·N_b / (P·N), where P_b and N_b are the positive
 * and negative weight in bin b — reported per class by {@link #aucErrorBound(int)}. Average precision is the
 * step-wise AP over the same thresholds (an upper-left interpolation inside a bin; no closed-form bound, the
 * test suite measures it). Equal-mass calibration bins are built from N fine confidence bins.
 *
 * <p>Bootstrap replicates keep their own per-bin counts (replicates × classes × N × 2 doubles); when that
 * exceeds {@link #MAX_REPLICATE_CELLS} the AUC/AP intervals are not computed. They are stored cell by cell (a
 * cell's replicates side by side), so that a row adds the draws of a block of replicates to one run of memory
 * rather than to one array per replicate: twice as fast on 1,000 replicates of 10,000 bins.
 */
public final class BinnedRankingState implements RankingState<BinnedRankingState> {
    /** Upper limit on stored replicate cells (256 MiB of doubles). */
    public static final long MAX_REPLICATE_CELLS = 32L << 20;

    private final int k;
    private final int cols;
    private final int bins;
    private final int replicates;
    private final long seed;
    /** [c][bin*2 + (0 = negative, 1 = positive)] */
    private final double[][] counts;
    /** [bin*3]: weight, Σw·conf, Σw·correct of the top-label confidence. */
    private final double[] conf;
    /** [((c * bins + bin) * 2 + pos) * replicates + b], or null. */
    private final double[] rep;
    private long n;

    public BinnedRankingState(int numClasses, int bins, int replicates, long seed) {
        this.k = numClasses;
        this.cols = numClasses == 2 ? 1 : numClasses;
        this.bins = bins;
        this.replicates = replicates;
        this.seed = seed;
        this.counts = new double[numClasses][bins * 2];
        this.conf = new double[bins * 3];
        long cells = (long) replicates * cols * bins * 2;
        this.rep = replicates > 0 && cells <= MAX_REPLICATE_CELLS ? new double[(int) cells] : null;
    }

    private int firstCol() {
        return k == 2 ? 1 : 0;
    }

    @Override
    public void update(PredictionBatch b) {
        int m = b.size();
        double[] probs = b.probs();
        int[] cell = new int[m * cols];
        long[] hash = new long[m];
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            w[i] = b.weight(i);
            if (w[i] == 0) {
                continue;
            }
            int t = b.label(i);
            for (int c = 0; c < k; c++) {
                int bin = Bins.index(probs[i * k + c], bins);
                counts[c][bin * 2 + (t == c ? 1 : 0)] += w[i];
            }
            for (int j = 0; j < cols; j++) {
                int c = j + firstCol();
                cell[i * cols + j] = (j * bins + Bins.index(probs[i * k + c], bins)) * 2 + (t == c ? 1 : 0);
            }
            int p = b.pred(i);
            double cf = probs[i * k + p];
            int cb = Bins.index(cf, bins) * 3;
            conf[cb] += w[i];
            conf[cb + 1] += w[i] * cf;
            conf[cb + 2] += p == t ? w[i] : 0;
            hash[i] = Poisson.rowHash(seed, b.key(i));
            n++;
        }
        if (rep != null) {
            // one task per core, each a run of quads of replicates; one random number gives a row's four draws
            // (Poisson.draws4), and a row's draws of the task's replicates go to one run of memory of its cell
            int quads = (replicates + 3) / 4;
            int tasks = Math.min(quads, Runtime.getRuntime().availableProcessors());
            int perTask = (quads + tasks - 1) / tasks;
            IntStream.range(0, tasks).parallel().forEach(t -> {
                int q0 = t * perTask;
                int q1 = Math.min(quads, q0 + perTask);
                for (int i = 0; i < m; i++) {
                    if (w[i] == 0) {
                        continue;
                    }
                    for (int q = q0; q < q1; q++) {
                        int d4 = Poisson.draws4(hash[i], q);
                        if (d4 == 0) {
                            continue;
                        }
                        int last = Math.min(4, replicates - 4 * q);
                        for (int j = 0; j < cols; j++) {
                            int at = cell[i * cols + j] * replicates + 4 * q;
                            for (int r = 0; r < last; r++) {
                                int d = d4 >>> (8 * r) & 0xFF;
                                if (d != 0) {
                                    rep[at + r] += w[i] * d;
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    /** Replicate {@code r}'s counts of column {@code j}, laid out like {@link #counts}. */
    private double[] replicate(int r, int j) {
        double[] h = new double[bins * 2];
        int base = j * bins * 2;
        for (int cell = 0; cell < h.length; cell++) {
            h[cell] = rep[(base + cell) * replicates + r];
        }
        return h;
    }

    @Override
    public BinnedRankingState merge(BinnedRankingState o) {
        for (int c = 0; c < k; c++) {
            add(counts[c], o.counts[c]);
        }
        add(conf, o.conf);
        if (rep != null) {
            add(rep, o.rep);
        }
        n += o.n;
        return this;
    }

    private static void add(double[] a, double[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }

    @Override
    public BinnedRankingState emptyCopy() {
        return new BinnedRankingState(k, bins, replicates, seed);
    }

    @Override
    public long size() {
        return n;
    }

    private Curves.ThresholdCounts fromBins(double[] h, int off) {
        int groups = 0;
        for (int bin = 0; bin < bins; bin++) {
            if (h[off + bin * 2] + h[off + bin * 2 + 1] > 0) {
                groups++;
            }
        }
        double[] thr = new double[groups];
        double[] tps = new double[groups];
        double[] fps = new double[groups];
        double tp = 0, fp = 0;
        int g = 0;
        for (int bin = bins - 1; bin >= 0; bin--) {
            double neg = h[off + bin * 2];
            double pos = h[off + bin * 2 + 1];
            if (neg + pos > 0) {
                tp += pos;
                fp += neg;
                thr[g] = (double) bin / bins;
                tps[g] = tp;
                fps[g] = fp;
                g++;
            }
        }
        return new Curves.ThresholdCounts(thr, tps, fps);
    }

    @Override
    public Curves.ThresholdCounts counts(int cls) {
        return fromBins(counts[cls], 0);
    }

    @Override
    public double[][] bootstrapAucAp(int cls, int reps, long s) {
        if (rep == null || reps != replicates || s != seed || (k == 2 && cls != 1)) {
            return null;
        }
        int j = cls - firstCol();
        double[][] out = new double[2][replicates];
        for (int r = 0; r < replicates; r++) {
            Curves.ThresholdCounts c = fromBins(replicate(r, j), 0);
            out[0][r] = Curves.roc(c).auc();
            out[1][r] = Curves.pr(c).averagePrecision();
        }
        return out;
    }

    @Override
    public Calibration.Reliability equalMass(int target) {
        double[] groups = new double[bins * 3];
        double[] lo = new double[bins];
        double[] hi = new double[bins];
        int g = 0;
        for (int bin = 0; bin < bins; bin++) {
            if (conf[bin * 3] > 0) {
                System.arraycopy(conf, bin * 3, groups, g * 3, 3);
                lo[g] = (double) bin / bins;
                hi[g] = (double) (bin + 1) / bins;
                g++;
            }
        }
        return Calibration.equalMass(groups, lo, hi, g, target);
    }

    @Override
    public double aucErrorBound(int cls) {
        double p = 0, q = 0, within = 0;
        for (int bin = 0; bin < bins; bin++) {
            double neg = counts[cls][bin * 2];
            double pos = counts[cls][bin * 2 + 1];
            p += pos;
            q += neg;
            within += pos * neg;
        }
        return p == 0 || q == 0 ? Double.NaN : 0.5 * within / (p * q);
    }
}
