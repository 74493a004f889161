package dev.loupe.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How faithful an explanation is to the model (ERASER, DeYoung et al., 2020), from the model itself: remove the words
 * an explanation ranks highest and watch the probability of the explained class.
 * <ul>
 *   <li>comprehensiveness at p: f(text) − f(text without its top p of words) — high when the top words mattered;</li>
 *   <li>sufficiency at p: f(text) − f(only its top p of words) — low when they alone suffice;</li>
 *   <li>AOPC (area over the perturbation curve; Samek et al., 2017): the mean drop f(text) − f(text without the top k
 *   words) over k = 0..L, L = min(M, 20) steps of ceil(M / 20) words — against the same curve for random word orders
 *   ({@value #RANDOM_ORDERS} seeded orders per text), the baseline an explainer must beat.</li>
 * </ul>
 * p is 10, 20 and 50 % of the words, at least one word. Over a set of texts each measure is a mean with a percentile
 * bootstrap interval (resampling texts, seeded).
 */
public final class Faithfulness {
    public static final double[] FRACTIONS = {0.1, 0.2, 0.5};
    static final int RANDOM_ORDERS = 5;
    static final int MAX_STEPS = 20;

    private Faithfulness() {}

    /** One text's measures for one explanation: per fraction, and the AOPC of its order and of random orders. */
    public record Measures(double[] comprehensiveness, double[] sufficiency, double aopc, double aopcRandom) {
    }

    /** A mean over texts with its bootstrap interval. */
    public record Interval(double value, double ciLow, double ciHigh) {
    }

    /** A method's faithfulness over texts: means over the fractions, and per fraction. */
    public record Summary(String method, int examples, Interval comprehensiveness, Interval sufficiency, Interval aopc,
                          Interval aopcRandom, Map<String, Interval[]> byFraction) {
    }

    /** The measures of {@code scores} (one per unit) on {@code f} for class {@code target}; {@code seed} fixes the random orders. */
    public static Measures measure(CoalitionModel f, int target, double[] scores, long seed) {
        int m = f.size();
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[b], scores[a]));
        int[] ranked = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
        List<boolean[]> rows = new ArrayList<>();
        rows.add(f.all());
        for (double p : FRACTIONS) {
            int k = Math.max(1, (int) Math.round(p * m));
            rows.add(without(m, ranked, k));
            rows.add(only(m, ranked, k));
        }
        int step = (m + MAX_STEPS - 1) / MAX_STEPS;
        int steps = (m + step - 1) / step;
        for (int s = 1; s <= steps; s++) {
            rows.add(without(m, ranked, Math.min(m, s * step)));
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int r = 0; r < RANDOM_ORDERS; r++) {
            int[] perm = new int[m];
            for (int i = 0; i < m; i++) {
                perm[i] = i;
            }
            for (int i = m - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            for (int s = 1; s <= steps; s++) {
                rows.add(without(m, perm, Math.min(m, s * step)));
            }
        }
        double[] v = f.values(rows.toArray(new boolean[0][]), target);
        double fx = v[0];
        double[] comp = new double[FRACTIONS.length];
        double[] suff = new double[FRACTIONS.length];
        int at = 1;
        for (int i = 0; i < FRACTIONS.length; i++) {
            comp[i] = fx - v[at++];
            suff[i] = fx - v[at++];
        }
        double aopc = 0; // k = 0 adds a zero drop
        for (int s = 0; s < steps; s++) {
            aopc += fx - v[at++];
        }
        aopc /= steps + 1;
        double random = 0;
        for (int r = 0; r < RANDOM_ORDERS; r++) {
            double a = 0;
            for (int s = 0; s < steps; s++) {
                a += fx - v[at++];
            }
            random += a / (steps + 1);
        }
        return new Measures(comp, suff, aopc, random / RANDOM_ORDERS);
    }

    private static boolean[] without(int m, int[] order, int k) {
        boolean[] z = new boolean[m];
        Arrays.fill(z, true);
        for (int i = 0; i < k; i++) {
            z[order[i]] = false;
        }
        return z;
    }

    private static boolean[] only(int m, int[] order, int k) {
        boolean[] z = new boolean[m];
        for (int i = 0; i < k; i++) {
            z[order[i]] = true;
        }
        return z;
    }

    /** Means over texts with percentile bootstrap intervals ({@code level}, e.g. 0.95; {@code replicates} resamples). */
    public static Summary summarize(String method, List<Measures> rows, int replicates, double level, long seed) {
        int n = rows.size();
        int fr = FRACTIONS.length;
        double[][] cols = new double[4 + 2 * fr][n];
        for (int i = 0; i < n; i++) {
            Measures r = rows.get(i);
            cols[0][i] = mean(r.comprehensiveness());
            cols[1][i] = mean(r.sufficiency());
            cols[2][i] = r.aopc();
            cols[3][i] = r.aopcRandom();
            for (int j = 0; j < fr; j++) {
                cols[4 + j][i] = r.comprehensiveness()[j];
                cols[4 + fr + j][i] = r.sufficiency()[j];
            }
        }
        Interval[] iv = bootstrap(cols, replicates, level, seed);
        Map<String, Interval[]> byFraction = new LinkedHashMap<>();
        for (int j = 0; j < fr; j++) {
            byFraction.put(String.valueOf(FRACTIONS[j]), new Interval[] {iv[4 + j], iv[4 + fr + j]});
        }
        return new Summary(method, n, iv[0], iv[1], iv[2], iv[3], byFraction);
    }

    /** Mean of each column with the percentile interval of the means of {@code replicates} resamples of the rows. */
    static Interval[] bootstrap(double[][] cols, int replicates, double level, long seed) {
        int n = cols[0].length;
        Interval[] out = new Interval[cols.length];
        if (n == 0) {
            Arrays.fill(out, new Interval(Double.NaN, Double.NaN, Double.NaN));
            return out;
        }
        double[][] reps = new double[cols.length][replicates];
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] pick = new int[n];
        for (int b = 0; b < replicates; b++) {
            for (int i = 0; i < n; i++) {
                pick[i] = rnd.nextInt(n);
            }
            for (int c = 0; c < cols.length; c++) {
                double s = 0;
                for (int i : pick) {
                    s += cols[c][i];
                }
                reps[c][b] = s / n;
            }
        }
        for (int c = 0; c < cols.length; c++) {
            double[] r = reps[c];
            Arrays.sort(r);
            boolean ci = n > 1 && replicates > 0;
            out[c] = new Interval(mean(cols[c]), ci ? quantile(r, (1 - level) / 2) : Double.NaN,
                    ci ? quantile(r, 1 - (1 - level) / 2) : Double.NaN);
        }
        return out;
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
