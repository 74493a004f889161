package dev.loupe.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.MetricValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.Iterator;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every metric equals scikit-learn 1.9's to 1e-9 on the golden cases (tools/golden/make_golden.py). */
class GoldenTest {
    static final double TOL = 1e-9;
    static final java.util.List<String> CASES = Golden.CASES;

    static EvaluationResult evaluate(Golden g, int bins) {
        EvaluationConfig cfg = EvaluationConfig.defaults(g.classes().size(), g.positive()).withBootstrap(0, 0).withRankingBins(bins);
        EvaluationState s = new EvaluationState(cfg);
        s.update(g.batch());
        return s.result(g.classes());
    }

    static void close(String what, double expected, double actual) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected undefined (null), got " + actual);
        } else if (Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
        } else {
            assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), what);
        }
    }

    static void close(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            close(what + "[" + i + "]", expected[i], actual[i]);
        }
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void scalarMetrics(String name) {
        Golden g = Golden.load(name);
        EvaluationResult r = evaluate(g, 0);
        Iterator<Map.Entry<String, JsonNode>> it = g.json().get("metrics").fields();
        int checked = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey().replace("_score", "");
            MetricValue v = r.metric(key);
            assertNotNull(v, name + ": Loupe has no metric " + key);
            close(name + " " + key, Golden.num(e.getValue()), v.value());
            checked++;
        }
        assertTrue(checked >= 19, "checked only " + checked);
        assertEquals(g.json().get("metrics").size(), r.metrics().size(), name + ": same metric set as the golden file");
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void perClassAndConfusion(String name) {
        Golden g = Golden.load(name);
        EvaluationResult r = evaluate(g, 0);
        int k = g.classes().size();
        for (int c = 0; c < k; c++) {
            JsonNode pc = g.json().get("per_class").get(g.classes().get(c));
            EvaluationResult.PerClassResult mine = r.perClass().get(c);
            String w = name + " class " + g.classes().get(c);
            close(w + " precision", Golden.num(pc.get("precision")), mine.precision());
            close(w + " recall", Golden.num(pc.get("recall")), mine.recall());
            close(w + " f1", Golden.num(pc.get("f1")), mine.f1());
            close(w + " support", Golden.num(pc.get("support")), mine.support());
            close(w + " roc_auc", Golden.num(pc.get("roc_auc")), mine.rocAuc());
            close(w + " average_precision", Golden.num(pc.get("average_precision")), mine.averagePrecision());
            close(w + " confusion row", Golden.nums(g.json().get("confusion_matrix").get(c)), r.confusion()[c]);
            for (String by : new String[] {"true", "pred", "all"}) {
                close(w + " confusion normalised by " + by,
                        Golden.nums(g.json().get("confusion_matrix_normalized").get(by).get(c)), r.confusionNormalized(by)[c]);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void rocAndPrCurves(String name) {
        Golden g = Golden.load(name);
        EvaluationResult r = evaluate(g, 0);
        for (int c = 0; c < g.classes().size(); c++) {
            String cls = g.classes().get(c);
            JsonNode roc = g.json().get("roc").get(cls);
            close(name + " roc " + cls + " thresholds", Golden.nums(roc.get("thresholds")), r.roc().get(c).thresholds());
            close(name + " roc " + cls + " fpr", Golden.nums(roc.get("fpr")), r.roc().get(c).fpr());
            close(name + " roc " + cls + " tpr", Golden.nums(roc.get("tpr")), r.roc().get(c).tpr());
            JsonNode pr = g.json().get("pr").get(cls);
            close(name + " pr " + cls + " thresholds", Golden.nums(pr.get("thresholds")), r.pr().get(c).thresholds());
            close(name + " pr " + cls + " precision", Golden.nums(pr.get("precision")), r.pr().get(c).precision());
            close(name + " pr " + cls + " recall", Golden.nums(pr.get("recall")), r.pr().get(c).recall());
        }
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void calibrationHistogramsAndSweep(String name) {
        Golden g = Golden.load(name);
        EvaluationResult r = evaluate(g, 0);
        JsonNode cal = g.json().get("calibration");
        close(name + " ece", Golden.num(cal.get("ece")), r.calibration().ece());
        close(name + " mce", Golden.num(cal.get("mce")), r.calibration().mce());
        close(name + " bin weight", Golden.nums(cal.get("bins").get("weight")), r.calibration().weight());
        close(name + " bin confidence", Golden.nums(cal.get("bins").get("confidence")), r.calibration().confidence());
        close(name + " bin accuracy", Golden.nums(cal.get("bins").get("accuracy")), r.calibration().accuracy());

        JsonNode hist = g.json().get("score_histograms");
        assertEquals(hist.get("n_bins").asInt(), r.histogramBins());
        for (int c = 0; c < g.classes().size(); c++) {
            for (int t = 0; t < g.classes().size(); t++) {
                close(name + " histogram P(" + g.classes().get(c) + ") | " + g.classes().get(t),
                        Golden.nums(hist.get("counts").get(g.classes().get(c)).get(g.classes().get(t))), r.histograms()[c][t]);
            }
        }

        JsonNode sweep = g.json().get("threshold_sweep");
        if (sweep == null || sweep.isNull()) {
            assertNull(r.sweep(), name + ": no sweep for multi-class");
            return;
        }
        ThresholdSweep s = r.sweep();
        close(name + " sweep thresholds", Golden.nums(sweep.get("thresholds")), s.thresholds());
        close(name + " sweep tp", Golden.nums(sweep.get("tp")), s.tp());
        close(name + " sweep fp", Golden.nums(sweep.get("fp")), s.fp());
        close(name + " sweep precision", Golden.nums(sweep.get("precision")), s.precision());
        close(name + " sweep recall", Golden.nums(sweep.get("recall")), s.recall());
        close(name + " sweep f1", Golden.nums(sweep.get("f1")), s.f1());
        close(name + " sweep fpr", Golden.nums(sweep.get("fpr")), s.fpr());
        close(name + " best f1 threshold", Golden.num(sweep.get("best_f1_threshold")), s.bestF1Threshold());
        close(name + " youden threshold", Golden.num(sweep.get("youden_threshold")), s.youdenThreshold());
    }
}
