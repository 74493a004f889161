package dev.loupe.bench;

import java.nio.file.Path;

/** Resolves a JMH data-set parameter such as {@code binary_10m} or {@code multi10_1m}. */
final class Datasets {
    private Datasets() {
    }

    static BenchData get(Path dir, String name) {
        if (BenchData.exists(dir, name)) {
            return BenchData.load(dir, name);
        }
        String[] parts = name.split("_");
        int k = parts[0].equals("binary") ? 2 : Integer.parseInt(parts[0].replace("multi", ""));
        String tag = parts[1];
        long mult = tag.endsWith("m") ? 1_000_000 : tag.endsWith("k") ? 1_000 : 1;
        int n = (int) (Long.parseLong(mult == 1 ? tag : tag.substring(0, tag.length() - 1)) * mult);
        System.err.println("no " + dir.resolve(name + "_labels.npy") + ": synthesising " + n + " rows x " + k + " classes");
        return BenchData.synthesize(k, n, 42);
    }
}
