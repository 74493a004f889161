package dev.loupe.models.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.loupe.api.InvalidInputException;
import org.junit.jupiter.api.Test;

class ProbeWeightsTest {
    @Test
    void aProbeRebuiltFromItsWeightsPredictsTheSame() {
        float[][] x = {{0, 1}, {1, 0}, {1, 1}, {0, 0}, {0.5f, 0.2f}, {0.1f, 0.9f}};
        int[] y = {1, 0, 1, 0, 0, 1};
        LogisticProbe p = LogisticProbe.train(x, y, x, y, 2, ProbeConfig.defaults()).probe();
        LogisticProbe q = LogisticProbe.of(2, 2, p.weights());
        for (float[] v : x) {
            assertArrayEquals(p.predictProba(v), q.predictProba(v), 0);
        }
        assertThrows(InvalidInputException.class, () -> LogisticProbe.of(2, 2, new double[5]));
        assertThrows(InvalidInputException.class, () -> LogisticProbe.of(2, 1, new double[] {0, Double.NaN, 0, 0}));
    }
}
