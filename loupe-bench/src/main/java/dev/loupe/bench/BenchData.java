package dev.loupe.bench;

import dev.loupe.api.PredictionBatch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One benchmark data set in memory: labels, row-major probabilities (binary: [1 − s, s]) and predictions
 * (binary: s ≥ 0.5, as {@code loupe evaluate} without a pred column; multi-class: first arg-max), loaded from
 * the {@code .npy} files of {@code bench/gen_data.py} or, when they are missing, synthesised the same way.
 */
final class BenchData {
    final String name;
    final int k;
    final int n;
    final int[] labels;
    final double[] probs;
    final int[] preds;

    private BenchData(String name, int k, int[] labels, double[] probs) {
        this.name = name;
        this.k = k;
        this.n = labels.length;
        this.labels = labels;
        this.probs = probs;
        this.preds = new int[n];
        for (int i = 0; i < n; i++) {
            preds[i] = k == 2 ? (probs[2 * i + 1] >= 0.5 ? 1 : 0) : PredictionBatch.argMax(probs, i * k, k);
        }
    }

    /** {@code dir/name_labels.npy} and {@code dir/name_scores.npy} (binary) or {@code _probs.npy}. */
    static BenchData load(Path dir, String name) {
        int[] labels = Npy.ints(dir.resolve(name + "_labels.npy"));
        Path scores = dir.resolve(name + "_scores.npy");
        if (Files.exists(scores)) {
            double[] s = Npy.doubles(scores);
            double[] p = new double[2 * s.length];
            for (int i = 0; i < s.length; i++) {
                p[2 * i] = 1.0 - s[i];
                p[2 * i + 1] = s[i];
            }
            return new BenchData(name, 2, labels, p);
        }
        double[] p = Npy.doubles(dir.resolve(name + "_probs.npy"));
        return new BenchData(name, p.length / labels.length, labels, p);
    }

    static boolean exists(Path dir, String name) {
        return Files.exists(dir.resolve(name + "_labels.npy"));
    }

    /** Loads {@code dir/name} when present, else synthesises {@code n} rows of {@code k} classes. */
    static BenchData loadOrSynthesize(Path dir, String name, int k, int n) {
        return exists(dir, name) ? load(dir, name) : synthesize(k, n, 42);
    }

    /** Scores in millionths like gen_data.py (not the same random stream). */
    static BenchData synthesize(int k, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] labels = new int[n];
        double[] p = new double[n * k];
        double[] z = new double[k];
        long[] m = new long[k];
        for (int i = 0; i < n; i++) {
            if (k == 2) {
                int y = rnd.nextDouble() < 0.3 ? 1 : 0;
                double s = 1.0 / (1.0 + Math.exp(-(gaussian(rnd) + (y == 1 ? 1.2 : -0.8))));
                double q = Math.rint(s * 1e6) / 1e6;
                labels[i] = y;
                p[2 * i] = 1.0 - q;
                p[2 * i + 1] = q;
                continue;
            }
            int y = rnd.nextInt(k);
            labels[i] = y;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                z[c] = gaussian(rnd) + (c == y ? 1.5 : 0);
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                z[c] = Math.exp(z[c] - max);
                sum += z[c];
            }
            long total = 0;
            int top = 0;
            for (int c = 0; c < k; c++) {
                m[c] = Math.round(z[c] / sum * 1e6);
                total += m[c];
                if (m[c] > m[top]) {
                    top = c;
                }
            }
            m[top] += 1_000_000 - total;
            for (int c = 0; c < k; c++) {
                p[i * k + c] = m[c] / 1e6;
            }
        }
        return new BenchData("synthetic_k" + k + "_n" + n, k, labels, p);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1.0 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Rows {@code [0, rows)} cut into unweighted batches of {@code batchRows} with keys = row index. */
    List<PredictionBatch> batches(int rows, int batchRows) {
        rows = Math.min(rows, n);
        List<PredictionBatch> out = new ArrayList<>();
        for (int from = 0; from < rows; from += batchRows) {
            int to = Math.min(rows, from + batchRows);
            PredictionBatch b = new PredictionBatch(k, to - from, false);
            for (int i = from; i < to; i++) {
                b.add(i, labels[i], preds[i], 1.0, probs, i * k);
            }
            out.add(b);
        }
        return out;
    }

    List<String> classes() {
        List<String> c = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            c.add(Integer.toString(i));
        }
        return c;
    }

    /** Positive class index for the config: 1 for binary, −1 for multi-class. */
    int positive() {
        return k == 2 ? 1 : -1;
    }
}
