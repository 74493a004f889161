package dev.loupe.projection;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Randomized PCA (the solver beyond 2,048 dimensions) against the exact one on data of low effective rank. */
class PcaRandomizedTest {
    @Test
    void randomizedAgreesWithExactUpToSign() {
        int n = 600;
        int d = 80;
        Rng r = new Rng(3, 0, 0);
        double[] x = new double[n * d];
        double[][] basis = new double[5][d];
        for (double[] b : basis) {
            for (int j = 0; j < d; j++) {
                b[j] = r.nextGaussian();
            }
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 5; c++) {
                double z = r.nextGaussian() * (10 - 2 * c);
                for (int j = 0; j < d; j++) {
                    x[i * d + j] += z * basis[c][j];
                }
            }
            for (int j = 0; j < d; j++) {
                x[i * d + j] += 0.01 * r.nextGaussian();
            }
        }
        Points p = Points.of(n, d, x);
        Pca.Result exact = Pca.fit(p, 2, 0, 2);
        Pca.Result rand;
        try (Parallel par = new Parallel(2)) {
            rand = Pca.fit(p, 2, 0, par, true);
        }
        assertFalse(rand.exact());
        for (int c = 0; c < 2; c++) {
            double sign = Math.signum(exact.coords()[c] * rand.coords()[c]);
            for (int i = 0; i < n; i++) {
                assertEquals(exact.coords()[i * 2 + c], sign * rand.coords()[i * 2 + c], 1e-6 * Math.abs(exact.coords()[c]) + 1e-6);
            }
            assertEquals(exact.explainedVariance()[c], rand.explainedVariance()[c], 1e-8 * exact.explainedVariance()[c]);
            assertEquals(exact.explainedRatio()[c], rand.explainedRatio()[c], 1e-9);
        }
    }
}
