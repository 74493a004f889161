package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlicedEvaluationTest {
    @Test
    void eachSliceEqualsTheEvaluationOfItsRowsAlone() {
        Golden g = Golden.load("binary_weights");
        PredictionBatch all = g.batch();
        EvaluationConfig cfg = EvaluationConfig.defaults(2, 1).withBootstrap(30, 3);
        SlicedEvaluation sliced = new SlicedEvaluation(cfg, "parity");
        int[] sliceOf = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            sliceOf[i] = sliced.sliceId(i % 3 == 0 ? "third" : "rest");
        }
        // fed in two halves, merged: same as one pass
        SlicedEvaluation other = new SlicedEvaluation(cfg, "parity");
        int half = all.size() / 2;
        int[] second = new int[all.size() - half];
        for (int i = half; i < all.size(); i++) {
            second[i - half] = other.sliceId(i % 3 == 0 ? "third" : "rest");
        }
        sliced.update(all.slice(0, half), java.util.Arrays.copyOf(sliceOf, half));
        other.update(all.slice(half, all.size()), second);
        Map<String, EvaluationResult> r = sliced.merge(other).results(g.classes());
        assertEquals(List.of("third", "rest"), List.copyOf(r.keySet()));

        EvaluationState third = new EvaluationState(SlicedEvaluation.sliceConfig(cfg));
        PredictionBatch b = new PredictionBatch(2, 10, true);
        for (int i = 0; i < all.size(); i += 3) {
            b.add(all.key(i), all.label(i), all.pred(i), all.weight(i), all.probs(), i * 2);
        }
        third.update(b);
        EvaluationResult expected = third.result(g.classes());
        for (String key : List.of("accuracy", "f1", "roc_auc", "log_loss")) {
            assertEquals(expected.metric(key).value(), r.get("third").metric(key).value(), 1e-12, key);
            assertEquals(expected.metric(key).ciLow(), r.get("third").metric(key).ciLow(), 1e-12, key + " ci");
        }
    }

    @Test
    void aOneClassSliceLeavesItsZeroOverZeroScoresUndefined() {
        EvaluationConfig cfg = EvaluationConfig.defaults(2, 1).withBootstrap(50, 3);
        SlicedEvaluation sliced = new SlicedEvaluation(cfg, "source");
        // slice "ham": 4 rows of class 0, one predicted 1; slice "mixed": both classes
        PredictionBatch b = new PredictionBatch(2, 8, false);
        double[][] p = {{0.9, 0.1}, {0.8, 0.2}, {0.3, 0.7}, {0.6, 0.4}, {0.2, 0.8}, {0.7, 0.3}};
        int[] y = {0, 0, 0, 0, 1, 0};
        for (int i = 0; i < p.length; i++) {
            b.add(i, y[i], PredictionBatch.argMax(p[i], 0, 2), 1.0, p[i], 0);
        }
        int[] sliceOf = {sliced.sliceId("ham"), 0, 0, 0, sliced.sliceId("mixed"), 1};
        sliced.update(b, sliceOf);
        EvaluationResult ham = sliced.results(List.of("a", "b")).get("ham");
        assertTrue(Double.isNaN(ham.metric("recall").value()), "recall of the absent positive class is 0/0");
        assertTrue(Double.isNaN(ham.metric("mcc").value()), "MCC is 0/0 with one class in the labels");
        assertTrue(Double.isNaN(ham.metric("mcc").ciLow()));
        assertEquals(0.0, ham.metric("precision").value(), 0); // 0 / 1 false positive: defined
        assertEquals(0.75, ham.metric("recall_macro").value(), 1e-12); // class a's recall alone
        assertTrue(ham.warnings().stream().anyMatch(w -> w.contains("MCC") && w.contains("Only one class ('a')")), ham.warnings().toString());
        // the run keeps scikit-learn's default; a run that chose zero_division 1 keeps it in its slices
        assertEquals(0.0, cfg.options().zeroDivision(), 0);
        EvaluationConfig ones = new EvaluationConfig(2, 1, 50, 3, 0.95, 15, 20, 0, MetricOptions.defaults().withZeroDivision(1));
        assertSame(ones, SlicedEvaluation.sliceConfig(ones));
        // scikit-learn's matthews_corrcoef gives 0 for the same counts; the run-level state does too
        EvaluationState run = new EvaluationState(cfg);
        PredictionBatch only = b.slice(0, 4);
        run.update(only);
        assertEquals(0.0, run.result(List.of("a", "b")).metric("mcc").value(), 0);
    }
}
