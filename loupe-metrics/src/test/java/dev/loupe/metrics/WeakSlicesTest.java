package dev.loupe.metrics;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link WeakSlices}: the lattice search finds exactly the slices a brute-force enumeration of every conjunction finds,
 * ranks a planted weak slice first, and flags nothing as worse on data whose errors fall at random (the Bonferroni
 * adjustment at work).
 */
class WeakSlicesTest {
    static final List<String> COLUMNS = List.of("a", "b", "c");
    static final List<List<String>> VALUES = List.of(List.of("a0", "a1", "a2", "a3"), List.of("b0", "b1", "b2"),
            List.of("c0", "c1", "c2", "c3", "c4"));

    record Data(int[][] codes, BitSet errors, int n) {
    }

    /** Random rows; the error rate is 10 %, or {@code weakRate} in the slice a=a1 AND c=c2. */
    static Data data(int n, double weakRate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[][] codes = new int[3][n];
        BitSet errors = new BitSet(n);
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 3; d++) {
                codes[d][i] = rng.nextInt(10) == 0 && d == 1 ? -1 : rng.nextInt(VALUES.get(d).size()); // b sometimes missing
            }
            boolean weak = codes[0][i] == 1 && codes[2][i] == 2;
            if (rng.nextDouble() < (weak ? weakRate : 0.1)) {
                errors.set(i);
            }
        }
        return new Data(codes, errors, n);
    }

    @Test
    void findsWhatBruteForceFindsAndThePlantedSliceFirst() {
        Data x = data(3000, 0.45, 1);
        WeakSlices.Settings s = new WeakSlices.Settings(25, 3, 1000, 0.95);
        WeakSlices.Result r = WeakSlices.find(COLUMNS, x.codes(), VALUES, x.errors(), x.n(), s);

        // brute force: every assignment of a value (or "any") to each column
        List<WeakSlices.Slice> expected = new ArrayList<>();
        int tested = 0;
        double overall = (double) x.errors().cardinality() / x.n();
        for (int a = -1; a < 4; a++) {
            for (int b = -1; b < 3; b++) {
                for (int c = -1; c < 5; c++) {
                    if (a < 0 && b < 0 && c < 0) {
                        continue;
                    }
                    long rows = 0;
                    long errs = 0;
                    for (int i = 0; i < x.n(); i++) {
                        if ((a < 0 || x.codes()[0][i] == a) && (b < 0 || x.codes()[1][i] == b) && (c < 0 || x.codes()[2][i] == c)) {
                            rows++;
                            errs += x.errors().get(i) ? 1 : 0;
                        }
                    }
                    if (rows < 25) {
                        continue;
                    }
                    tested++;
                    double rate = (double) errs / rows;
                    if (rate > overall) {
                        List<WeakSlices.Predicate> ps = new ArrayList<>();
                        if (a >= 0) {
                            ps.add(new WeakSlices.Predicate("a", "a" + a));
                        }
                        if (b >= 0) {
                            ps.add(new WeakSlices.Predicate("b", "b" + b));
                        }
                        if (c >= 0) {
                            ps.add(new WeakSlices.Predicate("c", "c" + c));
                        }
                        double score = 0.95 * (rate / overall - 1) - 0.05 * ((double) x.n() / rows - 1);
                        expected.add(new WeakSlices.Slice(ps, rows, errs, rate, Double.NaN, Double.NaN, score, false));
                    }
                }
            }
        }
        // intervals at the Bonferroni-adjusted level for every slice tested, then the report's order
        double z = Normal.quantile(1 - 0.05 / tested / 2);
        expected.replaceAll(e -> {
            double[] ci = WeakSlices.wilson(e.errors(), e.rows(), z);
            return new WeakSlices.Slice(e.predicates(), e.rows(), e.errors(), e.errorRate(), ci[0], ci[1], e.score(), ci[0] > overall);
        });
        expected.sort(WeakSlices.ORDER);
        assertEquals(tested, r.tested());
        assertEquals(expected.size(), r.slices().size());
        for (int i = 0; i < expected.size(); i++) {
            WeakSlices.Slice e = expected.get(i);
            WeakSlices.Slice g = r.slices().get(i);
            assertEquals(e.name(), g.name(), "rank " + i);
            assertEquals(e.rows(), g.rows());
            assertEquals(e.errors(), g.errors());
            assertEquals(e.score(), g.score(), 1e-12);
            assertEquals(e.ciLow(), g.ciLow(), 1e-12);
            assertEquals(e.worse(), g.worse());
            assertTrue(g.ciLow() <= g.errorRate() && g.errorRate() <= g.ciHigh(), g.toString());
        }
        WeakSlices.Slice top = r.slices().get(0);
        assertEquals("a=a1 AND c=c2", top.name());
        assertTrue(top.worse(), top.toString());
        assertEquals(1 - 0.05 / tested, r.pointLevel(), 1e-15);
    }

    @Test
    void randomErrorsMakeNoSliceWorseAfterTheAdjustment() {
        Data x = data(5000, 0.1, 2); // no planted slice
        WeakSlices.Result r = WeakSlices.find(COLUMNS, x.codes(), VALUES, x.errors(), x.n(), WeakSlices.Settings.defaults());
        assertFalse(r.slices().isEmpty(), "some slices are worse by chance");
        assertTrue(r.slices().stream().noneMatch(WeakSlices.Slice::worse), r.slices().toString());
        assertEquals(10, r.slices().size());
    }

    @Test
    void normalQuantileAndWilsonIntervalAgreeWithReferences() {
        // scipy.stats.norm.ppf
        double[][] ref = {{0.975, 1.959963984540054}, {0.995, 2.5758293035489004}, {0.99975, 3.4807564043462422},
            {0.9999975, 4.56478773027951}, {0.01, -2.3263478740408408}, {1e-6, -4.753424308822899}, {0.3, -0.5244005127080409}};
        for (double[] x : ref) {
            assertEquals(x[1], Normal.quantile(x[0]), 2e-9 * Math.abs(x[1]), "p = " + x[0]);
        }
        assertEquals(0.0, Normal.quantile(0.5), 1e-15);
        // Wilson's interval for 10 of 100 at z = 1.96, computed in Python from Wilson (1927): (0.0552291, 0.1743657)
        double[] w = WeakSlices.wilson(10, 100, 1.959963984540054);
        assertEquals(0.05522914, w[0], 1e-7);
        assertEquals(0.17436566, w[1], 1e-7);
    }

    @Test
    @Tag("perf")
    void fiveColumnsOfTenValuesOnAMillionRows() {
        int n = 1_000_000;
        SplittableRandom rng = new SplittableRandom(3);
        int[][] codes = new int[5][n];
        List<String> cols = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        for (int d = 0; d < 5; d++) {
            cols.add("col" + d);
            List<String> v = new ArrayList<>();
            for (int j = 0; j < 10; j++) {
                v.add("v" + j);
            }
            values.add(v);
        }
        BitSet errors = new BitSet(n);
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < 5; d++) {
                codes[d][i] = rng.nextInt(10);
            }
            if (rng.nextDouble() < (codes[0][i] == 3 && codes[4][i] == 7 ? 0.3 : 0.1)) {
                errors.set(i);
            }
        }
        long t0 = System.nanoTime();
        WeakSlices.Result r = WeakSlices.find(cols, codes, values, errors, n, new WeakSlices.Settings(1000, 3, 10, 0.95));
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[perf] weak slices: 5 columns x 10 values, 1,000,000 rows, %d slices tested to level 3: %.2f s%n",
                r.tested(), secs);
        assertEquals("col0=v3 AND col4=v7", r.slices().get(0).name());
        assertTrue(secs <= 10, secs + " s");
    }
}
