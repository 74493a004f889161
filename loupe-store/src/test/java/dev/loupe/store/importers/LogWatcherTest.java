package dev.loupe.store.importers;

import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.SeriesSummary;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

import static dev.loupe.store.importers.TensorBoardImporterTest.event;
import static dev.loupe.store.importers.TensorBoardImporterTest.fileVersionEvent;
import static dev.loupe.store.importers.TensorBoardImporterTest.frame;
import static dev.loupe.store.importers.TensorBoardImporterTest.simpleValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watcher following files while they are written: TFRecord event files, CSV logs and trainer_state.json written
 * incrementally (records and lines cut in half between writes), committed real-shaped files replayed in chunks,
 * rotation and truncation, and the run's status. Store-side latency is bounded by 1 s here (the dashboard's event
 * stream polls the store every second, so a point is on the chart within 2 s; the browser test checks that end to end).
 */
class LogWatcherTest {
    static final Duration POLL = Duration.ofMillis(250);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> cleanups = new ArrayList<>();
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    static List<String> kinds() {
        return TestStores.kinds();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            cleanups.get(i).close();
        }
    }

    private RunStore store(String kind) throws Exception {
        TestStores.Fresh f = TestStores.fresh(kind, tmp);
        cleanups.add(f.cleanup());
        RunStore s = RunStore.open(f.location());
        cleanups.add(s);
        return s;
    }

    private LogWatcher watch(RunStore s, Path dir, Duration quiet) {
        LogWatcher w = LogWatcher.create(s, List.of(dir), new LogWatcher.Options(POLL, quiet, null), messages::add);
        cleanups.add(w);
        return w.start();
    }

    private static void waitFor(BooleanSupplier cond, long millis, String what) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static String runOf(LogWatcher w, String key) {
        return w.runs().get(key);
    }

    private boolean hasMessage(String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        synchronized (messages) {
            return messages.stream().anyMatch(m -> p.matcher(m).find());
        }
    }

    private static List<String> warnings(List<String> messages) {
        synchronized (messages) {
            return messages.stream().filter(m -> m.startsWith("warning")).toList();
        }
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void eventFileWrittenRecordByRecordArrivesOnceInOrderWithinTheBound(String kind) throws Exception {
        RunStore s = store(kind);
        Path dir = Files.createDirectories(tmp.resolve("logs/train"));
        Path file = dir.resolve("events.out.tfevents.1700000000.host.1.0");
        Files.write(file, frame(List.of(fileVersionEvent(1.7e9))));
        LogWatcher w = watch(s, tmp.resolve("logs"), Duration.ofSeconds(2));
        String key = "tb:" + dir.toRealPath();
        int n = 40;
        Map<Long, Long> written = new ConcurrentHashMap<>();
        Map<Long, Long> seen = new LinkedHashMap<>();
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
                for (long step = 0; step < n; step++) {
                    byte[] rec = frame(List.of(event(1.7e9 + step, step, simpleValue("loss", 1f / (step + 1)))));
                    int cut = 1 + (int) (step * 7 % (rec.length - 1)); // a half-written record between the writes
                    out.write(rec, 0, cut);
                    out.flush();
                    Thread.sleep(15);
                    out.write(rec, cut, rec.length - cut);
                    out.flush();
                    written.put(step, System.nanoTime());
                    Thread.sleep(25);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        long end = System.currentTimeMillis() + 15_000;
        boolean sawRunning = false;
        while (seen.size() < n && System.currentTimeMillis() < end) {
            String run = runOf(w, key);
            if (run != null) {
                for (SeriesPoint p : s.series(run, "loss")) {
                    seen.putIfAbsent(p.step(), System.nanoTime());
                }
                sawRunning |= s.run(run).status() == RunStatus.RUNNING;
            }
            Thread.sleep(10);
        }
        writer.join();
        String run = runOf(w, key);
        List<SeriesPoint> loss = s.series(run, "loss");
        assertEquals(n, loss.size(), "every point once");
        for (int i = 0; i < n; i++) {
            assertEquals(i, loss.get(i).step());
            assertEquals(1f / (i + 1), (float) loss.get(i).value());
            assertEquals(1_700_000_000_000L + i * 1000L, loss.get(i).wallTime());
        }
        long worst = 0;
        long prevSeen = 0;
        for (long step = 0; step < n; step++) {
            long lag = (seen.get(step) - written.get(step)) / 1_000_000;
            worst = Math.max(worst, lag);
            assertTrue(seen.get(step) >= prevSeen, "in order");
            prevSeen = seen.get(step);
        }
        System.out.println("[watch] " + kind + ": event records flushed → stored after at most " + worst + " ms");
        assertTrue(worst <= 1000, "worst store-side latency " + worst + " ms");
        assertTrue(sawRunning, "running while the file grows");
        assertEquals(List.of(), warnings(messages), "half-written records are waited for, never reported");
        waitFor(() -> s.run(run).status() == RunStatus.FINISHED, 6000, "finished after the quiet period");
        assertEquals("logs/train", s.run(run).name());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void committedRealLogsReplayedInChunksEqualTheirImport(String kind) throws Exception {
        RunStore s = store(kind);
        Path src = ImportersTest.DIR;
        Path root = Files.createDirectories(tmp.resolve("watched"));
        List<String> names = List.of("keras/training.log", "ray/progress.csv", "lightning/version_0/metrics.csv",
                "tb/train/events.out.tfevents.1700000000.host.1.v2", "tb/train/events.out.tfevents.1700000100.host.2.v2",
                "tb/validation/events.out.tfevents.1700000000.host.1.v2");
        List<byte[]> data = new ArrayList<>();
        for (String name : names) {
            data.add(Files.readAllBytes(src.resolve(name)));
            Files.createDirectories(root.resolve(name).getParent());
        }
        // the trainer state: rewritten whole with one more log entry each time, as the Trainer saves
        Path hfDir = Files.createDirectories(root.resolve("out/checkpoint-40"));
        List<String> hfLines = Files.readAllLines(src.resolve("hf-predict/checkpoint-40/trainer_state.json"));
        int first = hfLines.indexOf("  \"log_history\": [") + 1;
        int last = hfLines.indexOf("  ],");
        LogWatcher w = watch(s, root, Duration.ofSeconds(1));
        int chunk = 97;
        int entries = 0;
        for (int off = 0; ; off += chunk) {
            boolean any = false;
            for (int i = 0; i < names.size(); i++) {
                byte[] d = data.get(i);
                if (off < d.length) {
                    any = true;
                    Files.write(root.resolve(names.get(i)), java.util.Arrays.copyOfRange(d, off, Math.min(d.length, off + chunk)),
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            }
            if (entries < last - first && off % (chunk * 4) == 0) {
                entries++;
                List<String> doc = new ArrayList<>(hfLines.subList(0, first));
                List<String> log = new ArrayList<>(hfLines.subList(first, first + entries));
                log.set(log.size() - 1, log.get(log.size() - 1).replaceAll(",$", ""));
                doc.addAll(log);
                doc.addAll(hfLines.subList(last, hfLines.size()));
                byte[] bytes = (String.join("\n", doc) + "\n").getBytes(StandardCharsets.UTF_8);
                Path f = hfDir.resolve("trainer_state.json");
                try (OutputStream out = Files.newOutputStream(f)) { // truncate, then write in two halves
                    out.write(bytes, 0, bytes.length / 2);
                    out.flush();
                    Thread.sleep(5);
                    out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
                }
            }
            if (!any && entries >= last - first) {
                break;
            }
            Thread.sleep(8);
        }
        RunStore ref = RunStore.open(StoreLocation.sqlite(tmp.resolve("ref.db")));
        cleanups.add(ref);
        Map<String, String> expected = new LinkedHashMap<>();
        for (String name : names.subList(0, 3)) {
            expected.put("csv:" + root.resolve(name).toRealPath(), CsvLogImporter.importFile(ref, src.resolve(name), null, null).runId());
        }
        TensorBoardImporter.Result tb = TensorBoardImporter.importDir(ref, src.resolve("tb"), null);
        expected.put("tb:" + root.resolve("tb/train").toRealPath(), tb.runs().get(0).runId());
        expected.put("tb:" + root.resolve("tb/validation").toRealPath(), tb.runs().get(1).runId());
        expected.put("hf:" + hfDir.resolve("trainer_state.json").toRealPath(),
                HfTrainerStateImporter.importFile(ref, src.resolve("hf-predict/checkpoint-40/trainer_state.json"), null, null).runId());
        waitFor(() -> expected.keySet().stream().allMatch(k -> {
            String id = w.runs().get(k);
            return id != null && s.run(id).status() == RunStatus.FINISHED;
        }), 10_000, "every run finished: " + w.runs().keySet());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String got = w.runs().get(e.getKey());
            assertEquals(ref.seriesSummaries(e.getValue()).stream().map(SeriesSummary::name).toList(),
                    s.seriesSummaries(got).stream().map(SeriesSummary::name).toList(), e.getKey());
            for (SeriesSummary sm : ref.seriesSummaries(e.getValue())) {
                assertEquals(ref.series(e.getValue(), sm.name()), s.series(got, sm.name()), e.getKey() + " " + sm.name());
            }
        }
        String hf = w.runs().get("hf:" + hfDir.resolve("trainer_state.json").toRealPath());
        assertEquals(6, s.metrics(hf).size(), "the summary entry's metrics");
        assertEquals(List.of(), warnings(messages), "half-written lines, records and JSON are waited for");
        synchronized (messages) {
            assertTrue(messages.stream().anyMatch(m -> m.contains("column 'done' skipped: not numeric")), messages.toString());
            // said when the run is made, or when the first one arrives while following, whichever comes first
            assertTrue(messages.stream().anyMatch(m -> m.contains("skipped 4 histograms, 4 text (not scalars)")
                    || m.contains("tb/train: skipping its histogram summaries (not scalars)")), messages.toString());
        }
    }

    @Test
    void aRestartedRunContinuesAndAShrunkFileIsReplaced() throws Exception {
        RunStore s = store("sqlite");
        Path dir = Files.createDirectories(tmp.resolve("runs/exp1"));
        List<byte[]> first = new ArrayList<>();
        first.add(fileVersionEvent(1.7e9));
        for (int step = 0; step < 5; step++) {
            first.add(event(1.7e9 + step, step, simpleValue("loss", step)));
        }
        Files.write(dir.resolve("events.out.tfevents.1700000000.host.1.0"), frame(first));
        Path csv = tmp.resolve("runs/log.csv");
        Files.writeString(csv, "step,loss\n0,1.0\n1,0.9\n2,0.8\n3,0.7\n");
        LogWatcher w = watch(s, tmp.resolve("runs"), Duration.ofSeconds(30));
        String tbKey = "tb:" + dir.toRealPath();
        String csvKey = "csv:" + csv.toRealPath();
        waitFor(() -> w.runs().containsKey(tbKey) && w.runs().containsKey(csvKey), 5000, "both runs");
        String tbRun = w.runs().get(tbKey);
        // a restarted run: a new event file in the same folder continues its run
        List<byte[]> second = new ArrayList<>();
        second.add(fileVersionEvent(1.7e9 + 100));
        for (int step = 5; step < 10; step++) {
            second.add(event(1.7e9 + 100 + step, step, simpleValue("loss", step)));
        }
        Files.write(dir.resolve("events.out.tfevents.1700000100.host.2.0"), frame(second));
        waitFor(() -> s.pointCount(tbRun) == 10, 5000, "the second file's points in the same run");
        assertEquals(tbRun, w.runs().get(tbKey));
        // the CSV log rewritten shorter (a run restarted from an earlier checkpoint): its points are replaced
        String csvRun = w.runs().get(csvKey);
        Files.writeString(csv, "step,loss\n0,2.0\n1,1.5\n");
        waitFor(() -> s.pointCount(csvRun) == 2, 5000, "the shrunk file's points replace the old ones");
        assertEquals(List.of(0L, 1L), s.series(csvRun, "loss").stream().map(SeriesPoint::step).toList());
        assertEquals(1.5, s.series(csvRun, "loss").get(1).value());
        // the message follows the commit; the watcher may have caught the file empty between truncation and write (4)
        waitFor(() -> hasMessage(java.util.regex.Pattern.quote(csv + " shrank: reading it again from the start"))
                && hasMessage("the source shrank or was replaced since it was imported: its [24] stale points were removed"),
                2000, "the replacement said: " + messages);
        // replaced by a longer file with other first bytes: read again from the start
        Files.writeString(csv, "step,acc\n0,0.5\n1,0.6\n2,0.7\n");
        waitFor(() -> s.series(csvRun, "acc").size() == 3 && s.series(csvRun, "loss").isEmpty(), 5000, "replaced file");
        // the event file truncated: re-read, its folder's points replaced by what the files hold now
        Files.write(dir.resolve("events.out.tfevents.1700000100.host.2.0"), frame(second.subList(0, 3)));
        waitFor(() -> s.pointCount(tbRun) == 7, 5000, "truncated event file re-read");
        assertEquals(List.of(), warnings(messages));
    }

    @Test
    void aRunIsRunningWhileItsFileGrowsAndFinishedWhenQuiet() throws Exception {
        RunStore s = store("sqlite");
        Path csv = tmp.resolve("logs/metrics.csv");
        Files.createDirectories(csv.getParent());
        Files.writeString(csv, "epoch,loss\n");
        LogWatcher w = watch(s, tmp.resolve("logs"), Duration.ofMillis(1500));
        String key = "csv:" + csv.toRealPath();
        Thread.sleep(600);
        assertTrue(w.runs().isEmpty(), "a header alone makes no run");
        Files.writeString(csv, "0,0.9\n1,0.8", StandardOpenOption.APPEND); // the second line is not finished
        waitFor(() -> w.runs().containsKey(key), 3000, "the run");
        String run = w.runs().get(key);
        assertEquals(RunStatus.RUNNING, s.run(run).status());
        Thread.sleep(600);
        assertEquals(List.of(0L), s.series(run, "loss").stream().map(SeriesPoint::step).toList(), "half a line is waited for");
        Files.writeString(csv, "\n", StandardOpenOption.APPEND);
        waitFor(() -> s.series(run, "loss").size() == 2, 3000, "the finished line");
        waitFor(() -> s.run(run).status() == RunStatus.FINISHED, 5000, "finished when quiet");
        Files.writeString(csv, "2,0.7\n", StandardOpenOption.APPEND);
        waitFor(() -> s.run(run).status() == RunStatus.RUNNING && s.series(run, "loss").size() == 3, 3000, "running again");
        w.close();
        assertEquals(RunStatus.FINISHED, s.run(run).status(), "stopping the watcher finishes the runs it followed");
        assertEquals(List.of(), warnings(messages));
    }
}
