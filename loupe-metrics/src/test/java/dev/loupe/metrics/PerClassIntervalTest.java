package dev.loupe.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-class one-vs-rest AUC / AP intervals: from the same replicates as the macro averages. */
class PerClassIntervalTest {
    @Test
    void multiClassEveryClassHasAnIntervalAroundItsValue() {
        Golden g = Golden.load("multiclass5_weights");
        EvaluationState s = new EvaluationState(EvaluationConfig.defaults(g.classes().size(), -1).withBootstrap(200, 7));
        s.update(g.batch());
        EvaluationResult r = s.result(g.classes());
        int withCi = 0;
        for (EvaluationResult.PerClassResult pc : r.perClass()) {
            if (Double.isNaN(pc.rocAuc())) {
                assertTrue(Double.isNaN(pc.rocAucCiLow()), pc.label());
                continue;
            }
            withCi++;
            assertTrue(pc.rocAucCiLow() <= pc.rocAucCiHigh(), pc.label());
            assertTrue(pc.rocAucCiLow() >= 0 && pc.rocAucCiHigh() <= 1, pc.label());
            assertTrue(pc.averagePrecisionCiLow() <= pc.averagePrecisionCiHigh(), pc.label());
            assertTrue(pc.rocAucCiLow() - 0.2 < pc.rocAuc() && pc.rocAuc() < pc.rocAucCiHigh() + 0.2, pc.label());
        }
        assertTrue(withCi >= 2);
    }

    @Test
    void binaryOnlyThePositiveClassAndNoneWithoutBootstrap() {
        Golden g = Golden.load("binary_weights");
        EvaluationState s = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(100, 3));
        s.update(g.batch());
        EvaluationResult r = s.result(g.classes());
        EvaluationResult.PerClassResult pos = r.perClass().get(1);
        assertEquals(r.metric("roc_auc").ciLow(), pos.rocAucCiLow(), 0);
        assertEquals(r.metric("average_precision").ciHigh(), pos.averagePrecisionCiHigh(), 0);
        assertTrue(Double.isNaN(r.perClass().get(0).rocAucCiLow()));

        EvaluationState none = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(0, 3));
        none.update(g.batch());
        assertTrue(Double.isNaN(none.result(g.classes()).perClass().get(1).rocAucCiLow()));
    }
}
