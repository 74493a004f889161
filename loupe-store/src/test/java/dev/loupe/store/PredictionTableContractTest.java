package dev.loupe.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pages of predictions filtered and sorted by the database, the same on every database (see {@link TestStores}). */
class PredictionTableContractTest {
    @TempDir
    Path tmp;

    private final List<AutoCloseable> cleanups = new ArrayList<>();

    static List<String> kinds() {
        return TestStores.kinds();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanups) {
            c.close();
        }
    }

    private static final List<String> CLASSES = List.of("ham", "spam");

    /** Row i: its label, its stored probabilities (array, object, or none), its decision, its loss, its metadata, its text. */
    private static List<PredictionRow> rows() {
        return List.of(
                new PredictionRow(0, "a", "ham", "[0.9,0.1]", "ham", 0.1, "{\"source\":\"x\"}", "Hello World"),
                new PredictionRow(1, "b", "ham", "[0.4,0.6]", "spam", 0.9, "{\"source\":\"y\"}", "50% off_now"),
                new PredictionRow(2, "c", "spam", "{\"ham\":0.7,\"spam\":0.3}", "ham", 1.2, "{\"source\":\"x\"}", "meeting"),
                new PredictionRow(3, "d", "spam", "[0.2,0.8]", "spam", Double.NaN, null, null),
                new PredictionRow(4, "e", "spam", null, "spam", 0.3, "{\"source\":\"y\",\"n\":2}", "WORLD cup"),
                new PredictionRow(5, "f", null, "[0.5,0.5]", "other", 0.5, null, "x"));
    }

    private static PredictionTable.Query q(String sort) {
        return new PredictionTable.Query(CLASSES, null, null, null, null, null, null, null, null, sort, 0, 10, 100);
    }

    private static List<Long> ids(PredictionTable.Page p) {
        return p.rows().stream().map(PredictionRow::rowIndex).toList();
    }

    /** A confusion cell's page (true and predicted class, by loss) and its count come from an index, not a scan. */
    @org.junit.jupiter.api.Test
    void aConfusionCellIsFoundThroughAnIndex() throws Exception {
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("cell.db")))) {
            String run = s.createRun(RunSpec.of("p")).id();
            s.putPredictions(run, rows());
            for (String sql : List.of("SELECT COUNT(*) FROM predictions WHERE run_id = ? AND label = ? AND pred = ?",
                    "SELECT row_index FROM predictions WHERE run_id = ? AND label = ? AND pred = ? ORDER BY loss DESC, row_index")) {
                StringBuilder plan = new StringBuilder();
                try (java.sql.PreparedStatement ps = s.connection().prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                    ps.setString(1, run);
                    ps.setString(2, "ham");
                    ps.setString(3, "spam");
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            plan.append(rs.getString("detail")).append('\n');
                        }
                    }
                }
                org.junit.jupiter.api.Assertions.assertTrue(plan.toString().contains("USING COVERING INDEX predictions_by_cell")
                        || plan.toString().contains("USING INDEX predictions_by_cell"), sql + ":\n" + plan);
            }
            PredictionTable.Page cell = s.predictionTable().page(run, new PredictionTable.Query(CLASSES, "ham", "spam", null,
                    null, null, null, null, null, "-loss", 0, 10, 100));
            assertEquals(List.of(1L), ids(cell));
            assertEquals(1, cell.matched());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void filtersSortsAndPagesInTheDatabase(String kind) throws Exception {
        TestStores.Fresh f = TestStores.fresh(kind, tmp);
        cleanups.add(f.cleanup());
        try (RunStore s = RunStore.open(f.location())) {
            String run = s.createRun(RunSpec.of("p")).id();
            s.putPredictions(run, rows());
            s.putPredictions(s.createRun(RunSpec.of("other")).id(), rows()); // another run's rows never show
            PredictionTable t = s.predictionTable();

            // loss: missing lowest, ties by row; descending puts the missing last
            assertEquals(List.of(3L, 0L, 4L, 5L, 1L, 2L), ids(t.page(run, q("loss"))));
            assertEquals(List.of(2L, 1L, 5L, 4L, 0L, 3L), ids(t.page(run, q("-loss"))));
            assertEquals(List.of(5L, 4L, 3L, 2L, 1L, 0L), ids(t.page(run, q("-row"))));
            // confidence: the predicted class's probability by position (array) or name (object), else the largest;
            // row 4 has none: 0 -> 0.9, 1 -> 0.6, 2 -> 0.7, 3 -> 0.8, 5 ('other') -> 0.5
            assertEquals(List.of(0L, 3L, 2L, 1L, 5L, 4L), ids(t.page(run, q("-confidence"))));
            PredictionTable.Page p = t.page(run, new PredictionTable.Query(CLASSES, null, null, null, 0.6, 0.8, null, null,
                    null, "confidence", 0, 10, 100));
            assertEquals(List.of(1L, 2L, 3L), ids(p));
            assertEquals(6, p.total());
            assertEquals(3, p.matched());

            // the same rows with their confidence stored when written: the indexed column gives the same pages
            String stored = s.createRun(RunSpec.of("stored")).id();
            double[] conf = {0.9, 0.6, 0.7, 0.8, Double.NaN, 0.5};
            s.putPredictions(stored, rows().stream().map(r -> new PredictionRow(r.rowIndex(), r.exampleId(), r.label(),
                    r.probabilities(), r.pred(), r.loss(), r.metadataJson(), r.text(), conf[(int) r.rowIndex()])).toList());
            assertEquals(List.of(0L, 3L, 2L, 1L, 5L, 4L), ids(t.page(stored, q("-confidence"))));
            assertEquals(List.of(1L, 2L, 3L), ids(t.page(stored, new PredictionTable.Query(CLASSES, null, null, null, 0.6,
                    0.8, null, null, null, "confidence", 0, 10, 100))));
            assertEquals(0.6, t.all(stored, 100).get(1).confidence(), 0);

            // classes and correctness (rows with an unknown label are neither correct nor wrong)
            assertEquals(List.of(1L, 2L), ids(t.page(run, new PredictionTable.Query(CLASSES, null, null, false, null, null,
                    null, null, null, "row", 0, 10, 100))));
            assertEquals(List.of(0L, 3L, 4L), ids(t.page(run, new PredictionTable.Query(CLASSES, null, null, true, null, null,
                    null, null, null, "row", 0, 10, 100))));
            assertEquals(List.of(3L, 4L), ids(t.page(run, new PredictionTable.Query(CLASSES, "spam", "spam", null, null, null,
                    null, null, null, "row", 0, 10, 100))));
            // a metadata value; text or id, case-insensitive, with LIKE's wildcards taken literally
            assertEquals(List.of(1L, 4L), ids(t.page(run, new PredictionTable.Query(CLASSES, null, null, null, null, null,
                    "source", "y", null, "row", 0, 10, 100))));
            assertEquals(List.of(0L, 4L), ids(t.page(run, new PredictionTable.Query(CLASSES, null, null, null, null, null,
                    null, null, "world", "row", 0, 10, 100))));
            assertEquals(List.of(1L), ids(t.page(run, new PredictionTable.Query(CLASSES, null, null, null, null, null,
                    null, null, "0% off_", "row", 0, 10, 100))));
            assertEquals(List.of(), ids(t.page(run, new PredictionTable.Query(CLASSES, null, null, null, null, null,
                    null, null, "0%_off", "row", 0, 10, 100))));
            assertEquals(List.of(2L, 4L), ids(t.page(run, new PredictionTable.Query(CLASSES, null, null, null, null, null,
                    null, null, "C", "row", 0, 10, 100)))); // id "c", text "WORLD cup"
            // pages, and texts cut by the database
            PredictionTable.Page second = t.page(run, new PredictionTable.Query(CLASSES, null, null, null, null, null,
                    null, null, null, "row", 1, 4, 3));
            assertEquals(List.of(4L, 5L), ids(second));
            assertEquals(Arrays.asList("WOR", "x"), second.rows().stream().map(PredictionRow::text).toList());
            assertEquals(Map.of(Arrays.asList("ham", "ham"), 1L, Arrays.asList("ham", "spam"), 1L,
                    Arrays.asList("spam", "ham"), 1L, Arrays.asList("spam", "spam"), 2L, Arrays.asList(null, "other"), 1L),
                    t.outcomeCounts(run));
        }
    }
}
