package dev.loupe.metrics;

import dev.loupe.api.MetricState;
import dev.loupe.api.PredictionBatch;

/**
 * Additive sums over rows for the probability metrics: log loss, Brier score, top-k accuracy (the weight of rows
 * whose true class ranks r-th, for every r, so that any k is read off at the end), the
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
    private final int[] tieRank;
    double weight;
    double logLoss;
    double brier;
    /** {@code rankWeight[r]}: weight of rows whose true class has r classes ranked ahead of it. */
    final double[] rankWeight;
    /** Per equal-width bin: [weight, Σ w·confidence, Σ w·correct]. */
    final double[] cal;
    /** {@code hist[(c * k + t) * histBins + bin]}: weight of rows with true class t whose prob of class c falls in bin. */
    final double[] hist;

    public ProbabilityState(int numClasses, int topK, int calibrationBins, int histogramBins) {
        this(numClasses, topK, calibrationBins, histogramBins, null);
    }

    /**
     * @param topK    the k {@link #topKAccuracy()} reports (any k can be read with {@link #topKAccuracy(int)})
     * @param tieRank each class's position in sorted label order (top-k ties), or null for the column order
     */
    public ProbabilityState(int numClasses, int topK, int calibrationBins, int histogramBins, int[] tieRank) {
        this.k = numClasses;
        this.topK = topK;
        this.tieRank = tieRank == null ? MetricOptions.defaults().tieRanks(numClasses) : tieRank.clone();
        this.rankWeight = new double[numClasses];
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
            rankWeight[rank(probs, off, k, t, tieRank)] += w;
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
     * How many classes rank ahead of the true class {@code label}, by scikit-learn's top_k_accuracy_score: classes
     * by decreasing score, ties broken by a stable ascending sort reversed over the columns in sorted label order, so
     * among equal scores the later label (higher {@code tieRank}) ranks first, whatever the file's column order. Two
     * classes follow scikit-learn's binary rule instead: the later label's score {@code > 0.5} predicts it, so top-1
     * is a hit when that prediction is right (rank 0) and a miss otherwise (rank 1).
     */
    static int rank(double[] probs, int off, int k, int label, int[] tieRank) {
        if (k == 2) {
            int later = tieRank[1] > tieRank[0] ? 1 : 0;
            boolean predictsLater = probs[off + later] > 0.5;
            return predictsLater == (label == later) ? 0 : 1;
        }
        double s = probs[off + label];
        int ahead = 0;
        for (int c = 0; c < k; c++) {
            double v = probs[off + c];
            if (v > s || (v == s && tieRank[c] > tieRank[label])) {
                ahead++;
            }
        }
        return ahead;
    }

    /** Top-k accuracy from the weights of each rank: the share of weight with fewer than k classes ahead. */
    static double topK(double[] rankWeight, int from, int numClasses, double total, int kk) {
        if (total == 0) {
            return Double.NaN;
        }
        double hits = 0;
        for (int r = 0; r < Math.min(kk, numClasses); r++) {
            hits += rankWeight[from + r];
        }
        return hits / total;
    }

    /**
     * D² scores (scikit-learn's d2_log_loss_score and d2_brier_score): 1 − loss / loss of the null model that
     * predicts every class's weighted share of the true labels. NaN when only one class is present (the null model
     * is then perfect; scikit-learn divides by 0). {@code logLoss} and {@code brier} are means as this state gives them.
     */
    static double[] d2(double logLoss, double brier, double[] classWeight) {
        double total = 0;
        int present = 0;
        for (double w : classWeight) {
            total += w;
            present += w > 0 ? 1 : 0;
        }
        if (present < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double nullLog = 0;
        double sumSq = 0;
        for (double w : classWeight) {
            if (w > 0) {
                double p = w / total;
                nullLog -= p * Math.log(p);
                sumSq += p * p;
            }
        }
        // null Brier: binary (p_pos − y)² averages to π(1 − π); multi-class Σ_k (π_k − y_k)² to 1 − Σ π_k²
        double nullBrier = classWeight.length == 2 ? (1 - sumSq) / 2 : 1 - sumSq;
        return new double[] {1 - logLoss / nullLog, 1 - brier / nullBrier};
    }

    @Override
    public ProbabilityState merge(ProbabilityState o) {
        weight += o.weight;
        logLoss += o.logLoss;
        brier += o.brier;
        for (int i = 0; i < k; i++) {
            rankWeight[i] += o.rankWeight[i];
        }
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
        return new ProbabilityState(k, topK, calBins, histBins, tieRank);
    }

    public double logLoss() {
        return weight == 0 ? Double.NaN : logLoss / weight;
    }

    public double brier() {
        return weight == 0 ? Double.NaN : brier / weight;
    }

    public double topKAccuracy() {
        return topK <= 0 ? Double.NaN : topKAccuracy(topK);
    }

    /** Top-{@code kk} accuracy (1 for any k at or above the number of classes, as scikit-learn). */
    public double topKAccuracy(int kk) {
        return topK(rankWeight, 0, k, weight, kk);
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
