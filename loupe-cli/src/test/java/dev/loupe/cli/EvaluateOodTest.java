package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.metrics.DistributionShift;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.StoredMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --predictions IN --ood OUT}: the second file's metrics equal evaluating it alone with the moved seed,
 * each gap is out − in with an interval, in the table, the JSON and the store (where check can gate on it); bad
 * input exits 2.
 */
class EvaluateOodTest {
    static final Path SPAM = Path.of("..", "examples", "spam-predictions.csv");
    static final ObjectMapper OM = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The example's rows split by source: the first collections in, the later ones (and hard ham) out. */
    Path[] split() throws IOException {
        List<String> lines = Files.readAllLines(SPAM, StandardCharsets.UTF_8);
        List<String> in = new ArrayList<>(List.of(lines.get(0)));
        List<String> out = new ArrayList<>(List.of(lines.get(0)));
        for (String l : lines.subList(1, lines.size())) {
            (Set.of("easy-ham-1", "spam-1").contains(l.split(",")[3]) ? in : out).add(l);
        }
        Path a = tmp.resolve("in.csv");
        Path b = tmp.resolve("out.csv");
        Files.write(a, in, StandardCharsets.UTF_8);
        Files.write(b, out, StandardCharsets.UTF_8);
        return new Path[] {a, b};
    }

