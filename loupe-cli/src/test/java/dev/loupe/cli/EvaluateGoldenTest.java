package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: `loupe evaluate` on the golden CSV files (reader → metrics → JSON) reproduces scikit-learn's
 * numbers to 1e-9.
 */
class EvaluateGoldenTest {
    static final Path GOLDEN = Path.of("..", "loupe-metrics", "src", "test", "resources", "golden");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"binary_ties", "binary_weights", "multiclass5_weights", "never_predicted", "absent_class",
            "one_class", "explicit_pred", "multiclass3_ties", "multiclass3_permuted"})
    void cliJsonMatchesScikitLearn(String name) throws Exception {
        ObjectMapper om = new ObjectMapper();
        JsonNode golden = om.readTree(GOLDEN.resolve(name + ".json").toFile());
        List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", GOLDEN.resolve(name + ".csv").toString(),
                "--bootstrap", "0", "--curve-points", "0", "-q", "--json", tmp.resolve("out.json").toString()));
        if (!golden.get("positive").isNull()) {
            args.add("--positive-label");
            args.add(golden.get("positive").asText());
        }
        if ("one_class".equals(name)) {
            args.add("--negative-label");
            args.add("ham");
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("accuracy"), r.out());
        JsonNode out = om.readTree(tmp.resolve("out.json").toFile());

        List<String> classes = new ArrayList<>();
        golden.get("classes").forEach(c -> classes.add(c.asText()));
        List<String> got = new ArrayList<>();
        out.get("classes").forEach(c -> got.add(c.asText()));
        assertEquals(classes, got, "classes in order");

        Iterator<Map.Entry<String, JsonNode>> it = golden.get("metrics").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey().replace("_score", "");
            JsonNode m = out.get("metrics").get(key);
            assertTrue(m != null, name + ": metric " + key + " missing from the JSON");
            assertClose(name + " " + key, e.getValue(), m.get("value"));
        }
        for (String c : classes) {
            for (String f : new String[] {"precision", "recall", "f1", "support", "roc_auc", "average_precision"}) {
                assertClose(name + " per_class " + c + " " + f, golden.get("per_class").get(c).get(f), out.get("per_class").get(c).get(f));
            }
            JsonNode roc = out.get("curves").get("roc").get(c);
            JsonNode groc = golden.get("roc").get(c);
            assertEquals(groc.get("fpr").size(), roc.get("fpr").size(), name + " roc length " + c);
            for (int i = 1; i < groc.get("fpr").size(); i++) {
                assertClose(name + " roc fpr", groc.get("fpr").get(i), roc.get("fpr").get(i));
                assertClose(name + " roc tpr", groc.get("tpr").get(i), roc.get("tpr").get(i));
                assertClose(name + " roc thr", groc.get("thresholds").get(i), roc.get("thresholds").get(i));
            }
        }
        for (int t = 0; t < classes.size(); t++) {
            for (int p = 0; p < classes.size(); p++) {
                assertClose(name + " cm", golden.get("confusion_matrix").get(t).get(p), out.get("confusion_matrix").get("matrix").get(t).get(p));
            }
        }
    }

    /** The metric options reach the JSON: --top-k, --max-fpr, --zero-division, --beta, and the DET points. */
    @ParameterizedTest
    @ValueSource(strings = {"binary_ties", "binary_weights", "never_predicted", "multiclass3_permuted"})
    void metricOptionsMatchScikitLearn(String name) throws Exception {
        ObjectMapper om = new ObjectMapper();
        JsonNode golden = om.readTree(GOLDEN.resolve(name + ".json").toFile());
        boolean binary = golden.get("classes").size() == 2;
        List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", GOLDEN.resolve(name + ".csv").toString(),
                "--bootstrap", "0", "--curve-points", "0", "-q", "--no-store", "--json", tmp.resolve("out.json").toString(),
                "--top-k", binary ? "1" : "1,2,3", "--zero-division", "1", "--beta", "0.5,2"));
        if (binary) {
            args.addAll(List.of("--max-fpr", "0.3", "--positive-label", golden.get("positive").asText()));
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        JsonNode out = om.readTree(tmp.resolve("out.json").toFile());
        JsonNode metrics = out.get("metrics");
        for (String k : binary ? List.of("1") : List.of("1", "2", "3")) {
            assertClose(name + " top_" + k, golden.get("top_k_accuracy").get(k), metrics.get("top_" + k + "_accuracy").get("value"));
        }
        if (binary) {
            assertClose(name + " partial_roc_auc", golden.get("partial_roc_auc").get("0.3"), metrics.get("partial_roc_auc").get("value"));
            assertEquals(0.3, out.get("options").get("max_fpr").asDouble());
        }
        golden.get("zero_division").get("1").get("metrics").fields().forEachRemaining(e ->
                assertClose(name + " zero_division=1 " + e.getKey(), e.getValue(), metrics.get(e.getKey()).get("value")));
        assertEquals(1, out.get("options").get("zero_division").asInt());
        for (JsonNode c : golden.get("classes")) {
            JsonNode det = golden.get("det").get(c.asText());
            JsonNode mine = out.get("curves").get("det").get(c.asText());
            assertEquals(det.get("fpr").size(), mine.get("fpr").size(), name + " det length " + c);
            for (int i = 0; i < det.get("fpr").size(); i++) {
                assertClose(name + " det fpr", det.get("fpr").get(i), mine.get("fpr").get(i));
                assertClose(name + " det fnr", det.get("fnr").get(i), mine.get("fnr").get(i));
            }
        }
        assertTrue(r.out().contains("f0_5"), "the table lists the F-beta scores:\n" + r.out());
    }

    /** The table: the headline metrics first, in this order, then the rest under group titles. */
    @ParameterizedTest
    @ValueSource(strings = {"binary_ties", "never_predicted"})
    void tableShowsTheHeadlineFirst(String name) {
        boolean binary = name.startsWith("binary");
        List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", GOLDEN.resolve(name + ".csv").toString(),
                "--bootstrap", "0", "-q", "--no-store"));
        if (binary) {
            args.addAll(List.of("--positive-label", "spam"));
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        int header = lines.indexOf("metric                        value");
        assertTrue(header > 0, r.out());
        List<String> headline = lines.subList(header + 1, header + 9).stream().map(l -> l.split(" +")[0]).toList();
        assertEquals(List.of("accuracy", "balanced_accuracy", binary ? "f1" : "f1_macro", "roc_auc", "average_precision",
                "log_loss", "brier", "ece"), headline, r.out());
        assertEquals("", lines.get(header + 9), r.out());
        int groups = 0;
        for (String title : new String[] {"precision, recall, F-scores, Jaccard", "agreement and error rates", "ranking",
            "probabilities and calibration"}) {
            int at = lines.indexOf(title);
            if (binary && title.equals("ranking")) { // nothing beyond the headline's AUC and AP without --top-k / --max-fpr
                assertEquals(-1, at, r.out());
                continue;
            }
            assertTrue(at > groups, title + " after the previous group:\n" + r.out());
            groups = at;
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("cohen_kappa_quadratic ")), r.out());
    }

    static void assertClose(String what, JsonNode expected, JsonNode actual) {
        if (expected == null || expected.isNull()) {
            assertTrue(actual == null || actual.isNull(), what + ": expected null, got " + actual);
            return;
        }
        assertTrue(actual != null && actual.isNumber(), what + ": expected " + expected + ", got " + actual);
        double e = expected.asDouble();
        assertEquals(e, actual.asDouble(), 1e-9 * Math.max(1, Math.abs(e)), what);
    }
}
