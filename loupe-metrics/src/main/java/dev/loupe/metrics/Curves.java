package dev.loupe.metrics;

/**
 * Ranking curves for one class against the rest, exactly as scikit-learn 1.9 computes them:
 * {@code confusion_matrix_at_thresholds} → {@code roc_curve} (with {@code drop_intermediate=True}),
 * {@code precision_recall_curve}, {@code auc} and {@code average_precision_score}. Rows with zero weight
 * are excluded before any of this, as scikit-learn does.
 */
public final class Curves {
    private Curves() {
    }

    /**
     * Cumulative weighted true/false positives at each distinct score, thresholds in decreasing order.
     * The one statistic behind ROC, PR, DET and the threshold sweep.
     */
    public record ThresholdCounts(double[] thresholds, double[] tps, double[] fps) {
        public int size() {
            return thresholds.length;
        }

        public double totalPositive() {
            return tps.length == 0 ? 0 : tps[tps.length - 1];
        }

        public double totalNegative() {
            return fps.length == 0 ? 0 : fps[fps.length - 1];
        }
    }

    /** ROC curve; {@code thresholds[0]} is +∞ (the point (0, 0)). */
    public record Roc(double[] fpr, double[] tpr, double[] thresholds, double auc) {
    }

    /** Precision-recall curve in scikit-learn's order (recall decreasing, final point (recall 0, precision 1)). */
    public record Pr(double[] precision, double[] recall, double[] thresholds, double averagePrecision) {
    }

    /**
     * @param scores    scores sorted in decreasing order
     * @param positive  whether each sorted row is of the class, same order
     * @param weights   weights in the same order, or null for all ones
     */
    public static ThresholdCounts thresholdCounts(double[] scores, boolean[] positive, double[] weights, int n) {
        int groups = 0;
        for (int i = 0; i < n; i++) {
            if (i == n - 1 || scores[i] != scores[i + 1]) {
                groups++;
            }
        }
        double[] thr = new double[groups];
        double[] tps = new double[groups];
        double[] fps = new double[groups];
        double tp = 0;
        double fp = 0;
        int g = 0;
        for (int i = 0; i < n; i++) {
            double w = weights == null ? 1.0 : weights[i];
            if (positive[i]) {
                tp += w;
            } else {
                fp += w;
            }
            if (i == n - 1 || scores[i] != scores[i + 1]) {
                thr[g] = scores[i];
                tps[g] = tp;
                fps[g] = fp;
                g++;
            }
        }
        return new ThresholdCounts(thr, tps, fps);
    }

    public static Roc roc(ThresholdCounts c) {
        int m = c.size();
        double[] tps = c.tps();
        double[] fps = c.fps();
        double[] thr = c.thresholds();
        int[] keep;
        if (m > 2) {
            int[] idx = new int[m];
            int k = 0;
            idx[k++] = 0;
            for (int i = 1; i < m - 1; i++) {
                // second differences of fps and tps (numpy diff(x, 2)) non-zero => a corner, keep it
                double d2f = (fps[i + 1] - fps[i]) - (fps[i] - fps[i - 1]);
                double d2t = (tps[i + 1] - tps[i]) - (tps[i] - tps[i - 1]);
                if (d2f != 0 || d2t != 0) {
                    idx[k++] = i;
                }
            }
            idx[k++] = m - 1;
            keep = java.util.Arrays.copyOf(idx, k);
        } else {
            keep = new int[m];
            for (int i = 0; i < m; i++) {
                keep[i] = i;
            }
        }
        int len = keep.length + 1;
        double[] fpr = new double[len];
        double[] tpr = new double[len];
        double[] th = new double[len];
        th[0] = Double.POSITIVE_INFINITY;
        double fTot = c.totalNegative();
        double tTot = c.totalPositive();
        for (int j = 0; j < keep.length; j++) {
            int i = keep[j];
            fpr[j + 1] = fTot <= 0 ? Double.NaN : fps[i] / fTot;
            tpr[j + 1] = tTot <= 0 ? Double.NaN : tps[i] / tTot;
            th[j + 1] = thr[i];
        }
        fpr[0] = fTot <= 0 ? Double.NaN : 0.0;
        tpr[0] = tTot <= 0 ? Double.NaN : 0.0;
        double auc = (fTot <= 0 || tTot <= 0) ? Double.NaN : trapezoid(fpr, tpr);
        return new Roc(fpr, tpr, th, auc);
    }

    /** Area under (x, y) by the trapezoidal rule, for non-decreasing x. */
    static double trapezoid(double[] x, double[] y) {
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
        }
        return area;
    }

    public static Pr pr(ThresholdCounts c) {
        int m = c.size();
        double[] precision = new double[m + 1];
        double[] recall = new double[m + 1];
        double[] thresholds = new double[m];
        double tTot = c.totalPositive();
        for (int i = 0; i < m; i++) {
            double tp = c.tps()[i];
            double ps = tp + c.fps()[i];
            int j = m - 1 - i; // reversed: recall decreasing
            precision[j] = ps != 0 ? tp / ps : 0.0;
            recall[j] = tTot == 0 ? 1.0 : tp / tTot;
            thresholds[j] = c.thresholds()[i];
        }
        precision[m] = 1.0;
        recall[m] = 0.0;
        double ap = 0;
        for (int j = 0; j < m; j++) {
            ap -= (recall[j + 1] - recall[j]) * precision[j];
        }
        return new Pr(precision, recall, thresholds, ap);
    }
}
