package dev.loupe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.duckdb.DuckDBDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code loupe evaluate --predictions FILE.parquet}: the golden CSV files (whose metrics EvaluateGoldenTest checks
 * against scikit-learn), written as Parquet by DuckDB, give byte-for-byte the same metrics JSON; a damaged file
 * exits 2 with a message naming it.
 */
class EvaluateParquetTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"binary_ties", "binary_weights", "multiclass5_weights", "never_predicted", "absent_class",
        "explicit_pred", "multiclass3_ties"})
    void sameJsonAsTheCsv(String name) throws Exception {
        Path csv = EvaluateGoldenTest.GOLDEN.resolve(name + ".csv");
        Path parquet = tmp.resolve(name + ".parquet");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
             Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv.toAbsolutePath() + "', header = true)) TO '"
                    + parquet + "' (FORMAT parquet, PARQUET_VERSION v2, ROW_GROUP_SIZE 2048)");
        }
        JsonNode golden = new ObjectMapper().readTree(EvaluateGoldenTest.GOLDEN.resolve(name + ".json").toFile());
        String positive = golden.get("positive").isNull() ? null : golden.get("positive").asText();
        assertEquals(json(csv, positive, "csv"), json(parquet, positive, "parquet"));
    }

    @org.junit.jupiter.api.Test
    void slicesByAMetadataColumnEqualTheCsvs() throws Exception {
        // the example's source column, as a Parquet string column, and as an integer one (read as its text); a null
        // source is the slice (none), as a JSON line without the field
        Path csv = EvaluateSlicesTest.SPAM;
        Path parquet = tmp.resolve("spam.parquet");
        Path typed = tmp.resolve("typed.parquet");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
             Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv.toAbsolutePath() + "', header = true)) TO '" + parquet
                    + "' (FORMAT parquet, ROW_GROUP_SIZE 500)");
            s.execute("COPY (SELECT *, CASE WHEN source = 'spam-2' THEN NULL ELSE length(source) END AS len FROM read_csv('"
                    + csv.toAbsolutePath() + "', header = true)) TO '" + typed + "' (FORMAT parquet)");
        }
        List<String> args = List.of("--positive-label", "spam", "--bootstrap", "50", "--no-store", "-q", "--slice-by", "source",
                "--group-col", "source");
        JsonNode fromCsv = evaluate(csv, args, "c.json");
        JsonNode fromParquet = evaluate(parquet, args, "p.json");
        assertEquals(fromCsv.get("slices"), fromParquet.get("slices"));
        assertEquals(fromCsv.get("fairness"), fromParquet.get("fairness"));
        JsonNode len = evaluate(typed, List.of("--positive-label", "spam", "--bootstrap", "0", "--no-store", "-q",
                "--slice-by", "len"), "t.json").get("slices").get("len");
        java.util.Map<String, Integer> rows = new java.util.TreeMap<>();
        len.fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue().get("n").asInt()));
        assertEquals(java.util.Map.of("10", 840, "6", 180, "(none)", 180), rows); // easy/hard ham, spam-1, spam-2
    }

    private JsonNode evaluate(Path file, List<String> options, String out) throws Exception {
        List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", file.toString(), "--json", tmp.resolve(out).toString()));
        args.addAll(options);
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return new ObjectMapper().readTree(tmp.resolve(out).toFile());
    }

    private String json(Path file, String positive, String tag) throws Exception {
        Path out = tmp.resolve(tag + ".json");
        List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", file.toString(), "--bootstrap", "50",
                "--no-store", "-q", "--json", out.toString()));
        if (positive != null) {
            args.addAll(List.of("--positive-label", positive));
        }
        Cli r = Cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return Files.readString(out);
    }

    @Test
    void truncatedFileExitsTwoNamingIt() throws Exception {
        Path csv = EvaluateGoldenTest.GOLDEN.resolve("binary_ties.csv");
        Path parquet = tmp.resolve("cut.parquet");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", new Properties());
             Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv.toAbsolutePath() + "')) TO '" + parquet + "' (FORMAT parquet)");
        }
        byte[] b = Files.readAllBytes(parquet);
        Files.write(parquet, Arrays.copyOf(b, b.length - 100));
        Cli r = Cli.run("evaluate", "--predictions", parquet.toString(), "--positive-label", "1", "--no-store");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("error: " + parquet + ": not a readable Parquet file ("), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }
}
