package dev.loupe.bench;

import dev.loupe.api.PredictionBatch;
import dev.loupe.data.predictions.PredictionFileOptions;
import dev.loupe.data.predictions.PredictionReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Read speed of prediction files alone (no metrics): opens each file, reads every batch and sums the labels and
 * probabilities (so nothing is optimised away), {@code --repeat} times in one JVM. The first run of a Parquet file
 * includes loading DuckDB's native library. Prints one JSON object per file:
 * {@code {"file":..., "rows":..., "first_s":..., "best_s":..., "checksum":...}}.
 *
 * <pre>
 * java -cp loupe-bench/target/loupe-bench.jar:loupe-cli/target/lib/duckdb_jdbc.jar dev.loupe.bench.ReadSpeed \
 *     [--repeat 3] [--positive-label 1] FILE...
 * </pre>
 */
public final class ReadSpeed {
    private ReadSpeed() {
    }

    public static void main(String[] args) {
        int repeat = 3;
        String positive = null;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--positive-label" -> positive = args[++i];
                default -> files.add(Path.of(args[i]));
            }
        }
        for (Path f : files) {
            double first = 0;
            double best = Double.MAX_VALUE;
            long rows = 0;
            double checksum = 0;
            for (int r = 0; r < repeat; r++) {
                long t0 = System.nanoTime();
                PredictionFileOptions o = PredictionFileOptions.defaults();
                if (positive != null) {
                    o.positiveLabel(positive);
                }
                double sum = 0;
                try (PredictionReader reader = PredictionReader.open(f, o)) {
                    PredictionBatch b = reader.newBatch();
                    while (reader.next(b)) {
                        double[] p = b.probs();
                        int[] y = b.labels();
                        int n = b.size();
                        int k = b.numClasses();
                        for (int i = 0; i < n; i++) {
                            sum += y[i] + p[i * k + k - 1];
                        }
                    }
                    rows = reader.rowsRead();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (r == 0) {
                    first = s;
                }
                best = Math.min(best, s);
                checksum = sum;
            }
            System.out.println(String.format(Locale.ROOT,
                    "{\"file\": \"%s\", \"rows\": %d, \"first_s\": %.3f, \"best_s\": %.3f, \"checksum\": %.6f}",
                    f.getFileName(), rows, first, best, checksum));
        }
    }
}
