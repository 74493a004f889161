package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricId.Target;

import java.util.Map;

/**
 * Label metrics as pure functions of a weighted confusion matrix ({@code [true][pred]}, row-major),
 * following scikit-learn 1.9: {@code precision_recall_fscore_support(labels=all classes)} with
 * {@code zero_division=0} (scikit-learn's "warn" default), {@code balanced_accuracy_score},
 * {@code matthews_corrcoef} and {@code cohen_kappa_score}.
 */
public final class ClassificationMetrics {
    private ClassificationMetrics() {
    }

    /** Per-class precision, recall, F1 and (weighted) support. */
    public record PerClass(double[] precision, double[] recall, double[] f1, double[] support,
                           boolean[] noPredicted, boolean[] noTrue) {
    }

    public static PerClass perClass(double[] cm, int k) {
        double[] p = new double[k];
        double[] r = new double[k];
        double[] f = new double[k];
        double[] support = new double[k];
        boolean[] noPred = new boolean[k];
        boolean[] noTrue = new boolean[k];
        for (int c = 0; c < k; c++) {
            double tp = cm[c * k + c];
            double predSum = 0;
            double trueSum = 0;
            for (int j = 0; j < k; j++) {
                predSum += cm[j * k + c];
                trueSum += cm[c * k + j];
            }
            support[c] = trueSum;
            noPred[c] = predSum == 0;
            noTrue[c] = trueSum == 0;
            p[c] = predSum == 0 ? 0.0 : tp / predSum;
            r[c] = trueSum == 0 ? 0.0 : tp / trueSum;
            double denom = predSum + trueSum;
            f[c] = denom == 0 ? 0.0 : 2 * tp / denom;
        }
        return new PerClass(p, r, f, support, noPred, noTrue);
    }

    /**
     * Puts every confusion-based scalar into {@code out}: accuracy, balanced_accuracy, precision/recall/f1
     * (macro, micro, weighted, and of the positive class when {@code positive >= 0}), mcc, cohen_kappa.
     */
    public static void scalars(double[] cm, int k, int positive, Map<MetricId, Double> out) {
        double total = 0;
        double trace = 0;
        double[] tSum = new double[k];
        double[] pSum = new double[k];
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                double v = cm[t * k + p];
                total += v;
                tSum[t] += v;
                pSum[p] += v;
            }
            trace += cm[t * k + t];
        }
        out.put(MetricId.of("accuracy"), total == 0 ? Double.NaN : trace / total);

        // balanced accuracy: mean recall over classes with true weight (scikit-learn's nanmean)
        double recallSum = 0;
        int present = 0;
        for (int c = 0; c < k; c++) {
            if (tSum[c] != 0) {
                recallSum += cm[c * k + c] / tSum[c];
                present++;
            }
        }
        out.put(MetricId.of("balanced_accuracy"), present == 0 ? Double.NaN : recallSum / present);

        PerClass pc = perClass(cm, k);
        if (positive >= 0) {
            out.put(MetricId.of("precision", Target.POSITIVE), pc.precision[positive]);
            out.put(MetricId.of("recall", Target.POSITIVE), pc.recall[positive]);
            out.put(MetricId.of("f1", Target.POSITIVE), pc.f1[positive]);
        }
        double mp = 0, mr = 0, mf = 0, wp = 0, wr = 0, wf = 0, ws = 0;
        for (int c = 0; c < k; c++) {
            mp += pc.precision[c];
            mr += pc.recall[c];
            mf += pc.f1[c];
            wp += pc.precision[c] * pc.support[c];
            wr += pc.recall[c] * pc.support[c];
            wf += pc.f1[c] * pc.support[c];
            ws += pc.support[c];
        }
        out.put(MetricId.of("precision", Target.MACRO), mp / k);
        out.put(MetricId.of("recall", Target.MACRO), mr / k);
        out.put(MetricId.of("f1", Target.MACRO), mf / k);
        // micro: with every class counted, micro precision = recall = F1 = accuracy
        double micro = total == 0 ? 0.0 : trace / total;
        out.put(MetricId.of("precision", Target.MICRO), micro);
        out.put(MetricId.of("recall", Target.MICRO), micro);
        out.put(MetricId.of("f1", Target.MICRO), micro);
        out.put(MetricId.of("precision", Target.WEIGHTED), ws == 0 ? 0.0 : wp / ws);
        out.put(MetricId.of("recall", Target.WEIGHTED), ws == 0 ? 0.0 : wr / ws);
        out.put(MetricId.of("f1", Target.WEIGHTED), ws == 0 ? 0.0 : wf / ws);

        out.put(MetricId.of("mcc"), mcc(tSum, pSum, trace, total));
        out.put(MetricId.of("cohen_kappa"), kappa(cm, k, tSum, pSum, total));
    }

    private static double mcc(double[] tSum, double[] pSum, double trace, double total) {
        double tp = 0, pp = 0, tt = 0;
        for (int c = 0; c < tSum.length; c++) {
            tp += tSum[c] * pSum[c];
            pp += pSum[c] * pSum[c];
            tt += tSum[c] * tSum[c];
        }
        double covYtYp = trace * total - tp;
        double covYpYp = total * total - pp;
        double covYtYt = total * total - tt;
        double denom = covYpYp * covYtYt;
        return denom == 0 ? 0.0 : covYtYp / Math.sqrt(denom);
    }

    private static double kappa(double[] cm, int k, double[] tSum, double[] pSum, double total) {
        if (total == 0) {
            return Double.NaN;
        }
        // scikit-learn: expected = outer(sum0, sum1) / total with sum0 = column sums (pred), sum1 = row sums (true)
        double num = 0;
        double den = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (i != j) {
                    num += cm[i * k + j];
                    den += pSum[i] * tSum[j] / total;
                }
            }
        }
        return den == 0 ? Double.NaN : 1 - num / den;
    }
}
