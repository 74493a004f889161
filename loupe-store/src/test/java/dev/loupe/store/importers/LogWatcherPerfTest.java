package dev.loupe.store.importers;

import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static dev.loupe.store.importers.TensorBoardImporterTest.event;
import static dev.loupe.store.importers.TensorBoardImporterTest.fileVersionEvent;
import static dev.loupe.store.importers.TensorBoardImporterTest.frame;
import static dev.loupe.store.importers.TensorBoardImporterTest.simpleValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The watcher's cost: 100 event files (100 run folders) growing by 10 points/s each, watched for
 * {@code loupe.test.watchSeconds} (default 30) with the default options; the CPU time of the watcher's thread (its
 * SQLite work included: the JDBC driver runs on the calling thread) over the wall time must stay under 5 % of one core.
 * Tagged {@code perf}: {@code mvn -pl loupe-store test -Dtest=LogWatcherPerfTest -Dgroups=perf
 * -Dloupe.store.excludedGroups=none}.
 */
@Tag("perf")
class LogWatcherPerfTest {
    @TempDir
    Path tmp;

    @Test
    void hundredGrowingEventFilesCostUnderFivePercentOfACore() throws Exception {
        int files = 100;
        int seconds = Integer.getInteger("loupe.test.watchSeconds", 30);
        Path root = Files.createDirectories(tmp.resolve("runs"));
        List<OutputStream> outs = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path dir = Files.createDirectories(root.resolve(String.format(Locale.ROOT, "run%03d", i)));
            OutputStream o = Files.newOutputStream(dir.resolve("events.out.tfevents.1700000000.host." + i),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            o.write(frame(List.of(fileVersionEvent(1.7e9))));
            o.flush();
            outs.add(o);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try (RunStore s = RunStore.open(StoreLocation.sqlite(tmp.resolve("loupe.db")));
             LogWatcher w = LogWatcher.create(s, List.of(root), LogWatcher.Options.DEFAULT, m -> { }).start()) {
            Thread watcher = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("loupe-watch"))
                    .findFirst().orElseThrow();
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = 0;
            long proc0 = 0;
            long writer0 = 0;
            long t0 = System.nanoTime();
            long m0 = 0;
            int warm = 100; // 10 s of warm-up (JIT) before measuring
            int steps = warm + seconds * 10;
            byte[][] records = new byte[steps][]; // made up front, so that the writer makes no garbage for the GC meanwhile
            for (int step = 0; step < steps; step++) {
                records[step] = frame(List.of(event(1.7e9 + step, step, simpleValue("loss", 1f / (step + 1)))));
            }
            for (int step = 0; step < steps; step++) {
                if (step == warm) {
                    cpu0 = mx.getThreadCpuTime(watcher.getId());
                    proc0 = os.getProcessCpuTime();
                    writer0 = mx.getCurrentThreadCpuTime();
                    m0 = System.nanoTime();
                }
                long due = t0 + step * 100_000_000L;
                long wait = (due - System.nanoTime()) / 1_000_000;
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                for (int i = 0; i < files; i++) {
                    OutputStream o = outs.get(i);
                    o.write(records[step]);
                    o.flush();
                }
            }
            long wall = System.nanoTime() - m0;
            if (Boolean.getBoolean("loupe.test.threads")) {
                for (Thread th : Thread.getAllStackTraces().keySet()) {
                    System.out.printf(Locale.ROOT, "  thread %s: %.0f ms%n", th.getName(), mx.getThreadCpuTime(th.getId()) / 1e6);
                }
            }
            long cpu = mx.getThreadCpuTime(watcher.getId()) - cpu0;
            long others = os.getProcessCpuTime() - proc0 - (mx.getCurrentThreadCpuTime() - writer0);
            Thread.sleep(1500);
            double share = 100.0 * cpu / wall;
            System.out.printf(Locale.ROOT, "watch: %d event files x 10 points/s for %d s: watcher thread %.2f %% of one core"
                    + " (%.0f ms CPU over %.1f s); the whole process but the writing thread (GC, JIT included): %.2f %%; %d runs%n",
                    files, seconds, share, cpu / 1e6, wall / 1e9, 100.0 * others / wall, w.runs().size());
            assertEquals(files, w.runs().size());
            for (String id : w.runs().values()) {
                assertEquals(steps, s.pointCount(id), "every point stored");
            }
            assertTrue(share < 5.0, String.format(Locale.ROOT, "%.2f %% of one core", share));
        } finally {
            for (OutputStream o : outs) {
                o.close();
            }
        }
    }
}
