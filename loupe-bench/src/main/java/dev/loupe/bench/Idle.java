package dev.loupe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Waits until the machine's CPUs are mostly idle (from {@code /proc/stat}), so that a timed run does not share
 * the cores with someone else's build. A no-op where {@code /proc/stat} is missing.
 */
final class Idle {
    private Idle() {
    }

    /** Waits up to {@code maxSeconds} for ≥ 90% idle over a 2 s window; returns the last idle percentage seen. */
    static int await(int maxSeconds) {
        if (maxSeconds <= 0) {
            return -1;
        }
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        int pct;
        boolean said = false;
        while ((pct = idlePercent(2000)) < 90 && pct >= 0) {
            if (System.nanoTime() > deadline) {
                System.err.println("  (CPUs only " + pct + "% idle; timing anyway)");
                break;
            }
            if (!said) {
                System.err.println("  waiting for idle CPUs (" + pct + "% idle)...");
                said = true;
            }
        }
        return pct;
    }

    static int idlePercent(long millis) {
        long[] a = read();
        if (a == null) {
            return -1;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
        long[] b = read();
        long total = 0;
        for (int i = 0; i < Math.min(8, b.length); i++) {
            total += b[i] - a[i];
        }
        return total <= 0 ? 100 : (int) (100 * (b[3] - a[3]) / total);
    }

    private static long[] read() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long[] v = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                v[i - 1] = Long.parseLong(f[i]);
            }
            return v;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
