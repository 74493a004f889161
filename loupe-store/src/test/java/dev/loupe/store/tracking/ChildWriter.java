package dev.loupe.store.tracking;

import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A separate JVM that logs through the API, for {@link TwoProcessTest}. Prints {@code run <id>}, then
 * {@code flushed <points>} after each flush.
 * <ul>
 *   <li>{@code crash DB}: logs 20 series as fast as it can, flushing every 50 steps, until killed.</li>
 *   <li>{@code exit DB}: logs 1000 points and exits without closing the run.</li>
 *   <li>{@code steady DB SECONDS}: logs 20 series at 200 steps/s for SECONDS, then closes the run.</li>
 * </ul>
 */
public final class ChildWriter {
    private ChildWriter() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        RunStore store = RunStore.open(StoreLocation.sqlite(Path.of(args[1])));
        Run run = Loupe.start(store, true, RunSpec.of("child-" + mode), Map.of("mode", mode),
                new Run.Options(Duration.ofMillis(20), Duration.ofMillis(100), 10_000));
        System.out.println("run " + run.id());
        System.out.flush();
        if (mode.equals("exit")) {
            for (int i = 0; i < 1000; i++) {
                run.log("loss", i, i);
            }
            System.exit(0); // no close: the shutdown hook flushes and marks the run failed
        }
        if (mode.equals("crash")) {
            for (long step = 0; ; step++) {
                for (int s = 0; s < 20; s++) {
                    run.log("series" + s, step, step * 0.001 + s);
                }
                if (step % 50 == 49) {
                    run.flush();
                    System.out.println("flushed " + run.writtenPoints());
                    System.out.flush();
                }
            }
        }
        long seconds = Long.parseLong(args[2]);
        long start = System.nanoTime();
        long step = 0;
        while (System.nanoTime() - start < seconds * 1_000_000_000L) {
            for (int s = 0; s < 20; s++) {
                run.log("series" + s, step, step * 0.001 + s);
            }
            step++;
            long due = start + step * 5_000_000L; // 200 steps per second
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
        }
        run.close();
        System.out.println("done " + run.loggedPoints());
        System.out.flush();
    }
}
