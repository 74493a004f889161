package dev.loupe.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parquet files written by pyarrow ({@code src/test/resources/parquet/make_fixtures.py}) with different codecs,
 * encodings, page versions and row groups: all must read to the same cells.
 */
class ParquetReaderTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = ParquetReaderTest.class.getResourceAsStream("/parquet/" + name)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reviews-snappy.parquet", "reviews-gzip-plain-v2.parquet", "reviews-zstd-v2.parquet",
        "reviews-lz4.parquet", "reviews-none.parquet"})
    void sameCellsForEveryCodecEncodingAndPageVersion(String name) throws IOException {
        TextDataset d = TextDatasetReader.read(fixture(name));
        assertEquals(List.of("r1", "r2", "r3", "r4", "r5"), d.ids());
        assertEquals(List.of("Great movie, would watch again", "", "Caf\u00e9 \u2713 \uD83C\uDF89 \u4f60\u597d", "", "meh"),
                d.texts());
        assertEquals(List.of("1", "0", "1", "0", "1"), d.labels());
        assertEquals(List.of("lang", "score", "flag", "small"), d.metadataColumns(), "the nested 'tags' is left out");
        assertEquals(Arrays.asList("en", "en", null, "fr", "en"), d.metadataColumn("lang"));
        assertEquals(Arrays.asList("0.5", null, "1.25", "-2.0", "3.0"), d.metadataColumn("score"));
        assertEquals(Arrays.asList("true", "false", null, "true", "false"), d.metadataColumn("flag"));
        assertEquals(Arrays.asList("1", "-2", "3", null, "5"), d.metadataColumn("small"));
        assertEquals(name, d.name());
    }

    @Test
    void manyPagesRowGroupsAndNulls() throws IOException {
        TextDataset d = TextDatasetReader.read(fixture("many-pages.parquet"),
                TextDatasetOptions.defaults().withFormat(TextFormat.PARQUET));
        assertEquals(1000, d.size());
        for (int i = 0; i < 1000; i++) {
            String expected = i % 97 == 0 ? "" : "row " + i + " " + "x".repeat(i % 13);
            assertEquals(expected, d.text(i), "row " + i);
            assertEquals("c" + (i % 3), d.label(i));
            assertEquals("g" + (i / 100), d.metadata("group", i));
            assertEquals(Integer.toString(i + 1), d.id(i));
        }
        assertEquals(Map.of("c0", 334, "c1", 333, "c2", 333), d.labelCounts());
    }

    @Test
    void unsupportedCodecSaysWhatToDo() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TextDatasetReader.read(fixture("reviews-brotli.parquet")));
        assertEquals("UNSUPPORTED_PARQUET", e.code());
        assertTrue(e.getMessage().contains("is compressed with BROTLI, which Loupe does not read. Re-write the file "
                + "with SNAPPY"), e.getMessage());
    }

    @Test
    void unsupportedEncodingSaysWhatToDo() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TextDatasetReader.read(fixture("reviews-delta.parquet")));
        assertEquals("UNSUPPORTED_PARQUET", e.code());
        assertTrue(e.getMessage().contains("column 'text' uses the DELTA_BYTE_ARRAY encoding"), e.getMessage());
    }

    @Test
    void nestedTextColumn() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextDatasetReader.read(
                fixture("reviews-snappy.parquet"), TextDatasetOptions.defaults().withTextColumn("tags")));
        assertEquals("NESTED_COLUMN", e.code());
    }

    @Test
    void missingLabelColumnListsTheColumns() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextDatasetReader.read(
                fixture("reviews-snappy.parquet"), TextDatasetOptions.defaults().withLabelColumn("y")));
        assertEquals("MISSING_LABEL_COLUMN", e.code());
        assertTrue(e.getMessage().contains("Its columns: 'id', 'text', 'label', 'lang', 'score', 'flag', 'small'."),
                e.getMessage());
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] b = Files.readAllBytes(fixture("reviews-snappy.parquet"));
        Path p = Files.write(dir.resolve("cut.parquet"), Arrays.copyOf(b, b.length - 10));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextDatasetReader.read(p));
        assertEquals("CORRUPT_PARQUET", e.code());
    }

    @Test
    void damagedBytesGiveAnErrorOrCellsButNeverCrash() throws IOException {
        byte[] good = Files.readAllBytes(fixture("reviews-snappy.parquet"));
        SplittableRandom rnd = new SplittableRandom(11);
        Path p = dir.resolve("damaged.parquet");
        for (int trial = 0; trial < 300; trial++) {
            byte[] b = good.clone();
            for (int k = 0; k < 1 + rnd.nextInt(3); k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            Files.write(p, b);
            try {
                TextDatasetReader.read(p);
            } catch (LoupeException expected) {
                // a clear error is fine
            }
        }
    }
}
