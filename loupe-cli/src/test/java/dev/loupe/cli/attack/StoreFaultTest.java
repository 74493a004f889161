package dev.loupe.cli.attack;

import dev.loupe.store.Artifact;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of {@code evaluate} and of {@code import} at seeded random moments, each followed by the store's
 * invariants: SQLite's integrity check passes, no run is finished without its artifacts and kept rows, and every
 * run a process acknowledged ("recorded run X", "imported ... into run X: N points") is there with all its points.
 * Prints the trials and survivors (docs/BENCHMARKS.md records them).
 */
class StoreFaultTest {
    static final int TRIALS = 20;
    static final int ROWS = 10_000;
    static final int LOG_POINTS = 40_000;
    static final Pattern RECORDED = Pattern.compile("recorded run ([0-9a-f]{12})");
    static final Pattern IMPORTED = Pattern.compile("into run ([0-9a-f]{12}): (\\d+) points");
    @TempDir
    Path tmp;

    static Path log(Path dir) throws IOException {
        StringBuilder b = new StringBuilder("step,loss,accuracy\n");
        for (int i = 1; i <= LOG_POINTS / 2; i++) {
            b.append(i).append(',').append(1.0 / i).append(',').append(i / (double) LOG_POINTS).append('\n');
        }
        Path f = dir.resolve("train_log.csv");
        Files.writeString(f, b);
        return f;
    }

    @Test
    void killDashNineOfEvaluateAtRandomMoments() throws Exception {
        Path data = Child.predictions(tmp, ROWS, 7);
        Path store = tmp.resolve("store/loupe.db");
        Stats s = trials(new Random(11), store, "evaluate", Set.of("metrics.json", "predictions.csv.zst"), "evaluate", "--predictions",
                data.toString(), "--positive-label", "spam", "--bootstrap", "100", "--store", store.toString(), "--json",
                tmp.resolve("out.json").toString());
        System.out.printf(Locale.ROOT, "kill -9 evaluate: %d trials killed at 30-110 %% of an unkilled run (%d ms), %d runs recorded whole, %d killed before"
                + " committing (nothing kept), 0 broken%n", TRIALS, s.span, s.whole, TRIALS - s.whole);
    }

    @Test
    void killDashNineOfImportAtRandomMoments() throws Exception {
        Path log = log(tmp);
        Path store = tmp.resolve("store/loupe.db");
        Stats s = trials(new Random(13), store, "import", Set.of(), "import", "csv", log.toString(), "--name", "run", "--store",
                store.toString());
        System.out.printf(Locale.ROOT, "kill -9 import: %d trials killed at 30-110 %% of an unkilled run (%d ms), %d runs imported whole, %d killed before"
                + " committing (nothing kept), 0 broken%n", TRIALS, s.span, s.whole, TRIALS - s.whole);
    }

    record Stats(long span, int whole) {
    }

    /** One unkilled run to time the command, then TRIALS runs killed at uniform random moments within that time. */
    Stats trials(Random rnd, Path store, String what, Set<String> artifacts, String... args) throws Exception {
        Files.createDirectories(store.getParent());
        long t0 = System.nanoTime();
        Process first = Child.java(List.of("-Xmx512m"), tmp.resolve("home"), "dev.loupe.cli.Main", args)
                .redirectErrorStream(true).redirectOutput(tmp.resolve("first.txt").toFile()).start();
        assertTrue(first.waitFor(120, TimeUnit.SECONDS), what + " did not finish");
        assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.txt")));
        long span = (System.nanoTime() - t0) / 1_000_000;
        Set<String> acknowledged = new HashSet<>();
        acknowledged.addAll(acks(Files.readString(tmp.resolve("first.txt"))));
        int whole = 0;
        for (int t = 0; t < TRIALS; t++) {
            long delay = (long) (span * (0.3 + 0.8 * rnd.nextDouble())); // mostly past JVM start
            Path out = tmp.resolve("trial" + t + ".txt");
            int before = runs(store);
            Process p = Child.java(List.of("-Xmx512m"), tmp.resolve("home"), "dev.loupe.cli.Main", args)
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly(); // SIGKILL
            }
            p.waitFor(30, TimeUnit.SECONDS);
            Set<String> acks = acks(Files.readString(out));
            acknowledged.addAll(acks);
            check(store, acknowledged, artifacts, what + " trial " + t + (ended ? " (ended before " : " killed after ") + delay + " ms");
            whole += runs(store) > before ? 1 : 0;
        }
        return new Stats(span, whole);
    }

    int runs(Path store) {
        try (RunStore s = RunStore.openReadOnly(StoreLocation.sqlite(store))) {
            return s.listRuns(null).size();
        }
    }

    static Set<String> acks(String output) {
        Set<String> ids = new HashSet<>();
        Matcher m = RECORDED.matcher(output);
        while (m.find()) {
            ids.add(m.group(1));
        }
        m = IMPORTED.matcher(output);
        while (m.find()) {
            ids.add(m.group(1));
            assertEquals(LOG_POINTS, Integer.parseInt(m.group(2)), output);
        }
        return ids;
    }

    /** The invariants after a kill, read as the next command would (a writable open marks stale runs). */
    static void check(Path store, Set<String> acknowledged, Set<String> artifacts, String what) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1), what);
        }
        try (RunStore s = RunStore.open(StoreLocation.sqlite(store))) {
            Set<String> present = new HashSet<>();
            for (RunInfo run : s.listRuns(null)) {
                present.add(run.id());
                assertEquals(RunStatus.FINISHED, run.status(), what + ": a run left " + run.status());
                Set<String> names = new HashSet<>();
                for (Artifact a : s.artifacts(run.id())) {
                    names.add(a.name());
                    assertTrue(Files.isRegularFile(a.path()) && Files.size(a.path()) == a.sizeBytes(), what + ": artifact " + a.name());
                }
                assertTrue(names.containsAll(artifacts), what + ": run " + run.id() + " finished with artifacts " + names);
                if (!artifacts.isEmpty()) {
                    assertEquals(ROWS, s.predictionCount(run.id()), what + ": kept rows of " + run.id());
                } else {
                    assertEquals(LOG_POINTS, s.pointCount(run.id()), what + ": points of " + run.id());
                }
            }
            assertTrue(present.containsAll(acknowledged), what + ": acknowledged " + acknowledged + ", present " + present);
        }
    }
}
