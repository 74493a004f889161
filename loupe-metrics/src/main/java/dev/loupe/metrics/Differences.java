package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;

import java.util.LinkedHashMap;
import java.util.Map;

/** Per-metric differences of two evaluations with intervals from their replicate values ({@link Robustness}, {@link DistributionShift}). */
final class Differences {
    private Differences() {
    }

    /**
     * For every metric of {@code b} that {@code a} has: b − a, with the percentile interval of the per-replicate
     * differences where both have replicate values (paired or independent resamples: the caller's states decide).
     */
    static Map<MetricId, MetricValue> of(EvaluationResult a, EvaluationState stateA, EvaluationResult b, EvaluationState stateB) {
        Map<MetricId, double[]> repA = stateA.replicateValues();
        Map<MetricId, double[]> repB = stateB.replicateValues();
        Map<MetricId, MetricValue> out = new LinkedHashMap<>();
        for (Map.Entry<MetricId, MetricValue> e : b.metrics().entrySet()) {
            MetricValue va = a.metrics().get(e.getKey());
            if (va == null) {
                continue;
            }
            double d = e.getValue().value() - va.value();
            MetricValue v = MetricValue.of(d);
            double[] ra = repA.get(e.getKey());
            double[] rb = repB.get(e.getKey());
            if (ra != null && rb != null && !Double.isNaN(d)) {
                double[] diff = new double[ra.length];
                for (int r = 0; r < ra.length; r++) {
                    diff[r] = rb[r] - ra[r];
                }
                double[] ci = Percentiles.interval(diff, stateA.config().level());
                v = v.withInterval(ci[0], ci[1]);
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    /** The value of the metric whose key is {@code key} ({@code accuracy}, {@code f1_macro}), or null. */
    static MetricValue byKey(Map<MetricId, MetricValue> values, String key) {
        for (Map.Entry<MetricId, MetricValue> e : values.entrySet()) {
            if (e.getKey().key().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }
}
