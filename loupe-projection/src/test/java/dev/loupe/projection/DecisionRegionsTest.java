package dev.loupe.projection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionRegionsTest {
    @Test
    void linearPlaneIsTheAffineRestrictionOfTheLogits() {
        // two classes in 3-D: logit_0 = x0 + 1, logit_1 = x1 - x2; plane through (1, 2, 3) along e1 = x0, e2 = x2
        double[] w = {1, 0, 0, 1, 0, 1, -1, 0};
        DecisionRegions.LinearPlane p = DecisionRegions.linearInPlane(w, 2, 3, new double[] {1, 2, 3},
                new double[] {1, 0, 0}, new double[] {0, 0, 1});
        assertEquals(2.0, p.c()[0], 1e-15);
        assertEquals(-1.0, p.c()[1], 1e-15);
        assertEquals(1.0, p.a()[0], 1e-15);
        assertEquals(-1.0, p.b()[1], 1e-15);
        assertEquals(0, p.argmax(0, 0));
        assertEquals(1, p.argmax(-5, -3)); // logit_0 = -3, logit_1 = 2
    }

    @Test
    void knnMapFollowsThePredictionsAndLeavesEmptySpaceEmpty() {
        int n = 400;
        double[] xy = new double[2 * n];
        int[] pred = new int[n];
        double[] conf = new double[n];
        Rng r = new Rng(1, 2, 3);
        for (int i = 0; i < n; i++) {
            pred[i] = i % 2;
            xy[2 * i] = (pred[i] == 0 ? -10 : 10) + r.nextGaussian();
            xy[2 * i + 1] = r.nextGaussian() * 3;
            conf[i] = 0.9;
        }
        DecisionRegions.KnnMap m = DecisionRegions.knnMap(xy, pred, conf, 2, 40, 20, 10);
        int left = 0;
        int right = 0;
        int empty = 0;
        for (int cy = 0; cy < m.gy(); cy++) {
            for (int cx = 0; cx < m.gx(); cx++) {
                int c = m.cls()[cy * m.gx() + cx];
                double x = m.x0() + (cx + 0.5) * (m.x1() - m.x0()) / m.gx();
                if (c >= 0) {
                    assertEquals(x < 0 ? 0 : 1, c, "cell at x = " + x);
                    assertEquals(0.9, m.strength()[cy * m.gx() + cx], 1e-6);
                    left += c == 0 ? 1 : 0;
                    right += c == 1 ? 1 : 0;
                } else {
                    empty++;
                }
            }
        }
        assertTrue(left > 50 && right > 50 && empty > 100, left + " / " + right + " / " + empty);
    }
}
