package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code loupe explain} on the committed tiny classifier and on a probe run: the table, the JSON, storing, bad input. */
class ExplainCommandTest {
    static final Path TINY = EvaluateModelTest.TINY;
    static final String TEXT = "free money click here to win a prize now";

    @TempDir
    Path tmp;

    String store() {
        return tmp.resolve("loupe.db").toString();
    }

    @Test
    void textTableAndJsonHoldEveryMethodAndShapSumsToTheEnds() throws Exception {
        Path out = tmp.resolve("out.json");
        Cli r = Cli.run("explain", "--model", TINY.resolve("bert-3").toString(), "--text", TEXT, "--method", "occlusion,shap,lime",
                "--json", out.toString(), "-q", "--store", store());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("occlusion") && r.out().contains("shap") && r.out().contains("lime"), r.out());
        assertTrue(r.out().contains("exact: all 512 coalitions"), "9 words: 2^9 <= 2000 enumerates\n" + r.out());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertEquals("loupe-explain/1", j.path("format").asText());
        JsonNode ex = j.path("examples").path("text");
        assertEquals(9, ex.path("units").size());
        JsonNode first = ex.path("units").get(0);
        assertEquals("free", TEXT.substring(first.path("start").asInt(), first.path("end").asInt()));
        JsonNode shap = ex.path("methods").path("shap");
        double sum = 0;
        for (JsonNode s : shap.path("scores")) {
            sum += s.asDouble();
        }
        assertEquals(shap.path("value").asDouble() - shap.path("base_value").asDouble(), sum, 1e-9);
        List<String> labels = new ArrayList<>();
        ex.path("labels").forEach(l -> labels.add(l.asText()));
        assertEquals(ex.path("predicted").asText(), ex.path("target").asText(), "the predicted class by default");
        assertEquals(ex.path("probabilities").get(labels.indexOf(ex.path("target").asText())).asDouble(), shap.path("value").asDouble(), 1e-12);
    }

    @Test
    void badInputExitsTwoWithAMessage() {
        String m = TINY.resolve("bert-3").toString();
        Cli method = Cli.run("explain", "--model", m, "--text", TEXT, "--method", "gradients", "--store", store());
        assertEquals(2, method.exit());
        assertTrue(method.err().contains("occlusion, shap, lime") && method.err().contains("gradients"), method.err());
        Cli empty = Cli.run("explain", "--model", m, "--text", "   ", "--store", store());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("empty"), empty.err());
        Cli cls = Cli.run("explain", "--model", m, "--text", TEXT, "--class", "spam", "--store", store());
        assertEquals(2, cls.exit());
        assertTrue(cls.err().contains("negative") && cls.err().contains("'spam'"), cls.err());
        Cli samples = Cli.run("explain", "--model", m, "--text", "a b c d e f g h i j k l m n o p q r s t u v w x y z",
                "--method", "shap", "--samples", "20", "--store", store());
        assertEquals(2, samples.exit());
        assertTrue(samples.err().contains("samples") && samples.err().contains("54"), samples.err());
        Cli encoder = Cli.run("explain", "--model", "minilm-q", "--text", TEXT, "--store", store());
        assertEquals(2, encoder.exit());
        assertTrue(encoder.err().contains("--probe"), encoder.err());
        Cli noRun = Cli.run("explain", "nope", "--examples", "errors:3", "--store", store());
        assertEquals(2, noRun.exit(), noRun.err());
    }

    @Test
    void storedRunsExamplesAreExplainedAndKeptWithTheRun() throws Exception {
        Path data = tmp.resolve("texts.csv");
        StringBuilder csv = new StringBuilder("id,text,label\n");
        String[] labels = {"negative", "neutral", "positive"};
        for (int i = 0; i < 30; i++) {
            csv.append("t").append(i).append(",\"").append(i == 0 ? "<img src=x onerror=alert(1)> free money" : "message " + i + " about money and prizes")
                    .append("\",").append(labels[i % 3]).append('\n');
        }
        Files.writeString(data, csv);
        Cli ev = Cli.run("evaluate", "--model", TINY.resolve("bert-3").toString(), "--data", data.toString(), "--max-length", "48",
                "--bootstrap", "0", "-q", "--store", store());
        assertEquals(0, ev.exit(), ev.err());
        Cli list = Cli.run("runs", "list", "--store", store());
        String run = list.out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        Cli r = Cli.run("explain", run, "--examples", "confident-errors:3", "--method", "occlusion,shap", "-q", "--store", store());
        assertEquals(0, r.exit(), r.err());
        Cli ids = Cli.run("explain", run, "--examples", "ids:t0", "--method", "occlusion", "-q", "--store", store());
        assertEquals(0, ids.exit(), ids.err());
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            dev.loupe.report.RunData rd = dev.loupe.report.RunData.load(s, run);
            JsonNode ex = rd.artifactJson(ExplainJson.ARTIFACT).path("examples");
            assertTrue(ex.has("0"), "ids:t0 is row 0");
            assertEquals(4, ex.size(), "three errors plus t0 (merged, none lost): " + ex.toString().substring(0, 200));
            assertEquals("<img src=x onerror=alert(1)> free money", ex.path("0").path("text").asText());
            JsonNode detail = new ObjectMapper().valueToTree(dev.loupe.report.panels.SamplesPanel.detail(rd, "t0"));
            assertEquals(0, detail.path("sample").path("row").asInt());
            assertEquals(5, detail.path("explanation").path("units").size());
        }
        Cli bad = Cli.run("explain", run, "--examples", "worst:3", "--store", store());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("confident-errors:N"), bad.err());
        Cli missing = Cli.run("explain", run, "--examples", "ids:zz", "--store", store());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("'zz'"), missing.err());
    }

    /** 40 labelled texts, spam and ham alternating, each kind with its own words: a probe learns them at once. */
    static Path spamTexts(Path file) throws java.io.IOException {
        StringBuilder csv = new StringBuilder("id,text,label\n");
        for (int i = 0; i < 40; i++) {
            boolean spam = i % 2 == 0;
            csv.append("m").append(i).append(',').append(spam ? "win free money now click here offer " + i : "meeting notes for the project review " + i)
                    .append(',').append(spam ? "spam" : "ham").append('\n');
        }
        return Files.writeString(file, csv);
    }

    @Test
    void aProbeRunKeepsItsWeightsSoItIsReScoredAndExplainedWithoutTraining() throws Exception {
        Path data = ExplainCommandTest.spamTexts(tmp.resolve("spam.csv"));
        Cli ev = Cli.run("evaluate", "--model", "minilm-q", "--data", data.toString(), "--max-length", "32", "--bootstrap", "0",
                "-q", "--store", store());
        assertEquals(0, ev.exit(), ev.err());
        String run = Cli.run("runs", "list", "--store", store()).out().lines().skip(1).findFirst().orElseThrow().split("\\s+")[0];
        Path out = tmp.resolve("probe.json");
        Cli r = Cli.run("explain", "--model", "minilm-q", "--probe", run, "--text", "win free money now", "--method", "occlusion,shap",
                "--json", out.toString(), "-q", "--store", store());
        assertEquals(0, r.exit(), r.err());
        JsonNode ex = new ObjectMapper().readTree(out.toFile()).path("examples").path("text");
        assertEquals(List.of("ham", "spam"), List.of(ex.path("labels").get(0).asText(), ex.path("labels").get(1).asText()));
        assertEquals(run, new ObjectMapper().readTree(out.toFile()).path("model").path("probe_run").asText());
        // the stored run's own rows, re-scored by its stored probe, give the probabilities the run recorded
        Cli again = Cli.run("explain", run, "--examples", "top-loss:2", "--method", "occlusion", "--json", out.toString(), "-q",
                "--store", store());
        assertEquals(0, again.exit(), again.err());
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            for (JsonNode e : new ObjectMapper().readTree(out.toFile()).path("examples")) {
                dev.loupe.store.PredictionRow row = s.predictions(run).stream().filter(p -> p.rowIndex() == e.path("row").asLong())
                        .findFirst().orElseThrow();
                JsonNode stored = new ObjectMapper().readTree(row.probabilities());
                // int8 dynamic quantisation depends a little on the batch (the run scored 32 texts at a time, this one alone)
                assertEquals(stored.get(1).asDouble(), e.path("probabilities").get(1).asDouble(), 0.02, "row " + row.rowIndex());
            }
        }
        Cli wrong = Cli.run("explain", "--model", "bge-small-q", "--probe", run, "--text", "hello", "--store", store());
        assertEquals(2, wrong.exit());
        assertTrue(wrong.err().contains("trained on the encoder minilm-q"), wrong.err());
    }

    /** ONNX Runtime's optimiser fuses attention into one operator: no map to show, but the word methods still work. */
    @Test
    void aModelWithFusedAttentionRefusesAttentionWithAdviceAndStillExplainsWords() throws Exception {
        String model = Path.of("..", "loupe-explain", "src", "test", "resources", "attention", "bert-fused").toString();
        Cli att = Cli.run("explain", "--model", model, "--text", "free money, click here now", "--method", "attention", "-q",
                "--store", store());
        assertEquals(2, att.exit(), att.err());
        assertTrue(att.err().contains("fused") && att.err().contains("Attention") && att.err().contains("without"), att.err());
        assertFalse(att.err().contains("\tat "), "no stack trace: " + att.err());
        Path out = tmp.resolve("fused.json");
        Cli words = Cli.run("explain", "--model", model, "--text", "free money, click here now", "--method", "occlusion,shap",
                "--json", out.toString(), "-q", "--store", store());
        assertEquals(0, words.exit(), words.err());
        JsonNode ex = new ObjectMapper().readTree(out.toFile()).path("examples").path("text");
        assertEquals(5, ex.path("units").size(), ex.toString());
        assertEquals(5, ex.path("methods").path("shap").path("scores").size(), "one score per word: " + ex);
        assertEquals(5, ex.path("methods").path("occlusion").path("scores").size(), "one score per word: " + ex);
    }

    @Test
    void attentionAndFaithfulnessGoToTheTableAndTheJson() throws Exception {
        Path model = Path.of("..", "loupe-explain", "src", "test", "resources", "attention", "distilbert");
        Path out = tmp.resolve("att.json");
        Cli r = Cli.run("explain", "--model", model.toString(), "--text", "free money, click here now", "--method", "attention,occlusion",
                "--faithfulness", "--json", out.toString(), "-q", "--store", store());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("3 layers × 4 heads") && r.out().contains("faithfulness over 1 text"), r.out());
        JsonNode root = new ObjectMapper().readTree(out.toFile());
        JsonNode att = root.path("examples").path("text").path("attention");
        int n = att.path("tokens").size();
        assertEquals("[CLS]", att.path("tokens").get(0).asText());
        assertEquals(-1, att.path("start").get(0).asInt());
        assertEquals(3, att.path("maps").size());
        assertEquals(4, att.path("maps").get(2).size());
        for (JsonNode row : att.path("maps").get(2).get(3)) {
            double s = 0;
            for (JsonNode v : row) {
                s += v.asDouble();
            }
            assertEquals(1.0, s, 1e-5);
            assertEquals(n, row.size());
        }
        assertEquals(n, att.path("rollout").size());
        assertEquals(3 * 4, att.path("links").size() * att.path("links").get(0).size());
        assertEquals(n * ExplainJson.TOP_LINKS * 3, att.path("links").get(0).get(0).size(), "[query, key, weight] x top links");
        JsonNode f = root.path("faithfulness").path("methods");
        assertTrue(f.has("attention") && f.has("occlusion"), f.toString());
        assertTrue(f.path("occlusion").path("aopc").path("value").isNumber());
        assertTrue(f.path("occlusion").path("aopc").path("ciLow").isNull(), "no interval from one text");
    }
}
