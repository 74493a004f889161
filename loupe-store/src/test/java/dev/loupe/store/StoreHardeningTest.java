package dev.loupe.store;

import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.api.MetricValue;
import dev.loupe.api.NotFoundException;
import dev.loupe.store.export.RunExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's side of the attack's findings (issue 10), each pinned by a test. */
class StoreHardeningTest {
    @TempDir
    Path tmp;

    RunStore store() {
        return RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")));
    }

    @Test
    void readOnlyOpenOfAMissingStoreSaysSoAndCreatesNothing() {
        Path file = tmp.resolve("nope/loupe.db");
        NotFoundException e = assertThrows(NotFoundException.class, () -> RunStore.openReadOnly(StoreLocation.sqlite(file)));
        assertEquals("STORE_NOT_FOUND", e.code());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("nope")));
    }

    @Test
    void readOnlyOpenReadsAndRefusesWritesAndShowsSilentRunsAsCrashed() {
        String live;
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")), Duration.ofDays(1))) {
            live = s.createRun(RunSpec.of("live")).id();
            s.recordRun(RunSpec.of("done"), Map.of(), Map.of("accuracy", MetricValue.of(0.5)));
        }
        try (RunStore ro = RunStore.openReadOnly(StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            assertEquals(2, ro.listRuns(null).size());
            assertEquals(RunStatus.RUNNING, ro.run(live).status(), "heartbeat is fresh");
            LoupeException e = assertThrows(LoupeException.class, () -> ro.createRun(RunSpec.of("x")));
            assertEquals(2, e.exitCode(), e.getMessage());
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        }
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")), Duration.ofDays(1))) {
            s.transaction(() -> {
                s.heartbeat(live);
                return null;
            });
        }
        // a heartbeat older than the stale limit: read-only, nothing can be marked, but it reads as crashed
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("loupe.db"));
             var st = c.createStatement()) {
            st.executeUpdate("UPDATE runs SET heartbeat_at = 1000 WHERE id = '" + live + "'");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        try (RunStore ro = RunStore.openReadOnly(StoreLocation.sqlite(tmp.resolve("loupe.db")))) {
            assertEquals(RunStatus.CRASHED, ro.run(live).status());
        }
    }

    @Test
    void textWithNulComesBackWholeWhenCut() {
        try (RunStore s = store()) {
            String id = s.createRun(RunSpec.of("nul")).id();
            String withNul = "before\u0000after";
            String longNul = "x\u0000" + "é".repeat(50) + "🙂".repeat(50);
            s.putPredictions(id, List.of(new PredictionRow(0, "a", "ham", "[1,0]", "ham", 0.1, "{}", withNul),
                    new PredictionRow(1, "b", "ham", "[1,0]", "ham", 0.1, "{}", longNul),
                    new PredictionRow(2, "c", "ham", "[1,0]", "ham", 0.1, "{}", null)));
            List<PredictionRow> cut = s.predictions(id, 30);
            assertEquals(withNul, cut.get(0).text());
            assertEquals(longNul.substring(0, longNul.offsetByCodePoints(0, 30)), cut.get(1).text());
            assertEquals(null, cut.get(2).text());
            assertEquals(longNul, s.predictions(id).get(1).text(), "the export path keeps everything");
            assertEquals(longNul.substring(0, longNul.offsetByCodePoints(0, 90)), s.predictions(id, 90).get(1).text());
        }
    }

    @Test
    void aRolledBackRunLeavesNoArtifactFile() throws IOException {
        try (RunStore s = store()) {
            byte[] content = "unique content of a failed run".getBytes(StandardCharsets.UTF_8);
            assertThrows(IllegalStateException.class, () -> s.transaction(() -> {
                RunInfo r = s.recordRun(RunSpec.of("failing"), Map.of(), Map.of());
                s.putArtifact(r.id(), "metrics.json", "application/json", new ByteArrayInputStream(content));
                throw new IllegalStateException("the disk filled up here");
            }));
            assertEquals(0, s.listRuns(null).size());
            try (var files = Files.walk(tmp.resolve("artifacts"))) {
                assertEquals(0, files.filter(Files::isRegularFile).count());
            }
        }
    }

    @Test
    void storeFaultsAreNamedForWhatTheyAre() {
        StoreLocation loc = StoreLocation.sqlite(tmp.resolve("loupe.db"));
        LoupeException full = StoreFaults.translate(loc, new SQLException("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)"), "the run store");
        assertInstanceOf(InternalException.class, full);
        assertTrue(full.getMessage().startsWith("disk full: "), full.getMessage());
        LoupeException nospace = StoreFaults.translate(loc, new IOException("No space left on device"), "writing artifact 'x'");
        assertTrue(nospace.getMessage().startsWith("disk full: "), nospace.getMessage());
        LoupeException corrupt = StoreFaults.translate(loc, new SQLException("[SQLITE_CORRUPT] The database disk image is malformed"), "x");
        assertInstanceOf(InvalidInputException.class, corrupt);
        assertEquals(2, corrupt.exitCode());
        assertTrue(corrupt.getMessage().contains("is damaged"), corrupt.getMessage());
        LoupeException other = StoreFaults.translate(loc, new SQLException("something else"), "the run store");
        assertEquals(1, other.exitCode());
    }

    @Test
    void corruptPagesExit2() throws Exception {
        Path file = tmp.resolve("loupe.db");
        try (RunStore s = store()) {
            String id = s.createRun(RunSpec.of("r")).id();
            List<SeriesPoint> pts = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                pts.add(new SeriesPoint("loss", i, 0, 1.0 / (i + 1)));
            }
            s.appendPoints(id, pts);
        }
        byte[] b = Files.readAllBytes(file);
        for (int off = 4096; off + 8 < b.length; off += 4096) {
            for (int i = 0; i < 8; i++) {
                b[off + i] = (byte) 0xFF;
            }
        }
        Files.write(file, b);
        LoupeException e = assertThrows(LoupeException.class, () -> {
            try (RunStore s = RunStore.openReadOnly(StoreLocation.sqlite(file))) {
                for (RunInfo r : s.listRuns(null)) {
                    s.series(r.id(), "loss");
                }
            }
        });
        assertEquals(2, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void csvExportNeutralisesFormulaCells() {
        try (RunStore s = store()) {
            RunInfo r = s.recordRun(RunSpec.of("=HYPERLINK(\"http://evil\")"), Map.of("@cmd", "+1+1"), Map.of("-2+3", MetricValue.of(-0.5)));
            s.appendPoints(r.id(), List.of(new SeriesPoint("=1+1", 1, 0, -3.0)));
            StringWriter out = new StringWriter();
            RunExport.writeCsv(s, s.run(r.id()), out);
            String csv = out.toString();
            assertTrue(csv.contains("param,'@cmd,"), csv);
            assertTrue(csv.contains("metric,'-2+3,,,-0.5,"), csv);
            assertTrue(csv.contains("series,'=1+1,1,"), csv);
            assertTrue(csv.contains(",-3.0,"), "numbers stay numbers: " + csv);
            for (String line : csv.split("\n")) {
                for (String cell : line.split(",")) {
                    assertFalse(!cell.isEmpty() && "=+@".indexOf(cell.charAt(0)) >= 0, "formula cell in " + line);
                }
            }
        }
    }

    @Test
    void liveStreamReadsOnlyNewPointsThinned() {
        try (RunStore s = store()) {
            String id = s.createRun(RunSpec.of("live")).id();
            List<SeriesPoint> pts = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                pts.add(new SeriesPoint("loss", i, 0, i == 7_000 ? 99 : 1.0));
            }
            s.appendPoints(id, pts);
            assertEquals(Map.of("loss", 9_999L), s.lastSteps(id));
            List<SeriesPoint> after = s.seriesDownsampled(id, "loss", 100, 5_000);
            assertTrue(after.size() <= 100 && after.get(0).step() > 5_000, after.get(0).toString());
            assertEquals(9_999, after.get(after.size() - 1).step());
            assertEquals(99.0, after.stream().mapToDouble(SeriesPoint::value).max().orElseThrow());
            assertEquals(List.of(9_998L, 9_999L), s.seriesDownsampled(id, "loss", 100, 9_997).stream().map(SeriesPoint::step).toList());
        }
    }
}
