package dev.loupe.explain;

import dev.loupe.api.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * LIME (Ribeiro et al., 2016) for text, as {@code lime}'s {@code LimeTextExplainer} does it: the first sample is the
 * whole text, each other removes {@code d} words, {@code d} uniform in 1..M, chosen at random (seeded); a sample is
 * weighted by {@code sqrt(exp(-D² / 25²))}, {@code D} the cosine distance (×100) of its kept-word vector to the
 * whole text's; the scores are the coefficients of a weighted ridge regression ({@code alpha = 1}, with intercept) of
 * the target probability on the kept-word indicators. All words are kept in the fit (no feature selection).
 */
public final class Lime {
    static final double KERNEL_WIDTH = 25;
    static final double ALPHA = 1;

    private Lime() {}

    public static Explanation explain(CoalitionModel f, List<Unit> units, int target, String targetLabel,
                                      int samples, long seed) {
        int m = f.size();
        if (samples < 2) {
            throw InvalidInputException.parameter("samples", "at least 2 for LIME", samples);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean[][] z = new boolean[samples][];
        z[0] = f.all();
        int[] perm = new int[m];
        for (int r = 1; r < samples; r++) {
            int remove = 1 + rnd.nextInt(m);
            z[r] = f.all();
            for (int i = 0; i < m; i++) {
                perm[i] = i;
            }
            for (int i = 0; i < remove; i++) {
                int j = i + rnd.nextInt(m - i);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
                z[r][perm[i]] = false;
            }
        }
        double[] y = f.values(z, target);
        double[] w = new double[samples];
        for (int r = 0; r < samples; r++) {
            int kept = 0;
            for (boolean b : z[r]) {
                kept += b ? 1 : 0;
            }
            double d = (1 - (kept == 0 ? 0 : Math.sqrt((double) kept / m))) * 100;
            w[r] = Math.sqrt(Math.exp(-d * d / (KERNEL_WIDTH * KERNEL_WIDTH)));
        }
        Fit fit = ridge(z, y, w, ALPHA);
        double fx = y[0];
        double f0 = f.values(new boolean[][] {new boolean[m]}, target)[0];
        return new Explanation("lime", units, target, targetLabel, fit.coef, fx, fit.intercept, samples,
                String.format(Locale.ROOT, "%,d samples (seed %d), weighted ridge R² %.3f; f(all masked) %.4f",
                        samples, seed, fit.r2, f0));
    }

    record Fit(double[] coef, double intercept, double r2) {
    }

    /** Weighted ridge with an unpenalised intercept (scikit-learn's {@code Ridge(alpha).fit(X, y, sample_weight)}). */
    static Fit ridge(boolean[][] x, double[] y, double[] w, double alpha) {
        int n = y.length;
        int m = x[0].length;
        double sw = 0;
        double ym = 0;
        double[] xm = new double[m];
        for (int r = 0; r < n; r++) {
            sw += w[r];
            ym += w[r] * y[r];
            for (int i = 0; i < m; i++) {
                xm[i] += x[r][i] ? w[r] : 0;
            }
        }
        ym /= sw;
        for (int i = 0; i < m; i++) {
            xm[i] /= sw;
        }
        double[][] a = new double[m][m];
        double[] b = new double[m];
        double[] xc = new double[m];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < m; i++) {
                xc[i] = (x[r][i] ? 1 : 0) - xm[i];
            }
            double yc = y[r] - ym;
            for (int i = 0; i < m; i++) {
                double wx = w[r] * xc[i];
                b[i] += wx * yc;
                for (int j = 0; j <= i; j++) {
                    a[i][j] += wx * xc[j];
                }
            }
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                a[j][i] = a[i][j];
            }
            a[i][i] += alpha;
        }
        double[] coef = LinearAlgebra.solve(a, b);
        double intercept = ym;
        for (int i = 0; i < m; i++) {
            intercept -= xm[i] * coef[i];
        }
        double ssRes = 0;
        double ssTot = 0;
        for (int r = 0; r < n; r++) {
            double pred = intercept;
            for (int i = 0; i < m; i++) {
                pred += x[r][i] ? coef[i] : 0;
            }
            ssRes += w[r] * (y[r] - pred) * (y[r] - pred);
            ssTot += w[r] * (y[r] - ym) * (y[r] - ym);
        }
        return new Fit(coef, intercept, ssTot == 0 ? Double.NaN : 1 - ssRes / ssTot);
    }
}
