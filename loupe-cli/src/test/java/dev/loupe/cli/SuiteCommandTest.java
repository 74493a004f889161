package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.store.Artifact;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.StoredMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code loupe suite}: examples/suite.toml (the keyword model, whose decisions are known) runs every part as a child
 * run of one suite run, whose metrics are the children's; the same suite written as YAML and JSON gives the same
 * numbers; bad files exit 2 naming the line and key before anything is recorded; a failing part or gate is reported.
 */
class SuiteCommandTest {
    static final Path EXAMPLE = Path.of("..", "examples", "suite.toml");
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final ObjectMapper OM = new ObjectMapper();

    @TempDir
    Path tmp;

    static Map<String, StoredMetric> metrics(RunStore s, String run) {
        Map<String, StoredMetric> m = new HashMap<>();
        s.metrics(run).forEach(x -> m.put(x.name(), x));
        return m;
    }

    @Test
    void theExampleRunsEveryPartAsAChildOfOneSuiteRun() throws IOException {
        Path db = tmp.resolve("runs.db");
        Path junit = tmp.resolve("gates.xml");
        Cli r = Cli.run("suite", "--config", EXAMPLE.toString(), "--store", db.toString(), "--junit", junit.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("[1/2]") && r.err().contains("[2/2]") && r.err().contains("finished in"), r.err());
        assertTrue(r.out().contains("PASS   --require accuracy>=0.7"), r.out());
        assertTrue(Files.readString(junit).contains("<testsuite"), "the gates' JUnit XML");
        double in = EvaluateOodTest.keywordAccuracy(EXAMPLES.resolve("suite/texts.csv"));
        double out = EvaluateOodTest.keywordAccuracy(EXAMPLES.resolve("suite/texts-later.csv"));
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            List<RunInfo> runs = s.listRuns(null);
            assertEquals(3, runs.size());
            RunInfo suite = runs.stream().filter(x -> x.name().equals("keyword model on the suite texts")).findFirst().orElseThrow();
            assertEquals(RunStatus.FINISHED, suite.status());
            Map<String, String> children = new HashMap<>();
            for (RunInfo x : runs) {
                if (x != suite) {
                    assertEquals(suite.id(), s.params(x.id()).get("parent_run"), x.name());
                    children.put(x.name().substring(x.name().lastIndexOf(' ') + 1), x.id());
                }
            }
            assertEquals(java.util.Set.of("evaluate", "robustness"), children.keySet());
            Map<String, StoredMetric> parent = metrics(s, suite.id());
            Map<String, StoredMetric> ev = metrics(s, children.get("evaluate"));
            Map<String, StoredMetric> rob = metrics(s, children.get("robustness"));
            // evaluate, slices, fairness and generalization: the evaluate child's numbers, which follow from the rule
            assertEquals(in, parent.get("accuracy").value(), 1e-12);
            assertEquals(out - in, parent.get("gap_accuracy[split=ood]").value(), 1e-12);
            for (String name : List.of("accuracy[channel=sms]", "demographic_parity_difference", "accuracy[money=match]",
                    "f1[length=<30]", "gap_accuracy[split=ood]")) {
                assertNotNull(ev.get(name), name);
                assertEquals(ev.get(name).value(), parent.get(name).value(), 0, name);
                assertEquals(ev.get(name).ciLow(), parent.get(name).ciLow(), 0, name);
            }
            // robustness: the perturbed metrics and paired changes, not a second copy of the clean ones
            for (String name : List.of("accuracy[perturb=typo:0.2]", "delta_accuracy[perturb=typo:0.2]", "flip_rate[perturb=typo:0.05]")) {
                assertNotNull(rob.get(name), name);
                assertEquals(rob.get(name).value(), parent.get(name).value(), 0, name);
            }
            assertEquals(0.0, parent.get("flip_rate[perturb=case:0.5]").value(), 0, "case changes cannot fool a lower-casing model");
            JsonNode doc = OM.readTree(artifact(s, suite.id(), "suite.json").path().toFile());
            assertEquals(2, doc.get("parts").size());
            assertEquals(children.get("evaluate"), doc.get("parts").get(0).get("run").asText());
            assertEquals("[\"evaluate\",\"slices\",\"fairness\",\"generalization\"]", doc.get("parts").get(0).get("covers").toString());
            assertEquals(children.get("robustness"), doc.get("parts").get(1).get("run").asText());
            assertEquals(Files.readString(EXAMPLE), Files.readString(artifact(s, suite.id(), "suite.toml").path()));
            // the evaluate child keeps the heatmap, the weak slices and the out-of-distribution block in its metrics.json
            JsonNode metrics = OM.readTree(artifact(s, children.get("evaluate"), "metrics.json").path().toFile());
            assertEquals("channel", metrics.get("heatmap").get("rows").asText());
            assertEquals("length", metrics.get("heatmap").get("columns").asText());
            assertTrue(metrics.get("weak_slices").get("tested").asInt() > 0);
            assertEquals(out, metrics.get("ood").get("metrics").get("accuracy").get("value").asDouble(), 1e-12);
            assertTrue(metrics.get("ood").get("calibration").get("uniform").get("bin_lower").isArray());
        }
        Cli check = Cli.run("check", "--store", db.toString(), suiteId(db), "--require", "delta_accuracy[perturb=typo:0.2]>=0");
        assertEquals(CheckCommand.GATE_FAILED, check.exit(), check.out() + check.err());
    }

    static Artifact artifact(RunStore s, String run, String name) {
        return s.artifacts(run).stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    static String suiteId(Path db) {
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            return s.listRuns(null).stream().filter(x -> !s.params(x.id()).containsKey("parent_run")).findFirst().orElseThrow().id();
        }
    }

    static final String YAML = """
            name: formats
            seed: 3
            bootstrap: 100
            evaluate:
              model: %s
              data: %s
              positive_label: spam
            slices:
              by: [channel]
            fairness:
              group_col: channel
            generalization:
              ood: %s
            """;

    static final String JSON = """
            {"name": "formats", "seed": 3, "bootstrap": 100,
             "evaluate": {"model": "%s", "data": "%s", "positive_label": "spam"},
             "slices": {"by": ["channel"]}, "fairness": {"group_col": "channel"}, "generalization": {"ood": "%s"}}
            """;

    static final String TOML = """
            name = "formats"
            seed = 3
            bootstrap = 100
            [evaluate]
            model = "%s"
            data = "%s"
            positive_label = "spam"
            [slices]
            by = ["channel"]
            [fairness]
            group_col = "channel"
            [generalization]
            ood = "%s"
            """;

    @Test
    void tomlYamlAndJsonDescribeTheSameSuite() throws IOException {
        Map<String, Double> first = null;
        for (String[] f : List.of(new String[] {"s.toml", TOML}, new String[] {"s.yaml", YAML}, new String[] {"s.json", JSON})) {
            Path cfg = tmp.resolve(f[0]);
            Files.writeString(cfg, f[1].formatted(EXAMPLES.resolve("keyword-model"), EXAMPLES.resolve("suite/texts.csv"),
                    EXAMPLES.resolve("suite/texts-later.csv")), StandardCharsets.UTF_8);
            Path db = tmp.resolve(f[0] + ".db");
            Cli r = Cli.run("suite", "--config", cfg.toString(), "--store", db.toString(), "-q");
            assertEquals(0, r.exit(), f[0] + ": " + r.err());
            assertEquals("", r.err(), "quiet");
            Map<String, Double> got = new HashMap<>();
            try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
                metrics(s, suiteId(db)).forEach((k, v) -> got.put(k, v.ciLow()));
            }
            assertTrue(got.containsKey("equalized_odds_difference") && got.containsKey("gap_f1[split=ood]"), got.keySet().toString());
            if (first == null) {
                first = got;
            } else {
                assertEquals(first, got, f[0] + " gives other numbers than the TOML file");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // file | content | expected in the message
        "a.toml|name = \"x\"\\n\\n[evaluate]\\npredictions = \"P\"\\npositive_label = \"spam\"\\n[slices]\\nbye = [\"source\"]\\n|a.toml line 7: slices.bye: unknown key",
        "b.toml|[evaluate]\\npredictions = \"P\"\\n[slices]\\nby = [\"source\"]\\nmin_support = \"ten\"\\n|b.toml line 5: slices.min_support: expected a whole number",
        "c.yaml|evaluate:\\n  predictions: P\\nrobustness:\\n  perturb: [typo:0.1]\\n|c.yaml line 3: robustness: perturbs texts and scores them again, so it needs model",
        "d.yaml|evaluate:\\n  model: M\\n  data: D\\nrobustness:\\n  perturb: [typo:0.1, tpyo:0.2]\\n|d.yaml line 5: robustness.perturb:",
        "e.json|{\"evaluate\": {\"predictions\": \"P\"},\\n \"gates\": {\"require\": [\"accuracy=>0.9\"]}}|e.json line 2: gates.require: 'accuracy=>0.9' is not METRIC OP X",
        "f.toml|[evaluate]\\npredictions = \"P\"\\nseed = \\n|f.toml line 3: not valid TOML",
        "g.json|{\"evaluate\": {\"predictions\": \"P\",}}|g.json line 1: not valid JSON",
        "h.toml|seed = 1\\n|h.toml: evaluate: missing",
        "i.toml|[evaluate]\\npredictions = \"nowhere.csv\"\\n|i.toml line 2: evaluate.predictions:",
        "j.toml|[evaluate]\\npredictions = \"P\"\\n[slices]\\nderived = [\"len=length:9,3\"]\\n|j.toml line 4: slices.derived: The '--slice' parameter must be length edges",
        "k.txt|whatever|.toml, .yaml/.yml or .json",
        "l.yaml|evaluate:\\n  predictions: P\\n  model: M\\n|l.yaml line 1: evaluate: give either predictions",
        "m.toml|[evaluate]\\npredictions = \"P\"\\n[gates]\\nmax_drop = [\"f1=0.01\"]\\n|m.toml line 4: gates.baseline: missing",
    })
    void badFilesExit2NamingLineAndKeyAndRecordNothing(String name, String content, String expected) throws IOException {
        Path cfg = tmp.resolve(name);
        String preds = EXAMPLES.resolve("spam-predictions.csv").toString();
        Files.writeString(cfg, content.replace("\\n", "\n").replace("\"P\"", "\"" + preds + "\"").replace(": P", ": " + preds)
                .replace("\"M\"", "\"" + EXAMPLES.resolve("keyword-model") + "\"").replace(": M", ": " + EXAMPLES.resolve("keyword-model"))
                .replace(": D", ": " + EXAMPLES.resolve("suite/texts.csv")), StandardCharsets.UTF_8);
        Path db = tmp.resolve("bad.db");
        Cli r = Cli.run("suite", "--config", cfg.toString(), "--store", db.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(db), "nothing is recorded before the file is checked");
    }

    @Test
    void aFailingPartFailsTheSuiteRunAndAFailingGateExits3() throws IOException {
        String preds = EXAMPLES.resolve("spam-predictions.csv").toString();
        Path bad = tmp.resolve("bad.toml");
        Files.writeString(bad, "[evaluate]\npredictions = \"" + preds + "\"\npositive_label = \"spam\"\n[slices]\nby = [\"nosuch\"]\n");
        Path db = tmp.resolve("runs.db");
        Cli r = Cli.run("suite", "--config", bad.toString(), "--store", db.toString(), "-q");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("nosuch"), r.err());
        assertTrue(r.out().contains("(failed): evaluate (not recorded)"), r.out());
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            assertEquals(1, s.listRuns(null).size());
            assertEquals(RunStatus.FAILED, s.listRuns(null).get(0).status());
        }
        Path strict = tmp.resolve("strict.yaml");
        Files.writeString(strict, "evaluate:\n  predictions: " + preds + "\n  positive_label: spam\nbootstrap: 100\n"
                + "gates:\n  require: ['accuracy>=0.99']\n  conservative: true\n");
        Cli g = Cli.run("suite", "--config", strict.toString(), "--store", db.toString(), "-q");
        assertEquals(CheckCommand.GATE_FAILED, g.exit(), g.err());
        assertTrue(g.out().contains("FAIL") && g.out().contains("accuracy>=0.99"), g.out());
    }
}
