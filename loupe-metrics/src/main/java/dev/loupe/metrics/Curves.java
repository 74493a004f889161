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

    /**
     * Detection error tradeoff curve (scikit-learn's {@code det_curve}): false positive rate decreasing, false
     * negative rate increasing, thresholds increasing; from the last threshold with no false positive to the first
     * with no false negative. {@code thresholds} may start with +∞.
     */
    public record Det(double[] fpr, double[] fnr, double[] thresholds) {
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

    /**
     * The counts of the pooled problem: every list's rows together (the micro average of one-vs-rest is the sum of the
     * classes' counts). Thresholds are the union of the lists' thresholds, in decreasing order; at each, the positives
     * and negatives scoring at or above it are summed over the lists. A merge of the sorted lists, so the pooled rows
     * (n·k of them for k classes) are never sorted again.
     */
    public static ThresholdCounts sum(java.util.List<ThresholdCounts> lists) {
        int k = lists.size();
        int total = 0;
        for (ThresholdCounts c : lists) {
            total += c.size();
        }
        double[] thr = new double[total];
        double[] tps = new double[total];
        double[] fps = new double[total];
        int[] at = new int[k];
        // a binary heap of the lists by their next threshold, largest first
        int[] heap = new int[k];
        int size = 0;
        for (int c = 0; c < k; c++) {
            if (lists.get(c).size() > 0) {
                heap[size++] = c;
            }
        }
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(heap, i, size, lists, at);
        }
        double tp = 0;
        double fp = 0;
        int g = -1;
        while (size > 0) {
            int c = heap[0];
            ThresholdCounts l = lists.get(c);
            int j = at[c]++;
            double t = l.thresholds[j];
            tp += l.tps[j] - (j == 0 ? 0 : l.tps[j - 1]);
            fp += l.fps[j] - (j == 0 ? 0 : l.fps[j - 1]);
            if (g < 0 || thr[g] != t) {
                g++;
                thr[g] = t;
            }
            tps[g] = tp;
            fps[g] = fp;
            if (at[c] == l.size()) {
                heap[0] = heap[--size];
            }
            if (size > 0) {
                siftDown(heap, 0, size, lists, at);
            }
        }
        int m = g + 1;
        return new ThresholdCounts(java.util.Arrays.copyOf(thr, m), java.util.Arrays.copyOf(tps, m), java.util.Arrays.copyOf(fps, m));
    }

    private static void siftDown(int[] heap, int i, int size, java.util.List<ThresholdCounts> lists, int[] at) {
        int c = heap[i];
        double t = lists.get(c).thresholds[at[c]];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            double tc = lists.get(heap[child]).thresholds[at[heap[child]]];
            if (child + 1 < size) {
                double tr = lists.get(heap[child + 1]).thresholds[at[heap[child + 1]]];
                if (tr > tc) {
                    child++;
                    tc = tr;
                }
            }
            if (tc <= t) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = c;
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

    /** The DET curve, or null when the class or the rest is absent (scikit-learn refuses then). */
    public static Det det(ThresholdCounts c) {
        double p = c.totalPositive();
        double n = c.totalNegative();
        if (p <= 0 || n <= 0) {
            return null;
        }
        int m = c.size() + 1; // with the point (+inf, tp 0, fp 0) in front
        double[] tps = new double[m];
        double[] fps = new double[m];
        double[] thr = new double[m];
        thr[0] = Double.POSITIVE_INFINITY;
        System.arraycopy(c.tps(), 0, tps, 1, m - 1);
        System.arraycopy(c.fps(), 0, fps, 1, m - 1);
        System.arraycopy(c.thresholds(), 0, thr, 1, m - 1);
        int first = 0; // the last index with no false positive
        while (first + 1 < m && fps[first + 1] == fps[0]) {
            first++;
        }
        int last = 0; // the first index with every positive found, plus one
        while (tps[last] < tps[m - 1]) {
            last++;
        }
        last++;
        int len = Math.max(0, last - first);
        double[] fpr = new double[len];
        double[] fnr = new double[len];
        double[] th = new double[len];
        for (int j = 0; j < len; j++) {
            int i = last - 1 - j;
            fpr[j] = fps[i] / n;
            fnr[j] = (p - tps[i]) / p;
            th[j] = thr[i];
        }
        return new Det(fpr, fnr, th);
    }

    /**
     * scikit-learn's {@code roc_auc_score(max_fpr=m)}: the area under the ROC curve up to false-positive rate m (the
     * curve cut by linear interpolation at m), McClish-standardised to 0.5 for a random and 1 for a perfect ranking.
     * NaN when the AUC is.
     */
    public static double partialAuc(Roc roc, double maxFpr) {
        if (Double.isNaN(roc.auc())) {
            return Double.NaN;
        }
        if (maxFpr == 1) {
            return roc.auc();
        }
        double[] fpr = roc.fpr();
        double[] tpr = roc.tpr();
        int stop = 0; // numpy searchsorted(fpr, maxFpr, "right")
        while (stop < fpr.length && fpr[stop] <= maxFpr) {
            stop++;
        }
        double[] x = java.util.Arrays.copyOf(fpr, stop + 1);
        double[] y = java.util.Arrays.copyOf(tpr, stop + 1);
        double x0 = fpr[stop - 1];
        double x1 = fpr[stop];
        y[stop] = tpr[stop - 1] + (tpr[stop] - tpr[stop - 1]) * (maxFpr - x0) / (x1 - x0);
        x[stop] = maxFpr;
        return mcClish(trapezoid(x, y), maxFpr);
    }

    /** McClish's standardisation of a partial area up to false-positive rate m. */
    static double mcClish(double partialArea, double maxFpr) {
        double min = 0.5 * maxFpr * maxFpr;
        return 0.5 * (1 + (partialArea - min) / (maxFpr - min));
    }
}
