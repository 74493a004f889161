package dev.loupe.metrics;

/**
 * Binary metrics at every distinct threshold (decreasing), from the positive class's threshold counts: a row
 * is predicted positive when its score ≥ threshold. {@code bestF1} and {@code youden} are indices into the
 * arrays (the highest threshold on ties), −1 when undefined.
 */
public record ThresholdSweep(double[] thresholds, double[] tp, double[] fp, double[] precision, double[] recall,
                             double[] f1, double[] fpr, int bestF1, int youden) {

    public static ThresholdSweep of(Curves.ThresholdCounts c) {
        int m = c.size();
        double pTot = c.totalPositive();
        double nTot = c.totalNegative();
        double[] precision = new double[m];
        double[] recall = new double[m];
        double[] f1 = new double[m];
        double[] fpr = new double[m];
        int best = -1;
        int youden = -1;
        double bestJ = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            double tp = c.tps()[i];
            double fp = c.fps()[i];
            precision[i] = tp + fp == 0 ? Double.NaN : tp / (tp + fp);
            recall[i] = pTot == 0 ? Double.NaN : tp / pTot;
            fpr[i] = nTot == 0 ? Double.NaN : fp / nTot;
            double s = precision[i] + recall[i];
            f1[i] = Double.isNaN(s) || s == 0 ? Double.NaN : 2 * precision[i] * recall[i] / s;
            if (!Double.isNaN(f1[i]) && (best < 0 || f1[i] > f1[best])) {
                best = i;
            }
            double j = recall[i] - fpr[i];
            if (!Double.isNaN(j) && j > bestJ) {
                bestJ = j;
                youden = i;
            }
        }
        return new ThresholdSweep(c.thresholds(), c.tps(), c.fps(), precision, recall, f1, fpr, best, youden);
    }

    public double bestF1Threshold() {
        return bestF1 < 0 ? Double.NaN : thresholds[bestF1];
    }

    public double youdenThreshold() {
        return youden < 0 ? Double.NaN : thresholds[youden];
    }
}
