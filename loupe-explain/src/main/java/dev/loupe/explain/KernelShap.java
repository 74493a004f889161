package dev.loupe.explain;

import dev.loupe.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * KernelSHAP (Lundberg &amp; Lee, 2017): Shapley values of the words as the weighted least-squares fit of
 * {@code f(z) - f(∅)} on the coalitions {@code z}, with the Shapley kernel {@code (M-1) / (C(M,|z|) |z| (M-|z|))} and
 * the constraint that the scores sum to {@code f(all) - f(∅)} (eliminated through the last word, as the {@code shap}
 * package does). The empty and the full coalition are evaluated apart from the budget.
 *
 * <p>When the budget covers every coalition ({@code 2^M <= samples}) they are all enumerated and the fit gives the
 * exact Shapley values. Otherwise coalitions are chosen as {@code shap}'s {@code KernelExplainer} does: whole subset
 * sizes (with their complements) are enumerated from the smallest while the budget's kernel share covers them, then the
 * rest is sampled by size from the remaining kernel mass, each sample paired with its complement, repeats counted as
 * extra weight. Seeded.
 */
public final class KernelShap {
    /** Enumeration is only considered up to this many words. */
    private static final int MAX_ENUMERATED_WORDS = 30;

    private KernelShap() {}

    /** The least budget for M words when they are not enumerated. */
    public static int minSamples(int m) {
        return 2 * m + 2;
    }

    public static Explanation explain(CoalitionModel f, List<Unit> units, int target, String targetLabel,
                                      int samples, long seed) {
        int m = f.size();
        boolean enumerate = m <= MAX_ENUMERATED_WORDS && (1L << m) <= samples;
        if (!enumerate && samples < minSamples(m)) {
            throw InvalidInputException.parameter("samples", "at least " + minSamples(m) + " (2·M + 2 for the " + m
                    + " words of this text), or at least 2^M to enumerate every coalition", samples);
        }
        double[] ends = f.values(new boolean[][] {f.all(), new boolean[m]}, target);
        double fx = ends[0];
        double f0 = ends[1];
        if (m == 1) {
            return new Explanation("shap", units, target, targetLabel, new double[] {fx - f0}, fx, f0, 2, "exact (one word)");
        }
        Coalitions c = enumerate ? Coalitions.all(m) : Coalitions.sampled(m, samples, seed);
        double[] y = f.values(c.masks.toArray(new boolean[0][]), target);
        double[] phi = fit(c.masks, c.weights, y, fx, f0, m);
        String note = enumerate
                ? String.format(Locale.ROOT, "exact: all %,d coalitions", c.masks.size() + 2)
                : String.format(Locale.ROOT, "%,d sampled coalitions (seed %d)", c.masks.size(), seed);
        return new Explanation("shap", units, target, targetLabel, phi, fx, f0, c.masks.size() + 2, note);
    }

