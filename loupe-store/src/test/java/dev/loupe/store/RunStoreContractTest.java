package dev.loupe.store;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricValue;
import dev.loupe.api.NotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store's contract, written once and run against every database (see {@link TestStores}). */
class RunStoreContractTest {
    @TempDir
    Path tmp;

    private final List<AutoCloseable> cleanups = new ArrayList<>();

    static List<String> kinds() {
        return TestStores.kinds();
    }

    private StoreLocation fresh(String kind) throws Exception {
        TestStores.Fresh f = TestStores.fresh(kind, tmp);
        cleanups.add(f.cleanup());
        return f.location();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : cleanups) {
            c.close();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void createsSchemaAtLatestVersionAndReopens(String kind) throws Exception {
        StoreLocation loc = fresh(kind);
        try (RunStore s = RunStore.open(loc)) {
            assertEquals(Migrations.LATEST, s.schemaVersion());
            s.createRun(RunSpec.of("a"));
        }
        try (RunStore s = RunStore.open(loc)) {
            assertEquals(1, s.listRuns(null).size());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void runWithProvenanceParamsAndMetricsRoundTrips(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            Provenance p = new Provenance("ab".repeat(32), "data-hash", 42L, "{\"lr\":0.1}", "0.1.0", "loupe evaluate x", "host1");
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("lr", 5e-5);
            params.put("model", "bert");
            params.put("layers", List.of(1, 2));
            Map<String, MetricValue> metrics = new LinkedHashMap<>();
            metrics.put("accuracy", new MetricValue(0.9, 0.85, 0.95));
            metrics.put("roc_auc", MetricValue.UNDEFINED);
            RunInfo r = s.recordRun(new RunSpec("exp1", "eval", p, null), params, metrics);
            RunInfo back = s.run(r.id());
            assertEquals(RunStatus.FINISHED, back.status());
            assertEquals("exp1", back.experiment());
            assertEquals(p, back.provenance());
            assertTrue(back.endedAt() != null && back.endedAt() >= back.startedAt());
            Map<String, Object> ps = s.params(r.id());
            assertEquals(5e-5, ((Number) ps.get("lr")).doubleValue());
            assertEquals("bert", ps.get("model"));
            assertEquals(List.of(1, 2), ps.get("layers"));
            List<StoredMetric> ms = s.metrics(r.id());
            assertEquals(2, ms.size());
            assertEquals(new StoredMetric("accuracy", 0.9, 0.85, 0.95), ms.get(0));
            assertTrue(Double.isNaN(ms.get(1).value()) && Double.isNaN(ms.get(1).ciLow()), "undefined stays undefined");
            assertEquals(List.of("exp1"), s.experiments());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void seriesUpsertIsIdempotentAndOrdered(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            String id = s.createRun(RunSpec.of("train")).id();
            List<SeriesPoint> pts = new ArrayList<>();
            for (int i = 9; i >= 0; i--) {
                pts.add(new SeriesPoint("loss", i, 1000 + i, 1.0 / (i + 1)));
            }
            pts.add(new SeriesPoint("lr", 0, 1, Double.NaN));
            s.appendPoints(id, pts);
            s.appendPoints(id, pts);
            assertEquals(11, s.pointCount(id));
            List<SeriesPoint> loss = s.series(id, "loss");
            assertEquals(10, loss.size());
            assertEquals(0, loss.get(0).step());
            assertEquals(1.0, loss.get(0).value());
            assertTrue(Double.isNaN(s.series(id, "lr").get(0).value()));
            s.appendPoints(id, List.of(new SeriesPoint("loss", 3, 5, 7.0)));
            assertEquals(7.0, s.series(id, "loss").get(3).value(), "a later write of a step replaces it");
            List<SeriesSummary> sum = s.seriesSummaries(id);
            assertEquals(List.of(new SeriesSummary("loss", 10, 0, 9), new SeriesSummary("lr", 1, 0, 0)), sum);
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void predictionsAndArtifactsRoundTrip(String kind) throws Exception {
        StoreLocation loc = fresh(kind);
        try (RunStore s = RunStore.open(loc)) {
            String a = s.createRun(RunSpec.of("a")).id();
            String b = s.createRun(RunSpec.of("b")).id();
            List<PredictionRow> rows = List.of(
                    new PredictionRow(0, "ex-0", "spam", "[0.2,0.8]", "spam", 0.22, "{\"len\":3}", "win money"),
                    new PredictionRow(1, null, "ham", null, null, Double.NaN, null, null));
            s.putPredictions(a, rows);
            List<PredictionRow> back = s.predictions(a);
            assertEquals(rows.get(0), back.get(0));
            assertTrue(Double.isNaN(back.get(1).loss()));
            List<PredictionRow> cut = s.predictions(a, 3);
            assertEquals("win", cut.get(0).text(), "texts cut by the database");
            assertEquals("ex-0", cut.get(0).exampleId());
            assertEquals(null, cut.get(1).text());
            assertEquals("win money", s.predictions(a, 9).get(0).text());
            byte[] content = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
            Artifact art = s.putArtifact(a, "metrics.json", "application/json", new ByteArrayInputStream(content));
            Artifact art2 = s.putArtifact(b, "metrics.json", "application/json", new ByteArrayInputStream(content));
            assertEquals(art.sha256(), art2.sha256());
            assertEquals("5041bf1f713df204784353e82f6a4a535931cb64f1f4b4a5aeaf1e2b4c9f1a71".length(), art.sha256().length());
            assertTrue(Files.exists(art.path()));
            assertEquals(List.of(art), s.artifacts(a));
            s.deleteRun(a);
            assertTrue(Files.exists(art.path()), "content still used by run b is kept");
            s.deleteRun(b);
            assertFalse(Files.exists(art.path()), "content used by no run is removed");
            assertTrue(s.predictions(a).isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void deleteRemovesEverythingOfOneRunOnly(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            String a = s.createRun(RunSpec.of("a")).id();
            String b = s.createRun(RunSpec.of("b")).id();
            for (String id : List.of(a, b)) {
                s.putParams(id, Map.of("k", 1));
                s.putMetrics(id, Map.of("m", MetricValue.of(1)));
                s.appendPoints(id, List.of(new SeriesPoint("loss", 1, 1, 1)));
            }
            s.deleteRun(a);
            assertThrows(NotFoundException.class, () -> s.run(a));
            assertThrows(NotFoundException.class, () -> s.deleteRun(a));
            assertEquals(1, s.pointCount(b));
            assertEquals(1, s.params(b).size());
            assertEquals(1, s.metrics(b).size());
            assertEquals(0, s.pointCount(a));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void findsRunsByIdPrefixAndSaysWhenUnknown(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            RunInfo r = s.createRun(RunSpec.of("a"));
            assertEquals(r.id(), s.run(r.id().substring(0, 6)).id());
            NotFoundException e = assertThrows(NotFoundException.class, () -> s.run("nope"));
            assertTrue(e.getMessage().contains("No run 'nope'"), e.getMessage());
            assertEquals(2, e.exitCode());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void listsNewestFirstAndFiltersByExperiment(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            s.createRun(new RunSpec("e1", "first", null, null));
            Thread.sleep(5);
            s.createRun(new RunSpec("e2", "second", null, null));
            List<RunInfo> all = s.listRuns(null);
            assertEquals(List.of("second", "first"), all.stream().map(RunInfo::name).toList());
            assertEquals(List.of("first"), s.listRuns("e1").stream().map(RunInfo::name).toList());
            assertTrue(s.listRuns("none").isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void sourceKeyReusesTheRun(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            RunInfo a = s.createRun(new RunSpec(null, "imp", null, "hf:/x/trainer_state.json"));
            RunInfo b = s.createRun(new RunSpec(null, "imp again", null, "hf:/x/trainer_state.json"));
            assertEquals(a.id(), b.id());
            assertEquals(1, s.listRuns(null).size());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void staleRunningRunsAreMarkedCrashedOnOpenAndKeepTheirPoints(String kind) throws Exception {
        StoreLocation loc = fresh(kind);
        String id;
        String done;
        try (RunStore s = RunStore.open(loc)) {
            id = s.createRun(RunSpec.of("abandoned")).id();
            s.appendPoints(id, List.of(new SeriesPoint("loss", 0, 0, 1), new SeriesPoint("loss", 1, 0, 0.5)));
            done = s.createRun(RunSpec.of("done")).id();
            s.finish(done, RunStatus.FINISHED);
        }
        Thread.sleep(30);
        try (RunStore s = RunStore.open(loc, Duration.ofHours(1))) {
            assertEquals(RunStatus.RUNNING, s.run(id).status(), "a recent heartbeat is not a crash");
        }
        try (RunStore s = RunStore.open(loc, Duration.ofMillis(10))) {
            RunInfo r = s.run(id);
            assertEquals(RunStatus.CRASHED, r.status());
            assertEquals(r.heartbeatAt(), r.endedAt());
            assertEquals(2, s.pointCount(id));
            assertEquals(RunStatus.FINISHED, s.run(done).status());
            s.heartbeat(id);
            assertEquals(RunStatus.RUNNING, s.run(id).status(), "a heartbeat revives a run wrongly marked crashed");
            assertNull(s.run(id).endedAt());
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aFailedTransactionLeavesNothingBehind(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            Map<String, MetricValue> bad = new LinkedHashMap<>();
            bad.put("ok", MetricValue.of(1));
            bad.put("", MetricValue.of(2));
            assertThrows(InvalidInputException.class, () -> s.recordRun(RunSpec.of("x"), Map.of("p", 1), bad));
            assertTrue(s.listRuns(null).isEmpty(), "the run of a failed recordRun is rolled back");
            String id = s.createRun(RunSpec.of("y")).id();
            List<SeriesPoint> pts = new ArrayList<>();
            pts.add(new SeriesPoint("a", 1, 1, 1));
            pts.add(new SeriesPoint(null, 2, 1, 1));
            assertThrows(InvalidInputException.class, () -> s.appendPoints(id, pts));
            assertEquals(0, s.pointCount(id));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void manyPointsInOneBatch(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            String id = s.createRun(RunSpec.of("big")).id();
            List<SeriesPoint> pts = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                pts.add(new SeriesPoint("s" + (i % 4), i, i, i));
            }
            s.appendPoints(id, pts);
            assertEquals(20_000, s.pointCount(id));
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void downsampledSeriesKeepsEveryExtremeInStepOrder(String kind) throws Exception {
        try (RunStore s = RunStore.open(fresh(kind))) {
            String id = s.createRun(RunSpec.of("ds")).id();
            List<SeriesPoint> pts = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                pts.add(new SeriesPoint("loss", i, i, i == 5_555 ? 100 : i == 777 ? -100 : Math.sin(i * 0.01)));
            }
            s.appendPoints(id, pts);
            List<SeriesPoint> ds = s.seriesDownsampled(id, "loss", 100);
            assertTrue(ds.size() <= 100 && ds.size() >= 90, "size " + ds.size());
            for (int i = 1; i < ds.size(); i++) {
                assertTrue(ds.get(i).step() > ds.get(i - 1).step(), "steps increase");
            }
            assertEquals(100, ds.stream().mapToDouble(SeriesPoint::value).max().orElseThrow());
            assertEquals(-100, ds.stream().mapToDouble(SeriesPoint::value).min().orElseThrow());
            SeriesPoint spike = ds.stream().filter(p -> p.value() == 100).findFirst().orElseThrow();
            assertTrue(Math.abs(spike.step() - 5_555) < 10_000 / 50, "spike near its step: " + spike.step());
            assertEquals(0, ds.get(0).step());
            assertEquals(9_999, ds.get(ds.size() - 1).step());
            assertEquals(10, s.seriesDownsampled(id, "none", 100).size() + 10, "no such series: empty");
            s.appendPoints(id, List.of(new SeriesPoint("short", 1, 1, 1)));
            assertEquals(1, s.seriesDownsampled(id, "short", 100).size(), "short series come back whole");
        }
    }
}
