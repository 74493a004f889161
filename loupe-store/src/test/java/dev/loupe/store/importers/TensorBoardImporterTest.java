package dev.loupe.store.importers;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.loupe.api.InvalidInputException;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorBoardImporterTest {
    @TempDir
    Path tmp;

    // ------------------------------------------------------------ a minimal event writer, field numbers per the protos

    static byte[] message(Encoder e) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bos);
        e.write(out);
        out.flush();
        return bos.toByteArray();
    }

    @FunctionalInterface
    interface Encoder {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] fileVersionEvent(double wall) throws IOException {
        return message(o -> {
            o.writeDouble(1, wall);
            o.writeString(3, "brain.Event:2");
        });
    }

    static byte[] event(double wall, long step, byte[]... values) throws IOException {
        byte[] summary = message(o -> {
            for (byte[] v : values) {
                o.writeByteArray(1, v);
            }
        });
        return message(o -> {
            o.writeDouble(1, wall);
            o.writeInt64(2, step);
            o.writeByteArray(5, summary);
        });
    }

    static byte[] simpleValue(String tag, float v) throws IOException {
        return message(o -> {
            o.writeString(1, tag);
            o.writeFloat(2, v);
        });
    }

    static byte[] plugin(String name) throws IOException {
        byte[] pd = message(o -> o.writeString(1, name));
        return message(o -> o.writeByteArray(1, pd));
    }

    /** TF2 form: rank-0 float tensor with float_val (packed), plugin "scalars". */
    static byte[] tensorFloat(String tag, float v) throws IOException {
        byte[] tensor = message(o -> {
            o.writeInt32(1, 1);
            o.writeByteArray(2, new byte[0]);
            byte[] packed = message(p -> p.writeFloatNoTag(v));
            o.writeByteArray(5, packed);
        });
        byte[] meta = plugin("scalars");
        return message(o -> {
            o.writeString(1, tag);
            o.writeByteArray(9, meta);
            o.writeByteArray(8, tensor);
        });
    }

    /** TF2 form with tensor_content: a double, shape [1]. */
    static byte[] tensorContentDouble(String tag, double v) throws IOException {
        byte[] dim = message(o -> o.writeInt64(1, 1));
        byte[] shape = message(o -> o.writeByteArray(2, dim));
        byte[] content = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array();
        byte[] tensor = message(o -> {
            o.writeInt32(1, 2);
            o.writeByteArray(2, shape);
            o.writeBytes(4, ByteString.copyFrom(content));
        });
        return message(o -> {
            o.writeString(1, tag);
            o.writeByteArray(8, tensor);
        });
    }

    static byte[] histogram(String tag) throws IOException {
        byte[] histo = message(o -> {
            o.writeDouble(1, 0);
            o.writeDouble(2, 1);
        });
        return message(o -> {
            o.writeString(1, tag);
            o.writeByteArray(5, histo);
        });
    }

    static byte[] textTensor(String tag) throws IOException {
        byte[] tensor = message(o -> {
            o.writeInt32(1, 7);
            o.writeBytes(8, ByteString.copyFromUtf8("hello"));
        });
        byte[] meta = plugin("text");
        return message(o -> {
            o.writeString(1, tag);
            o.writeByteArray(9, meta);
            o.writeByteArray(8, tensor);
        });
    }

    static byte[] frame(List<byte[]> records) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        for (byte[] r : records) {
            ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            h.putLong(r.length);
            h.putInt(TfEventsReader.maskedCrc(h.array(), 0, 8));
            bos.writeBytes(h.array());
            bos.writeBytes(r);
            bos.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(TfEventsReader.maskedCrc(r, 0, r.length)).array());
        }
        return bos.toByteArray();
    }

    static List<byte[]> trainRecords() throws IOException {
        List<byte[]> recs = new ArrayList<>();
        recs.add(fileVersionEvent(1.7e9));
        for (int step = 0; step < 10; step++) {
            recs.add(event(1.7e9 + step, step, simpleValue("train/loss", 1.0f / (step + 1)), tensorFloat("train/lr", 0.5f)));
        }
        recs.add(event(1.7e9 + 20, 9, histogram("weights"), textTensor("notes"), tensorContentDouble("eval/acc", 0.875)));
        return recs;
    }

    // ------------------------------------------------------------ tests

    @Test
    void maskedCrcMatchesKnownValues() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        java.util.zip.CRC32C c = new java.util.zip.CRC32C();
        c.update(check);
        assertEquals(0xE3069283L, c.getValue());
        // every real tfevents file starts with 18 00 00 00 00 00 00 00 a3 7f 4b 22: a 24-byte file_version event
        byte[] len24 = {0x18, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(0x224b7fa3, TfEventsReader.maskedCrc(len24, 0, 8));
    }

    @Test
    void importsScalarsFromSimpleValueAndTensorsOneRunPerDirectory() throws Exception {
        Path logdir = tmp.resolve("logs");
        Files.createDirectories(logdir.resolve("train"));
        Files.createDirectories(logdir.resolve("validation"));
        Files.write(logdir.resolve("train/events.out.tfevents.1700000000.host.1.0"), frame(trainRecords()));
        Files.write(logdir.resolve("validation/events.out.tfevents.1700000000.host.1.1"),
                frame(List.of(fileVersionEvent(1.7e9), event(1.7e9, 5, simpleValue("loss", 0.25f)))));
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            TensorBoardImporter.Result r = TensorBoardImporter.importDir(s, logdir, "tb");
            assertEquals(2, r.runs().size());
            assertEquals(2, r.nonScalarSkipped(), "histogram and text are skipped with a count");
            assertTrue(r.problems().isEmpty(), r.problems().toString());
            ImportResult train = r.runs().get(0);
            assertEquals("logs/train", s.run(train.runId()).name());
            assertEquals(List.of("eval/acc", "train/loss", "train/lr"), train.series());
            List<SeriesPoint> loss = s.series(train.runId(), "train/loss");
            assertEquals(10, loss.size());
            assertEquals(0.25f, (float) loss.get(3).value());
            assertEquals(1_700_000_003_000L, loss.get(3).wallTime());
            assertEquals(0.5, s.series(train.runId(), "train/lr").get(9).value());
            assertEquals(0.875, s.series(train.runId(), "eval/acc").get(0).value());
            assertEquals(1, s.series(r.runs().get(1).runId(), "loss").size());
            TensorBoardImporter.Result again = TensorBoardImporter.importDir(s, logdir, "tb");
            assertEquals(train.runId(), again.runs().get(0).runId());
            assertEquals(21, s.pointCount(train.runId()), "importing twice does not duplicate points");
            assertEquals(2, s.listRuns(null).size());
        }
    }

    @Test
    void corruptAndTruncatedRecordsAreReportedWithOffsetsAndTheRestImports() throws Exception {
        List<byte[]> recs = trainRecords();
        byte[] file = frame(recs);
        int[] offsets = new int[recs.size()];
        int off = 0;
        for (int i = 0; i < recs.size(); i++) {
            offsets[i] = off;
            off += 12 + recs.get(i).length + 4;
        }
        byte[] bad = Arrays.copyOf(file, file.length);
        bad[offsets[3] + 14] ^= 0x40;       // data of record 3 (step 2): data CRC mismatch
        bad[offsets[6] + 1] ^= 0x01;        // length of record 6 (step 5): length CRC mismatch, resync
        byte[] truncated = Arrays.copyOf(bad, bad.length - 5); // the last record cut short
        Path dir = tmp.resolve("run");
        Files.createDirectories(dir);
        Path f = dir.resolve("events.out.tfevents.1.host");
        Files.write(f, truncated);
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            TensorBoardImporter.Result r = TensorBoardImporter.importDir(s, dir, null);
            String all = String.join("\n", r.problems());
            assertEquals(3, r.problems().size(), all);
            assertEquals(3, r.damaged(), "all three are damage (the command exits 2)");
            assertTrue(all.contains(f + ", record 4, at offset " + offsets[3] + ": record data CRC mismatch"), all);
            assertTrue(all.contains(f + ", record 7, at offset " + offsets[6] + ": corrupt record length (CRC mismatch); resumed at offset "
                    + offsets[7]), all);
            assertTrue(all.contains(f + ", record 12, at offset " + offsets[11] + ": truncated record"), all);
            List<Long> steps = s.series(r.runs().get(0).runId(), "train/loss").stream().map(SeriesPoint::step).toList();
            assertEquals(List.of(0L, 1L, 3L, 4L, 6L, 7L, 8L, 9L), steps);
        }
    }

    @Test
    void aDirectoryWithoutEventFilesSaysSo() throws Exception {
        Files.createDirectories(tmp.resolve("empty"));
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> TensorBoardImporter.importDir(s, tmp.resolve("empty"), null));
            assertTrue(e.getMessage().contains("No events.out.tfevents.* files under"), e.getMessage());
        }
    }

    @Test
    void halfPrecisionBits() {
        assertEquals(1.0, TfEventsReader.halfToDouble(0x3c00, 19));
        assertEquals(-2.0, TfEventsReader.halfToDouble(0xc000, 19));
        assertEquals(1.0, TfEventsReader.halfToDouble(0x3f80, 14));
    }
}
