package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Every kept row's scores, label, prediction, weight and key in growable primitive arrays: 8 bytes per score
 * per class (binary problems keep only the positive class's score, class 0's being 1 − s), plus 16–24 bytes
 * per row for label, prediction, key and weight. Curves are sorted at result time; merge concatenates.
 */
public final class ExactRankingState implements RankingState<ExactRankingState> {
    private final int k;
    /** Stored score columns: 1 for binary (class 1), else k. */
    private final int cols;
    private int n;
    private double[] scores;
    private int[] labels;
    private int[] preds;
    private long[] keys;
    private double[] weights;
    /** Sort orders per stored score column, valid while {@code orderCacheSize == n}. */
    private int[][] orderCache;
    private int orderCacheSize = -1;

    public ExactRankingState(int numClasses) {
        this.k = numClasses;
        this.cols = numClasses == 2 ? 1 : numClasses;
        int cap = 1024;
        scores = new double[cap * cols];
        labels = new int[cap];
        preds = new int[cap];
        keys = new long[cap];
    }

    private void ensure(int more) {
        int need = n + more;
        if (need <= labels.length) {
            return;
        }
        int cap = Math.max(need, (int) Math.min(Integer.MAX_VALUE - 8, labels.length * 3L / 2));
        scores = Arrays.copyOf(scores, cap * cols);
        labels = Arrays.copyOf(labels, cap);
        preds = Arrays.copyOf(preds, cap);
        keys = Arrays.copyOf(keys, cap);
        if (weights != null) {
            weights = Arrays.copyOf(weights, cap);
        }
    }

    private void materializeWeights() {
        if (weights == null) {
            weights = new double[labels.length];
            Arrays.fill(weights, 0, n, 1.0);
        }
    }

    @Override
    public void update(PredictionBatch b) {
        int m = b.size();
        ensure(m);
        if (b.isWeighted()) {
            materializeWeights();
        }
        double[] probs = b.probs();
        for (int i = 0; i < m; i++) {
            if (!RankingState.keep(b, i)) {
                continue;
            }
            if (cols == 1) {
                scores[n] = probs[i * 2 + 1];
            } else {
                System.arraycopy(probs, i * k, scores, n * k, k);
            }
            labels[n] = b.label(i);
            preds[n] = b.pred(i);
            keys[n] = b.key(i);
            if (weights != null) {
                weights[n] = b.weight(i);
            }
            n++;
        }
    }

    @Override
    public ExactRankingState merge(ExactRankingState o) {
        ensure(o.n);
        if (o.weights != null) {
            materializeWeights();
        }
        System.arraycopy(o.scores, 0, scores, n * cols, o.n * cols);
        System.arraycopy(o.labels, 0, labels, n, o.n);
        System.arraycopy(o.preds, 0, preds, n, o.n);
        System.arraycopy(o.keys, 0, keys, n, o.n);
        if (weights != null) {
            if (o.weights != null) {
                System.arraycopy(o.weights, 0, weights, n, o.n);
            } else {
                Arrays.fill(weights, n, n + o.n, 1.0);
            }
        }
        n += o.n;
        return this;
    }

    @Override
    public ExactRankingState emptyCopy() {
        return new ExactRankingState(k);
    }

    @Override
    public long size() {
        return n;
    }

    private double score(int row, int cls) {
        if (cols == 1) {
            return cls == 1 ? scores[row] : 1.0 - scores[row];
        }
        return scores[row * k + cls];
    }

    private double weight(int row) {
        return weights == null ? 1.0 : weights[row];
    }

    /** Rows of the data ordered by decreasing score of {@code cls}; cached, binary problems sort once. */
    private int[] order(int cls) {
        int col = cols == 1 ? 0 : cls;
        if (orderCache == null || orderCacheSize != n) {
            orderCache = new int[cols][];
            orderCacheSize = n;
        }
        if (orderCache[col] == null) {
            double[] s = new double[n];
            for (int i = 0; i < n; i++) {
                s[i] = cols == 1 ? scores[i] : scores[i * k + col];
            }
            orderCache[col] = Sorting.descending(s, n);
        }
        int[] perm = orderCache[col];
        if (cols == 1 && cls == 0) {
            // 1 − s is non-increasing in s: the reverse of class 1's order sorts class 0's scores
            int[] rev = new int[n];
            for (int j = 0; j < n; j++) {
                rev[j] = perm[n - 1 - j];
            }
            return rev;
        }
        return perm;
    }

    @Override
    public Curves.ThresholdCounts counts(int cls) {
        int[] perm = order(cls);
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        double[] w = weights == null ? null : new double[n];
        for (int j = 0; j < n; j++) {
            int i = perm[j];
            s[j] = score(i, cls);
            pos[j] = labels[i] == cls;
            if (w != null) {
                w[j] = weights[i];
            }
        }
        return Curves.thresholdCounts(s, pos, w, n);
    }

    @Override
    public double[][] bootstrapAucAp(int cls, int replicates, long seed) {
        int[] perm = order(cls);
        // per sorted row: its weight as a positive and as a negative (one of them 0), its hash, and whether it
        // closes a group of equal scores — so the per-replicate loop has no data-dependent branches but one
        double[] wPos = new double[n];
        double[] wNeg = new double[n];
        long[] h = new long[n];
        boolean[] last = new boolean[n];
        double prev = Double.NaN;
        for (int j = n - 1; j >= 0; j--) {
            int i = perm[j];
            double s = score(i, cls);
            if (labels[i] == cls) {
                wPos[j] = weight(i);
            } else {
                wNeg[j] = weight(i);
            }
            h[j] = Poisson.rowHash(seed, keys[i]);
            last[j] = j == n - 1 || s != prev;
            prev = s;
        }
        double[][] out = new double[2][replicates];
        IntStream.range(0, replicates).parallel().forEach(b -> {
            double tp = 0, fp = 0, prevTp = 0, prevFp = 0, area = 0, apSum = 0;
            for (int j = 0; j < n; j++) {
                int d = Poisson.draw(h[j], b);
                tp += d * wPos[j];
                fp += d * wNeg[j];
                if (last[j]) {
                    area += (fp - prevFp) * (tp + prevTp) / 2.0;
                    double ps = tp + fp;
                    if (ps != 0) {
                        apSum += (tp - prevTp) * (tp / ps);
                    }
                    prevTp = tp;
                    prevFp = fp;
                }
            }
            out[0][b] = tp > 0 && fp > 0 ? area / (tp * fp) : Double.NaN;
            out[1][b] = tp > 0 ? apSum / tp : 0.0;
        });
        return out;
    }

    @Override
    public Calibration.Reliability equalMass(int bins) {
        double[] conf = new double[n];
        for (int i = 0; i < n; i++) {
            conf[i] = score(i, preds[i]);
        }
        int[] perm = Sorting.ascending(conf, n);
        // one group per distinct confidence, so that ties never straddle two bins
        double[] groups = new double[n * 3];
        double[] values = new double[n];
        int g = -1;
        for (int j = 0; j < n; j++) {
            int i = perm[j];
            if (g < 0 || conf[i] != values[g]) {
                values[++g] = conf[i];
            }
            double w = weight(i);
            groups[g * 3] += w;
            groups[g * 3 + 1] += w * conf[i];
            groups[g * 3 + 2] += preds[i] == labels[i] ? w : 0;
        }
        return Calibration.equalMass(groups, values, values, g + 1, bins);
    }

    @Override
    public double aucErrorBound(int cls) {
        return 0;
    }
}
