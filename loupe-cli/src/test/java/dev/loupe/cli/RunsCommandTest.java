package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `loupe evaluate` records its run; `loupe runs list/show/delete/export` read it back. */
class RunsCommandTest {
    static final Path SPAM = Path.of("..", "examples", "spam-predictions.csv");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private String store() {
        return tmp.resolve("loupe.db").toString();
    }

    private String evaluate(String... extra) throws Exception {
        String[] base = {"evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "--bootstrap", "50",
            "--store", store()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        Cli r = Cli.run(args);
        assertEquals(0, r.exit(), r.err());
        Cli list = Cli.run("runs", "list", "--json", "--store", store());
        assertEquals(0, list.exit(), list.err());
        return JSON.readTree(list.out()).get(0).get("id").asText();
    }

    @Test
    void evaluateKeepsTheFilesRowsForTheSamplesTable() throws Exception {
        String id = evaluate();
        java.util.List<String> lines = Files.readAllLines(SPAM);
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.sqlite(Path.of(store())))) {
            java.util.List<dev.loupe.store.PredictionRow> rows = s.predictions(id);
            assertEquals(lines.size() - 1, rows.size());
            // row 0 of examples/spam-predictions.csv: msg-00001,ham,0.430456,easy-ham-1 -> below the 0.5 threshold: ham
            dev.loupe.store.PredictionRow first = rows.get(0);
            assertEquals(0, first.rowIndex());
            assertEquals("ham", first.label());
            assertEquals("ham", first.pred());
            assertEquals("[0.569544,0.430456]", first.probabilities().replaceAll("(\\d\\.\\d{6})\\d+", "$1"));
            assertEquals(-Math.log(1 - 0.430456), first.loss(), 1e-9);
            // the kept rows reproduce the confusion matrix the evaluation printed
            long fp = rows.stream().filter(r -> r.label().equals("ham") && r.pred().equals("spam")).count();
            long fn = rows.stream().filter(r -> r.label().equals("spam") && r.pred().equals("ham")).count();
            assertEquals(78, fp);
            assertEquals(21, fn);
            var panel = dev.loupe.report.PanelRegistry.standard().panel("samples");
            var data = dev.loupe.report.RunData.load(s, id);
            assertTrue(panel.isActive(data));
        }
        String limited = evaluate("--keep-rows", "100", "--name", "limited");
        Cli show = Cli.run("runs", "show", limited, "--json", "--store", store());
        assertEquals("first 100 of 1200 (--keep-rows)", JSON.readTree(show.out()).get("params").get("kept_rows").asText());
        assertEquals(2, Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "--keep-rows", "-1",
                "--store", store()).exit());
    }

    @Test
    void keptRowsCarryTheFilesIdsTextsAndMetadata() throws Exception {
        Path file = tmp.resolve("with-text.csv");
        Files.writeString(file, "id,label,score,text,source\n"
                + "a,ham,0.1,\"Hello, \"\"world\"\"\",easy\n"
                + "b,spam,0.2,\"<img src=x onerror=alert(1)>\",hard\n"
                + "c,spam,0.9,cheap meds,spam-1\n");
        Cli r = Cli.run("evaluate", "--predictions", file.toString(), "--positive-label", "spam", "--bootstrap", "0",
                "--store", store(), "-q");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.sqlite(Path.of(store())))) {
            String id = s.listRuns(null).get(0).id();
            java.util.List<dev.loupe.store.PredictionRow> rows = s.predictions(id);
            assertEquals(3, rows.size());
            assertEquals("a", rows.get(0).exampleId());
            assertEquals("Hello, \"world\"", rows.get(0).text());
            assertEquals("{\"source\":\"easy\"}", rows.get(0).metadataJson(), "role columns (score) are not metadata");
            assertEquals("<img src=x onerror=alert(1)>", rows.get(1).text());
            assertEquals("spam", rows.get(1).label());
            assertEquals("ham", rows.get(1).pred());
        }
    }

    @Test
    void evaluateRecordsARunWithParamsMetricsIntervalsAndProvenance() throws Exception {
        String id = evaluate("--experiment", "spam", "--name", "baseline");
        Cli show = Cli.run("runs", "show", id, "--json", "--store", store());
        assertEquals(0, show.exit(), show.err());
        JsonNode doc = JSON.readTree(show.out());
        assertEquals("baseline", doc.get("name").asText());
        assertEquals("spam", doc.get("experiment").asText());
        assertEquals("finished", doc.get("status").asText());
        JsonNode acc = doc.get("metrics").get("accuracy");
        assertEquals(0.9175, acc.get("value").asDouble(), 1e-12);
        assertTrue(acc.get("ci_low").asDouble() < 0.9175 && acc.get("ci_high").asDouble() > 0.9175, acc.toString());
        assertEquals(50, doc.get("params").get("bootstrap").asInt());
        JsonNode prov = doc.get("provenance");
        assertTrue(prov.get("dataset_hash").asText().matches("sha256:[0-9a-f]{64}"), prov.toString());
        assertTrue(prov.get("command").asText().startsWith("loupe evaluate --predictions"), prov.toString());
        assertTrue(doc.get("series").isObject());
        assertEquals("metrics.json", doc.get("artifacts").get(0).get("name").asText());
        JsonNode kept = doc.get("artifacts").get(1);
        assertEquals("predictions.csv.zst", kept.get("name").asText());
        assertEquals("application/zstd", kept.get("media_type").asText());
        try (java.io.InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(
                tmp.resolve("artifacts").resolve(kept.get("sha256").asText().substring(0, 2)).resolve(kept.get("sha256").asText())))) {
            byte[] unpacked = in.readAllBytes();
            assertArrayEquals(Files.readAllBytes(SPAM), unpacked, "the kept predictions are the evaluated file");
            assertEquals(prov.get("dataset_hash").asText(), "sha256:" + java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(unpacked)));
        }

        Cli table = Cli.run("runs", "show", id.substring(0, 6), "--store", store());
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().contains("accuracy") && table.out().contains("0.9175"), table.out());

        Cli list = Cli.run("runs", "list", "--experiment", "spam", "--store", store());
        assertTrue(list.out().contains(id) && list.out().contains("baseline"), list.out());
        Cli other = Cli.run("runs", "list", "--experiment", "other", "--store", store());
        assertFalse(other.out().contains(id), other.out());
    }

    @Test
    void noStoreRecordsNothing() throws Exception {
        Cli r = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "--bootstrap", "0",
                "--store", store(), "--no-store");
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.exists(tmp.resolve("loupe.db")));
    }

    @Test
    void unknownRunExitsWith2AndSaysSo() {
        // a store that exists, without that run (a store that does not exist is CliHardeningTest's case)
        dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.resolve(store())).close();
        for (String cmd : new String[] {"show", "delete"}) {
            Cli r = Cli.run("runs", cmd, "0123456789ab", "--store", store());
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().startsWith("error: No run '0123456789ab'"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        Cli r = Cli.run("runs", "export", "zzz", "--format", "json", "--store", store());
        assertEquals(2, r.exit(), r.err());
    }

    @Test
    void exportJsonAndCsvThenDelete() throws Exception {
        String id = evaluate();
        Cli json = Cli.run("runs", "export", id, "--format", "json", "--store", store());
        assertEquals(0, json.exit(), json.err());
        JsonNode doc = JSON.readTree(json.out());
        assertEquals(id, doc.get("id").asText());
        assertTrue(doc.get("predictions").isArray());
        Path csv = tmp.resolve("run.csv");
        Cli c = Cli.run("runs", "export", id, "--format", "csv", "-o", csv.toString(), "--store", store());
        assertEquals(0, c.exit(), c.err());
        String text = Files.readString(csv);
        assertTrue(text.startsWith("kind,name,step,wall_time,value,ci_low,ci_high\n"), text);
        assertTrue(text.contains("\nmetric,accuracy,,,0.9175,"), text);
        Cli bad = Cli.run("runs", "export", id, "--format", "xml", "--store", store());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("'--format' parameter must be json or csv"), bad.err());

        Cli del = Cli.run("runs", "delete", id, "--store", store());
        assertEquals(0, del.exit(), del.err());
        assertEquals(2, Cli.run("runs", "show", id, "--store", store()).exit());
        Cli list = Cli.run("runs", "list", "--store", store());
        assertTrue(list.out().startsWith("No runs"), list.out());
    }

    @Test
    void aBadStoreUrlIsABadParameter() {
        Cli r = Cli.run("runs", "list", "--store", "jdbc:mysql://localhost/x");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--store"), r.err());
    }

    @Test
    void listShowsKeyMetricsAndStaysAlignedWithLongNames() throws Exception {
        String id = evaluate("--experiment", "an-experiment-with-a-name-far-longer-than-sixteen-characters",
                "--name", "a run whose name is very long indeed, longer than any column");
        String multi = evaluate("--experiment", "x", "--name", "short");
        Cli list = Cli.run("runs", "list", "--store", store());
        assertEquals(0, list.exit(), list.err());
        java.util.List<String> lines = list.out().lines().toList();
        assertEquals(3, lines.size(), list.out());
        String header = lines.get(0);
        for (String col : new String[] {"id", "experiment", "status", "started (UTC)", "accuracy", "f1", "roc_auc", "name"}) {
            assertTrue(header.contains(col), header);
        }
        // every column starts where its header does, whatever the length of the names before it
        for (String col : new String[] {"status", "started (UTC)", "name"}) {
            int at = header.indexOf(col);
            for (String line : lines.subList(1, 3)) {
                assertTrue(line.length() > at && line.charAt(at - 1) == ' ' && line.charAt(at) != ' ', col + " at " + at + ":\n" + list.out());
            }
        }
        int accEnd = header.indexOf("accuracy") + "accuracy".length();
        for (String line : lines.subList(1, 3)) {
            assertEquals("0.9175", line.substring(accEnd - 6, accEnd), "accuracy right-aligned under its header:\n" + list.out());
        }
        String row = lines.stream().filter(l -> l.startsWith(id)).findFirst().orElseThrow();
        assertTrue(row.contains("an-experiment-with-a-name-far-l…"), row);
        assertTrue(row.endsWith("a run whose name is very long indeed, longer than any column"), row);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(multi)), list.out());
        try (dev.loupe.store.RunStore s = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.sqlite(Path.of(store())))) {
            double auc = s.metrics(id).stream().filter(m -> m.name().equals("roc_auc")).findFirst().orElseThrow().value();
            double f1 = s.metrics(id).stream().filter(m -> m.name().equals("f1")).findFirst().orElseThrow().value();
            assertTrue(row.contains(RunsCommand.num(auc)) && row.contains(RunsCommand.num(f1)), row);
        }
    }
}
