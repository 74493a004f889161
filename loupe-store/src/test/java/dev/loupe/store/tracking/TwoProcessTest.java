package dev.loupe.store.tracking;

import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesSummary;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reliability with real processes: a writer JVM killed with SIGKILL, and a writer JVM logging while this JVM reads.
 * The steady test runs {@code loupe.test.soakSeconds} seconds (default 5; the bar is 60:
 * {@code mvn -pl loupe-store test -Dtest=TwoProcessTest -Dloupe.test.soakSeconds=60}).
 */
class TwoProcessTest {
    @TempDir
    Path tmp;

    private Process child(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildWriter.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void killMinus9LeavesACleanStoreACrashedRunAndEveryFlushedPoint() throws Exception {
        Path db = tmp.resolve("loupe.db");
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            assertEquals(0, s.listRuns(null).size()); // create the schema first
        }
        Process p = child("crash", db.toString());
        String runId = null;
        long flushed = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("run ")) {
                    runId = line.substring(4);
                } else if (line.startsWith("flushed ")) {
                    flushed = Long.parseLong(line.substring(8));
                    if (flushed >= 50_000) {
                        p.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                        break;
                    }
                }
            }
        }
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(runId != null && flushed >= 50_000, "child never reached 50,000 flushed points");
        Thread.sleep(300);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertEquals("ok", rs.getString(1));
        }
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db), Duration.ofMillis(200))) {
            assertEquals(RunStatus.CRASHED, s.run(runId).status());
            long stored = s.pointCount(runId);
            assertTrue(stored >= flushed, "stored " + stored + " < acknowledged " + flushed);
            // points are committed in whole steps of 20 series or not at all per batch; every series has a prefix
            for (SeriesSummary sum : s.seriesSummaries(runId)) {
                assertEquals(sum.lastStep() + 1, sum.points(), sum.name() + " has a gap");
            }
        }
    }

    @Test
    void aReaderProcessAndAWriterProcessRunTogetherWithoutErrorsOrLoss() throws Exception {
        long seconds = Long.getLong("loupe.test.soakSeconds", 5);
        Path db = tmp.resolve("loupe.db");
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            assertEquals(0, s.listRuns(null).size());
        }
        Process p = child("steady", db.toString(), Long.toString(seconds));
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertTrue(first != null && first.startsWith("run "), "child said " + first);
        String runId = first.substring(4);
        long reads = 0;
        long last = 0;
        try (RunStore reader = RunStore.open(StoreLocation.sqlite(db), Duration.ofHours(1))) {
            while (p.isAlive()) {
                long n = reader.pointCount(runId);
                assertTrue(n >= last, "point count went back from " + last + " to " + n);
                last = n;
                List<SeriesSummary> sums = reader.seriesSummaries(runId);
                if (!sums.isEmpty()) {
                    reader.series(runId, sums.get(0).name());
                }
                reader.listRuns(null);
                reads++;
            }
            String done = out.readLine();
            assertEquals(0, p.waitFor());
            assertTrue(done != null && done.startsWith("done "), "child said " + done);
            long logged = Long.parseLong(done.substring(5));
            assertEquals(logged, reader.pointCount(runId), "points lost");
            assertTrue(logged >= 20L * 200 * seconds * 9 / 10, "writer logged only " + logged);
            assertEquals(RunStatus.FINISHED, reader.run(runId).status());
            assertTrue(reads > 10, "reader made only " + reads + " reads");
        }
    }

    @Test
    void exitingWithoutCloseFlushesEveryPointAndMarksTheRunFailed() throws Exception {
        Path db = tmp.resolve("loupe.db");
        Process p = child("exit", db.toString());
        String first;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            first = out.readLine();
        }
        assertEquals(0, p.waitFor());
        String runId = first.substring(4);
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            assertEquals(RunStatus.FAILED, s.run(runId).status());
            assertEquals(1000, s.pointCount(runId));
        }
    }

    @Test
    void twoWriterProcessesShareOneStoreWithoutLoss() throws Exception {
        Path db = tmp.resolve("loupe.db");
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            assertEquals(0, s.listRuns(null).size());
        }
        Process a = child("steady", db.toString(), "3");
        Process b = child("steady", db.toString(), "3");
        List<String[]> results = new ArrayList<>();
        for (Process p : List.of(a, b)) {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String run = out.readLine();
                String done = out.readLine();
                assertTrue(run != null && done != null && done.startsWith("done "), run + " / " + done);
                results.add(new String[] {run.substring(4), done.substring(5)});
            }
            assertEquals(0, p.waitFor());
        }
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            for (String[] r : results) {
                assertEquals(Long.parseLong(r[1]), s.pointCount(r[0]));
                assertEquals(RunStatus.FINISHED, s.run(r[0]).status());
            }
        }
    }
}
