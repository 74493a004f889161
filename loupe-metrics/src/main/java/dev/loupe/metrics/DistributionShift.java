package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;

import java.util.List;
import java.util.Map;

/**
 * In- against out-of-distribution: the same model scored on two different sets of examples. The gap of each metric is
 * out-of-distribution − in-distribution, with the percentile interval of the replicate differences. The two sets hold
 * different examples, so their resamples must be independent: the out-of-distribution state resamples with
 * {@link #oodConfig} (the seed moved by a fixed odd constant), and replicate {@code b}'s difference is then a
 * difference of two independent resamples, the unpaired two-sample bootstrap. Metrics with per-replicate values (label,
 * probability and calibration metrics) get an interval; ranking metrics (ROC AUC, average precision) the point gap.
 *
 * @param ood  the out-of-distribution evaluation, every metric with its own interval
 * @param gaps per metric, out-of-distribution − in-distribution with its interval
 */
public record DistributionShift(EvaluationResult ood, Map<MetricId, MetricValue> gaps) {
    /** Added to the seed for the out-of-distribution resamples (any fixed odd constant: the golden ratio's bits). */
    public static final long SEED_OFFSET = 0x9E3779B97F4A7C15L;

    /** The configuration of the out-of-distribution state: {@code in}'s with the seed moved by {@link #SEED_OFFSET}. */
    public static EvaluationConfig oodConfig(EvaluationConfig in) {
        return in.withBootstrap(in.bootstrap(), in.seed() + SEED_OFFSET);
    }

    /**
     * @param in       the in-distribution state
     * @param inResult its result
     * @param ood      the out-of-distribution state, configured with {@link #oodConfig} of {@code in}'s configuration
     */
    public static DistributionShift of(EvaluationState in, EvaluationResult inResult, EvaluationState ood, List<String> classes) {
        if (!oodConfig(in.config()).equals(ood.config())) {
            throw new IllegalArgumentException("the out-of-distribution state needs oodConfig(in): " + ood.config());
        }
        EvaluationResult o = ood.result(classes);
        return new DistributionShift(o, Differences.of(inResult, in, o, ood));
    }

    /** The gap of the metric whose key is {@code key}, or null. */
    public MetricValue gap(String key) {
        return Differences.byKey(gaps, key);
    }
}
