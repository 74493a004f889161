package dev.loupe.metrics;

import dev.loupe.api.InvalidInputException;
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
    private static final int HEADER = 3;

    private final int k;
    private final int replicates;
    private final long seed;
    private final int calBins;
    private final MetricOptions options;
    private final int[] tieRank;
    /** The k of each reported top-k accuracy, increasing. */
    private final int[] topKs;
    /** Offset of the top-k hit weights, one cell per k of {@link #topKs}, in a replicate. */
    private final int topBase;
    private final int stride;
    private final double[] acc;

    /** With the default metric options, reporting top-{@code topK} accuracy (none when 0). */
    public BootstrapState(int numClasses, int replicates, long seed, int topK, int calibrationBins) {
        this(numClasses, replicates, seed, calibrationBins,
                MetricOptions.defaults().withTopK(topK > 0 ? java.util.List.of(topK) : java.util.List.of()));
    }

    public BootstrapState(int numClasses, int replicates, long seed, int calibrationBins, MetricOptions options) {
        this.k = numClasses;
        this.replicates = replicates;
        this.seed = seed;
        this.calBins = calibrationBins;
        this.options = options;
        this.tieRank = options.tieRanks(numClasses);
        this.topKs = options.topKFor(numClasses).stream().mapToInt(Integer::intValue).toArray();
        this.topBase = HEADER + numClasses * numClasses + calibrationBins * 3;
        this.stride = topBase + topKs.length;
        long bytes = 8L * replicates * stride;
        long heap = Runtime.getRuntime().maxMemory();
        if ((long) replicates * stride > Integer.MAX_VALUE - 8 || bytes > heap / 4) {
            throw InvalidInputException.parameter("bootstrap", String.format(java.util.Locale.ROOT, "fewer replicates: %,d"
                    + " replicates of %d classes need %,d MB for their counts, more than a quarter of the %,d MB heap"
                    + " (lower --bootstrap, or give Loupe more memory with LOUPE_JAVA_OPTS=-Xmx8g)", replicates,
                    numClasses, bytes >> 20, heap >> 20), replicates);
        }
        this.acc = new double[replicates * stride];
    }

    /**
     * Per batch, rows are grouped by (confusion cell, calibration bin, how many of the top-k's they miss) with a
     * counting sort, so that within a group every sum a row feeds goes to the same accumulators: the inner loop keeps
     * them in registers and touches {@code acc} once per group. Four replicates share each pass over the rows (one row
     * load and one random number feed four draws: {@link Poisson#quadBits}). The k's are increasing, so a row misses
     * the smallest ones and hits the rest: the count of misses is enough.
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
    private record Rows(long[] hash, double[] w, double[] ll, double[] br, double[] conf,
                        int[] groupCell, int[] groupBin, boolean[] groupCorrect, int[] groupMisses, int[] groupEnd,
                        int groups) {
    }

    private Rows rows(PredictionBatch batch) {
        int n = batch.size();
        int hitKinds = topKs.length + 1;
        int keys = k * k * calBins * hitKinds;
        int[] key = new int[n];
        int[] start = new int[keys + 1];
        double[] probs = batch.probs();
        for (int i = 0; i < n; i++) {
            int off = i * k;
            int p = batch.pred(i);
            int t = batch.label(i);
            int misses = 0; // the k's at or below the true class's rank; every larger k is a hit
            if (topKs.length > 0) {
                int rank = ProbabilityState.rank(probs, off, k, t, tieRank);
                while (misses < topKs.length && topKs[misses] <= rank) {
                    misses++;
                }
            }
            key[i] = ((t * k + p) * calBins + Bins.index(probs[off + p], calBins)) * hitKinds + misses;
            start[key[i] + 1]++;
        }
        int groups = 0;
        int[] groupCell = new int[Math.min(keys, n)];
        int[] groupBin = new int[groupCell.length];
        boolean[] groupCorrect = new boolean[groupCell.length];
        int[] groupMisses = new int[groupCell.length];
        int[] groupEnd = new int[groupCell.length];
        for (int g = 0; g < keys; g++) {
            if (start[g + 1] > 0) {
                int cellBin = g / hitKinds;
                int cell = cellBin / calBins;
                groupCell[groups] = HEADER + cell;
                groupBin[groups] = HEADER + k * k + (cellBin % calBins) * 3;
                groupCorrect[groups] = cell / k == cell % k;
                groupMisses[groups] = g % hitKinds;
                groupEnd[groups] = start[g] + start[g + 1];
                groups++;
            }
            start[g + 1] += start[g];
        }
        long[] hash = new long[n];
        double[] w = new double[n];
        double[] ll = new double[n];
        double[] br = new double[n];
        double[] conf = new double[n];
        for (int i = 0; i < n; i++) {
            int j = start[key[i]]++;
            int off = i * k;
            int t = batch.label(i);
            hash[j] = Poisson.rowHash(seed, batch.key(i));
            w[j] = batch.weight(i);
            ll[j] = ProbabilityState.rowLogLoss(probs, off, t);
            br[j] = ProbabilityState.rowBrier(probs, off, t, k);
            conf[j] = probs[off + batch.pred(i)];
        }
        return new Rows(hash, w, ll, br, conf, groupCell, groupBin, groupCorrect, groupMisses, groupEnd, groups);
    }

    /** Replicates b0..b0+3 (those below {@code replicates}) over one batch's rows. */
    private void updateQuad(Rows r, int b0) {
        int[] base = new int[4];
        for (int j = 0; j < 4; j++) {
            base[j] = b0 + j < replicates ? (b0 + j) * stride : -1;
        }
        int quad = b0 >>> 2;
        long[] hash = r.hash;
        double[] w = r.w, ll = r.ll, br = r.br, conf = r.conf;
        int from = 0;
        for (int g = 0; g < r.groups; g++) {
            int to = r.groupEnd[g];
            double w0 = 0, w1 = 0, w2 = 0, w3 = 0, l0 = 0, l1 = 0, l2 = 0, l3 = 0, s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
            for (int i = from; i < to; i++) {
                long h = hash[i];
                double wi = w[i];
                long m = Poisson.quadBits(h, quad);
                double d0 = Poisson.draw0(m), d1 = Poisson.draw1(m), d2 = Poisson.draw2(m), d3 = Poisson.draw3(m);
                if (Double.isNaN(d0 + d1 + d2 + d3)) {
                    int d = Poisson.draws4(h, quad);
                    d0 = d & 0xFF; d1 = d >>> 8 & 0xFF; d2 = d >>> 16 & 0xFF; d3 = d >>> 24;
                }
                d0 *= wi; d1 *= wi; d2 *= wi; d3 *= wi;
                w0 += d0; w1 += d1; w2 += d2; w3 += d3;
                double x = ll[i];
                l0 += d0 * x; l1 += d1 * x; l2 += d2 * x; l3 += d3 * x;
                x = br[i];
                s0 += d0 * x; s1 += d1 * x; s2 += d2 * x; s3 += d3 * x;
                x = conf[i];
                c0 += d0 * x; c1 += d1 * x; c2 += d2 * x; c3 += d3 * x;
            }
            add(base[0], r, g, w0, l0, s0, c0);
            add(base[1], r, g, w1, l1, s1, c1);
            add(base[2], r, g, w2, l2, s2, c2);
            add(base[3], r, g, w3, l3, s3, c3);
            from = to;
        }
    }

    /** Adds one group's sums to the replicate at {@code base} (none when −1: past the last replicate). */
    private void add(int base, Rows r, int g, double sw, double sll, double sbr, double sconf) {
        if (base < 0) {
            return;
        }
        acc[base + W] += sw;
        acc[base + LOG_LOSS] += sll;
        acc[base + BRIER] += sbr;
        for (int j = r.groupMisses[g]; j < topKs.length; j++) {
            acc[base + topBase + j] += sw;
        }
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
        return new BootstrapState(k, replicates, seed, calBins, options);
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
        double[] classWeight = new double[k];
        Map<MetricId, Double> scalars = new HashMap<>();
        for (int b = 0; b < replicates; b++) {
            int base = b * stride;
            System.arraycopy(acc, base + HEADER, cm, 0, k * k);
            scalars.clear();
            ClassificationMetrics.scalars(cm, k, positive, options, scalars);
            double wt = acc[base + W];
            double logLoss = wt == 0 ? Double.NaN : acc[base + LOG_LOSS] / wt;
            double brier = wt == 0 ? Double.NaN : acc[base + BRIER] / wt;
            scalars.put(MetricId.of("log_loss"), logLoss);
            scalars.put(MetricId.of("brier"), brier);
            for (int j = 0; j < topKs.length; j++) {
                scalars.put(MetricId.of("top_" + topKs[j] + "_accuracy"), wt == 0 ? Double.NaN : acc[base + topBase + j] / wt);
            }
            java.util.Arrays.fill(classWeight, 0);
            for (int i = 0; i < k * k; i++) {
                classWeight[i / k] += cm[i];
            }
            double[] d2 = ProbabilityState.d2(logLoss, brier, classWeight);
            scalars.put(MetricId.of("d2_log_loss"), d2[0]);
            scalars.put(MetricId.of("d2_brier"), d2[1]);
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
