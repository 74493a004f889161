package dev.loupe.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
 * Parquet data sets from the corpus ({@code tools/parquet/make_corpus.py}): one table written with every codec
 * (Brotli included), DELTA_* and BYTE_STREAM_SPLIT encodings, both page versions and several row groups reads to
 * the same cells; logical types read as readable text; lists of numbers as vectors.
 */
class TextDatasetParquetTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = TextDatasetParquetTest.class.getResourceAsStream("/parquet/" + name)) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"reviews-snappy.parquet", "reviews-gzip-plain-v2.parquet", "reviews-zstd-v2.parquet",
        "reviews-lz4.parquet", "reviews-none.parquet", "reviews-brotli.parquet", "reviews-delta.parquet"})
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
        assertEquals(List.of("embedding"), d.vectorColumns(), "list<float> is a vector column");
        assertArrayEquals(new float[] {0.5f, -1.0f}, d.vector("embedding", 0));
        assertArrayEquals(new float[] {0.25f, 2.0f}, d.vector("embedding", 1));
        assertNull(d.vector("embedding", 2));
        assertArrayEquals(new float[] {1.0f, 0.0f}, d.vector("embedding", 3));
        assertArrayEquals(new float[0], d.vector("embedding", 4));
        assertEquals(name, d.name());
        TextDataset sub = d.select(new int[] {3, 0});
        assertArrayEquals(new float[] {1.0f, 0.0f}, sub.vector("embedding", 0), "select keeps the vectors");
        assertArrayEquals(new float[] {0.5f, -1.0f}, sub.vector("embedding", 1));
    }

    @Test
    void logicalTypesReadAsReadableValues() throws IOException {
        TextDataset d = TextDatasetReader.read(fixture("types.parquet"));
        assertEquals(List.of("ts_ms", "ts_us_utc", "day", "price", "big", "ratio"), d.metadataColumns(),
                "the struct column is left out");
        assertEquals(List.of("2024-01-31 12:00:00", "1970-01-01 00:00:00"), d.metadataColumn("ts_ms"));
        assertEquals(Arrays.asList("2024-01-31 12:00:00.123456+00", null), d.metadataColumn("ts_us_utc"));
        assertEquals(List.of("2024-01-31", "1969-12-31"), d.metadataColumn("day"));
        assertEquals(List.of("12.50", "-0.01"), d.metadataColumn("price"));
        assertEquals(List.of("4611686018427387904", "-1"), d.metadataColumn("big"));
        assertEquals(List.of("0.1", "1e-300"), d.metadataColumn("ratio"));
        assertEquals(List.of("vec3", "vec_double"), d.vectorColumns());
        assertArrayEquals(new float[] {4f, 5f, 6f}, d.vector("vec3", 1), "fixed-size lists too");
        assertArrayEquals(new float[] {1e10f}, d.vector("vec_double", 1));
    }

    @Test
    void sparkInt96Timestamps() throws IOException {
        TextDataset d = TextDatasetReader.read(fixture("types-int96.parquet"));
        assertEquals(List.of("2024-01-31 12:00:00", "1970-01-01 00:00:00"), d.metadataColumn("ts"));
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

    @ParameterizedTest
    @ValueSource(strings = {"tags", "embedding"})
    void nestedTextColumn(String column) throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextDatasetReader.read(
                fixture("reviews-snappy.parquet"), TextDatasetOptions.defaults().withTextColumn(column)));
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
        assertTrue(e.getMessage().startsWith(p + ": not a readable Parquet file ("), e.getMessage());
    }

    @Test
    void damagedPageNamesTheColumnAndRowGroup() throws IOException {
        Path p = fixture("corrupt-rowgroup1.parquet");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TextDatasetReader.read(p,
                TextDatasetOptions.defaults().withIdColumn("id")));
        assertEquals("CORRUPT_PARQUET", e.code());
        assertTrue(e.getMessage().startsWith(p + ", column 'prob_dog', row group 1: "), e.getMessage());
    }

    @Test
    void damagedBytesGiveAnErrorOrCellsButNeverCrash() throws IOException {
        byte[] good = Files.readAllBytes(fixture("reviews-snappy.parquet"));
        SplittableRandom rnd = new SplittableRandom(11);
        Path p = dir.resolve("damaged.parquet");
        for (int trial = 0; trial < 100; trial++) {
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
