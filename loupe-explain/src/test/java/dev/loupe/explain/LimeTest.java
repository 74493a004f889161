package dev.loupe.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class LimeTest {
    @Test
    void weightedRidgeEqualsScikitLearn() throws Exception {
        JsonNode root;
        try (InputStream in = LimeTest.class.getResourceAsStream("/golden/ridge.json")) {
            root = new ObjectMapper().readTree(in);
        }
        for (JsonNode c : root.path("cases")) {
            int n = c.path("y").size();
            int m = c.path("x").get(0).size();
            boolean[][] x = new boolean[n][m];
            double[] y = new double[n];
            double[] w = new double[n];
            for (int r = 0; r < n; r++) {
                for (int i = 0; i < m; i++) {
                    x[r][i] = c.path("x").get(r).get(i).asInt() == 1;
                }
                y[r] = c.path("y").get(r).asDouble();
                w[r] = c.path("w").get(r).asDouble();
            }
            Lime.Fit fit = Lime.ridge(x, y, w, root.path("alpha").asDouble());
            for (int i = 0; i < m; i++) {
                assertEquals(c.path("coef").get(i).asDouble(), fit.coef()[i], 1e-9, "coef " + i + " of case n=" + n);
            }
            assertEquals(c.path("intercept").asDouble(), fit.intercept(), 1e-9);
        }
    }

    @Test
    void limeFindsTheWeightsOfAnAdditiveModelAndIsSeeded() {
        int m = 12;
        double[] wt = new double[m];
        wt[3] = 0.4;
        wt[7] = -0.25;
        wt[10] = 0.1;
        ToDoubleFunction<boolean[]> f = z -> {
            double s = 0.3;
            for (int i = 0; i < m; i++) {
                s += z[i] ? wt[i] : 0;
            }
            return s;
        };
        int[] calls = {0};
        Explanation e = Lime.explain(KernelShapTest.model(m, f, calls), KernelShapTest.units(m), 1, "pos", 2000, 4);
        for (int i = 0; i < m; i++) {
            assertEquals(wt[i], e.scores()[i], 0.01, "word " + i); // ridge (alpha 1) shrinks a little
        }
        assertEquals(2001, calls[0], "the samples plus the all-masked reference");
        assertEquals(f.applyAsDouble(all(m)), e.value(), 1e-12);
        Explanation again = Lime.explain(KernelShapTest.model(m, f, calls), KernelShapTest.units(m), 1, "pos", 2000, 4);
        assertEquals(e.scores()[5], again.scores()[5], 0);
        assertTrue(e.note().contains("R²"), e.note());
    }

    static boolean[] all(int m) {
        boolean[] a = new boolean[m];
        java.util.Arrays.fill(a, true);
        return a;
    }
}
