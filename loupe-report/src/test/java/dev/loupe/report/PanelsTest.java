package dev.loupe.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values of every panel's view model, read back as the front end reads them (JSON). */
class PanelsTest {
    @TempDir
    static Path dir;
    static Fixtures.Store fx;
    static RunData run;
    static RunData bare;
    static final PanelRegistry REGISTRY = PanelRegistry.standard();

    @BeforeAll
    static void setUp() {
        fx = Fixtures.create(dir);
        run = RunData.load(fx.store(), fx.fullRun());
        bare = RunData.load(fx.store(), fx.bareRun());
    }

    @AfterAll
    static void tearDown() {
        fx.store().close();
    }

    static JsonNode vm(String panel) {
        return vm(panel, Map.of());
    }

    static JsonNode vm(String panel, Map<String, String> q) {
        return Json.parse(Json.write(REGISTRY.panel(panel).viewModel(run, q)));
    }

    @Test
    void registryOrderAndUnknownPanel() {
        assertEquals(List.of("overview", "confusion", "roc", "pr", "det", "calibration", "scores", "threshold", "curves", "slices", "fairness",
                "generalization", "robustness", "efficiency", "samples",
                "explain", "projector"),
                REGISTRY.panels().stream().map(Panel::id).toList());
        var e = assertThrows(dev.loupe.api.NotFoundException.class, () -> REGISTRY.panel("nope"));
        assertEquals(404, e.httpStatus());
    }

    @Test
    void fairnessShowsEachGroupWithItsSliceMetricsAndTheGaps() {
        JsonNode f = vm("fairness");
        assertEquals("source", f.get("column").asText());
        assertEquals(List.of("hard-ham", "spam-1", Fixtures.HOSTILE), names(f.get("groups"), "name"));
        JsonNode hard = f.get("groups").get(0);
        assertEquals(31, hard.get("rows").asInt());
        assertEquals(0.2, hard.get("selectionRate").asDouble(), 0);
        // accuracy with its interval from the stored slice metric accuracy[source=hard-ham]
        assertEquals(0.6, hard.get("accuracy").get("value").asDouble(), 0);
        assertEquals(0.4, hard.get("accuracy").get("ciLow").asDouble(), 0);
        assertTrue(f.get("groups").get(2).get("accuracy").get("value").isNull(), "no stored slice metric: null");
        JsonNode dpd = f.get("gaps").get(0);
        assertEquals("demographic_parity_difference", dpd.get("name").asText());
        assertEquals(0.6, dpd.get("ciLow").asDouble(), 0);
        assertFalse(dpd.get("higherIsBetter").asBoolean());
        assertTrue(f.get("gaps").get(1).get("ciLow").isNull());
        assertEquals(1, f.get("warnings").size());
        assertFalse(REGISTRY.panel("fairness").isActive(bare));
    }

    @Test
    void generalizationGivesEachMetricInOutAndItsGapWithBothReliabilityDiagrams() {
        JsonNode g = vm("generalization");
        assertEquals("later " + Fixtures.HOSTILE + ".csv", g.get("file").asText());
        assertEquals(40, g.get("rowsOut").asInt());
        assertEquals(List.of("accuracy", "ece"), names(g.get("metrics"), "metric"));
        JsonNode acc = g.get("metrics").get(0);
        assertEquals(0.9, acc.get("in").get("value").asDouble(), 0);
        assertEquals(0.7, acc.get("out").get("value").asDouble(), 0);
        assertEquals(-0.35, acc.get("gap").get("ciLow").asDouble(), 0);
        assertTrue(g.get("metrics").get(1).get("out").get("ciLow").isNull());
        assertEquals(0.05, g.get("in").get("ece").asDouble(), 0);
        assertEquals(0.2, g.get("out").get("ece").asDouble(), 0);
        assertEquals(0.7, g.get("out").get("bins").get(1).get("accuracy").asDouble(), 0);
        assertFalse(REGISTRY.panel("generalization").isActive(bare));
    }

