package dev.loupe.store;

import dev.loupe.api.InvalidInputException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schema upgrades never lose data: for every schema version, a store created by exactly that version's migrations
 * (Flyway with {@code target}) and filled with raw SQL opens with the current code, upgraded, with its data intact.
 * A store newer than the code is refused without being touched.
 */
class MigrationTest {
    @TempDir
    Path tmp;

    private final List<AutoCloseable> cleanups = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanups) {
            c.close();
        }
    }

    static List<String> kinds() {
        return TestStores.kinds();
    }

    private StoreLocation fresh(String kind) throws Exception {
        TestStores.Fresh f = TestStores.fresh(kind, tmp);
        cleanups.add(f.cleanup());
        return f.location();
    }

    private static Flyway flyway(StoreLocation loc, String target) {
        return Flyway.configure(MigrationTest.class.getClassLoader())
                .dataSource(loc.jdbcUrl(), null, null)
                .locations("classpath:db/migration")
                .table(Migrations.HISTORY_TABLE)
                .target(target)
                .placeholders(Migrations.placeholders(loc))
                .load();
    }

    /** Data written with the SQL of schema version 1 (valid for every later version too). */
    private static void fillV1(Connection c) throws Exception {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO experiments (name, created_at) VALUES ('old', 1)");
            st.executeUpdate("INSERT INTO runs (id, experiment, name, status, started_at, ended_at, heartbeat_at, model_sha256,"
                    + " dataset_hash, split_seed, config, loupe_version, command, host) VALUES ('aaaaaaaaaaaa', 'old', 'legacy',"
                    + " 'finished', 1000, 2000, 2000, 'm', 'd', 7, '{\"a\":1}', '0.0.1', 'loupe evaluate', 'h')");
            st.executeUpdate("INSERT INTO params (run_id, name, value) VALUES ('aaaaaaaaaaaa', 'lr', '0.001')");
            st.executeUpdate("INSERT INTO metrics (run_id, name, value, ci_low, ci_high) VALUES ('aaaaaaaaaaaa', 'accuracy', 0.9, 0.8, 0.95)");
            st.executeUpdate("INSERT INTO series (id, run_id, name) VALUES (1, 'aaaaaaaaaaaa', 'loss')");
            for (int i = 0; i < 100; i++) {
                st.executeUpdate("INSERT INTO series_points (series_id, step, wall_time, value) VALUES (1, "
                        + i + ", " + (1000 + i) + ", " + (1.0 / (i + 1)) + ")");
            }
            st.executeUpdate("INSERT INTO predictions (run_id, row_index, example_id, label, probabilities, pred, loss, metadata, text)"
                    + " VALUES ('aaaaaaaaaaaa', 0, 'x', 'spam', '[0.1,0.9]', 'spam', 0.1, '{}', 'hi')");
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void everyEarlierSchemaVersionUpgradesWithItsDataIntact(String kind) throws Exception {
        for (int v = 1; v <= Migrations.LATEST; v++) {
            StoreLocation loc = fresh(kind);
            flyway(loc, Integer.toString(v)).migrate();
            try (Connection c = kind.equals("sqlite") ? DriverManager.getConnection(loc.jdbcUrl())
                    : DriverManager.getConnection(loc.jdbcUrl())) {
                assertEquals(v, Migrations.currentVersion(c));
                fillV1(c);
            }
            try (RunStore s = RunStore.open(loc)) {
                assertEquals(Migrations.LATEST, s.schemaVersion());
                RunInfo r = s.run("aaaaaaaaaaaa");
                assertEquals("legacy", r.name());
                assertEquals(RunStatus.FINISHED, r.status());
                assertEquals(new Provenance("m", "d", 7L, "{\"a\":1}", "0.0.1", "loupe evaluate", "h"), r.provenance());
                assertEquals(0.001, ((Number) s.params(r.id()).get("lr")).doubleValue());
                assertEquals(new StoredMetric("accuracy", 0.9, 0.8, 0.95), s.metrics(r.id()).get(0));
                assertEquals(100, s.pointCount(r.id()));
                assertEquals(1, s.predictions(r.id()).size());
                s.appendPoints(r.id(), List.of(new SeriesPoint("loss", 100, 1, 0.001)));
                assertEquals(101, s.pointCount(r.id()), "an upgraded store takes new data");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aStoreNewerThanThisLoupeIsRefusedUntouched(String kind) throws Exception {
        StoreLocation loc = fresh(kind);
        try (RunStore s = RunStore.open(loc)) {
            s.createRun(RunSpec.of("kept"));
        }
        try (Connection c = DriverManager.getConnection(loc.jdbcUrl()); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO " + Migrations.HISTORY_TABLE + " (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, installed_on, execution_time, success) VALUES (99, '99', 'future', 'SQL',"
                    + " 'V99__future.sql', 0, 'test', CURRENT_TIMESTAMP, 0, TRUE)");
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RunStore.open(loc));
        assertTrue(e.getMessage().contains("schema version 99") && e.getMessage().contains("upgrade Loupe"), e.getMessage());
        try (Connection c = DriverManager.getConnection(loc.jdbcUrl()); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT COUNT(*) FROM runs")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }
}
