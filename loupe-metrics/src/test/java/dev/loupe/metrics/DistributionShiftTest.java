package dev.loupe.metrics;

import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link DistributionShift}: each gap is out − in, its interval the percentiles of the differences of independent
 * replicates (the out-of-distribution state resamples with another seed), so its width is about the two intervals'
 * widths added in quadrature; the out-of-distribution metrics equal evaluating that data alone with the moved seed.
 */
class DistributionShiftTest {
    static final List<String> CLASSES = List.of("ham", "spam");

    static PredictionBatch data(int n, double errorRate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        PredictionBatch b = new PredictionBatch(2, n, false);
        for (int i = 0; i < n; i++) {
            int y = rng.nextInt(2);
            double p = y == 1 ? 0.55 + 0.45 * rng.nextDouble() : 0.45 * rng.nextDouble();
            if (rng.nextDouble() < errorRate) {
                p = 1 - p;
            }
            b.add(i, y, p >= 0.5 ? 1 : 0, 1.0, new double[] {1 - p, p}, 0);
        }
        return b;
    }

    @Test
    void gapsAreOutMinusInWithIntervalsFromIndependentResamples() {
        EvaluationConfig cfg = EvaluationConfig.defaults(2, 1).withBootstrap(1000, 4);
        EvaluationState in = new EvaluationState(cfg);
        in.update(data(2000, 0.08, 1));
        EvaluationResult inResult = in.result(CLASSES);
        // the same row keys 0..n-1 in both data sets: with the same seed their resamples would be identical
        EvaluationState ood = new EvaluationState(DistributionShift.oodConfig(cfg));
        PredictionBatch shifted = data(1500, 0.2, 2);
        ood.update(shifted);
        DistributionShift shift = DistributionShift.of(in, inResult, ood, CLASSES);

        EvaluationState alone = new EvaluationState(cfg.withBootstrap(1000, 4 + DistributionShift.SEED_OFFSET));
        alone.update(shifted);
        EvaluationResult expected = alone.result(CLASSES);
        for (String key : List.of("accuracy", "f1", "log_loss", "ece", "roc_auc")) {
            assertEquals(expected.metric(key).value(), shift.ood().metric(key).value(), 1e-12, key);
            assertEquals(expected.metric(key).ciLow(), shift.ood().metric(key).ciLow(), 1e-12, key);
            assertEquals(shift.ood().metric(key).value() - inResult.metric(key).value(), shift.gap(key).value(), 1e-12, key);
        }
        // interval of the replicate differences, recomputed
        Map<dev.loupe.api.MetricId, double[]> a = in.replicateValues();
        Map<dev.loupe.api.MetricId, double[]> b = ood.replicateValues();
        double[] diff = new double[1000];
        for (int r = 0; r < 1000; r++) {
            diff[r] = b.get(dev.loupe.api.MetricId.of("accuracy"))[r] - a.get(dev.loupe.api.MetricId.of("accuracy"))[r];
        }
        double[] ci = Percentiles.interval(diff, 0.95);
        MetricValue gap = shift.gap("accuracy");
        assertEquals(ci[0], gap.ciLow(), 1e-12);
        assertEquals(ci[1], gap.ciHigh(), 1e-12);
        // independent: the width is the two widths in quadrature (within sampling noise), not their difference
        MetricValue x = inResult.metric("accuracy");
        MetricValue y = shift.ood().metric("accuracy");
        double quadrature = Math.hypot(x.ciHigh() - x.ciLow(), y.ciHigh() - y.ciLow());
        double width = gap.ciHigh() - gap.ciLow();
        assertTrue(Math.abs(width - quadrature) < 0.15 * quadrature, width + " vs " + quadrature);
        assertTrue(gap.ciHigh() < 0, "the shifted data is clearly worse: " + gap);
        assertTrue(Double.isNaN(shift.gap("roc_auc").ciLow()), "ranking metrics: point gap only");
    }

    @Test
    void theOutOfDistributionStateMustResampleIndependently() {
        EvaluationConfig cfg = EvaluationConfig.defaults(2, 1).withBootstrap(50, 4);
        EvaluationState in = new EvaluationState(cfg);
        in.update(data(100, 0.1, 1));
        EvaluationState same = new EvaluationState(cfg);
        same.update(data(100, 0.1, 2));
        assertThrows(IllegalArgumentException.class, () -> DistributionShift.of(in, in.result(CLASSES), same, CLASSES));
    }
}
