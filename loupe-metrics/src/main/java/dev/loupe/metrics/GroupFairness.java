package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group-fairness gaps of a binary classifier over the groups of a sensitive feature, as Fairlearn 0.x defines them
 * ({@code method='between_groups'}, {@code agg='worst_case'}), from each group's weighted confusion counts:
 * <ul>
 * <li>selection rate = weight predicted positive / weight; true positive rate = TP / (TP + FN) and false positive
 * rate = FP / (FP + TN), 0 when the denominator is 0 (scikit-learn's normalised confusion matrix, which Fairlearn
 * reads);</li>
 * <li>{@code demographic_parity_difference} = max − min of the selection rates, {@code demographic_parity_ratio} =
 * min / max (undefined when nothing is selected);</li>
 * <li>{@code equalized_odds_difference} = the larger of the TPR and FPR differences, {@code equalized_odds_ratio} =
 * the smaller of the TPR and FPR ratios (the TPR ratio when that is undefined, as Python's {@code min} gives);</li>
 * <li>{@code equal_opportunity_difference} = max − min of the true positive rates.</li>
 * </ul>
 * Intervals: the percentile interval over the Poisson-bootstrap replicates of the group states (one resample of all
 * rows per replicate; a group with no weight in a replicate is left out of that replicate's gaps).
 */
public record GroupFairness(List<Group> groups, Map<MetricId, MetricValue> gaps, List<String> warnings) {
    /** One group: its rows, weight and rates. */
    public record Group(String name, long rows, double weight, double selectionRate, double truePositiveRate,
                        double falsePositiveRate) {
    }

    public static final List<String> GAP_NAMES = List.of("demographic_parity_difference", "demographic_parity_ratio",
            "equalized_odds_difference", "equalized_odds_ratio", "equal_opportunity_difference");

    private static final int SELECTION = 0;
    private static final int TPR = 1;
    private static final int FPR = 2;
    private static final int WEIGHT = 3;

    /**
     * @param groups   each group's state (binary, all with the same configuration); groups without rows are ignored
     * @param positive index of the positive class (0 or 1)
     * @param level    the intervals' confidence level
     */
    public static GroupFairness of(Map<String, EvaluationState> groups, int positive, double level) {
        if (positive != 0 && positive != 1) {
            throw new IllegalArgumentException("fairness gaps need a binary problem with a positive class, got " + positive);
        }
        List<Group> out = new ArrayList<>();
        List<double[]> point = new ArrayList<>();
        List<double[][]> replicates = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, EvaluationState> e : groups.entrySet()) {
            EvaluationState s = e.getValue();
            if (s.config().numClasses() != 2) {
                throw new IllegalArgumentException("fairness gaps need a binary problem, got " + s.config().numClasses() + " classes");
            }
            if (s.rows() == 0) {
                continue;
            }
            double[] r = rates(s.confusionCounts(), positive);
            point.add(r);
            replicates.add(s.replicateConfusions());
            out.add(new Group(e.getKey(), s.rows(), r[WEIGHT], r[SELECTION], r[TPR], r[FPR]));
            if (s.rows() == 1) {
                warnings.add("Group '" + e.getKey() + "' has only 1 row: its rates, and the gaps they enter, rest on one example.");
            }
        }
        if (out.size() < 2) {
            warnings.add("Fewer than two groups with rows: every gap is 0 (difference) or 1 (ratio) by definition.");
        }
        double[] values = gaps(point);
        int b = replicates.isEmpty() ? 0 : replicates.get(0).length;
        double[][] boot = new double[GAP_NAMES.size()][b];
        List<double[]> rep = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            rep.clear();
            for (double[][] g : replicates) {
                double[] r = rates(g[i], positive);
                if (r[WEIGHT] > 0) {
                    rep.add(r);
                }
            }
            double[] v = gaps(rep);
            for (int m = 0; m < v.length; m++) {
                boot[m][i] = v[m];
            }
        }
        Map<MetricId, MetricValue> gaps = new LinkedHashMap<>();
        for (int m = 0; m < GAP_NAMES.size(); m++) {
            double[] ci = b == 0 || Double.isNaN(values[m]) ? new double[] {Double.NaN, Double.NaN} : Percentiles.interval(boot[m], level);
            gaps.put(MetricId.of(GAP_NAMES.get(m)), new MetricValue(values[m], ci[0], ci[1]));
        }
        return new GroupFairness(List.copyOf(out), gaps, List.copyOf(warnings));
    }

    /** Selection rate, TPR, FPR and weight of binary {@code [true][pred]} counts. */
    static double[] rates(double[] cm, int positive) {
        int neg = 1 - positive;
        double tp = cm[positive * 2 + positive];
        double fn = cm[positive * 2 + neg];
        double fp = cm[neg * 2 + positive];
        double tn = cm[neg * 2 + neg];
        double w = tp + fn + fp + tn;
        return new double[] {(tp + fp) / w, tp + fn == 0 ? 0 : tp / (tp + fn), fp + tn == 0 ? 0 : fp / (fp + tn), w};
    }

    /** The five gaps (in {@link #GAP_NAMES} order) of the groups' rates; NaN for all when there is no group. */
    static double[] gaps(List<double[]> rates) {
        if (rates.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] r : rates) {
            for (int m = 0; m < 3; m++) {
                min[m] = Math.min(min[m], r[m]);
                max[m] = Math.max(max[m], r[m]);
            }
        }
        double tprRatio = min[TPR] / max[TPR];
        double fprRatio = min[FPR] / max[FPR];
        double tprDiff = max[TPR] - min[TPR];
        double fprDiff = max[FPR] - min[FPR];
        return new double[] {
            max[SELECTION] - min[SELECTION],
            min[SELECTION] / max[SELECTION],
            Math.max(tprDiff, fprDiff),
            fprRatio < tprRatio ? fprRatio : tprRatio, // Python's min(tpr_ratio, fpr_ratio): NaN first stays
            tprDiff,
        };
    }
}
