package dev.loupe.data.predictions;

import dev.loupe.api.PredictionBatch;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Throughput check (not a unit test): writes prediction files to a temporary directory, reads each a few
 * times and prints rows/s. Run with
 * {@code java -cp loupe-data/target/test-classes:loupe-data/target/classes:<api jar>:<jackson-core jar>
 * dev.loupe.data.predictions.PredictionReaderThroughput [rows]}. The files are deleted afterwards.
 */
public final class PredictionReaderThroughput {
    private PredictionReaderThroughput() {
    }

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        Path dir = Files.createTempDirectory("loupe-throughput");
        try {
            Path full = dir.resolve("binary_full.csv");
            writeBinary(full, rows, false);
            Path short6 = dir.resolve("binary_6dp.csv");
            writeBinary(short6, rows, true);
            Path multi = dir.resolve("multi10.csv");
            writeMulti(multi, rows, 10);
            Path json = dir.resolve("binary.jsonl");
            writeJson(json, rows);
            PredictionFileOptions binary = PredictionFileOptions.defaults().positiveLabel("1");
            measure("id,label,score  (score = Java's shortest repr, 16-17 digits)", full, binary, rows);
            measure("id,label,score  (score = %.6f)", short6, binary, rows);
            measure("label,prob_0..prob_9 (%.6f, renormalize)", multi, PredictionFileOptions.defaults().renormalize(true), rows);
            measure("JSON Lines {id,label,score}", json, binary, rows);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void measure(String name, Path file, PredictionFileOptions o, int rows) throws IOException {
        long bytes = Files.size(file);
        double best = Double.MAX_VALUE;
        double checksum = 0;
        for (int it = 0; it < 7; it++) {
            long t0 = System.nanoTime();
            long n = 0;
            try (PredictionReader r = PredictionReader.open(file, o)) {
                PredictionBatch b = r.newBatch();
                while (r.next(b)) {
                    n += b.size();
                    checksum += b.prob(b.size() - 1, 1) + b.label(0) + b.pred(0);
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (n != rows) {
                throw new AssertionError(n + " rows read, " + rows + " written");
            }
            best = Math.min(best, s);
            if (Boolean.getBoolean("verbose")) {
                System.out.printf(Locale.ROOT, "  run %d: %.3f s%n", it, s);
            }
        }
        System.out.printf(Locale.ROOT, "%-62s %,d rows %6.1f MB  best %.3f s  %6.2f M rows/s  %6.0f MB/s  (checksum %.3f)%n",
                name, rows, bytes / 1e6, best, rows / best / 1e6, bytes / best / 1e6, checksum);
    }

    private static void writeBinary(Path file, int rows, boolean sixDigits) throws IOException {
        SplittableRandom rnd = new SplittableRandom(1);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,label,score\n");
            for (int i = 0; i < rows; i++) {
                int label = rnd.nextInt(2);
                double s = Math.min(1.0, Math.max(0.0, 0.3 * label + 0.7 * rnd.nextDouble()));
                w.write(Integer.toString(i));
                w.write(label == 1 ? ",1," : ",0,");
                w.write(sixDigits ? String.format(Locale.ROOT, "%.6f", s) : Double.toString(s));
                w.write('\n');
            }
        }
    }

    private static void writeMulti(Path file, int rows, int k) throws IOException {
        SplittableRandom rnd = new SplittableRandom(2);
        StringBuilder sb = new StringBuilder();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            sb.append("label");
            for (int c = 0; c < k; c++) {
                sb.append(",prob_").append(c);
            }
            w.write(sb.append('\n').toString());
            double[] p = new double[k];
            for (int i = 0; i < rows; i++) {
                sb.setLength(0);
                sb.append(rnd.nextInt(k));
                double sum = 0;
                for (int c = 0; c < k; c++) {
                    p[c] = rnd.nextDouble();
                    sum += p[c];
                }
                for (int c = 0; c < k; c++) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.6f", p[c] / sum));
                }
                w.write(sb.append('\n').toString());
            }
        }
    }

    private static void writeJson(Path file, int rows) throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < rows; i++) {
                int label = rnd.nextInt(2);
                w.write("{\"id\": " + i + ", \"label\": " + label + ", \"score\": " + rnd.nextDouble() + "}\n");
            }
        }
    }
}
