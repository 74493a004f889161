package dev.loupe.metrics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PairedComparisonTest {
    /** Two-sided p-values from scipy.stats.binomtest(min(b, c), b + c, 0.5) (scipy with scikit-learn 1.9.1's env). */
    @Test
    void mcnemarExactMatchesScipy() {
        assertEquals(0.109375, PairedComparison.mcnemarExact(2, 8), 1e-15);
        assertEquals(0.109375, PairedComparison.mcnemarExact(8, 2), 1e-15);
        assertEquals(0.03299261842647619, PairedComparison.mcnemarExact(30, 50), 1e-13);
        assertEquals(8.549170923883781e-05, PairedComparison.mcnemarExact(400, 520), 1e-15);
        assertEquals(0.25, PairedComparison.mcnemarExact(0, 3), 1e-15);
        assertEquals(1.0, PairedComparison.mcnemarExact(5, 5), 0);
        assertEquals(1.0, PairedComparison.mcnemarExact(0, 0), 0);
        double tiny = PairedComparison.mcnemarExact(1000, 3000); // 0.5^4000 underflows a direct sum
        assertTrue(tiny >= 0 && tiny < 1e-100, String.valueOf(tiny));
    }

    @Test
    void deltaCountsAndAPairedIntervalThatSeesSmallDifferences() {
        Random rnd = new Random(3);
        int n = 5000;
        boolean[] a = new boolean[n];
        boolean[] b = new boolean[n];
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextDouble() < 0.90;
            b[i] = a[i] ? rnd.nextDouble() < 0.99 : rnd.nextDouble() < 0.30; // B fixes 30% of A's errors, breaks 1%
            keys[i] = i;
        }
        PairedComparison.Result r = PairedComparison.compare(a, b, keys, 1000, 0, 0.95);
        int onlyA = 0;
        int onlyB = 0;
        int ca = 0;
        int cb = 0;
        for (int i = 0; i < n; i++) {
            onlyA += a[i] && !b[i] ? 1 : 0;
            onlyB += b[i] && !a[i] ? 1 : 0;
            ca += a[i] ? 1 : 0;
            cb += b[i] ? 1 : 0;
        }
        assertEquals(onlyA, r.onlyA());
        assertEquals(onlyB, r.onlyB());
        assertEquals((double) (cb - ca) / n, r.delta(), 1e-15);
        assertEquals((double) (onlyB - onlyA) / n, r.delta(), 1e-15, "the difference is the discordant balance");
        assertTrue(r.ciLow() < r.delta() && r.delta() < r.ciHigh(), r.toString());
        assertTrue(r.ciLow() > 0, "a paired test resolves a ~2-point gain on 5,000 examples: " + r);
        assertTrue(r.ciHigh() - r.ciLow() < 0.02, "paired interval width " + (r.ciHigh() - r.ciLow()));
        assertTrue(r.pValue() < 1e-6, String.valueOf(r.pValue()));
        // the same rows in another order give the same replicates (weights keyed by the example, not the position)
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = n - 1 - i;
        }
        boolean[] a2 = new boolean[n];
        boolean[] b2 = new boolean[n];
        long[] k2 = new long[n];
        for (int i = 0; i < n; i++) {
            a2[i] = a[perm[i]];
            b2[i] = b[perm[i]];
            k2[i] = keys[perm[i]];
        }
        PairedComparison.Result r2 = PairedComparison.compare(a2, b2, k2, 1000, 0, 0.95);
        assertEquals(r.ciLow(), r2.ciLow(), 0);
        assertEquals(r.ciHigh(), r2.ciHigh(), 0);
    }

    @Test
    void identicalModelsAndBadArguments() {
        boolean[] a = {true, false, true, true};
        PairedComparison.Result r = PairedComparison.compare(a, a.clone(), new long[] {0, 1, 2, 3}, 200, 1, 0.95);
        assertEquals(0.0, r.delta(), 0);
        assertEquals(0.0, r.ciLow(), 0);
        assertEquals(0.0, r.ciHigh(), 0);
        assertEquals(1.0, r.pValue(), 0);
        PairedComparison.Result none = PairedComparison.compare(new boolean[0], new boolean[0], new long[0], 100, 0, 0.95);
        assertTrue(Double.isNaN(none.delta()) && Double.isNaN(none.ciLow()));
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.compare(a, new boolean[3], new long[4], 10, 0, 0.95));
        assertThrows(IllegalArgumentException.class, () -> PairedComparison.compare(a, a, new long[4], 10, 0, 1.5));
    }
}