    @Test
    void theSecondFilesMetricsAndTheGapsInTableJsonAndStore() throws IOException {
        Path[] f = split();
        Path db = tmp.resolve("runs.db");
        Cli r = Cli.run("evaluate", "--predictions", f[0].toString(), "--ood", f[1].toString(), "--positive-label", "spam",
                "-q", "--bootstrap", "300", "--seed", "5", "--json", tmp.resolve("r.json").toString(), "--store", db.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = OM.readTree(tmp.resolve("r.json").toFile());
        JsonNode ood = doc.get("ood");
        assertEquals(f[1].toString(), ood.get("file").asText());
        assertEquals(600, ood.get("n").asInt());
        // alone, with the seed the comparison moves it to
        Cli alone = Cli.run("evaluate", "--predictions", f[1].toString(), "--positive-label", "spam", "-q", "--no-store",
                "--bootstrap", "300", "--seed", String.valueOf(5 + DistributionShift.SEED_OFFSET), "--json", tmp.resolve("a.json").toString());
        assertEquals(0, alone.exit(), alone.err());
        JsonNode want = OM.readTree(tmp.resolve("a.json").toFile()).get("metrics");
        Iterator<Map.Entry<String, JsonNode>> it = want.fields();
        int compared = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            for (String field : List.of("value", "ci_low", "ci_high")) {
                JsonNode w = m.getValue().get(field);
                JsonNode got = ood.get("metrics").get(m.getKey()).get(field);
                if (w.isNull()) {
                    assertTrue(got.isNull(), m.getKey() + "." + field);
                } else {
                    assertEquals(w.asDouble(), got.asDouble(), 1e-12, m.getKey() + "." + field);
                }
            }
            JsonNode in = doc.get("metrics").get(m.getKey()).get("value");
            JsonNode gap = ood.get("gaps").get(m.getKey()).get("value");
            if (!in.isNull() && !m.getValue().get("value").isNull()) {
                assertEquals(m.getValue().get("value").asDouble() - in.asDouble(), gap.asDouble(), 1e-12, m.getKey() + " gap");
                compared++;
            }
        }
        assertTrue(compared > 30, "compared " + compared);
        JsonNode accGap = ood.get("gaps").get("accuracy");
        assertTrue(accGap.get("ci_low").asDouble() <= accGap.get("value").asDouble()
                && accGap.get("value").asDouble() <= accGap.get("ci_high").asDouble(), accGap.toString());
        // hard ham is hard: the out-of-distribution accuracy is clearly lower
        assertTrue(accGap.get("ci_high").asDouble() < 0, accGap.toString());

        assertTrue(r.out().contains("out of distribution: " + f[1]), r.out());
        String accuracyRow = r.out().substring(r.out().indexOf("out of distribution: ")).lines()
                .filter(l -> l.startsWith("accuracy ")).findFirst().orElseThrow();
        assertTrue(accuracyRow.contains(TableReport.num(accGap.get("value").asDouble())), accuracyRow);

        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            String run = s.listRuns(null).get(0).id();
            Map<String, StoredMetric> m = new HashMap<>();
            s.metrics(run).forEach(x -> m.put(x.name(), x));
            assertEquals(ood.get("metrics").get("accuracy").get("value").asDouble(), m.get("accuracy[split=ood]").value(), 1e-12);
            assertEquals(accGap.get("value").asDouble(), m.get("gap_accuracy[split=ood]").value(), 1e-12);
            assertEquals(600, m.get("support[split=ood]").value(), 0);
            assertEquals(f[1].toString(), s.params(run).get("ood"));
        }
        Cli gate = Cli.run("check", "--store", db.toString(), runId(db), "--require", "gap_accuracy[split=ood]>=-0.05");
        assertEquals(CheckCommand.GATE_FAILED, gate.exit(), gate.out() + gate.err());
    }

    static final Path MODEL = Path.of("..", "examples", "keyword-model");
    static final Path TEXTS = Path.of("..", "examples", "suite", "texts.csv");
    static final Path LATER = Path.of("..", "examples", "suite", "texts-later.csv");

    /** The keyword model's accuracy on a labelled text file, from its known rule. */
    static double keywordAccuracy(Path file) {
        dev.loupe.data.text.TextDataset d = dev.loupe.data.text.TextDatasetReader.read(file, dev.loupe.data.text.TextDatasetOptions.defaults());
        int right = 0;
        for (int i = 0; i < d.size(); i++) {
            right += RobustnessCommandTest.spam(d.text(i)) == d.label(i).equals("spam") ? 1 : 0;
        }
        return right / (double) d.size();
    }

    @Test
    void aModelRunScoresTheOodTextsWithTheSameModel() throws IOException {
        Path json = tmp.resolve("m.json");
        Path db = tmp.resolve("m.db");
        Cli r = Cli.run("evaluate", "--model", MODEL.toString(), "--data", TEXTS.toString(), "--ood", LATER.toString(),
                "--positive-label", "spam", "-q", "--bootstrap", "200", "--json", json.toString(), "--store", db.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode doc = OM.readTree(json.toFile());
        double in = keywordAccuracy(TEXTS);
        double out = keywordAccuracy(LATER);
        assertEquals(in, doc.get("metrics").get("accuracy").get("value").asDouble(), 1e-12);
        JsonNode ood = doc.get("ood");
        assertEquals(out, ood.get("metrics").get("accuracy").get("value").asDouble(), 1e-12);
        assertEquals(out - in, ood.get("gaps").get("accuracy").get("value").asDouble(), 1e-12);
        assertTrue(out < in - 0.1, "the later spam stopped saying 'free': " + in + " -> " + out);
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            String run = s.listRuns(null).get(0).id();
            Map<String, StoredMetric> m = new HashMap<>();
            s.metrics(run).forEach(x -> m.put(x.name(), x));
            assertEquals(out - in, m.get("gap_accuracy[split=ood]").value(), 1e-12);
            assertEquals(120, m.get("support[split=ood]").value(), 0);
        }
        assertTrue(r.out().contains("out of distribution: " + LATER), r.out());
    }

    static String runId(Path db) {
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            return s.listRuns(null).get(0).id();
        }
    }

    @Test
    void badOodInputExits2() throws IOException {
        Path[] f = split();
        Path other = tmp.resolve("other.csv");
        Files.writeString(other, "label,prob_a,prob_b,prob_c\na,0.5,0.3,0.2\nb,0.1,0.8,0.1\n", StandardCharsets.UTF_8);
        Path neg = tmp.resolve("neg.csv");
        Files.writeString(neg, "label,score\nneg,0.2\nspam,0.9\n", StandardCharsets.UTF_8);
        Cli classes = Cli.run("evaluate", "--predictions", f[0].toString(), "--ood", neg.toString(), "--positive-label", "spam", "--no-store", "-q");
        assertEquals(2, classes.exit(), classes.err());
        assertTrue(classes.err().contains("holds the classes [neg, spam]") && classes.err().contains("[ham, spam]"), classes.err());
        for (Cli r : List.of(
                Cli.run("evaluate", "--predictions", f[0].toString(), "--ood", other.toString(), "--positive-label", "spam", "--no-store", "-q"),
                Cli.run("evaluate", "--predictions", f[0].toString(), "--ood", tmp.resolve("missing.csv").toString(), "--positive-label", "spam", "--no-store", "-q"),
                Cli.run("evaluate", "--model", MODEL.toString(), "--data", TEXTS.toString(), "--ood", tmp.resolve("missing.csv").toString(), "--no-store", "-q"),
                Cli.run("evaluate", "--model", MODEL.toString(), "--data", TEXTS.toString(), "--ood", f[1].toString(), "--no-store", "-q"))) {
            assertEquals(2, r.exit(), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertTrue(r.err().contains("--ood") || r.err().contains("missing.csv"), r.err());
        }
    }
}
