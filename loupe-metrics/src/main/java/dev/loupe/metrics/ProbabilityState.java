package dev.loupe.metrics;

import dev.loupe.api.MetricState;
import dev.loupe.api.PredictionBatch;

/**
 * Additive sums over rows for the probability metrics: log loss, Brier score, top-k accuracy, the
 * equal-width reliability bins (confidence = probability of the predicted class) and the score
 * histograms (each class's probability, split by true class).
 */
public final class ProbabilityState implements MetricState<ProbabilityState> {
    /** numpy's float64 machine epsilon, scikit-learn's clip for log loss. */
    static final double EPS = Math.ulp(1.0);

    private final int k;
    private final int topK;
    private final int calBins;
    private final int histBins;
    double weight;
    double logLoss;
    double brier;
    double topKHits;
    /** Per equal-width bin: [weight, Σ w·confidence, Σ w·correct]. */
    final double[] cal;
    /** {@code hist[(c * k + t) * histBins + bin]}: weight of rows with true class t whose prob of class c falls in bin. */
    final double[] hist;

    public ProbabilityState(int numClasses, int topK, int calibrationBins, int histogramBins) {
        this.k = numClasses;
        this.topK = topK;
        this.calBins = calibrationBins;
        this.histBins = histogramBins;
        this.cal = new double[calibrationBins * 3];
        this.hist = new double[numClasses * numClasses * histogramBins];
    }

    @Override
    public void update(PredictionBatch b) {
        int n = b.size();
        double[] probs = b.probs();
        int[] labels = b.labels();
        int[] preds = b.preds();
        double[] ws = b.weights();
        for (int i = 0; i < n; i++) {
            double w = ws == null ? 1.0 : ws[i];
            int off = i * k;
            int t = labels[i];
            int p = preds[i];
            weight += w;
            logLoss += w * rowLogLoss(probs, off, t);
            brier += w * rowBrier(probs, off, t, k);
            if (topK > 0 && inTopK(probs, off, k, t, topK)) {
                topKHits += w;
            }
            double conf = probs[off + p];
            int cb = Bins.index(conf, calBins) * 3;
            cal[cb] += w;
            cal[cb + 1] += w * conf;
            cal[cb + 2] += p == t ? w : 0.0;
            for (int c = 0; c < k; c++) {
                hist[(c * k + t) * histBins + Bins.index(probs[off + c], histBins)] += w;
            }
        }
    }

    static double rowLogLoss(double[] probs, int off, int label) {
        double p = probs[off + label];
        p = p < EPS ? EPS : (p > 1 - EPS ? 1 - EPS : p);
        return -Math.log(p);
    }

    /** Binary: (p1 − y1)²; multi-class: Σ_c (p_c − y_c)² (scikit-learn 1.9's brier_score_loss). */
    static double rowBrier(double[] probs, int off, int label, int k) {
        if (k == 2) {
            double d = probs[off + 1] - (label == 1 ? 1.0 : 0.0);
            return d * d;
        }
        double s = 0;
        for (int c = 0; c < k; c++) {
            double d = probs[off + c] - (c == label ? 1.0 : 0.0);
            s += d * d;
        }
        return s;
    }

    /**
     * scikit-learn's top_k_accuracy_score tie rule: classes are ranked by a stable ascending sort reversed,
     * so among equal scores the higher class index ranks first.
     */
    static boolean inTopK(double[] probs, int off, int k, int label, int topK) {
        double s = probs[off + label];
        int ahead = 0;
        for (int c = 0; c < k; c++) {
            double v = probs[off + c];
            if (v > s || (v == s && c > label)) {
                ahead++;
            }
        }
        return ahead < topK;
    }

    @Override
    public ProbabilityState merge(ProbabilityState o) {
        weight += o.weight;
        logLoss += o.logLoss;
        brier += o.brier;
        topKHits += o.topKHits;
        for (int i = 0; i < cal.length; i++) {
            cal[i] += o.cal[i];
        }
        for (int i = 0; i < hist.length; i++) {
            hist[i] += o.hist[i];
        }
        return this;
    }

    @Override
    public ProbabilityState emptyCopy() {
        return new ProbabilityState(k, topK, calBins, histBins);
    }

    public double logLoss() {
        return weight == 0 ? Double.NaN : logLoss / weight;
    }

    public double brier() {
        return weight == 0 ? Double.NaN : brier / weight;
    }

    public double topKAccuracy() {
        return weight == 0 || topK <= 0 ? Double.NaN : topKHits / weight;
    }

    public int calibrationBins() {
        return calBins;
    }

    public int histogramBins() {
        return histBins;
    }

    /** Reliability diagram over the equal-width bins, with ECE and MCE. */
    public Calibration.Reliability reliability() {
        return Calibration.fromBins(cal, calBins, "uniform");
    }

    /** Weighted counts: [class c][true t][bin]. */
    public double[][][] histograms() {
        double[][][] h = new double[k][k][histBins];
        for (int c = 0; c < k; c++) {
            for (int t = 0; t < k; t++) {
                System.arraycopy(hist, (c * k + t) * histBins, h[c][t], 0, histBins);
            }
        }
        return h;
    }
}