    @Test
    void robustnessPlotsEachKindAgainstSeverityAndDiffsTheFlippedTexts() {
        JsonNode r = vm("robustness");
        assertEquals(List.of("accuracy"), Json.MAPPER.convertValue(r.get("metrics"), List.class));
        assertEquals(1, r.get("kinds").size(), "the name swap has no severity");
        JsonNode typo = r.get("kinds").get(0);
        assertEquals("typo", typo.get("kind").asText());
        assertEquals(0.2, typo.get("points").get(0).get("severity").asDouble(), 0);
        assertEquals(0.6, typo.get("points").get(0).get("metrics").get("accuracy").get("value").asDouble(), 1e-12);
        assertEquals(0.8, r.get("clean").get("accuracy").get("value").asDouble(), 0);
        JsonNode first = r.get("perturbations").get(0);
        assertEquals(-0.3, first.get("deltas").get("accuracy").get("ciLow").asDouble(), 1e-12);
        assertEquals(0.2, first.get("flipRate").get("value").asDouble(), 1e-12);
        JsonNode diff = first.get("examples").get(0).get("diff");
        assertEquals(List.of("del", "ins", "same"), names(diff, "op"));
        assertEquals(List.of("free", "fere", " money " + Fixtures.HOSTILE), names(diff, "text"));
        assertEquals(3, r.get("perturbations").size());
        assertFalse(REGISTRY.panel("robustness").isActive(bare));
    }

    @Test
    void slicesListTheWeakSlicesWithTheirAdjustedIntervals() {
        JsonNode w = vm("slices").get("weak");
        assertEquals(4, w.get("tested").asInt());
        assertEquals(0.9875, w.get("level").asDouble(), 0);
        JsonNode s = w.get("slices").get(0);
        assertEquals("source=" + Fixtures.HOSTILE + " AND len=<50", s.get("name").asText());
        assertEquals(0.2, s.get("ciLow").asDouble(), 0);
        assertFalse(s.get("worse").asBoolean());
    }

    static List<String> names(JsonNode array, String field) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void explanationsAreListedAndASampleOpensWithItsOwn() {
        JsonNode vm = vm("explain");
        assertEquals(1, vm.get("total").asInt());
        assertEquals("3", vm.get("examples").get(0).get("key").asText());
        assertEquals(0.25, vm.get("examples").get(0).get("methods").get("occlusion").get("scores").get(0).asDouble(), 0);
        JsonNode three = vm("samples", Map.of("key", "3"));
        assertEquals(3, three.get("sample").get("row").asInt());
        assertEquals("ham", three.get("explanation").get("target").asText());
        JsonNode byId = vm("samples", Map.of("key", "ex-1"));
        assertEquals(1, byId.get("sample").get("row").asInt());
        assertTrue(byId.get("explanation").isNull(), "row 1 has none");
        assertThrows(dev.loupe.api.NotFoundException.class, () -> vm("samples", Map.of("key", "99")));
        assertFalse(REGISTRY.panel("explain").isActive(bare));
    }

    @Test
    void everyPanelActiveOnFullRun() {
        for (Panel p : REGISTRY.panels()) {
            // the projector needs the run's stored embeddings (artifacts), which this in-memory run has not: its
            // view models are tested on stored runs by loupe-cli's ProjectorPanelTest
            assertTrue(p.isActive(run) || p.id().equals("projector"), p.id());
        }
    }

    @Test
    void bareRunShowsEmptyStatesExceptOverview() {
        JsonNode panels = Json.parse(Json.write(REGISTRY.render(bare, false)));
        for (JsonNode p : panels) {
            boolean overview = p.get("id").asText().equals("overview");
            assertEquals(overview, p.get("active").asBoolean(), p.get("id").asText());
            if (!overview) {
                assertTrue(p.get("vm").isNull());
                assertFalse(p.get("empty").asText().isBlank());
            }
        }
        assertEquals("This run has no training curves.", REGISTRY.panel("curves").emptyMessage());
    }

