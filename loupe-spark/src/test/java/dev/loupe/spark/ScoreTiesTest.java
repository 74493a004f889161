package dev.loupe.spark;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.MetricOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ScoreTies} without Spark: rows split over three tables, two of them serialised and merged back, give the local
 * engine's exact ranking results (curves point for point, AUC, AP, equal-mass calibration, threshold sweep), and what
 * travels grows with the distinct scores, not with the rows.
 */
class ScoreTiesTest {
    static final EvaluationConfig CONFIG = new EvaluationConfig(2, 1, 0, 0, 0.95, 15, 20, 0,
            MetricOptions.defaults().withClassNames(List.of("neg", "pos")));

    /**
     * With weights that sum exactly in binary (halves), curves equal point for point; with 0.1 (not exact), sums differ
     * in the last bit by summation order, which moves scikit-learn's drop of collinear ROC points too (its second
     * differences are compared with 0), so there the metrics are compared, to 1e-12.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.5, 0.1})
    void collapsedTiesGiveTheLocalEnginesRankingMetrics(double small) throws Exception {
        boolean exactSums = small == 0.5;
        int n = 300_000;
        EvaluationState local = new EvaluationState(CONFIG);
        EvaluationState apart = new EvaluationState(CONFIG).feedRankingApart();
        ScoreTies[] parts = {new ScoreTies(), new ScoreTies(), new ScoreTies()};
        PredictionBatch batch = new PredictionBatch(2, 1000, true);
        double[] p = new double[2];
        for (int i = 0; i < n; i++) {
            // 1,001 distinct scores (0.0 written as −0.0 on some rows), weights 0 (dropped), `small`, 1, 3
            double s = Math.floorMod(i * 7919L, 1001) / 1000.0;
            if (s == 0 && i % 2 == 0) {
                s = -0.0;
            }
            int label = Synthetic.u(i, 3) < 0.2 + 0.6 * s ? 1 : 0;
            int pred = i % 5 == 0 ? 1 - label : (s >= 0.5 ? 1 : 0);
            double w = new double[] {0, small, 1, 3}[i % 4];
            p[0] = 1 - s;
            p[1] = s;
            batch.add(i, label, pred, w, p, 0);
            if (w != 0) {
                parts[i % 3].add(s, label, pred, w);
            }
            if (batch.size() == 1000) {
                local.update(batch);
                apart.update(batch);
                batch.clear();
            }
        }
        ScoreTies merged = parts[0].merge(roundTrip(parts[1])).merge(roundTrip(parts[2]));
        assertEquals(1001, merged.size(), "−0.0 and 0.0 are one score");
        merged.feed(apart);
        EvaluationResult want = local.result(List.of("neg", "pos"));
        EvaluationResult got = apart.result(List.of("neg", "pos"));
        for (String m : List.of("roc_auc", "average_precision", "accuracy", "ece", "log_loss")) {
            assertEquals(want.metric(m).value(), got.metric(m).value(), 1e-12 * Math.abs(want.metric(m).value()), m);
        }
        assertTrue(want.metric("roc_auc").value() > 0.6, "a real ranking: " + want.metric("roc_auc").value());
        for (int c = 0; c < 2; c++) {
            assertEquals(want.perClass().get(c).rocAuc(), got.perClass().get(c).rocAuc(), 1e-12, "AUC of class " + c);
            assertEquals(want.perClass().get(c).averagePrecision(), got.perClass().get(c).averagePrecision(), 1e-12, "AP " + c);
            if (exactSums) {
                assertArrayEquals(want.roc().get(c).fpr(), got.roc().get(c).fpr(), 0, "ROC fpr of class " + c);
                assertArrayEquals(want.roc().get(c).thresholds(), got.roc().get(c).thresholds(), 0, "ROC thresholds " + c);
                assertArrayEquals(want.pr().get(c).precision(), got.pr().get(c).precision(), 0, "PR precision " + c);
                assertArrayEquals(want.det().get(c).fnr(), got.det().get(c).fnr(), 0, "DET fnr " + c);
            }
        }
        assertEquals(want.calibrationMass().ece(), got.calibrationMass().ece(), 1e-12, "equal-mass ECE");
        assertArrayEquals(want.calibrationMass().weight(), got.calibrationMass().weight(), 1e-9, "equal-mass bins");
        assertArrayEquals(want.sweep().f1(), got.sweep().f1(), 1e-12, "threshold sweep F1");
        // what travels: 1,001 entries of 40 bytes (and a header), whatever the number of rows
        assertTrue(bytes(merged).length < 1001 * 40 + 1000, "serialised size " + bytes(merged).length);
    }

    private static ScoreTies roundTrip(ScoreTies t) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes(t)))) {
            return (ScoreTies) in.readObject();
        }
    }

    private static byte[] bytes(ScoreTies t) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(b)) {
            out.writeObject(t);
        }
        return b.toByteArray();
    }
}
