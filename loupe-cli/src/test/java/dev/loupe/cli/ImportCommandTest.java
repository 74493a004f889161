package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `loupe import hf|csv` end to end, then `runs show --json`. */
class ImportCommandTest {
    static final Path FIXTURES = Path.of("..", "loupe-store", "src", "test", "resources", "importers");

    @TempDir
    Path tmp;

    @Test
    void importHfThenShowSeriesAsStepValuePairs() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        Path file = FIXTURES.resolve("bert-imdb/checkpoint-60/trainer_state.json");
        Cli r = Cli.run("import", "hf", file.toString(), "--name", "bert", "--store", store);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().startsWith("imported "), r.err());
        String id = r.err().replaceAll("(?s).*into run ([0-9a-f]+):.*", "$1");
        Cli again = Cli.run("import", "hf", file.toString(), "--store", store);
        assertTrue(again.err().startsWith("re-imported ") && again.err().contains(id), again.err());
        Cli show = Cli.run("runs", "show", id, "--json", "--store", store);
        assertEquals(0, show.exit(), show.err());
        JsonNode doc = new ObjectMapper().readTree(show.out());
        JsonNode loss = doc.get("series").get("loss");
        assertEquals(6, loss.size());
        assertEquals(10, loss.get(0).get(0).asLong());
        assertEquals(0.6931, loss.get(0).get(1).asDouble());
        assertTrue(doc.get("series").get("grad_norm").get(3).get(1).isNull(), "NaN is null in JSON");
        assertEquals(0.4363, doc.get("metrics").get("train_loss").get("value").asDouble());
        Cli table = Cli.run("runs", "show", id, "--store", store);
        assertTrue(table.out().contains("eval_accuracy") && table.out().contains("30..60"), table.out());
    }

    @Test
    void importCsvAndBadInput() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        Cli ok = Cli.run("import", "csv", FIXTURES.resolve("wide_log.csv").toString(), "--store", store);
        assertEquals(0, ok.exit(), ok.err());
        Cli bad = Cli.run("import", "csv", FIXTURES.resolve("bad_value_log.csv").toString(), "--store", store);
        assertEquals(2, bad.exit(), bad.err());
        assertTrue(bad.err().contains("line 3, column 'loss'"), bad.err());
        Cli missing = Cli.run("import", "hf", tmp.resolve("nope.json").toString(), "--store", store);
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Path broken = tmp.resolve("trainer_state.json");
        Files.writeString(broken, "{\"log_history\": [{\"loss\": 1}]}");
        Cli b = Cli.run("import", "hf", broken.toString(), "--store", store);
        assertEquals(2, b.exit(), b.err());
        assertTrue(b.err().contains("no numeric value with a step (skipped 1 log_history entry without a step, e.g."
                + " $.log_history[0] (loss))"), b.err());
    }

    @Test
    void realLogsSayWhatTheyChoseAndInfinitySurvivesInJson() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        Cli keras = Cli.run("import", "csv", FIXTURES.resolve("keras/training.log").toString(), "--store", store);
        assertEquals(0, keras.exit(), keras.err());
        assertTrue(keras.err().contains("20 points in 4 series (20 new points)") && keras.err().contains("step column 'epoch'"),
                keras.err());
        Cli again = Cli.run("import", "csv", FIXTURES.resolve("keras/training.log").toString(), "--store", store);
        assertTrue(again.err().startsWith("re-imported ") && again.err().contains("(0 new points)"), again.err());
        String id = keras.err().replaceAll("(?s).*into run ([0-9a-f]+):.*", "$1");
        JsonNode doc = new ObjectMapper().readTree(Cli.run("runs", "show", id, "--json", "--store", store).out());
        assertEquals("Infinity", doc.get("series").get("val_loss").get(4).get(1).asText(), "as the CSV export writes it");
        assertEquals("dev", doc.get("provenance").get("loupe_version").asText());
        Cli csv = Cli.run("runs", "export", id, "--format", "csv", "--store", store);
        assertTrue(csv.out().contains("series,val_loss,4,,Infinity"), csv.out());
        Cli ray = Cli.run("import", "csv", FIXTURES.resolve("ray/progress.csv").toString(), "--step-col", "iterations_since_restore",
                "--store", store);
        assertEquals(0, ray.exit(), ray.err());
        assertTrue(ray.err().contains("step column 'iterations_since_restore'")
                && ray.err().contains("column 'done' skipped: not numeric ('False' on line 2)"), ray.err());
        Cli hf = Cli.run("import", "hf", FIXTURES.resolve("hf-predict/checkpoint-40/trainer_state.json").toString(), "--store", store);
        assertEquals(0, hf.exit(), hf.err());
        assertTrue(hf.err().contains("skipped 2 log_history entries without a step"), hf.err());
    }

    @Test
    void badLogsExit2AndMakeNoRun() throws Exception {
        String store = tmp.resolve("loupe.db").toString();
        Path dup = tmp.resolve("dup.csv");
        Files.writeString(dup, "step,loss,loss\n1,0.5,0.4\n");
        Path headerOnly = tmp.resolve("header.csv");
        Files.writeString(headerOnly, "step,loss\n");
        Path plain = tmp.resolve("plain.txt");
        Files.writeString(plain, "hello\n");
        Path huge = tmp.resolve("trainer_state.json");
        Files.writeString(huge, "{\"log_history\": [{\"loss\": 1, \"step\": 1e20}]}");
        for (String[] args : new String[][] {{"csv", dup.toString()}, {"csv", headerOnly.toString()},
                {"tensorboard", plain.toString()}, {"hf", huge.toString()}}) {
            Cli r = Cli.run("import", args[0], args[1], "--store", store);
            assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.err().contains(args[1]), r.err());
        }
        assertEquals("[]", Cli.run("runs", "list", "--json", "--store", store).out().replaceAll("\\s", ""));
    }




    @Test
    void importTensorBoardReportsACorruptRecordByFileRecordAndOffsetImportsTheRestAndExits2() throws Exception {
        Path dir = tmp.resolve("tb/train");
        Files.createDirectories(dir);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        for (int step = 0; step < 5; step++) {
            byte[] rec = EventFiles.record(EventFiles.scalarEvent(step, "train/loss", 1f / (step + 1)));
            if (step == 2) {
                rec[14] ^= 0x10; // data CRC mismatch
            }
            file.writeBytes(rec);
        }
        Files.write(dir.resolve("events.out.tfevents.1700000000.host"), file.toByteArray());
        String store = tmp.resolve("loupe.db").toString();
        Cli r = Cli.run("import", "tensorboard", tmp.resolve("tb").toString(), "--store", store);
        assertEquals(2, r.exit(), "a damaged record is bad input: " + r.err());
        long offset = 2L * EventFiles.record(EventFiles.scalarEvent(0, "train/loss", 1f)).length;
        assertTrue(r.err().contains("error: ") && r.err().contains("events.out.tfevents.1700000000.host, record 3, at offset " + offset
                + ": record data CRC mismatch"), r.err());
        assertTrue(r.err().contains("1 damaged record or file") && r.err().contains("the intact records were imported"), r.err());
        assertTrue(r.err().contains("imported tb/train into run ") && r.err().contains("4 points in 1 series (4 new points)"),
                r.err());
        Cli list = Cli.run("runs", "list", "--store", store);
        assertTrue(list.out().contains("tb/train"), list.out());
    }
}
