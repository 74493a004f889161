package dev.loupe.store;

import dev.loupe.store.tracking.Loupe;
import dev.loupe.store.tracking.Run;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The performance bars, measured on SQLite: ingestion through the logging API, and a 1,000,000-point series
 * read downsampled for a chart. Tagged {@code perf} (timing depends on the machine, so {@code mvn verify} skips it):
 * {@code mvn -pl loupe-store test -Dgroups=perf -DexcludedGroups=none}.
 */
@Tag("perf")
class StorePerfTest {
    @TempDir
    Path tmp;

    @Test
    void ingestionAndDownsampledRead() {
        int points = 1_000_000;
        try (RunStore store = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            Run run = Loupe.start(store, false, RunSpec.of("perf"), Map.of(), Run.Options.DEFAULT);
            long t0 = System.nanoTime();
            for (int i = 0; i < points; i++) {
                run.log("train/loss", i, Math.sin(i * 1e-4) + (i % 7) * 1e-3);
            }
            long logged = System.nanoTime();
            run.close();
            long t1 = System.nanoTime();
            double rate = points / ((t1 - t0) / 1e9);
            System.out.printf(Locale.ROOT, "ingest: %,d points logged in %.0f ms, committed in %.0f ms: %,.0f points/s%n",
                    points, (logged - t0) / 1e6, (t1 - t0) / 1e6, rate);
            assertEquals(points, store.pointCount(run.id()));
            long best = Long.MAX_VALUE;
            List<SeriesPoint> ds = null;
            for (int rep = 0; rep < 5; rep++) {
                long a = System.nanoTime();
                ds = store.seriesDownsampled(run.id(), "train/loss", 2000);
                best = Math.min(best, System.nanoTime() - a);
            }
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(store.location().jdbcUrl());
                 java.sql.Statement st = c.createStatement()) {
                for (int rep = 0; rep < 3; rep++) {
                    long a = System.nanoTime();
                    try (java.sql.ResultSet rs = st.executeQuery("SELECT MIN(value), MAX(value), COUNT(*) FROM series_points")) {
                        rs.next();
                    }
                    System.out.printf(Locale.ROOT, "full-scan aggregate: %.1f ms%n", (System.nanoTime() - a) / 1e6);
                }
            } catch (java.sql.SQLException e) {
                throw new RuntimeException(e);
            }
            System.out.printf(Locale.ROOT, "downsampled read of %,d points to %,d: best of 5 %.1f ms%n", points, ds.size(), best / 1e6);
            assertTrue(ds.size() <= 2000 && ds.size() >= 1900, "size " + ds.size());
            assertTrue(rate >= 200_000, "ingestion " + rate + " points/s");
            assertTrue(best < 200e6, "downsampled read " + best / 1e6 + " ms");
        }
    }

    @Test
    void openTime() {
        Path db = tmp.resolve("open.db");
        RunStore.open(StoreLocation.sqlite(db)).close();
        long a = System.nanoTime();
        RunStore.open(StoreLocation.sqlite(db), Duration.ofMinutes(2)).close();
        System.out.printf(Locale.ROOT, "open of an existing store: %.1f ms%n", (System.nanoTime() - a) / 1e6);
    }
}
