package dev.loupe.data.predictions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.results.MetricsJson;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Parquet corpus ({@code tools/parquet/make_corpus.py}): the same predictions written by pyarrow (every codec
 * and encoding), pandas, polars, DuckDB v1/v2 and a Spark-style v2 writer read to exactly the rows of the CSV
 * written from the same data, and so to the same metrics JSON; damaged and ill-typed files fail with exit-2 errors
 * that name the file, the column and the row group.
 */
class PredictionParquetTest {
    private static final String[] WRITERS = {"pyarrow-default", "pyarrow-v2pages-zstd", "pyarrow-none",
        "pyarrow-snappy", "pyarrow-gzip", "pyarrow-brotli", "pyarrow-lz4", "pyarrow-zstd", "pyarrow-plain",
        "pyarrow-delta-bss", "pyarrow-rowgroups", "pandas", "polars-default", "polars-brotli", "polars-lz4",
        "duckdb-v1", "duckdb-v2", "duckdb-zstd-rowgroups", "spark-v2"};

    @TempDir
    static Path dir;

    static Path fixture(String name) {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            try (InputStream in = PredictionParquetTest.class.getResourceAsStream("/parquet/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("no test resource /parquet/" + name);
                }
                Files.write(p, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    static Stream<String> writers() {
        return Arrays.stream(WRITERS);
    }

    private static PredictionFileOptions multiOptions() {
        return PredictionFileOptions.defaults().batchSize(50);
    }

    private static PredictionFileOptions binaryOptions() {
        return PredictionFileOptions.defaults().positiveLabel("1").batchSize(64);
    }

    @ParameterizedTest
    @MethodSource("writers")
    void multiClassRowsAndMetricsEqualTheCsv(String writer) {
        assertSameAsCsv(fixture("multi-" + writer + ".parquet"), fixture("multi.csv"), multiOptions());
    }

    @ParameterizedTest
    @MethodSource("writers")
    void binaryRowsAndMetricsEqualTheCsv(String writer) {
        assertSameAsCsv(fixture("binary-" + writer + ".parquet"), fixture("binary.csv"), binaryOptions());
    }

    @Test
    void float32ByteStreamSplitProbabilitiesReadAsTheirExactDoubles() {
        assertSameAsCsv(fixture("multi-float32-bss.parquet"), fixture("multi-float32.csv"),
                multiOptions().renormalize(true));
    }

    @Test
    void deltaLengthByteArrayLabels() {
        assertSameAsCsv(fixture("multi-pyarrow-delta-length.parquet"), fixture("multi.csv"), multiOptions());
    }

    private static void assertSameAsCsv(Path parquet, Path csv, PredictionFileOptions o) {
        Rows p = Rows.read(parquet, o);
        Rows c = Rows.read(csv, o);
        assertEquals(240, p.rowsRead);
        assertEquals(c.schema.classes(), p.schema.classes());
        assertEquals(c.schema.metadataColumns(), p.schema.metadataColumns());
        assertEquals(PredictionFormat.PARQUET, p.schema.format());
        assertEquals(c.labels, p.labels);
        assertEquals(c.preds, p.preds);
        assertEquals(c.weights, p.weights);
        assertEquals(c.keys, p.keys);
        for (int i = 0; i < c.probs.size(); i++) {
            assertArrayEquals(c.probs.get(i), p.probs.get(i), 0.0, "row " + i);
        }
        assertEquals(metricsJson(csv, o), metricsJson(parquet, o));
    }

    /** The whole metrics JSON (every metric, interval, curve and histogram) of a file, 200 bootstrap replicates. */
    static String metricsJson(Path file, PredictionFileOptions o) {
        try (PredictionReader r = PredictionReader.open(file, o)) {
            int k = r.schema().numClasses();
            EvaluationState state = new EvaluationState(new EvaluationConfig(k, k == 2 ? 1 : -1, 200, 3, 0.95, 10, 20, 0));
            PredictionBatch b = r.newBatch();
            while (r.next(b)) {
                state.update(b);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new MetricsJson(1000).write(state.result(r.schema().classes()), out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void formatFromTheNameOrTheOption() {
        assertEquals(PredictionFormat.PARQUET, PredictionFormat.fromFileName(Path.of("x.parquet")));
        assertEquals(PredictionFormat.PARQUET, PredictionFormat.parse("Parquet"));
        Path renamed = dir.resolve("preds.bin");
        try {
            Files.copy(fixture("multi-pyarrow-default.parquet"), renamed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertEquals(240, Rows.read(renamed, multiOptions().format(PredictionFormat.PARQUET)).rowsRead);
    }

    @Test
    void theRawCopyIsTheWholeFile() throws IOException {
        Path f = fixture("binary-polars-default.parquet");
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (PredictionReader r = PredictionReader.open(f, binaryOptions(), copy)) {
            PredictionBatch b = r.newBatch();
            int rows = 0;
            while (r.next(b)) {
                rows += b.size();
            }
            assertEquals(240, rows);
        }
        assertArrayEquals(Files.readAllBytes(f), copy.toByteArray());
    }

    @Test
    void featherFilesAreRefusedWithAWayOut() throws IOException {
        Path f = Files.writeString(dir.resolve("preds.feather"), "ARROW1");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(f, multiOptions()));
        assertEquals("UNKNOWN_FORMAT", e.code());
        assertTrue(e.getMessage().endsWith("Arrow IPC / Feather files are not read: write the table as Parquet, e.g. "
                + "with pyarrow: pyarrow.parquet.write_table(pyarrow.feather.read_table('preds.feather'), "
                + "'out.parquet')."), e.getMessage());
    }

    @Test
    void damagedPageNamesTheFileColumnAndRowGroup() {
        Path f = fixture("corrupt-rowgroup1.parquet");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(f, multiOptions()));
        assertEquals("CORRUPT_PARQUET", e.code());
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().startsWith(f + ", column 'prob_dog', row group 1: not a readable Parquet file ("),
                e.getMessage());
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] b = Files.readAllBytes(fixture("multi-pyarrow-default.parquet"));
        for (int cut : new int[] {10, b.length / 2, b.length - 1}) {
            Path p = Files.write(dir.resolve("cut" + cut + ".parquet"), Arrays.copyOf(b, cut));
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(p, multiOptions()));
            assertEquals("CORRUPT_PARQUET", e.code());
            assertTrue(e.getMessage().startsWith(p + ": not a readable Parquet file ("), e.getMessage());
            assertTrue(e.getMessage().endsWith("The file may be truncated or damaged: copy or write it again."),
                    e.getMessage());
        }
    }

    @Test
    void notParquetAtAll() throws IOException {
        Path p = Files.writeString(dir.resolve("text.parquet"), "label,prob_a,prob_b\na,0.5,0.5\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(p, multiOptions()));
        assertEquals("CORRUPT_PARQUET", e.code());
    }

    @Test
    void probabilitiesStoredAsStrings() {
        Path f = fixture("wrong-type.parquet");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(f, multiOptions()));
        assertEquals("WRONG_COLUMN_TYPE", e.code());
        assertEquals(f + ", column 'prob_dog': it holds probabilities, so it must hold numbers (float, double, decimal "
                + "or integer), but its type is VARCHAR. Write the column with that type, or pass --prob-prefix to use "
                + "another column.", e.getMessage());
    }

    @Test
    void nestedLabelColumn() {
        Path f = fixture("reviews-snappy.parquet");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(f,
                PredictionFileOptions.defaults().labelColumn("embedding").scoreColumn("score").positiveLabel("1")));
        assertEquals("WRONG_COLUMN_TYPE", e.code());
        assertTrue(e.getMessage().contains("column 'embedding': it holds the true class"), e.getMessage());
    }

    @Test
    void missingColumnListsTheColumns() {
        Path f = fixture("multi-duckdb-v2.parquet");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Rows.read(f, multiOptions().labelColumn("truth")));
        assertEquals("MISSING_LABEL_COLUMN", e.code());
        assertTrue(e.getMessage().contains("Columns found: id, label, prob_cat, prob_dog, prob_bird, weight, text."),
                e.getMessage());
    }

    @Test
    void nullProbabilityNamesRowAndRowGroup() {
        Path f = fixture("nulls.parquet");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(f, multiOptions()));
        assertEquals("MISSING_VALUE", e.code());
        assertEquals(f + ", row 130 (row group 2), column 'prob_cat': the probability is empty. Every row needs a "
                + "probability; fill it in or drop the row.", e.getMessage());
    }

    @Test
    void unknownLabelNamesItsFirstRow() {
        // read as a binary score file (positive 'dog'), the third label is the error, at the row where it first appears
        Path f = fixture("multi-pyarrow-default.parquet");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Rows.read(f,
                PredictionFileOptions.defaults().probPrefix("none_").scoreColumn("prob_dog").positiveLabel("dog")));
        assertEquals("SCORE_NOT_BINARY", e.code());
        assertTrue(e.getMessage().startsWith(f + ", row "), e.getMessage());
        assertTrue(e.getMessage().contains("(row group 0), column 'label': the label \""), e.getMessage());
    }
}
