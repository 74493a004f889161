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

    /** Per class, with 0/0 counted as 0 (scikit-learn's default). */
    public static PerClass perClass(double[] cm, int k) {
        return perClass(cm, k, 0.0);
    }

    /** Per class; a 0/0 precision, recall or F1 becomes {@code zeroDivision} (0, 1 or NaN). */
    public static PerClass perClass(double[] cm, int k, double zeroDivision) {
        double[] p = new double[k];
        double[] r = new double[k];
        double[] f = new double[k];
        double[] support = new double[k];
        boolean[] noPred = new boolean[k];
        boolean[] noTrue = new boolean[k];
        double[] predSum = new double[k];
        for (int t = 0; t < k; t++) {
            for (int j = 0; j < k; j++) {
                predSum[j] += cm[t * k + j];
                support[t] += cm[t * k + j];
            }
        }
        for (int c = 0; c < k; c++) {
            double tp = cm[c * k + c];
            noPred[c] = predSum[c] == 0;
            noTrue[c] = support[c] == 0;
            p[c] = divide(tp, predSum[c], zeroDivision);
            r[c] = divide(tp, support[c], zeroDivision);
            f[c] = fbeta(1, tp, support[c], predSum[c], zeroDivision);
        }
        return new PerClass(p, r, f, support, noPred, noTrue);
    }

    /** scikit-learn's F-β from counts: (1 + β²)·tp / (β²·true + predicted), {@code zeroDivision} when both are 0. */
    static double fbeta(double beta, double tp, double trueSum, double predSum, double zeroDivision) {
        double b2 = beta * beta;
        return divide((1 + b2) * tp, b2 * trueSum + predSum, zeroDivision);
    }

    private static double divide(double num, double den, double zeroDivision) {
        return den == 0 ? zeroDivision : num / den;
    }

    /** Puts every confusion-based scalar into {@code out} with the default options. */
    public static void scalars(double[] cm, int k, int positive, Map<MetricId, Double> out) {
        scalars(cm, k, positive, MetricOptions.defaults(), out);
    }

    /**
     * Puts every confusion-based scalar into {@code out}: accuracy, balanced accuracy (plain and adjusted),
     * precision/recall/F1/F-β/Jaccard (macro, micro, weighted, and of the positive class when {@code positive >= 0}),
     * Hamming and zero-one loss, MCC, Cohen's kappa (unweighted, linear, quadratic) and, binary, the likelihood ratios.
     */
    public static void scalars(double[] cm, int k, int positive, MetricOptions options, Map<MetricId, Double> out) {
        double zd = options.zeroDivision();
        double total = 0;
        double trace = 0;
        double[] tSum = new double[k];
        double[] pSum = new double[k];
        double[] tp = new double[k];
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                double v = cm[t * k + p];
                total += v;
                tSum[t] += v;
                pSum[p] += v;
            }
            tp[t] = cm[t * k + t];
            trace += tp[t];
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
        double balanced = present == 0 ? Double.NaN : recallSum / present;
        out.put(MetricId.of("balanced_accuracy"), balanced);
        // adjusted for chance (1 / classes present); undefined with one class, where scikit-learn divides by 0
        out.put(MetricId.of("balanced_accuracy_adjusted"), present < 2 ? Double.NaN
                : (balanced - 1.0 / present) / (1 - 1.0 / present));

        PerClass pc = perClass(cm, k, zd);
        if (positive >= 0) {
            out.put(MetricId.of("precision", Target.POSITIVE), pc.precision[positive]);
            out.put(MetricId.of("recall", Target.POSITIVE), pc.recall[positive]);
            out.put(MetricId.of("f1", Target.POSITIVE), pc.f1[positive]);
        }
        out.put(MetricId.of("precision", Target.MACRO), nanAverage(pc.precision, null));
        out.put(MetricId.of("recall", Target.MACRO), nanAverage(pc.recall, null));
        out.put(MetricId.of("f1", Target.MACRO), nanAverage(pc.f1, null));
        // micro: with every class counted, micro precision = recall = F1 = accuracy
        double micro = divide(trace, total, zd);
        out.put(MetricId.of("precision", Target.MICRO), micro);
        out.put(MetricId.of("recall", Target.MICRO), micro);
        out.put(MetricId.of("f1", Target.MICRO), micro);
        out.put(MetricId.of("precision", Target.WEIGHTED), nanAverage(pc.precision, tSum));
        out.put(MetricId.of("recall", Target.WEIGHTED), nanAverage(pc.recall, tSum));
        out.put(MetricId.of("f1", Target.WEIGHTED), nanAverage(pc.f1, tSum));

        for (double beta : options.extraBetas()) {
            String name = MetricOptions.fbetaName(beta);
            double[] f = new double[k];
            for (int c = 0; c < k; c++) {
                f[c] = fbeta(beta, tp[c], tSum[c], pSum[c], zd);
            }
            if (positive >= 0) {
                out.put(MetricId.of(name, Target.POSITIVE), f[positive]);
            }
            out.put(MetricId.of(name, Target.MACRO), nanAverage(f, null));
            out.put(MetricId.of(name, Target.WEIGHTED), nanAverage(f, tSum));
        }

        // Jaccard: tp / (tp + fp + fn); scikit-learn averages with a plain mean (a NaN class makes the macro NaN)
        double[] jac = new double[k];
        for (int c = 0; c < k; c++) {
            jac[c] = divide(tp[c], tSum[c] + pSum[c] - tp[c], zd);
        }
        if (positive >= 0) {
            out.put(MetricId.of("jaccard", Target.POSITIVE), jac[positive]);
        }
        out.put(MetricId.of("jaccard", Target.MACRO), average(jac, null));
        out.put(MetricId.of("jaccard", Target.MICRO), divide(trace, 2 * total - trace, zd));
        out.put(MetricId.of("jaccard", Target.WEIGHTED), average(jac, tSum));

        double error = total == 0 ? Double.NaN : (total - trace) / total;
        out.put(MetricId.of("hamming_loss"), error);
        out.put(MetricId.of("zero_one_loss"), error);

        out.put(MetricId.of("mcc"), mcc(tSum, pSum, trace, total, zd));
        out.put(MetricId.of("cohen_kappa"), kappa(cm, k, tSum, pSum, total, 0));
        out.put(MetricId.of("cohen_kappa_linear"), kappa(cm, k, tSum, pSum, total, 1));
        out.put(MetricId.of("cohen_kappa_quadratic"), kappa(cm, k, tSum, pSum, total, 2));

        if (positive >= 0 && k == 2) {
            likelihoodRatios(cm, positive, out);
        }
    }

    /**
     * scikit-learn's {@code class_likelihood_ratios}: LR+ = (tp / P) / (fp / N), LR− = (fn / P) / (tn / N); undefined
     * (NaN) when a denominator is 0 or there are no positives.
     */
    private static void likelihoodRatios(double[] cm, int pos, Map<MetricId, Double> out) {
        int neg = 1 - pos;
        double tp = cm[pos * 2 + pos];
        double fn = cm[pos * 2 + neg];
        double fp = cm[neg * 2 + pos];
        double tn = cm[neg * 2 + neg];
        double supportPos = tp + fn;
        double supportNeg = tn + fp;
        out.put(MetricId.of("positive_likelihood_ratio"),
                fp == 0 || supportPos == 0 ? Double.NaN : tp * supportNeg / (fp * supportPos));
        out.put(MetricId.of("negative_likelihood_ratio"),
                tn == 0 || supportPos == 0 ? Double.NaN : fn * supportNeg / (tn * supportPos));
    }

    /** scikit-learn's {@code _nanaverage}: NaN entries left out; all-zero weights fall back to the plain mean. */
    static double nanAverage(double[] v, double[] w) {
        double s = 0;
        double ws = 0;
        double plain = 0;
        int n = 0;
        for (int i = 0; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                double wi = w == null ? 1.0 : w[i];
                s += v[i] * wi;
                ws += wi;
                plain += v[i];
                n++;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        return ws == 0 ? plain / n : s / ws;
    }

    /** numpy's average (NaN propagates); all-zero weights fall back to the plain mean, as jaccard_score does. */
    static double average(double[] v, double[] w) {
        double s = 0;
        double ws = 0;
        double plain = 0;
        for (int i = 0; i < v.length; i++) {
            double wi = w == null ? 1.0 : w[i];
            s += v[i] * wi;
            ws += wi;
            plain += v[i];
        }
        return ws == 0 ? plain / v.length : s / ws;
    }

    /**
     * scikit-learn's {@code matthews_corrcoef}; its 0/0 (one class in the labels or in the predictions) is 0 there,
     * and undefined (NaN) here when {@code zeroDivision} is NaN.
     */
    private static double mcc(double[] tSum, double[] pSum, double trace, double total, double zeroDivision) {
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
        return denom == 0 ? (Double.isNaN(zeroDivision) ? Double.NaN : 0.0) : covYtYp / Math.sqrt(denom);
    }

    /**
     * Cohen's kappa as scikit-learn computes it: 1 − Σ w·observed / Σ w·expected with expected = outer(predicted
     * sums, true sums) / total and disagreement weights w = [i ≠ j] (power 0), |i − j| (1) or (i − j)² (2), classes
     * numbered in the run's order.
     */
    private static double kappa(double[] cm, int k, double[] tSum, double[] pSum, double total, int power) {
        if (total == 0) {
            return Double.NaN;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                if (i != j) {
                    double w = power == 0 ? 1 : power == 1 ? Math.abs(i - j) : (double) (i - j) * (i - j);
                    num += w * cm[i * k + j];
                    den += w * pSum[i] * tSum[j] / total;
                }
            }
        }
        return den == 0 ? Double.NaN : 1 - num / den;
    }
}
