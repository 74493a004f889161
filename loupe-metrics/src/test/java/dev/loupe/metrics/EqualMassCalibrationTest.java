package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EqualMassCalibrationTest {
    /** 100 rows with distinct confidences 0.505..0.9999: 10 equal-mass bins hold 10 rows each, in order. */
    @Test
    void equalMassBinsHoldEqualWeightAndKeepTiesTogether() {
        int n = 100;
        double[] probs = new double[n * 2];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double c = 0.505 + 0.0049 * i;
            probs[i * 2 + 1] = c;
            probs[i * 2] = 1 - c;
            labels[i] = i % 3 == 0 ? 0 : 1;
        }
        EvaluationState s = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(0, 0));
        s.update(PredictionBatch.of(2, probs, labels, null, null));
        Calibration.Reliability r = s.result(List.of("a", "b")).calibrationMass();
        assertEquals(15, r.weight().length);
        double total = 0;
        for (int b = 0; b < 15; b++) {
            total += r.weight()[b];
            if (b > 0 && r.weight()[b] > 0 && r.weight()[b - 1] > 0) {
                assertEquals(true, r.lower()[b] > r.upper()[b - 1], "bins are ordered and disjoint");
            }
            assertEquals(true, r.weight()[b] >= 6 && r.weight()[b] <= 8, "about 100/15 rows per bin: " + r.weight()[b]);
        }
        assertEquals(100, total, 0);

        // ties: every row has the same confidence, so all rows share one bin
        for (int i = 0; i < n; i++) {
            probs[i * 2 + 1] = 0.8;
            probs[i * 2] = 0.2;
        }
        EvaluationState tied = new EvaluationState(EvaluationConfig.defaults(2, 1).withBootstrap(0, 0));
        tied.update(PredictionBatch.of(2, probs, labels, null, null));
        Calibration.Reliability t = tied.result(List.of("a", "b")).calibrationMass();
        assertEquals(100, t.weight()[0], 0);
        assertEquals(0.8, t.confidence()[0], 1e-12);
        assertEquals(2.0 / 3, t.accuracy()[0], 0.01);
        assertEquals(Math.abs(t.accuracy()[0] - 0.8), t.ece(), 1e-12);
    }
}
