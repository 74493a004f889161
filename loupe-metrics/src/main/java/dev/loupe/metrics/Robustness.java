package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;

import java.util.List;
import java.util.Map;

/**
 * One model scored twice on the same rows, clean and perturbed: the perturbed evaluation, each metric's change
 * (perturbed − clean) with a <b>paired</b> bootstrap interval and the flip rate (the share of rows whose predicted
 * class changed) with its interval.
 * <p>
 * Pairing: both states are fed the same row keys with the same seed, so replicate {@code b} of each is the same
 * resample of the rows (Poisson weights are a function of seed, key and replicate), and the change in replicate
 * {@code b} is the change on one resample. That interval is much narrower than the two intervals' overlap would
 * suggest, because the per-row noise common to both scorings cancels. Metrics with per-replicate values (every
 * confusion-based and probability metric) get an interval; ranking metrics (ROC AUC, average precision) get the point
 * change only.
 *
 * @param perturbed the perturbed rows' evaluation, every metric with its own interval
 * @param deltas    per metric, perturbed − clean with the paired interval (a drop is negative for metrics where
 *                  higher is better)
 * @param flipRate  the share of rows whose predicted class changed, with a Poisson-bootstrap interval
 * @param flips     the number of rows whose predicted class changed
 */
public record Robustness(EvaluationResult perturbed, Map<MetricId, MetricValue> deltas, MetricValue flipRate, int flips) {

    /**
     * @param clean          the clean rows' state and result
     * @param perturbed      the perturbed rows' state (same configuration, same keys)
     * @param cleanPred      each row's predicted class, clean
     * @param perturbedPred  the same, perturbed (same rows in the same order)
     * @param keys           each row's bootstrap key (as fed to both states)
     */
    public static Robustness compare(EvaluationState clean, EvaluationResult cleanResult, EvaluationState perturbed,
                                     int[] cleanPred, int[] perturbedPred, long[] keys, List<String> classes) {
        if (!clean.config().equals(perturbed.config())) {
            throw new IllegalArgumentException("clean and perturbed states differ in configuration");
        }
        int n = cleanPred.length;
        if (perturbedPred.length != n || keys.length != n) {
            throw new IllegalArgumentException("paired arrays differ in length: " + n + ", " + perturbedPred.length + ", " + keys.length);
        }
        EvaluationConfig cfg = clean.config();
        EvaluationResult p = perturbed.result(classes);
        Map<MetricId, MetricValue> deltas = Differences.of(cleanResult, clean, p, perturbed);
        boolean[] flipped = new boolean[n];
        int flips = 0;
        for (int i = 0; i < n; i++) {
            flipped[i] = cleanPred[i] != perturbedPred[i];
            flips += flipped[i] ? 1 : 0;
        }
        double[] rate = PairedComparison.rate(flipped, keys, cfg.bootstrap(), cfg.seed(), cfg.level());
        MetricValue flipRate = MetricValue.of(rate[0]);
        if (!Double.isNaN(rate[1])) {
            flipRate = flipRate.withInterval(rate[1], rate[2]);
        }
        return new Robustness(p, deltas, flipRate, flips);
    }

    /** The change of the metric whose key is {@code key} ({@code accuracy}, {@code f1_macro}), or null. */
    public MetricValue delta(String key) {
        return Differences.byKey(deltas, key);
    }
}
