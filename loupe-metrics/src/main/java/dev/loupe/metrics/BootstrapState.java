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

    @Override
    public void update(PredictionBatch batch) {
        int n = batch.size();
        if (n == 0 || replicates == 0) {
            return;
        }
        long[] hash = new long[n];
        double[] w = new double[n];
        double[] ll = new double[n];
        double[] br = new double[n];
        double[] top = new double[n];
        int[] cell = new int[n];
        int[] bin = new int[n];
        double[] conf = new double[n];
        double[] correct = new double[n];
        double[] probs = batch.probs();
        for (int i = 0; i < n; i++) {
            int off = i * k;
            int t = batch.label(i);
            int p = batch.pred(i);
            hash[i] = Poisson.rowHash(seed, batch.key(i));
            w[i] = batch.weight(i);
            ll[i] = ProbabilityState.rowLogLoss(probs, off, t);
            br[i] = ProbabilityState.rowBrier(probs, off, t, k);
            top[i] = topK > 0 && ProbabilityState.inTopK(probs, off, k, t, topK) ? 1 : 0;
            cell[i] = HEADER + t * k + p;
            conf[i] = probs[off + p];
            bin[i] = HEADER + k * k + Bins.index(conf[i], calBins) * 3;
            correct[i] = p == t ? 1 : 0;
        }
        int chunks = Math.min(replicates, Runtime.getRuntime().availableProcessors() * 4);
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            int from = (int) ((long) replicates * ch / chunks);
            int to = (int) ((long) replicates * (ch + 1) / chunks);
            for (int b = from; b < to; b++) {
                int base = b * stride;
                for (int i = 0; i < n; i++) {
                    int d = Poisson.draw(hash[i], b);
                    if (d == 0) {
                        continue;
                    }
                    double ww = w[i] * d;
                    acc[base + W] += ww;
                    acc[base + LOG_LOSS] += ww * ll[i];
                    acc[base + BRIER] += ww * br[i];
                    acc[base + TOP_K] += ww * top[i];
                    acc[base + cell[i]] += ww;
                    int cb = base + bin[i];
                    acc[cb] += ww;
                    acc[cb + 1] += ww * conf[i];
                    acc[cb + 2] += ww * correct[i];
                }
            }
        });
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