    /** The constrained weighted least-squares fit (the last score is {@code fx - f0} less the others). */
    static double[] fit(List<boolean[]> masks, List<Double> weights, double[] y, double fx, double f0, int m) {
        int p = m - 1;
        double[][] a = new double[p][p];
        double[] b = new double[p];
        double[] x = new double[p];
        double delta = fx - f0;
        double trace = 0;
        for (int r = 0; r < masks.size(); r++) {
            boolean[] z = masks.get(r);
            double w = weights.get(r);
            double last = z[m - 1] ? 1 : 0;
            double yr = y[r] - f0 - last * delta;
            for (int i = 0; i < p; i++) {
                x[i] = (z[i] ? 1 : 0) - last;
            }
            for (int i = 0; i < p; i++) {
                if (x[i] == 0) {
                    continue;
                }
                double wx = w * x[i];
                b[i] += wx * yr;
                for (int j = 0; j <= i; j++) {
                    a[i][j] += wx * x[j];
                }
            }
        }
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                a[j][i] = a[i][j];
            }
            trace += a[i][i];
        }
        double[] head;
        try {
            head = LinearAlgebra.solve(copy(a), b.clone());
        } catch (ArithmeticException e) { // a sampled design that misses a word: the smallest ridge that solves it
            for (int i = 0; i < p; i++) {
                a[i][i] += 1e-10 * Math.max(trace / p, 1e-300);
            }
            head = LinearAlgebra.solve(a, b);
        }
        double[] phi = Arrays.copyOf(head, m);
        double rest = delta;
        for (double v : head) {
            rest -= v;
        }
        phi[m - 1] = rest;
        return phi;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }

    static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /** The coalitions of the fit and their weights (the empty and full coalitions excluded). */
    static final class Coalitions {
        final List<boolean[]> masks = new ArrayList<>();
        final List<Double> weights = new ArrayList<>();

        private void add(boolean[] z, double w) {
            masks.add(z);
            weights.add(w);
        }

        /** Every coalition of sizes 1..M-1 with its Shapley kernel weight. */
        static Coalitions all(int m) {
            Coalitions c = new Coalitions();
            for (long bits = 1; bits < (1L << m) - 1; bits++) {
                boolean[] z = new boolean[m];
                int s = 0;
                for (int i = 0; i < m; i++) {
                    z[i] = (bits >>> i & 1) == 1;
                    s += z[i] ? 1 : 0;
                }
                c.add(z, (m - 1) / (binomial(m, s) * s * (m - s)));
            }
            return c;
        }

        /** {@code shap}'s KernelExplainer scheme (see the class comment) for a budget of {@code n} coalitions. */
        static Coalitions sampled(int m, int n, long seed) {
            Coalitions c = new Coalitions();
            SplittableRandom rnd = new SplittableRandom(seed);
            int sizes = (m - 1 + 1) / 2; // ceil((M-1)/2)
            int paired = (m - 1) / 2;
            double[] wv = new double[sizes];
            double sum = 0;
            for (int s = 1; s <= sizes; s++) {
                wv[s - 1] = (m - 1.0) / (s * (double) (m - s)) * (s <= paired ? 2 : 1);
                sum += wv[s - 1];
            }
            for (int i = 0; i < sizes; i++) {
                wv[i] /= sum;
            }
            double[] remaining = wv.clone();
            int full = 0;
            double left = n;
            for (int s = 1; s <= sizes; s++) {
                double subsets = binomial(m, s) * (s <= paired ? 2 : 1);
                if (left * remaining[s - 1] / subsets < 1.0 - 1e-8) {
                    break;
                }
                full++;
                left -= subsets;
                if (remaining[s - 1] < 1.0) {
                    double r = 1 - remaining[s - 1];
                    for (int i = 0; i < sizes; i++) {
                        remaining[i] /= r;
                    }
                }
                double w = wv[s - 1] / binomial(m, s) / (s <= paired ? 2 : 1);
                int[] idx = new int[s];
                for (int i = 0; i < s; i++) {
                    idx[i] = i;
                }
                while (true) { // combinations in lexicographic order
                    boolean[] z = new boolean[m];
                    for (int i : idx) {
                        z[i] = true;
                    }
                    c.add(z, w);
                    if (s <= paired) {
                        c.add(complement(z), w);
                    }
                    int i = s - 1;
                    while (i >= 0 && idx[i] == m - s + i) {
                        i--;
                    }
                    if (i < 0) {
                        break;
                    }
                    idx[i]++;
                    for (int j = i + 1; j < s; j++) {
                        idx[j] = idx[j - 1] + 1;
                    }
                }
            }
            int fixed = c.masks.size();
            int samplesLeft = n - fixed;
            if (full == sizes || samplesLeft <= 0) {
                return c;
            }
            double[] rw = new double[sizes - full];
            double rs = 0;
            for (int i = full; i < sizes; i++) {
                rw[i - full] = wv[i] / (i < paired ? 2 : 1);
                rs += rw[i - full];
            }
            double[] cdf = new double[rw.length];
            double acc = 0;
            for (int i = 0; i < rw.length; i++) {
                acc += rw[i] / rs;
                cdf[i] = acc;
            }
            Map<String, Integer> used = new HashMap<>();
            int[] perm = new int[m];
            for (int draws = 0; samplesLeft > 0 && draws < 4 * (n - fixed); draws++) {
                double u = rnd.nextDouble();
                int ind = 0;
                while (ind < cdf.length - 1 && u > cdf[ind]) {
                    ind++;
                }
                int s = ind + full + 1;
                for (int i = 0; i < m; i++) {
                    perm[i] = i;
                }
                boolean[] z = new boolean[m];
                for (int i = 0; i < s; i++) { // the first s of a random permutation
                    int j = i + rnd.nextInt(m - i);
                    int t = perm[i];
                    perm[i] = perm[j];
                    perm[j] = t;
                    z[perm[i]] = true;
                }
                String key = key(z);
                Integer at = used.get(key);
                if (at == null) {
                    used.put(key, c.masks.size());
                    c.add(z, 1.0);
                    samplesLeft--;
                } else {
                    c.weights.set(at, c.weights.get(at) + 1);
                }
                if (samplesLeft > 0 && s <= paired) {
                    if (at == null) {
                        c.add(complement(z), 1.0);
                        samplesLeft--;
                    } else if (at + 1 < c.weights.size()) {
                        c.weights.set(at + 1, c.weights.get(at + 1) + 1);
                    }
                }
            }
            double weightLeft = 0;
            for (int i = full; i < sizes; i++) {
                weightLeft += wv[i];
            }
            double sampledSum = 0;
            for (int i = fixed; i < c.weights.size(); i++) {
                sampledSum += c.weights.get(i);
            }
            for (int i = fixed; i < c.weights.size(); i++) {
                c.weights.set(i, c.weights.get(i) * weightLeft / sampledSum);
            }
            return c;
        }

        private static boolean[] complement(boolean[] z) {
            boolean[] o = new boolean[z.length];
            for (int i = 0; i < z.length; i++) {
                o[i] = !z[i];
            }
            return o;
        }

        private static String key(boolean[] z) {
            char[] ch = new char[z.length];
            for (int i = 0; i < z.length; i++) {
                ch[i] = z[i] ? '1' : '0';
            }
            return new String(ch);
        }
    }
}
