package dev.loupe.data.text;

import dev.loupe.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Stratified, seeded, deterministic splits and samples.
 *
 * <p>Each class (label) is split on its own so that every part holds the classes in the data set's proportions:
 * a class's rows are shuffled with a generator seeded by {@code (seed, label)} — so the result does not depend on
 * which other classes exist or on their order — and cut into parts whose sizes are the class size times the
 * fractions, rounded by the largest-remainder method (so they add up to the class size exactly). The same data,
 * fractions and seed always give the same split. Within each part, rows keep the data set's order.
 */
public final class Splits {
    /** The default fractions: 60 % train, 20 % validation, 20 % test. */
    public static final double[] DEFAULT_FRACTIONS = {0.6, 0.2, 0.2};

    private Splits() {
    }

    /**
     * A train/validation/test split. The index arrays are 0-based rows of the source data set, ascending.
     */
    public record Split(TextDataset train, TextDataset validation, TextDataset test,
                        int[] trainRows, int[] validationRows, int[] testRows, long seed) {
    }

    /** 60/20/20 with the given seed. */
    public static Split stratified(TextDataset data, long seed) {
        return stratified(data, DEFAULT_FRACTIONS[0], DEFAULT_FRACTIONS[1], DEFAULT_FRACTIONS[2], seed);
    }

    /**
     * @param train      fraction for training, in [0, 1]
     * @param validation fraction for validation, in [0, 1]
     * @param test       fraction for testing, in [0, 1]; the three must sum to 1 (within 1e-9)
     */
    public static Split stratified(TextDataset data, double train, double validation, double test, long seed) {
        double[] f = {train, validation, test};
        String[] names = {"train", "validation", "test"};
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            if (!(f[k] >= 0 && f[k] <= 1)) {
                throw InvalidInputException.parameter(names[k], "a fraction in [0, 1]", f[k]);
            }
            sum += f[k];
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw InvalidInputException.parameter("train + validation + test", "1", Math.round(sum * 1e9) / 1e9 + " (" + train + " + "
                    + validation + " + " + test + ")");
        }
        List<List<Integer>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Map.Entry<String, int[]> e : byClass(data).entrySet()) {
            int[] rows = shuffled(e.getValue(), seed, e.getKey());
            int[] sizes = apportion(f, rows.length);
            int at = 0;
            for (int k = 0; k < 3; k++) {
                for (int j = 0; j < sizes[k]; j++) {
                    parts.get(k).add(rows[at++]);
                }
            }
        }
        int[][] idx = new int[3][];
        for (int k = 0; k < 3; k++) {
            idx[k] = parts.get(k).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        String n = data.name();
        return new Split(data.select(idx[0], n + " (train)"), data.select(idx[1], n + " (validation)"),
                data.select(idx[2], n + " (test)"), idx[0], idx[1], idx[2], seed);
    }

    /**
     * The 0-based rows of a stratified sample of {@code n} rows (all rows when {@code n >= size}), ascending.
     * Per-class quotas are {@code n} times the class share, rounded by the largest-remainder method; a class
     * never gets more rows than it has.
     */
    public static int[] sampleRows(TextDataset data, int n, long seed) {
        if (n < 1) {
            throw InvalidInputException.parameter("n", "a positive number of examples", n);
        }
        if (n >= data.size()) {
            int[] all = new int[data.size()];
            Arrays.setAll(all, i -> i);
            return all;
        }
        TreeMap<String, int[]> classes = byClass(data);
        double[] shares = new double[classes.size()];
        int c = 0;
        for (int[] rows : classes.values()) {
            shares[c++] = (double) rows.length / data.size();
        }
        int[] quota = apportion(shares, n);
        List<Integer> out = new ArrayList<>(n);
        c = 0;
        for (Map.Entry<String, int[]> e : classes.entrySet()) {
            int[] rows = shuffled(e.getValue(), seed, e.getKey());
            for (int j = 0; j < Math.min(quota[c], rows.length); j++) {
                out.add(rows[j]);
            }
            c++;
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** A stratified sample of {@code n} rows as a data set (see {@link #sampleRows}). */
    public static TextDataset sample(TextDataset data, int n, long seed) {
        if (n >= data.size()) {
            return data;
        }
        return data.select(sampleRows(data, n, seed), data.name() + " (sample of " + n + ", seed " + seed + ")");
    }

    private static TreeMap<String, int[]> byClass(TextDataset data) {
        TreeMap<String, List<Integer>> m = new TreeMap<>();
        for (int i = 0; i < data.size(); i++) {
            m.computeIfAbsent(data.label(i), k -> new ArrayList<>()).add(i);
        }
        TreeMap<String, int[]> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** Fisher–Yates with a generator seeded by (seed, label). */
    private static int[] shuffled(int[] rows, long seed, String label) {
        int[] a = rows.clone();
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        SplittableRandom rnd = new SplittableRandom(h);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }

    /**
     * Largest-remainder rounding of {@code total * weights[k]} (weights sum to 1) to integers summing to
     * {@code total}; ties go to the earlier part.
     */
    static int[] apportion(double[] weights, int total) {
        int k = weights.length;
        int[] out = new int[k];
        double[] rem = new double[k];
        int used = 0;
        for (int i = 0; i < k; i++) {
            double exact = total * weights[i];
            out[i] = (int) Math.floor(exact + 1e-9);
            rem[i] = exact - out[i];
            used += out[i];
        }
        while (used < total) {
            int best = -1;
            for (int i = 0; i < k; i++) {
                if (weights[i] > 0 && (best < 0 || rem[i] > rem[best] + 1e-12)) {
                    best = i;
                }
            }
            if (best < 0) {
                best = 0;
            }
            out[best]++;
            rem[best] = -1;
            used++;
        }
        while (used > total) { // only through the 1e-9 slack
            for (int i = k - 1; i >= 0 && used > total; i--) {
                if (out[i] > 0) {
                    out[i]--;
                    used--;
                }
            }
        }
        return out;
    }
}