    @Test
    void overviewCardsCarryIntervalsAndUndefinedIsNull() {
        JsonNode v = vm("overview");
        JsonNode cards = v.get("cards");
        assertEquals("accuracy", cards.get(0).get("name").asText());
        assertEquals(0.9, cards.get(0).get("value").asDouble(), 1e-12);
        assertEquals(0.85, cards.get(0).get("ciLow").asDouble(), 1e-12);
        assertEquals(0.95, cards.get(0).get("ciHigh").asDouble(), 1e-12);
        JsonNode mcc = null;
        for (JsonNode c : cards) {
            if (c.get("name").asText().equals("mcc")) {
                mcc = c;
            }
        }
        assertTrue(mcc.get("value").isNull(), "undefined metric is null, never 0");
        // sliced metrics are not cards nor in the 'all metrics' table
        for (JsonNode m : v.get("metrics")) {
            assertFalse(m.get("name").asText().contains("["));
        }
        assertEquals("a class <script>alert(1)</script> was never predicted", v.get("warnings").get(0).asText());
        assertEquals(62, v.get("dataset").get("rows").asLong());
        assertEquals(30.0, v.get("dataset").get("support").get("spam").asDouble());
        assertEquals("loupe evaluate", v.get("provenance").get("command").asText());
        assertEquals("m1", v.get("params").get("model").asText());
    }

    @Test
    void overviewDatasetSummaryHasTheCleaningCounts() {
        JsonNode c = vm("overview").get("dataset").get("cleaning");
        assertEquals("spam " + Fixtures.HOSTILE, c.get("dataset").asText());
        assertEquals(70, c.get("input").asLong());
        assertEquals(62, c.get("kept").asLong());
        assertEquals(3, c.get("empty").asLong());
        assertEquals(3, c.get("emptyRemoved").asLong());
        assertEquals(5, c.get("duplicates").asLong());
        assertEquals(5, c.get("duplicatesRemoved").asLong());
        assertEquals(1, c.get("conflictingDuplicates").asLong());
        assertEquals(20000, c.get("maxChars").asLong());
        assertEquals(2, c.get("overLong").asLong());
        JsonNode none = Json.parse(Json.write(REGISTRY.panel("overview").viewModel(bare))).get("dataset").get("cleaning");
        assertTrue(none == null || none.isNull(), "no dataset.json: no cleaning counts");
    }

    @Test
    void confusionCountsAndNormalisations() {
        JsonNode v = vm("confusion");
        assertEquals("ham", v.get("labels").get(0).asText());
        assertEquals(2.0, v.get("counts").get(0).get(1).asDouble());
        assertEquals(10.0, v.get("counts").get(1).get(0).asDouble());
        assertEquals(30.0 / 32, v.get("normalized").get("true").get(0).get(0).asDouble(), 1e-12);
        assertEquals(20.0 / 22, v.get("normalized").get("pred").get(1).get(1).asDouble(), 1e-12);
        assertEquals(10.0 / 62, v.get("normalized").get("all").get(1).get(0).asDouble(), 1e-12);
    }

    @Test
    void confusionFromPredictionsWhenNoMetricsJson() {
        RunData noJson = new RunData(run.info(), Map.of(), List.of(), null, null, List.of(), n -> List.of(), run::predictions);
        var p = REGISTRY.panel("confusion");
        assertTrue(p.isActive(noJson));
        JsonNode v = Json.parse(Json.write(p.viewModel(noJson)));
        // rows: ham->spam, spam->spam, ham->ham, spam->ham, ham->ham
        assertEquals("[[2.0,1.0],[1.0,1.0]]", v.get("counts").toString());
        assertFalse(REGISTRY.panel("roc").isActive(noJson));
        assertFalse(v.get("weighted").asBoolean());
        // weighted: the metrics JSON's total weight is not its row count (evaluate records weight_col's default either way)
        RunData unweightedParam = new RunData(run.info(), Map.of("weight_col", "weight"), List.of(), null, null, List.of(),
                n -> List.of(), run::predictions);
        assertFalse(Json.parse(Json.write(p.viewModel(unweightedParam))).get("weighted").asBoolean());
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse("{\"n\": 62, \"total_weight\": 81.5, \"confusion_matrix\": "
                + "{\"labels\": [\"ham\", \"spam\"], \"matrix\": [[30.5, 2], [10, 39]]}}");
        RunData weighted = new RunData(run.info(), Map.of(), List.of(), json, null, List.of(), n -> List.of(), run::predictions);
        assertTrue(Json.parse(Json.write(p.viewModel(weighted))).get("weighted").asBoolean(), "a weighted run says weighted counts");
        assertFalse(vm("confusion").get("weighted").asBoolean(), "the fixture's total weight is its row count");
    }

