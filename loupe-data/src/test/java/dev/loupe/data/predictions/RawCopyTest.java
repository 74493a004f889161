package dev.loupe.data.predictions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loupe.api.PredictionBatch;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw copy a reader hands over is the file byte for byte (compressed bytes for .gz), whatever the buffer size. */
class RawCopyTest {
    @TempDir
    Path dir;

    private static String csv(int rows) {
        StringBuilder sb = new StringBuilder("\uFEFFid,label,score\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(',').append(i % 3 == 0 ? "spam" : "ham").append(',').append((i % 97) / 97.0).append('\n');
        }
        return sb.toString();
    }

    @Test
    void theCopyIsTheFileAndEveryRowIsRead() throws Exception {
        Path file = dir.resolve("p.csv");
        Files.writeString(file, csv(5_000), StandardCharsets.UTF_8);
        for (int buffer : new int[] {7, 4096, ByteInput.DEFAULT_SIZE}) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            assertEquals(5_000, readAll(file, copy, buffer));
            assertArrayEquals(Files.readAllBytes(file), copy.toByteArray(), "buffer " + buffer);
        }
    }

    @Test
    void aGzipFileIsCopiedAsStored() throws Exception {
        Path file = dir.resolve("p.csv.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(file))) {
            os.write(csv(3_000).getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        assertEquals(3_000, readAll(file, copy, 4096));
        assertArrayEquals(Files.readAllBytes(file), copy.toByteArray());
    }

    private static long readAll(Path file, OutputStream copy, int buffer) {
        PredictionFileOptions o = PredictionFileOptions.defaults().positiveLabel("spam");
        try (PredictionReader r = buffer == ByteInput.DEFAULT_SIZE ? PredictionReader.open(file, o, copy)
                : PredictionReader.openForTest(file, o, buffer, copy)) {
            PredictionBatch b = r.newBatch();
            while (r.next(b)) {
                // the copy grows as the reader reads
            }
            return r.rowsRead();
        }
    }
}
