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
        assertTrue(b.err().contains("$.log_history[0].step"), b.err());
    }

    private static byte[] record(byte[] data) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length + 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(masked(b.array(), 0, 8));
        b.put(data);
        b.putInt(masked(data, 0, data.length));
        return b.array();
    }

    private static int masked(byte[] a, int off, int len) {
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(a, off, len);
        int crc = (int) c.getValue();
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    private static byte[] scalarEvent(long step, String tag, float v) throws Exception {
        java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream();
        com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(value);
        o.writeString(1, tag);
        o.writeFloat(2, v);
        o.flush();
        java.io.ByteArrayOutputStream summary = new java.io.ByteArrayOutputStream();
        o = com.google.protobuf.CodedOutputStream.newInstance(summary);
        o.writeByteArray(1, value.toByteArray());
        o.flush();
        java.io.ByteArrayOutputStream event = new java.io.ByteArrayOutputStream();
        o = com.google.protobuf.CodedOutputStream.newInstance(event);
        o.writeDouble(1, 1.7e9 + step);
        o.writeInt64(2, step);
        o.writeByteArray(5, summary.toByteArray());
        o.flush();
        return event.toByteArray();
    }

    @Test
    void importTensorBoardReportsACorruptRecordAndImportsTheRest() throws Exception {
        Path dir = tmp.resolve("tb/train");
        Files.createDirectories(dir);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        for (int step = 0; step < 5; step++) {
            byte[] rec = record(scalarEvent(step, "train/loss", 1f / (step + 1)));
            if (step == 2) {
                rec[14] ^= 0x10; // data CRC mismatch
            }
            file.writeBytes(rec);
        }
        Files.write(dir.resolve("events.out.tfevents.1700000000.host"), file.toByteArray());
        String store = tmp.resolve("loupe.db").toString();
        Cli r = Cli.run("import", "tensorboard", tmp.resolve("tb").toString(), "--store", store);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("warning: ") && r.err().contains("record data CRC mismatch"), r.err());
        assertTrue(r.err().contains("4 points in 1 series"), r.err());
        Cli list = Cli.run("runs", "list", "--store", store);
        assertTrue(list.out().contains("tb/train"), list.out());
    }
}
