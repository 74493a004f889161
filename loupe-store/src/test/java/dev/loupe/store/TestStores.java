package dev.loupe.store;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * The databases the contract tests run against: SQLite always; PostgreSQL when {@code LOUPE_TEST_PG} holds a
 * JDBC URL. Outside CI a missing {@code LOUPE_TEST_PG} skips the PostgreSQL cases; with {@code CI} set it fails them.
 * Each PostgreSQL store lives in a fresh schema, dropped when the test ends.
 */
public final class TestStores {
    private TestStores() {
    }

    /** A fresh, empty store location of one kind, plus its clean-up. */
    public record Fresh(StoreLocation location, AutoCloseable cleanup) {
    }

    /** Names of the store kinds, for {@code @MethodSource}. */
    public static List<String> kinds() {
        return List.of("sqlite", "postgresql");
    }

    public static Fresh fresh(String kind, Path tmp) throws Exception {
        if (kind.equals("sqlite")) {
            Path dir = Files.createTempDirectory(tmp, "store");
            return new Fresh(StoreLocation.sqlite(dir.resolve("loupe.db")), () -> { });
        }
        String base = System.getenv("LOUPE_TEST_PG");
        if (base == null || base.isBlank()) {
            if (System.getenv("CI") != null) {
                throw new AssertionError("CI is set but LOUPE_TEST_PG is not: the PostgreSQL contract tests must run in CI"
                        + " (.ci/run starts a server and sets it).");
            }
            Assumptions.abort("LOUPE_TEST_PG is not set: PostgreSQL contract tests skipped");
        }
        String schema = "loupe_test_" + Long.toHexString(System.nanoTime()) + Integer.toHexString((int) (Math.random() * 65536));
        try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        String url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Path art = Files.createTempDirectory(tmp, "pg-artifacts");
        return new Fresh(new StoreLocation(url, art), () -> {
            try (Connection c = DriverManager.getConnection(base); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        });
    }
}
