package dev.loupe.projection;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The FFT-interpolated repulsion against the exact O(n²) sums, on clustered points spread over a small (early
 * exaggeration), a middle and a wide range (a late 200,000-point embedding spans ~150); and thread-count independence.
 */
class FftRepulsionTest {
    static double[] clustered(int n, double spread, long seed) {
        Random r = new Random(seed);
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            int c = i % 7;
            y[2 * i] = spread * Math.cos(c) + r.nextGaussian() * spread / 8;
            y[2 * i + 1] = spread * Math.sin(c) + r.nextGaussian() * spread / 8;
        }
        return y;
    }

    static double exact(double[] y, int n, double[] rep) {
        double z = 0;
        for (int i = 0; i < n; i++) {
            double rx = 0;
            double ry = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double dx = y[2 * i] - y[2 * j];
                    double dy = y[2 * i + 1] - y[2 * j + 1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    z += w;
                    rx += w * w * dx;
                    ry += w * w * dy;
                }
            }
            rep[2 * i] = rx;
            rep[2 * i + 1] = ry;
        }
        return z;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.01, 1, 20, 80})
    void matchesTheExactSums(double spread) {
        int n = 3000;
        double[] y = clustered(n, spread, 3);
        double[] want = new double[2 * n];
        double zWant = exact(y, n, want);
        double[] got = new double[2 * n];
        double[] bh = new double[2 * n];
        double z;
        double zBh;
        try (Parallel par = new Parallel(2)) {
            z = new FftRepulsion().repulsion(y, n, got, par);
            zBh = Tsne.barnesHut(y, n, 0.5, bh, par);
        }
        double fftErr = relErr(got, want);
        double bhErr = relErr(bh, want);
        // Barnes-Hut (θ = 0.5) is the accuracy t-SNE already accepts: FFT errors measured 1e-12 … 4.3% here, against
        // Barnes-Hut's 1e-5 … 1.9%; the largest where sparse points sit a box apart (the near field is interpolated)
        assertTrue(fftErr < 0.05 && fftErr <= Math.max(2.5 * bhErr, 1e-6), "force error " + fftErr + " vs Barnes-Hut " + bhErr);
        assertEquals(zWant, z, 0.015 * zWant, "Z");
        assertEquals(zWant, zBh, 0.015 * zWant, "Z (Barnes-Hut)");
    }

    static double relErr(double[] got, double[] want) {
        double norm = 0;
        double err = 0;
        for (int t = 0; t < got.length; t++) {
            norm += want[t] * want[t];
            err += (got[t] - want[t]) * (got[t] - want[t]);
        }
        return Math.sqrt(err / norm);
    }

    @Test
    void sameResultForAnyThreadCount() {
        int n = 5000;
        double[] y = clustered(n, 30, 4);
        double[] a = new double[2 * n];
        double[] b = new double[2 * n];
        double za;
        double zb;
        try (Parallel one = new Parallel(1); Parallel three = new Parallel(3)) {
            za = new FftRepulsion().repulsion(y, n, a, one);
            zb = new FftRepulsion().repulsion(y, n, b, three);
        }
        assertEquals(za, zb, 0);
        assertArrayEquals(a, b, 0);
    }

    @Test
    void fftLengthsHaveOnlySmallFactors() {
        assertEquals(50, FftRepulsion.smooth(50));
        assertEquals(54, FftRepulsion.smooth(51));
        assertEquals(1, FftRepulsion.boxWidth(500));
        assertTrue(FftRepulsion.boxWidth(10) >= 10.0 / FftRepulsion.MIN_BOXES);
        assertTrue(FftRepulsion.boxWidth(10) < 10.0 / FftRepulsion.MIN_BOXES * 1.1);
    }
}