    @Test
    void rocIsThinnedAndLegendHasAucWithInterval() {
        JsonNode v = vm("roc");
        JsonNode s = v.get("series");
        assertEquals(1, s.size(), "binary: the positive class only");
        assertEquals("spam — AUC 0.9700 [0.9600, 0.9800]", s.get(0).get("name").asText());
        assertEquals(RunData.MAX_POINTS, s.get(0).get("x").size());
        assertEquals(0.0, s.get(0).get("x").get(0).asDouble());
        assertEquals(1.0, s.get(0).get("x").get(RunData.MAX_POINTS - 1).asDouble());
        assertTrue(v.get("diagonal").asBoolean());
        // each point's score threshold, thinned with it (the tooltip shows it)
        assertEquals(RunData.MAX_POINTS, s.get(0).get("t").size());
        assertTrue(s.get(0).get("t").get(RunData.MAX_POINTS / 2).isNumber());
    }

    static RunData multiClass() {
        return multiClassIn(dir.resolve("multi"));
    }

    /** The three-class fixture run, in its own store under {@code where} (so other tests' run counts are unchanged). */
    static RunData multiClassIn(Path where) {
        dev.loupe.store.RunStore store = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.sqlite(where.resolve("loupe.db")));
        try {
            return RunData.load(store, Fixtures.multiClassRun(store));
        } finally {
            store.close();
        }
    }

    @Test
    void multiClassLegendsHavePerClassIntervalsAndAMacroCurve() {
        RunData multi = multiClass();
        JsonNode v = Json.parse(Json.write(REGISTRY.panel("roc").viewModel(multi)));
        JsonNode s = v.get("series");
        assertEquals(4, s.size(), "three classes and the macro average");
        assertEquals("a — AUC 1.0000 [0.9800, 1.0000]", s.get(0).get("name").asText());
        assertEquals("b — AUC 0.5000 [0.4100, 0.5900]", s.get(1).get("name").asText());
        assertEquals("c — AUC 0.3750", s.get(2).get("name").asText(), "no interval stored for c");
        assertEquals("macro — AUC 0.9000 [0.8700, 0.9300]", s.get(3).get("name").asText());
        JsonNode x = s.get(3).get("x");
        JsonNode y = s.get(3).get("y");
        assertEquals(RunData.MAX_POINTS, x.size());
        assertEquals(0.0, x.get(0).asDouble());
        assertEquals(1.0, x.get(x.size() - 1).asDouble());
        // at FPR 0: a = 1, b = 0, c = 0; at FPR 1: all 1
        assertEquals(1.0 / 3, y.get(0).asDouble(), 1e-12);
        assertEquals(1.0, y.get(y.size() - 1).asDouble(), 1e-12);
        // at FPR 0.75 (grid is i / 999: pick the point nearest): a = 1, b = 0.75, c = 0.75
        int i75 = (int) Math.round(0.75 * (RunData.MAX_POINTS - 1));
        double f = x.get(i75).asDouble();
        assertEquals((1 + f + (0.5 + (f - 0.5))) / 3, y.get(i75).asDouble(), 1e-12);

        JsonNode pr = Json.parse(Json.write(REGISTRY.panel("pr").viewModel(multi))).get("series");
        assertEquals(3, pr.size(), "no macro curve for precision-recall");
        assertEquals("b — AP 0.7500 [0.6500, 0.8500]", pr.get(1).get("name").asText());
    }

    @Test
    void macroRocInterpolatesLikeNumpy() {
        // a vertical segment: np.interp takes the last point with x <= at (the top)
        double[] x = {0, 0.5, 0.5, 1};
        double[] y = {0, 0, 0.5, 1};
        assertEquals(0.5, dev.loupe.report.panels.CurvePanelAccess.interp(0.5, x, y), 0);
        assertEquals(0.25, dev.loupe.report.panels.CurvePanelAccess.interp(0.25, new double[] {0, 1}, new double[] {0, 1}), 1e-15);
        assertEquals(null, dev.loupe.report.panels.CurvePanelAccess.macro(List.<double[][]>of(new double[][] {{0, 1}, {0, 1}}), 5),
                "one usable class: no macro curve");
    }

    @Test
    void prLegendWithoutInterval() {
        JsonNode v = vm("pr");
        assertEquals("spam — AP 0.9400", v.get("series").get(0).get("name").asText());
        assertEquals("[1.0,0.5,0.0]", v.get("series").get(0).get("x").toString());
        assertEquals("[0.5,0.8,1.0]", v.get("series").get(0).get("y").toString());
    }

    @Test
    void calibrationBins() {
        JsonNode u = vm("calibration").get("uniform");
        assertEquals(0.05, u.get("ece").asDouble());
        assertEquals(0.1, u.get("mce").asDouble());
        assertEquals(2, u.get("bins").size());
        assertTrue(u.get("bins").get(0).get("accuracy").isNull());
        assertEquals(42.0, u.get("bins").get(1).get("weight").asDouble());
        assertTrue(vm("calibration").get("quantile").isNull());
    }

    @Test
    void scoreHistogramsOfThePositiveClass() {
        JsonNode v = vm("scores");
        assertEquals(5, v.get("edges").size());
        assertEquals(1, v.get("charts").size());
        assertEquals("P(spam)", v.get("charts").get(0).get("score").asText());
        assertEquals("true ham", v.get("charts").get(0).get("series").get(0).get("name").asText());
        assertEquals("[4.0,3.0,2.0,1.0]", v.get("charts").get(0).get("series").get(0).get("counts").toString());
    }

    @Test
    void thresholdSweepTotalsAndMarkers() {
        JsonNode v = vm("threshold");
        assertEquals(30.0, v.get("positives").asDouble());
        assertEquals(32.0, v.get("negatives").asDouble());
        assertEquals(5, v.get("thresholds").size());
        assertEquals(0.5, v.get("bestF1").get("threshold").asDouble(), 1e-12);
        assertEquals(0.3, v.get("youden").get("threshold").asDouble(), 1e-12);
        assertEquals(15.0 / 30, v.get("recall").get(1).asDouble(), 1e-12);
        assertEquals("spam", v.get("positive").asText());
        assertEquals("ham", v.get("negative").asText(), "the other class by name, not 'other'");
        assertEquals(0.5, v.get("threshold").asDouble(), 1e-12, "opens where the overview's metrics are: no --threshold, 0.5");
    }

    @Test
    void trainingCurves() {
        JsonNode s = vm("curves").get("series").get(0);
        assertEquals("train/loss", s.get("name").asText());
        assertEquals(50, s.get("x").size());
        assertEquals(0.5, s.get("y").get(1).asDouble(), 1e-12);
    }

    @Test
    void slicesGroupedByColumn() {
        JsonNode col = vm("slices").get("columns").get(0);
        assertEquals("source", col.get("column").asText());
        assertEquals("[\"accuracy\",\"f1\"]", col.get("metrics").toString());
        assertEquals("hard-ham", col.get("rows").get(0).get("value").asText());
        assertEquals(0.4, col.get("rows").get(0).get("metrics").get("accuracy").get("ciLow").asDouble(), 1e-12);
        assertEquals(0.93, col.get("rows").get(1).get("metrics").get("f1").get("value").asDouble(), 1e-12);
        assertEquals(0.9, col.get("overall").get("value").asDouble(), 1e-12);
    }

    @Test
    void samplesFilterSortAndPage() {
        JsonNode v = vm("samples", Map.of("correct", "false"));
        assertEquals(5, v.get("total").asInt());
        assertEquals(2, v.get("matched").asInt());
        // default sort: loss, highest first. row 0 (ham, p(ham)=0.05) before row 3 (spam, p(spam)=0.3)
        assertEquals(0, v.get("rows").get(0).get("row").asInt());
        assertEquals(-Math.log(0.05), v.get("rows").get(0).get("loss").asDouble(), 1e-9);
        assertEquals(0.95, v.get("rows").get(0).get("confidence").asDouble(), 1e-12);
        assertEquals(0.05, v.get("rows").get(0).get("probabilities").get("ham").asDouble(), 1e-12);
        assertEquals(Fixtures.TEXTS.get(0), v.get("rows").get(0).get("text").asText());

        assertEquals(1, vm("samples", Map.of("label", "spam", "pred", "ham")).get("matched").asInt());
        assertEquals(2, vm("samples", Map.of("minConf", "0.85")).get("matched").asInt());
        assertEquals(3, vm("samples", Map.of("meta", "source=hard-ham")).get("matched").asInt());
        assertEquals(1, vm("samples", Map.of("q", "ONERROR")).get("matched").asInt());
        JsonNode page = vm("samples", Map.of("size", "2", "page", "2", "sort", "row"));
        assertEquals(3, page.get("pages").asInt());
        assertEquals(1, page.get("rows").size());
        assertEquals(4, page.get("rows").get(0).get("row").asInt());
        var bad = assertThrows(dev.loupe.api.InvalidInputException.class, () -> vm("samples", Map.of("size", "100000")));
        assertEquals(400, bad.httpStatus());
        assertThrows(dev.loupe.api.InvalidInputException.class, () -> vm("samples", Map.of("sort", "x")));
    }

    @Test
    void reportSelectionKeepsMostConfidentErrorsFirst() {
        var p = (dev.loupe.report.panels.SamplesPanel) REGISTRY.panel("samples");
        JsonNode v = Json.parse(Json.write(p.reportSelection(run, 1, 2)));
        assertEquals(3, v.get("rows").size());
        assertTrue(v.get("local").asBoolean());
        boolean hasTopError = false;
        for (JsonNode r : v.get("rows")) {
            hasTopError |= r.get("row").asInt() == 0;
        }
        assertTrue(hasTopError, "the most confident error (row 0, confidence 0.95) is kept");
    }

    @Test
    void runsTable() {
        JsonNode v = Json.parse(Json.write(RunsTable.viewModel(fx.store(), null)));
        assertEquals(2, v.get("rows").size());
        JsonNode full = v.get("rows").get(0).get("id").asText().equals(fx.fullRun()) ? v.get("rows").get(0) : v.get("rows").get(1);
        assertEquals(0.9, full.get("metrics").get("accuracy").asDouble(), 1e-12);
        assertEquals("m1", full.get("model").asText());
        assertEquals("finished", full.get("status").asText());
        assertEquals("spam", full.get("dataset").asText());
        assertEquals("sha256:abc", full.get("datasetHash").asText(), "the full hash, shown on hover");
    }

    @Test
    void runsTableNamesTheDatasetByFileAndTheModelFromProvenance() {
        var prov = dev.loupe.store.Provenance.EMPTY.withModelSha256("0123456789abcdef0123");
        assertEquals("preds.csv", RunsTable.dataset(Map.of("predictions", "/data/run 1/preds.csv"), "sha256:ffff"));
        assertEquals("test.jsonl", RunsTable.dataset(Map.of("data", "C:\\corpora\\test.jsonl"), null));
        assertEquals("0123456789ab\u2026", RunsTable.dataset(Map.of(), "sha256:0123456789abcdef"));
        assertEquals("spamassassin", RunsTable.dataset(Map.of("dataset", "spamassassin", "data", "x.csv"), null));
        assertEquals("sha256:0123456789ab\u2026", RunsTable.model(prov, Map.of()));
        assertEquals("minilm-q", RunsTable.model(prov, Map.of("model", "minilm-q")));
        assertNull(RunsTable.model(dev.loupe.store.Provenance.EMPTY, Map.of()));
    }

    @Test
    void efficiencyProfile() {
        JsonNode v = vm("efficiency");
        assertEquals(22.97237, v.get("summary").get("model file (MB)").asDouble(), 1e-9);
        assertEquals(0.0455, v.get("summary").get("batch invariance: max |alone − batched|").asDouble(), 1e-12);
        assertEquals(8, v.get("cells").get(1).get("batchSize").asInt());
        assertEquals(221.0, v.get("cells").get(1).get("p50Ms").asDouble(), 1e-12);
        assertTrue(v.get("cells").get(0).get("p99Ms").isNull());
    }

    @Test
    void detOnTheProbitScale() {
        assertEquals(0.0, dev.loupe.report.panels.DetPanel.probit(0.5), 1e-12);
        assertEquals(1.6448536269514722, dev.loupe.report.panels.DetPanel.probit(0.95), 1e-8);
        assertEquals(-2.3263478740408408, dev.loupe.report.panels.DetPanel.probit(0.01), 1e-8);
        JsonNode v = vm("det");
        // fixture ROC: tpr = sqrt(fpr); the first and last points (rates 0 or 1) are dropped
        int n = v.get("x").size();
        assertTrue(n > 0 && n <= RunData.MAX_POINTS);
        double x = v.get("x").get(0).asDouble();
        double y = v.get("y").get(0).asDouble();
        // invert: fpr = Phi(x), fnr = 1 - sqrt(fpr) = Phi(y)
        double fpr = phi(x);
        assertEquals(1 - Math.sqrt(fpr), phi(y), 1e-6);
        assertEquals("1%", v.get("ticks").get(1).get("label").asText());
        assertEquals("0.1%", v.get("ticks").get(0).get("label").asText());
        assertEquals("99.9%", v.get("ticks").get(8).get("label").asText());
        List<String> labels = new java.util.ArrayList<>();
        v.get("ticks").forEach(t -> labels.add(t.get("label").asText()));
        assertEquals(List.of("0.1%", "1%", "5%", "20%", "50%", "80%", "95%", "99%", "99.9%"), labels, "the ticks the caption states");
        // the axis runs a little past the outer ticks, so the x and y axes' first labels don't meet in the corner
        assertTrue(v.get("min").asDouble() < v.get("ticks").get(0).get("value").asDouble() - 0.2);
        assertTrue(v.get("max").asDouble() > v.get("ticks").get(8).get("value").asDouble() + 0.2);
    }

    @Test
    void detDrawsTheMetricsDetCurveWhenTheRunHasOne() {
        // a DET curve unlike the ROC curve's complement (fnr = (1 - fpr)^2, where the ROC gives 1 - sqrt(fpr)), so that the
        // panel drawing the ROC curve instead fails
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) run.json().deepCopy();
        List<Double> fpr = new java.util.ArrayList<>();
        List<Double> fnr = new java.util.ArrayList<>();
        List<Double> thr = new java.util.ArrayList<>();
        for (int i = 0; i <= 200; i++) {
            fpr.add(1 - i / 200.0);
            fnr.add(Math.pow(i / 200.0, 2));
            thr.add(i / 200.0);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("curves")).set("det",
                Json.parse(Json.write(Json.obj("spam", Json.obj("fpr", fpr, "fnr", fnr, "thresholds", thr)))));
        RunData withDet = new RunData(run.info(), Map.of(), List.of(), json, null, List.of(), n -> List.of(), run::predictions);
        var panel = REGISTRY.panel("det");
        assertTrue(panel.isActive(withDet));
        JsonNode v = Json.parse(Json.write(panel.viewModel(withDet)));
        assertEquals(199, v.get("x").size(), "the 201 points less the two where a rate is 0 or 1");
        for (int i = 0; i < v.get("x").size(); i++) {
            double f = phi(v.get("x").get(i).asDouble());
            assertEquals(Math.pow(1 - f, 2), phi(v.get("y").get(i).asDouble()), 1e-6, "point " + i);
        }
    }

    static double phi(double z) {
        // bisection on probit
        double lo = 1e-12, hi = 1 - 1e-12;
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (dev.loupe.report.panels.DetPanel.probit(mid) < z) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
