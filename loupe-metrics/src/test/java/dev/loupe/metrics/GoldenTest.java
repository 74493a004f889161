package dev.loupe.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.MetricValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import dev.loupe.api.InvalidInputException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every metric equals scikit-learn 1.9's to 1e-9 on the golden cases (tools/golden/make_golden.py). */
class GoldenTest {
    static final double TOL = 1e-9;
    static final java.util.List<String> CASES = Golden.CASES;

    static EvaluationResult evaluate(Golden g, int bins) {
        return evaluate(g, bins, MetricOptions.defaults());
    }

    /** With the run's class names setting the top-k tie order, as every caller that knows them does. */
    static EvaluationResult evaluate(Golden g, int bins, MetricOptions options) {
        EvaluationConfig cfg = EvaluationConfig.defaults(g.classes().size(), g.positive()).withBootstrap(0, 0).withRankingBins(bins)
                .withOptions(options.withClassNames(g.classes()));
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

    @ParameterizedTest
    @FieldSource("CASES")
    void topKForEveryK(String name) {
        Golden g = Golden.load(name);
        int k = g.classes().size();
        List<Integer> ks = new ArrayList<>();
        g.json().get("top_k_accuracy").fieldNames().forEachRemaining(f -> ks.add(Integer.parseInt(f)));
        assertEquals(k, ks.size(), name + ": golden top-k for k = 1..K");
        EvaluationResult r = evaluate(g, 0, MetricOptions.defaults().withTopK(ks));
        for (int kk : ks) {
            close(name + " top_" + kk + "_accuracy", Golden.num(g.json().get("top_k_accuracy").get(String.valueOf(kk))),
                    r.metric("top_" + kk + "_accuracy").value());
        }
        assertEquals(ks.stream().anyMatch(kk -> kk >= k), r.warnings().stream().anyMatch(w -> w.contains("1 by definition")),
                name + ": k >= classes warns");
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void partialRocAuc(String name) {
        Golden g = Golden.load(name);
        JsonNode partial = g.json().get("partial_roc_auc");
        if (partial.isNull()) {
            assertThrows(InvalidInputException.class, () -> evaluate(g, 0, MetricOptions.defaults().withMaxFpr(0.5)),
                    name + ": --max-fpr is binary only, as in scikit-learn");
            return;
        }
        Iterator<String> it = partial.fieldNames();
        while (it.hasNext()) {
            String m = it.next();
            EvaluationResult r = evaluate(g, 0, MetricOptions.defaults().withMaxFpr(Double.parseDouble(m)));
            close(name + " partial_roc_auc max_fpr=" + m, Golden.num(partial.get(m)), r.metric("partial_roc_auc").value());
        }
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void detCurves(String name) {
        Golden g = Golden.load(name);
        EvaluationResult r = evaluate(g, 0);
        for (int c = 0; c < g.classes().size(); c++) {
            String cls = g.classes().get(c);
            JsonNode det = g.json().get("det").get(cls);
            Curves.Det mine = r.det().get(c);
            if (det.isNull()) {
                assertNull(mine, name + " det " + cls + ": undefined with one class, as scikit-learn refuses it");
                continue;
            }
            close(name + " det " + cls + " fpr", Golden.nums(det.get("fpr")), mine.fpr());
            close(name + " det " + cls + " fnr", Golden.nums(det.get("fnr")), mine.fnr());
            close(name + " det " + cls + " thresholds", Golden.nums(det.get("thresholds")), mine.thresholds());
        }
    }

    @ParameterizedTest
    @FieldSource("CASES")
    void zeroDivision(String name) {
        Golden g = Golden.load(name);
        for (String zd : new String[] {"1", "nan"}) {
            JsonNode expected = g.json().get("zero_division").get(zd);
            EvaluationResult r = evaluate(g, 0, MetricOptions.defaults().withZeroDivision("nan".equals(zd) ? Double.NaN : Double.parseDouble(zd)));
            Iterator<Map.Entry<String, JsonNode>> it = expected.get("metrics").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                close(name + " zero_division=" + zd + " " + e.getKey(), Golden.num(e.getValue()), r.metric(e.getKey()).value());
            }
            for (int c = 0; c < g.classes().size(); c++) {
                JsonNode pc = expected.get("per_class").get(g.classes().get(c));
                EvaluationResult.PerClassResult mine = r.perClass().get(c);
                String w = name + " zero_division=" + zd + " class " + g.classes().get(c);
                close(w + " precision", Golden.num(pc.get("precision")), mine.precision());
                close(w + " recall", Golden.num(pc.get("recall")), mine.recall());
                close(w + " f1", Golden.num(pc.get("f1")), mine.f1());
            }
        }
    }

    /** Loupe's choices where scikit-learn divides by zero, recorded by the golden script with the value it gave. */
    @ParameterizedTest
    @FieldSource("CASES")
    void undefinedWhereScikitLearnDividesByZero(String name) {
        Golden g = Golden.load(name);
        EvaluationResult r = evaluate(g, 0);
        g.json().get("undefined_in_loupe").fieldNames().forEachRemaining(key ->
                assertTrue(Double.isNaN(r.metric(key).value()), name + " " + key + " is null in Loupe"));
        if (!g.json().get("undefined_in_loupe").isEmpty()) {
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("D² scores")), name + ": warned");
        }
    }

    @org.junit.jupiter.api.Test
    void oneVsOneAucIsNullWithSampleWeights() {
        Golden g = Golden.load("multiclass5_weights");
        assertTrue(g.json().get("sklearn_errors").get("roc_auc_ovo_macro").asText().contains("sample_weight"));
        EvaluationResult r = evaluate(g, 0);
        assertTrue(Double.isNaN(r.metric("roc_auc_ovo_macro").value()));
        assertTrue(Double.isNaN(r.metric("roc_auc_ovo_weighted").value()));
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("roc_auc_ovo") && w.contains("sample weights")), r.warnings().toString());
    }

    @org.junit.jupiter.api.Test
    void jaccardZeroOverZeroIsNullWithZeroDivisionNan() {
        // scikit-learn's jaccard_score refuses zero_division=nan; Loupe leaves its 0/0 undefined, like precision's
        Golden g = Golden.load("absent_class"); // 'c' is predicted but never true: its Jaccard is 0/(fp) = 0, defined
        EvaluationResult r = evaluate(g, 0, MetricOptions.defaults().withZeroDivision(Double.NaN));
        assertEquals(Golden.num(g.json().get("metrics").get("jaccard_macro")), r.metric("jaccard_macro").value(), TOL);
        Golden one = Golden.load("one_class"); // 'spam' never true, sometimes predicted: jaccard 0, defined as well
        EvaluationResult o = evaluate(one, 0, MetricOptions.defaults().withZeroDivision(Double.NaN));
        assertEquals(0.0, o.metric("jaccard").value());
        double[] cm = {5, 0, 0, 0}; // class 1 neither true nor predicted: 0/0
        Map<dev.loupe.api.MetricId, Double> out = new java.util.HashMap<>();
        ClassificationMetrics.scalars(cm, 2, 1, MetricOptions.defaults().withZeroDivision(Double.NaN), out);
        assertTrue(Double.isNaN(out.get(dev.loupe.api.MetricId.of("jaccard", dev.loupe.api.MetricId.Target.POSITIVE))));
        assertTrue(Double.isNaN(out.get(dev.loupe.api.MetricId.of("jaccard", dev.loupe.api.MetricId.Target.MACRO))));
    }
}
