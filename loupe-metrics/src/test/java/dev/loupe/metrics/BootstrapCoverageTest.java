package dev.loupe.metrics;

import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The 95% Poisson-bootstrap interval covers the true value in 95% ± 2% of repeated experiments. */
class BootstrapCoverageTest {
    @Test
    void accuracyIntervalCoversTheTrueAccuracy() {
        double trueAccuracy = 0.8;
        int trials = 1000;
        int n = 400;
        int covered = 0;
        Random rnd = new Random(2026);
        for (int trial = 0; trial < trials; trial++) {
            double[] probs = new double[n * 2];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(2);
                boolean correct = rnd.nextDouble() < trueAccuracy;
                double s = 0.5 + 0.5 * rnd.nextDouble();
                double p1 = (labels[i] == 1) == correct ? s : 1 - s;
                probs[i * 2] = 1 - p1;
                probs[i * 2 + 1] = p1;
            }
            EvaluationState st = new EvaluationState(new EvaluationConfig(2, 1, 400, trial, 0.95, 15, 20, 0));
            st.update(PredictionBatch.of(2, probs, labels, null, null));
            MetricValue acc = st.result(List.of("0", "1")).metric("accuracy");
            if (acc.ciLow() <= trueAccuracy && trueAccuracy <= acc.ciHigh()) {
                covered++;
            }
        }
        double coverage = covered / (double) trials;
        System.out.println("bootstrap 95% interval coverage of the true accuracy: " + coverage);
        assertEquals(0.95, coverage, 0.02, "coverage of the 95% interval over " + trials + " trials");
    }

    @Test
    void intervalContainsThePointEstimateAndShrinksWithMoreData() {
        double[] widths = new double[2];
        int[] sizes = {200, 5000};
        for (int j = 0; j < 2; j++) {
            Random rnd = new Random(1);
            int n = sizes[j];
            double[] probs = new double[n * 2];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(2);
                double p1 = Math.min(1, Math.max(0, 0.5 + (labels[i] == 1 ? 0.2 : -0.2) + rnd.nextGaussian() * 0.25));
                probs[i * 2] = 1 - p1;
                probs[i * 2 + 1] = p1;
            }
            EvaluationState st = new EvaluationState(new EvaluationConfig(2, 1, 300, 5, 0.95, 15, 20, 0));
            st.update(PredictionBatch.of(2, probs, labels, null, null));
            EvaluationResult r = st.result(List.of("0", "1"));
            for (var e : r.metrics().entrySet()) {
                MetricValue v = e.getValue();
                if (v.isDefined() && !e.getKey().key().equals("mce")) {
                    assertTrue(v.ciLow() <= v.value() + 1e-12 && v.value() <= v.ciHigh() + 1e-12,
                            e.getKey() + " " + v + " should contain its point estimate");
                }
            }
            MetricValue auc = r.metric("roc_auc");
            widths[j] = auc.ciHigh() - auc.ciLow();
        }
        assertTrue(widths[1] < widths[0] / 3, "AUC interval should shrink ~ 1/sqrt(n): " + widths[0] + " -> " + widths[1]);
    }
}
