package dev.loupe.models.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogisticProbeTest {
    static float[][] matrix(JsonNode a) {
        float[][] m = new float[a.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new float[a.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = (float) a.get(i).get(j).asDouble();
            }
        }
        return m;
    }

    /** Same objective as scikit-learn's LogisticRegression (tools/golden/make_probe_golden.py): same probabilities. */
    @ParameterizedTest
    @ValueSource(strings = {"plain", "balanced"})
    void matchesScikitLearnLogisticRegression(String variant) throws Exception {
        JsonNode g;
        try (InputStream in = getClass().getResourceAsStream("/probe/logistic_golden.json")) {
            g = new ObjectMapper().readTree(in);
        }
        float[][] x = matrix(g.get("x"));
        int[] y = new int[x.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = g.get("y").get(i).asInt();
        }
        ProbeConfig cfg = new ProbeConfig(g.get("l2").asDouble(), variant.equals("balanced"), 2000, 0, 1e-10);
        LogisticProbe.Trained t = LogisticProbe.train(x, y, new float[0][], new int[0], g.get("k").asInt(), cfg);
        float[][] xt = matrix(g.get("x_test"));
        JsonNode expected = g.get("cases").get(variant).get("proba");
        double worst = 0;
        for (int i = 0; i < xt.length; i++) {
            double[] p = t.probe().predictProba(xt[i]);
            for (int c = 0; c < p.length; c++) {
                worst = Math.max(worst, Math.abs(p[c] - expected.get(i).get(c).asDouble()));
            }
        }
        assertTrue(worst < 1e-5, "max |p_loupe - p_sklearn| = " + worst + " (" + t.curves().stopReason() + ")");
    }

    @Test
    void recordsCurvesAndStopsEarlyOnValidationLoss() {
        Random rnd = new Random(1);
        int n = 400;
        int d = 50;
        float[][] x = new float[n][d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(2);
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (rnd.nextGaussian() + (j == 0 ? (y[i] == 1 ? 1.5 : -1.5) : 0));
            }
        }
        float[][] xt = java.util.Arrays.copyOfRange(x, 0, 300);
        int[] yt = java.util.Arrays.copyOfRange(y, 0, 300);
        float[][] xv = java.util.Arrays.copyOfRange(x, 300, n);
        int[] yv = java.util.Arrays.copyOfRange(y, 300, n);
        LogisticProbe.Trained t = LogisticProbe.train(xt, yt, xv, yv, 2, new ProbeConfig(0, false, 300, 5, 1e-12));
        TrainingCurves c = t.curves();
        assertTrue(c.epochs() >= 3 && c.epochs() < 300, "stopped after " + c.epochs() + ": " + c.stopReason());
        assertEquals(c.epochs(), c.valLoss().length);
        assertTrue(c.trainLoss()[c.epochs() - 1] < c.trainLoss()[0], "training loss decreases");
        double bestVal = java.util.Arrays.stream(c.valLoss()).min().orElseThrow();
        assertEquals(bestVal, c.valLoss()[c.bestEpoch()], 0);
        assertEquals(c.valLoss()[c.bestEpoch()], t.probe().meanLoss(xv, yv), 1e-12, "kept the best epoch's weights");
        assertTrue(c.valAccuracy()[c.bestEpoch()] > 0.85, "learned the signal: " + c.valAccuracy()[c.bestEpoch()]);

        // named parts of the training set (clean rows and augmented copies): their losses, weighted by size, are the
        // training loss epoch by epoch, and following them changes nothing about the fit
        int[] first = java.util.stream.IntStream.range(0, 100).toArray();
        int[] rest = java.util.stream.IntStream.range(100, 300).toArray();
        LogisticProbe.Trained p = LogisticProbe.train(xt, yt, xv, yv, 2, new ProbeConfig(0, false, 300, 5, 1e-12),
                java.util.Map.of("first", first, "rest", rest));
        assertEquals(c.epochs(), p.curves().epochs());
        assertEquals(java.util.Set.of("first", "rest"), p.curves().parts().keySet());
        for (int e = 0; e < c.epochs(); e++) {
            double mixed = (100 * p.curves().parts().get("first")[e] + 200 * p.curves().parts().get("rest")[e]) / 300;
            assertEquals(c.trainLoss()[e], mixed, 1e-12, "epoch " + e);
            assertEquals(c.trainLoss()[e], p.curves().trainLoss()[e], 0);
        }
        assertTrue(c.parts().isEmpty(), "no parts asked, none followed");
    }
}
