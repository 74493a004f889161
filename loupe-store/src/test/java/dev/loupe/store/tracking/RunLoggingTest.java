package dev.loupe.store.tracking;

import dev.loupe.api.MetricValue;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLoggingTest {
    @TempDir
    Path tmp;

    private StoreLocation loc() {
        return StoreLocation.sqlite(tmp.resolve("loupe.db"));
    }

    @Test
    void concurrentLoggingFromSeveralThreadsLosesNoPoint() throws Exception {
        int threads = 8;
        int perThread = 25_000;
        String id;
        try (RunStore store = RunStore.open(loc())) {
            Run run = Loupe.start(store, false, RunSpec.of("concurrent"), Map.of("threads", threads),
                    new Run.Options(Duration.ofMillis(20), Duration.ofSeconds(10), 5_000));
            id = run.id();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int tt = t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new RuntimeException(e);
                    }
                    for (int i = 0; i < perThread; i++) {
                        run.log("thread" + tt + "/loss", i, tt + i * 1e-6);
                        if (i % 5_000 == 0) {
                            run.log("shared", (long) tt * perThread + i, i);
                        }
                    }
                });
                th.start();
                ts.add(th);
            }
            go.countDown();
            for (Thread th : ts) {
                th.join();
            }
            run.close();
            assertEquals(run.loggedPoints(), run.writtenPoints());
        }
        try (RunStore store = RunStore.open(loc())) {
            assertEquals(RunStatus.FINISHED, store.run(id).status());
            assertEquals((long) threads * perThread + threads * (perThread / 5_000), store.pointCount(id));
            for (int t = 0; t < threads; t++) {
                List<dev.loupe.store.SeriesPoint> s = store.series(id, "thread" + t + "/loss");
                assertEquals(perThread, s.size());
                assertEquals(t + (perThread - 1) * 1e-6, s.get(perThread - 1).value(), 0);
            }
            assertEquals(Map.of("threads", threads), store.params(id));
        }
    }

    @Test
    void flushMakesPointsVisibleToAnotherConnection() throws Exception {
        try (RunStore store = RunStore.open(loc());
             Run run = Loupe.start(store, false, RunSpec.of("visible"), Map.of(), Run.Options.DEFAULT)) {
            for (int i = 0; i < 1000; i++) {
                run.log("loss", i, 1.0 / (i + 1));
            }
            run.flush();
            try (RunStore reader = RunStore.open(loc())) {
                assertEquals(1000, reader.pointCount(run.id()));
                assertEquals(RunStatus.RUNNING, reader.run(run.id()).status());
            }
            run.setMetrics(Map.of("accuracy", new MetricValue(0.9, 0.8, 0.95)));
            assertEquals(1, store.metrics(run.id()).size());
        }
    }

    @Test
    void aRunAbandonedWithoutCloseIsMarkedCrashedOnReopenWithItsFlushedPoints() throws Exception {
        String id;
        try (RunStore store = RunStore.open(loc())) {
            Run run = Loupe.start(store, false, RunSpec.of("abandoned"), Map.of("lr", 0.1),
                    new Run.Options(Duration.ofMillis(10), Duration.ofHours(1), 1000));
            id = run.id();
            for (int i = 0; i < 500; i++) {
                run.log("loss", i, i);
            }
            run.flush();
            run.abandon();
            assertThrows(IllegalStateException.class, () -> run.log("loss", 1, 1));
        }
        Thread.sleep(30);
        try (RunStore store = RunStore.open(loc(), Duration.ofMillis(10))) {
            RunInfo r = store.run(id);
            assertEquals(RunStatus.CRASHED, r.status());
            assertTrue(store.pointCount(id) >= 500);
        }
    }

    @Test
    void closeIsIdempotentAndLogAfterCloseFails() throws Exception {
        try (RunStore store = RunStore.open(loc())) {
            Run run = Loupe.start(store, false, RunSpec.of("x"), Map.of(), Run.Options.DEFAULT);
            run.log("a", 1, 1);
            run.close(RunStatus.FAILED);
            run.close();
            assertEquals(RunStatus.FAILED, store.run(run.id()).status());
            assertEquals(1, store.pointCount(run.id()));
            assertThrows(IllegalStateException.class, () -> run.log("a", 2, 2));
        }
    }

    @Test
    void startWithTheDefaultStoreUsesTheConfiguredLocation() throws Exception {
        String before = System.getProperty("loupe.store");
        System.setProperty("loupe.store", tmp.resolve("default.db").toString());
        try {
            String id;
            try (Run run = Loupe.start("bert-imdb", Map.of("lr", 5e-5))) {
                run.log("train/loss", 1, 0.5);
                run.logMetrics(2, Map.of("train/loss", 0.4, "lr", 5e-5));
                id = run.id();
            }
            try (RunStore store = RunStore.open(StoreLocation.sqlite(tmp.resolve("default.db")))) {
                RunInfo r = store.run(id);
                assertEquals("bert-imdb", r.name());
                assertEquals(RunStatus.FINISHED, r.status());
                assertEquals(3, store.pointCount(id));
                assertTrue(r.provenance().configJson().contains("lr"));
            }
        } finally {
            if (before == null) {
                System.clearProperty("loupe.store");
            } else {
                System.setProperty("loupe.store", before);
            }
        }
    }

    @Test
    void heartbeatsKeepALongQuietRunAlive() throws Exception {
        try (RunStore store = RunStore.open(loc());
             Run run = Loupe.start(store, false, RunSpec.of("quiet"), Map.of(),
                     new Run.Options(Duration.ofMillis(10), Duration.ofMillis(30), 1000))) {
            Thread.sleep(1_500); // far longer than the limit below: only heartbeats keep the run alive
            try (RunStore other = RunStore.open(loc(), Duration.ofMillis(1_000))) {
                assertEquals(RunStatus.RUNNING, other.run(run.id()).status(), "heartbeats are younger than the limit");
            }
        }
    }

    @Test
    void aFailingStoreIsReportedByFlushAndCloseNeverSilently() throws Exception {
        try (RunStore store = RunStore.open(loc())) {
            Run run = Loupe.start(store, false, RunSpec.of("doomed"), Map.of(),
                    new Run.Options(Duration.ofMillis(10), Duration.ofSeconds(10), 1000));
            store.deleteRun(run.id()); // every later write of this run fails
            run.log("loss", 1, 1);
            dev.loupe.api.InternalException e = assertThrows(dev.loupe.api.InternalException.class, run::flush);
            assertTrue(e.getMessage().contains("still buffered"), e.getMessage());
            e = assertThrows(dev.loupe.api.InternalException.class, run::close);
            assertTrue(e.getMessage().contains("1 logged points could not be saved"), e.getMessage());
        }
    }
}
