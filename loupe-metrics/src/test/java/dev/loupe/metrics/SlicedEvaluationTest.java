package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

        EvaluationState third = new EvaluationState(cfg);
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
}
