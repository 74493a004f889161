package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricState;
import dev.loupe.api.PredictionBatch;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The Poisson bootstrap of every additive metric in one streaming pass: for each replicate {@code b} it keeps
 * the same sufficient statistics as the point estimate (confusion counts, log-loss / Brier / top-k sums,
 * calibration bins), with each row counted {@link Poisson#draw} times. States merge by addition.
 * Replicates are updated in parallel chunks; each chunk owns its replicates, so no locking.
 */
public final class BootstrapState implements MetricState<BootstrapState> {
    private static final int W = 0;
    private static final int LOG_LOSS = 1;
    private static final int BRIER = 2;
    private static final int TOP_K = 3;
    private static final int HEADER = 4;

    private final int k;
    private final int replicates;
    private final long seed;
    private final int topK;
    private final int calBins;
    private final int stride;
    private final double[] acc;

    public BootstrapState(int numClasses, int replicates, long seed, int topK, int calibrationBins) {
        this.k = numClasses;
        this.replicates = replicates;
        this.seed = seed;
        this.topK = topK;
        this.calBins = calibrationBins;
        this.stride = HEADER + numClasses * numClasses + calibrationBins * 3;
        this.acc = new double[replicates * stride];
    }

    /**
     * Per batch, rows are grouped by (confusion cell, calibration bin) with a counting sort, so that within a group
     * every sum a row feeds goes to the same accumulators: the inner loop keeps them in registers and touches
     * {@code acc} once per group. Four replicates share each pass over the rows (one row load feeds four draws).
     */
    @Override
    public void update(PredictionBatch batch) {
        int n = batch.size();
        if (n == 0 || replicates == 0) {
            return;
        }
        Rows r = rows(batch);
        int quads = (replicates + 3) / 4;
        IntStream.range(0, quads).parallel().forEach(q -> updateQuad(r, q * 4));
    }

    /** A batch's rows in group order: per row its hash and the values it adds; per group its cell, bin and end. */
    private record Rows(long[] hash, double[] w, double[] ll, double[] br, double[] top, double[] conf,
                        int[] groupCell, int[] groupBin, boolean[] groupCorrect, int[] groupEnd, int groups) {
    }

    private Rows rows(PredictionBatch batch) {
        int n = batch.size();
        int keys = k * k * calBins;
        int[] key = new int[n];
        int[] start = new int[keys + 1];
        double[] probs = batch.probs();
        for (int i = 0; i < n; i++) {
            int off = i * k;
            int p = batch.pred(i);
            key[i] = (batch.label(i) * k + p) * calBins + Bins.index(probs[off + p], calBins);
            start[key[i] + 1]++;
        }
        int groups = 0;
        int[] groupCell = new int[Math.min(keys, n)];
        int[] groupBin = new int[groupCell.length];
        boolean[] groupCorrect = new boolean[groupCell.length];
        int[] groupEnd = new int[groupCell.length];
        for (int g = 0; g < keys; g++) {
            if (start[g + 1] > 0) {
                int cell = g / calBins;
                groupCell[groups] = HEADER + cell;
                groupBin[groups] = HEADER + k * k + (g % calBins) * 3;
                groupCorrect[groups] = cell / k == cell % k;
                groupEnd[groups] = start[g] + start[g + 1];
                groups++;
            }
            start[g + 1] += start[g];
        }
        long[] hash = new long[n];
        double[] w = new double[n];
        double[] ll = new double[n];
        double[] br = new double[n];
        double[] top = new double[n];
        double[] conf = new double[n];
        for (int i = 0; i < n; i++) {
            int j = start[key[i]]++;
            int off = i * k;
            int t = batch.label(i);
            hash[j] = Poisson.rowHash(seed, batch.key(i));
            w[j] = batch.weight(i);
            ll[j] = ProbabilityState.rowLogLoss(probs, off, t);
            br[j] = ProbabilityState.rowBrier(probs, off, t, k);
            top[j] = topK > 0 && ProbabilityState.inTopK(probs, off, k, t, topK) ? 1 : 0;
            conf[j] = probs[off + batch.pred(i)];
        }
        return new Rows(hash, w, ll, br, top, conf, groupCell, groupBin, groupCorrect, groupEnd, groups);
    }

    /** Replicates b0..b0+3 (those below {@code replicates}) over one batch's rows. */
    private void updateQuad(Rows r, int b0) {
        int[] base = new int[4];
        for (int j = 0; j < 4; j++) {
            base[j] = b0 + j < replicates ? (b0 + j) * stride : -1;
        }
        long[] hash = r.hash;
        double[] w = r.w, ll = r.ll, br = r.br, top = r.top, conf = r.conf;
        int from = 0;
        for (int g = 0; g < r.groups; g++) {
            int to = r.groupEnd[g];
            double w0 = 0, w1 = 0, w2 = 0, w3 = 0, l0 = 0, l1 = 0, l2 = 0, l3 = 0, s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            double t0 = 0, t1 = 0, t2 = 0, t3 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            for (int i = from; i < to; i++) {
                long h = hash[i];
                double wi = w[i];
                double d0 = Poisson.draw(h, b0) * wi, d1 = Poisson.draw(h, b0 + 1) * wi;
                double d2 = Poisson.draw(h, b0 + 2) * wi, d3 = Poisson.draw(h, b0 + 3) * wi;
                w0 += d0; w1 += d1; w2 += d2; w3 += d3;
                double x = ll[i];
                l0 += d0 * x; l1 += d1 * x; l2 += d2 * x; l3 += d3 * x;
                x = br[i];
                s0 += d0 * x; s1 += d1 * x; s2 += d2 * x; s3 += d3 * x;
                x = top[i];
                t0 += d0 * x; t1 += d1 * x; t2 += d2 * x; t3 += d3 * x;
                x = conf[i];
                c0 += d0 * x; c1 += d1 * x; c2 += d2 * x; c3 += d3 * x;
            }
            add(base[0], r, g, w0, l0, s0, t0, c0);
            add(base[1], r, g, w1, l1, s1, t1, c1);
            add(base[2], r, g, w2, l2, s2, t2, c2);
            add(base[3], r, g, w3, l3, s3, t3, c3);
            from = to;
        }
    }

    /** Adds one group's sums to the replicate at {@code base} (none when −1: past the last replicate). */
    private void add(int base, Rows r, int g, double sw, double sll, double sbr, double stop, double sconf) {
        if (base < 0) {
            return;
        }
        acc[base + W] += sw;
        acc[base + LOG_LOSS] += sll;
        acc[base + BRIER] += sbr;
        acc[base + TOP_K] += stop;
        acc[base + r.groupCell[g]] += sw;
        int cb = base + r.groupBin[g];
        acc[cb] += sw;
        acc[cb + 1] += sconf;
        if (r.groupCorrect[g]) {
            acc[cb + 2] += sw;
        }
    }

    @Override
    public BootstrapState merge(BootstrapState o) {
        if (o.replicates != replicates || o.seed != seed) {
            throw new IllegalArgumentException("cannot merge bootstrap states with different replicates or seeds");
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] += o.acc[i];
        }
        return this;
    }

    @Override
    public BootstrapState emptyCopy() {
        return new BootstrapState(k, replicates, seed, topK, calBins);
    }

    public int replicates() {
        return replicates;
    }

    public long seed() {
        return seed;
    }

    /** Every additive metric's value in every replicate: metric → double[replicates]. */
    public Map<MetricId, double[]> replicateValues(int positive) {
        Map<MetricId, double[]> out = new LinkedHashMap<>();
        double[] cm = new double[k * k];
        Map<MetricId, Double> scalars = new HashMap<>();
        for (int b = 0; b < replicates; b++) {
            int base = b * stride;
            System.arraycopy(acc, base + HEADER, cm, 0, k * k);
            scalars.clear();
            ClassificationMetrics.scalars(cm, k, positive, scalars);
            double wt = acc[base + W];
            scalars.put(MetricId.of("log_loss"), wt == 0 ? Double.NaN : acc[base + LOG_LOSS] / wt);
            scalars.put(MetricId.of("brier"), wt == 0 ? Double.NaN : acc[base + BRIER] / wt);
            if (topK > 0) {
                scalars.put(MetricId.of("top_" + topK + "_accuracy"), wt == 0 ? Double.NaN : acc[base + TOP_K] / wt);
            }
            double[] calibration = Calibration.errors(acc, base + HEADER + k * k, calBins);
            scalars.put(MetricId.of("ece"), calibration[0]);
            scalars.put(MetricId.of("mce"), calibration[1]);
            for (Map.Entry<MetricId, Double> e : scalars.entrySet()) {
                out.computeIfAbsent(e.getKey(), x -> new double[replicates])[b] = e.getValue();
            }
        }
        return out;
    }

    /** Per replicate, the row-major {@code [true][pred]} weighted confusion counts of its resample. */
    public double[][] replicateConfusions() {
        double[][] out = new double[replicates][k * k];
        for (int b = 0; b < replicates; b++) {
            System.arraycopy(acc, b * stride + HEADER, out[b], 0, k * k);
        }
        return out;
    }

    /** Per replicate, total weight of rows of each class (for prevalence-weighted averages). */
    public double[][] classWeights() {
        double[][] cw = new double[replicates][k];
        for (int b = 0; b < replicates; b++) {
            for (int t = 0; t < k; t++) {
                for (int p = 0; p < k; p++) {
                    cw[b][t] += acc[b * stride + HEADER + t * k + p];
                }
            }
        }
        return cw;
    }

}
