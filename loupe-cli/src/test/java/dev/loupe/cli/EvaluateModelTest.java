package dev.loupe.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `loupe evaluate --model DIR --data FILE` on the committed tiny BERT classifier: the metrics equal those computed
 * from Python onnxruntime's probabilities (tools/models/make_tiny_classifiers.py), and bad input exits 2.
 */
class EvaluateModelTest {
    static final Path TINY = Path.of("..", "loupe-models", "src", "test", "resources", "tiny");

    @TempDir
    Path tmp;

    @Test
    void classifierMetricsMatchPythonOnnxRuntimeProbabilities() throws Exception {
        ObjectMapper om = new ObjectMapper();
        JsonNode golden = om.readTree(TINY.resolve("bert-3/golden.json").toFile());
        List<String> labels = List.of("negative", "neutral", "positive");
        Path data = tmp.resolve("texts.jsonl");
        int n = golden.get("texts").size();
        double[] probs = new double[n * 3];
        int[] y = new int[n];
        try (Writer w = Files.newBufferedWriter(data); JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
            for (int i = 0; i < n; i++) {
                y[i] = i % 3;
                for (int c = 0; c < 3; c++) {
                    probs[i * 3 + c] = golden.get("probabilities").get(i).get(c).asDouble();
                }
                g.writeStartObject();
                g.writeStringField("id", "t" + i);
                g.writeStringField("text", golden.get("texts").get(i).asText());
                g.writeStringField("label", labels.get(y[i]));
                g.writeStringField("half", i % 2 == 0 ? "even" : "odd");
                g.writeEndObject();
            }
        }
        Path out = tmp.resolve("out.json");
        Cli r = Cli.run("evaluate", "--model", TINY.resolve("bert-3").toString(), "--data", data.toString(),
                "--max-length", String.valueOf(golden.get("max_length").asInt()), "--batch-size", "7",
                "--bootstrap", "0", "-q", "--json", out.toString(), "--slice-by", "half");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = om.readTree(out.toFile());
        assertEquals(n, json.get("n").asInt());

        // the slice of even rows equals those rows evaluated alone
        int m = (n + 1) / 2;
        double[] evenProbs = new double[m * 3];
        int[] evenY = new int[m];
        for (int i = 0; i < n; i += 2) {
            System.arraycopy(probs, i * 3, evenProbs, i / 2 * 3, 3);
            evenY[i / 2] = y[i];
        }
        EvaluationState even = new EvaluationState(EvaluationConfig.defaults(3, -1).withBootstrap(0, 0));
        even.update(PredictionBatch.of(3, evenProbs, evenY, null, null));
        EvaluationResult ev = even.result(labels);
        JsonNode slice = json.get("slices").get("half").get("even");
        assertEquals(m, slice.get("n").asInt());
        for (String key : List.of("accuracy", "log_loss", "brier", "f1_macro")) {
            assertEquals(ev.metric(key).value(), slice.get("metrics").get(key).get("value").asDouble(), 1e-5, "even " + key);
        }

        EvaluationState expected = new EvaluationState(EvaluationConfig.defaults(3, -1).withBootstrap(0, 0));
        expected.update(PredictionBatch.of(3, probs, y, null, null));
        EvaluationResult e = expected.result(labels);
        for (String key : List.of("accuracy", "log_loss", "brier", "roc_auc", "ece", "f1_macro")) {
            assertEquals(e.metric(key).value(), json.get("metrics").get(key).get("value").asDouble(), 1e-5, key);
        }
    }

    @Test
    void cleaningCountsAreStoredWithTheRunAndEveryRowIsStillScored() throws Exception {
        Path data = tmp.resolve("texts.csv");
        Files.writeString(data, "text,label\ngood film,positive\nbad film,negative\ngood film,negative\nok,neutral\n"
                + "\"   \",neutral\nbad film,negative\n");
        String store = tmp.resolve("loupe.db").toString();
        Cli r = Cli.run("evaluate", "--model", TINY.resolve("bert-3").toString(), "--data", data.toString(),
                "--bootstrap", "0", "-q", "--store", store, "--json", tmp.resolve("out.json").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(6, new ObjectMapper().readTree(tmp.resolve("out.json").toFile()).get("n").asInt(), "nothing removed");
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.parse(store))) {
            String id = s.listRuns(null).get(0).id();
            dev.loupe.report.RunData run = dev.loupe.report.RunData.load(s, id);
            JsonNode c = run.dataset().get("cleaning");
            assertEquals(6, c.get("input").asInt());
            assertEquals(6, c.get("kept").asInt());
            assertEquals(1, c.get("empty").asInt());
            assertEquals(0, c.get("empty_removed").asInt());
            assertEquals(2, c.get("duplicates").asInt());
            assertEquals(0, c.get("duplicates_removed").asInt());
            assertEquals(1, c.get("conflicting_duplicates").asInt());
            JsonNode vm = new ObjectMapper().valueToTree(dev.loupe.report.PanelRegistry.standard().panel("overview").viewModel(run));
            assertEquals(2, vm.get("dataset").get("cleaning").get("duplicates").asInt());
        }
    }

    @Test
    void labelsTheModelDoesNotKnowAreListed() throws Exception {
        Path data = tmp.resolve("d.csv");
        Files.writeString(data, "text,label\nhello,negative\nworld,spam\n");
        Cli r = Cli.run("evaluate", "--model", TINY.resolve("bert-3").toString(), "--data", data.toString(), "-q", "--no-store");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("spam") && r.err().contains("negative, neutral, positive"), r.err());
    }

    @Test
    void badModelArguments() throws Exception {
        Path data = tmp.resolve("d.csv");
        Files.writeString(data, "text,label\nhello,negative\n");
        Path empty = Files.createDirectories(tmp.resolve("empty-model"));
        Files.writeString(empty.resolve("config.json"), "{\"id2label\": {\"0\": \"a\", \"1\": \"b\"}}");
        Cli missing = Cli.run("evaluate", "--model", empty.toString(), "--data", data.toString(), "-q", "--no-store");
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("model.onnx"), missing.err());

        Cli noData = Cli.run("evaluate", "--model", TINY.resolve("bert-3").toString(), "-q", "--no-store");
        assertEquals(2, noData.exit());
        assertTrue(noData.err().contains("--data"), noData.err());

        Cli both = Cli.run("evaluate", "--model", "x", "--predictions", "y.csv", "--data", data.toString(), "-q");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("not both"), both.err());

        Cli noText = Cli.run("evaluate", "--model", TINY.resolve("bert-3").toString(), "--data", data.toString(),
                "--text-col", "body", "-q", "--no-store");
        assertEquals(2, noText.exit());
        assertTrue(noText.err().contains("body"), noText.err());
    }
}
