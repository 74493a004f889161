package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The binned mode stays within its documented error bound of the exact curves. */
class BinnedModeTest {
    @Test
    void binnedAucIsWithinItsBoundOfTheExactAuc() {
        Random rnd = new Random(3);
        int n = 20000;
        double[] probs = new double[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(2);
            double z = rnd.nextGaussian() + (labels[i] == 1 ? 1.0 : 0.0);
            double p1 = 1 / (1 + Math.exp(-z));
            probs[i * 2] = 1 - p1;
            probs[i * 2 + 1] = p1;
        }
        PredictionBatch batch = PredictionBatch.of(2, probs, labels, null, null);
        for (int bins : new int[] {10, 100, 1000}) {
            EvaluationState exact = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(0, 0));
            EvaluationState binned = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(0, 0).withRankingBins(bins));
            exact.update(batch);
            binned.update(batch);
            EvaluationResult e = exact.result(List.of("0", "1"));
            EvaluationResult b = binned.result(List.of("0", "1"));
            double err = Math.abs(e.metric("roc_auc").value() - b.metric("roc_auc").value());
            double bound = b.aucErrorBound()[1];
            assertTrue(err <= bound + 1e-12, bins + " bins: |error| " + err + " > bound " + bound);
            assertTrue(bound < 2.0 / bins, bins + " bins: bound " + bound + " should shrink with the bin width");
            double apErr = Math.abs(e.metric("average_precision").value() - b.metric("average_precision").value());
            assertTrue(apErr < 5.0 / bins, bins + " bins: AP error " + apErr);
            // the label metrics don't depend on the ranking mode
            assertEquals(e.metric("f1").value(), b.metric("f1").value(), 0);
            assertEquals(e.metric("log_loss").value(), b.metric("log_loss").value(), 0);
            assertTrue(b.warnings().stream().anyMatch(w -> w.contains("Binned curves")));
        }
    }
}
