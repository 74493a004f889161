package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;

import java.util.List;
import java.util.Map;

/**
 * Everything one evaluation found — a pure function of an {@link EvaluationState}. Classes are referred to by
 * index into {@link #classes()}; undefined numbers are NaN.
 *
 * @param rows             rows read
 * @param totalWeight      sum of sample weights
 * @param classes          class names, in the run's order
 * @param positive         positive class index (binary) or −1
 * @param metrics          scalar metrics with 95% intervals, in a stable order
 * @param perClass         per-class metrics, same order as classes
 * @param confusion        weighted counts [true][pred]
 * @param roc              per class, one-vs-rest
 * @param pr               per class, one-vs-rest
 * @param det              per class, one-vs-rest detection error tradeoff; null entries where undefined
 * @param calibration      equal-width reliability diagram (ECE/MCE)
 * @param calibrationMass  equal-mass reliability diagram, or null
 * @param sweep            threshold sweep of the positive class (binary), else null
 * @param histograms       [class c][true class t][bin] weighted counts of P(c)
 * @param histogramBins    number of equal-width histogram bins over [0, 1]
 * @param bootstrap        replicates used (0 = none) and the seed
 * @param rankingBins      0 for exact curves, else the number of bins of the binned mode
 * @param aucErrorBound    per class, the bound on the AUC error of the binned mode (0 when exact)
 * @param options          the metric options the evaluation used (top-k, F-β, zero division, partial AUC)
 * @param warnings         messages for the person reading the results
 */
public record EvaluationResult(long rows, double totalWeight, List<String> classes, int positive,
                               Map<MetricId, MetricValue> metrics, List<PerClassResult> perClass,
                               double[][] confusion, List<Curves.Roc> roc, List<Curves.Pr> pr, List<Curves.Det> det,
                               Calibration.Reliability calibration, Calibration.Reliability calibrationMass,
                               ThresholdSweep sweep, double[][][] histograms, int histogramBins,
                               int bootstrap, long seed, int rankingBins, double[] aucErrorBound,
                               MetricOptions options, List<String> warnings) {

    /**
     * One class's metrics; support is the total weight of rows whose true class it is. The one-vs-rest ROC AUC and
     * average precision carry the bootstrap's percentile interval (NaN without one: no bootstrap, binned mode, an
     * undefined value, or the negative class of a binary run).
     */
    public record PerClassResult(String label, double precision, double recall, double f1, double support,
                                 double rocAuc, double averagePrecision,
                                 double rocAucCiLow, double rocAucCiHigh,
                                 double averagePrecisionCiLow, double averagePrecisionCiHigh) {
        /** Without intervals. */
        public PerClassResult(String label, double precision, double recall, double f1, double support,
                              double rocAuc, double averagePrecision) {
            this(label, precision, recall, f1, support, rocAuc, averagePrecision, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
    }

    /** The metric named by its JSON key, e.g. {@code f1_macro}; null if absent. */
    public MetricValue metric(String key) {
        for (Map.Entry<MetricId, MetricValue> e : metrics.entrySet()) {
            if (e.getKey().key().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Confusion matrix normalised by true class (rows), predicted class (columns) or all; 0/0 gives 0 as scikit-learn. */
    public double[][] confusionNormalized(String by) {
        int k = confusion.length;
        double[][] out = new double[k][k];
        double all = 0;
        double[] rowSum = new double[k];
        double[] colSum = new double[k];
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                rowSum[t] += confusion[t][p];
                colSum[p] += confusion[t][p];
                all += confusion[t][p];
            }
        }
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                double d = switch (by) {
                    case "true" -> rowSum[t];
                    case "pred" -> colSum[p];
                    case "all" -> all;
                    default -> throw new IllegalArgumentException("normalize must be true, pred or all: " + by);
                };
                out[t][p] = d == 0 ? 0.0 : confusion[t][p] / d;
            }
        }
        return out;
    }
}
