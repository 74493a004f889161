package dev.loupe.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KernelShapTest {
    /** A set function with pairwise and three-way interactions and a saturating link. */
    static ToDoubleFunction<boolean[]> nonlinear(int m, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        double[] w = new double[m];
        double[][] pair = new double[m][m];
        for (int i = 0; i < m; i++) {
            w[i] = r.nextDouble(-1, 1);
            for (int j = 0; j < m; j++) {
                pair[i][j] = r.nextDouble(-0.5, 0.5);
            }
        }
        return z -> {
            double s = 0.1;
            for (int i = 0; i < m; i++) {
                if (!z[i]) {
                    continue;
                }
                s += w[i];
                for (int j = i + 1; j < m; j++) {
                    s += z[j] ? pair[i][j] : 0;
                }
            }
            s += m > 2 && z[0] && z[1] && z[2] ? 0.7 : 0;
            return 1 / (1 + Math.exp(-s)); // a probability
        };
    }

    static CoalitionModel model(int m, ToDoubleFunction<boolean[]> f, int[] calls) {
        return new CoalitionModel() {
            @Override
            public int size() {
                return m;
            }

            @Override
            public int numClasses() {
                return 2;
            }

            @Override
            public double[][] probabilities(boolean[][] keep) {
                calls[0] += keep.length;
                double[][] out = new double[keep.length][];
                for (int i = 0; i < keep.length; i++) {
                    double p = f.applyAsDouble(keep[i]);
                    out[i] = new double[] {1 - p, p};
                }
                return out;
            }
        };
    }

    static List<Unit> units(int m) {
        List<Unit> u = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            u.add(new Unit("w" + i, 3 * i, 3 * i + 2));
        }
        return u;
    }

    /** Shapley values by their definition: the weighted marginal contributions over every coalition. */
    static double[] bruteForceShapley(int m, ToDoubleFunction<boolean[]> f) {
        double[] phi = new double[m];
        double[] fact = new double[m + 1];
        fact[0] = 1;
        for (int i = 1; i <= m; i++) {
            fact[i] = fact[i - 1] * i;
        }
        for (int i = 0; i < m; i++) {
            for (long bits = 0; bits < 1L << m; bits++) {
                if ((bits >>> i & 1) == 1) {
                    continue;
                }
                boolean[] s = new boolean[m];
                int size = 0;
                for (int j = 0; j < m; j++) {
                    s[j] = (bits >>> j & 1) == 1;
                    size += s[j] ? 1 : 0;
                }
                boolean[] si = s.clone();
                si[i] = true;
                phi[i] += fact[size] * fact[m - size - 1] / fact[m] * (f.applyAsDouble(si) - f.applyAsDouble(s));
            }
        }
        return phi;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 8, 10})
    void enumerationEqualsExactShapleyValues(int m) {
        ToDoubleFunction<boolean[]> f = nonlinear(m, 42 + m);
        int[] calls = {0};
        Explanation e = KernelShap.explain(model(m, f, calls), units(m), 1, "pos", 2000, 0);
        double[] exact = bruteForceShapley(m, f);
        for (int i = 0; i < m; i++) {
            assertEquals(exact[i], e.scores()[i], 1e-9, "word " + i);
        }
        assertEquals(1L << m, calls[0], "every coalition once");
        assertEquals(1L << m, e.evaluations());
        assertTrue(e.note().startsWith("exact"), e.note());
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 25, 60})
    void sampledScoresSumToTheDifferenceOfTheEnds(int m) {
        ToDoubleFunction<boolean[]> f = nonlinear(m, 7);
        int[] calls = {0};
        Explanation e = KernelShap.explain(model(m, f, calls), units(m), 1, "pos", 2000, 3);
        boolean[] all = new boolean[m];
        java.util.Arrays.fill(all, true);
        double fx = f.applyAsDouble(all);
        double f0 = f.applyAsDouble(new boolean[m]);
        assertEquals(fx - f0, e.sum(), 1e-9);
        assertEquals(fx, e.value(), 0);
        assertEquals(f0, e.baseValue(), 0);
        assertEquals(2002, calls[0], "the budget plus the two ends");
        assertTrue(e.note().contains("sampled"), e.note());
    }

    @Test
    void sampledRecoversAnAdditiveModelExactly() {
        int m = 40;
        double[] w = new double[m];
        for (int i = 0; i < m; i++) {
            w[i] = Math.sin(i + 1) / 10;
        }
        ToDoubleFunction<boolean[]> f = z -> {
            double s = 0.2;
            for (int i = 0; i < m; i++) {
                s += z[i] ? w[i] : 0;
            }
            return s;
        };
        Explanation e = KernelShap.explain(model(m, f, new int[1]), units(m), 1, "pos", 500, 1);
        for (int i = 0; i < m; i++) {
            assertEquals(w[i], e.scores()[i], 1e-9, "word " + i);
        }
    }

    @Test
    void sampledApproximatesShapleyValuesAndDependsOnTheSeed() {
        int m = 12; // 4,096 coalitions: 2,000 sampled
        ToDoubleFunction<boolean[]> f = nonlinear(m, 5);
        double[] exact = bruteForceShapley(m, f);
        Explanation a = KernelShap.explain(model(m, f, new int[1]), units(m), 1, "pos", 2000, 1);
        Explanation b = KernelShap.explain(model(m, f, new int[1]), units(m), 1, "pos", 2000, 2);
        Explanation a2 = KernelShap.explain(model(m, f, new int[1]), units(m), 1, "pos", 2000, 1);
        for (int i = 0; i < m; i++) {
            assertEquals(exact[i], a.scores()[i], 0.02, "word " + i);
            assertEquals(a.scores()[i], a2.scores()[i], 0, "seeded");
        }
        assertNotEquals(a.scores()[0], b.scores()[0]);
    }

    @Test
    void tooFewSamplesIsBadInput() {
        int m = 30;
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> KernelShap.explain(model(m, nonlinear(m, 1), new int[1]), units(m), 1, "pos", 50, 0));
        assertTrue(e.getMessage().contains("samples") && e.getMessage().contains("62"), e.getMessage());
    }

    @Test
    void occlusionIsTheDropOfEachWord() {
        int m = 6;
        ToDoubleFunction<boolean[]> f = nonlinear(m, 9);
        int[] calls = {0};
        Explanation e = Occlusion.explain(model(m, f, calls), units(m), 1, "pos");
        boolean[] all = new boolean[m];
        java.util.Arrays.fill(all, true);
        for (int i = 0; i < m; i++) {
            boolean[] z = all.clone();
            z[i] = false;
            assertEquals(f.applyAsDouble(all) - f.applyAsDouble(z), e.scores()[i], 1e-15);
        }
        assertEquals(m + 2, calls[0]);
    }
}
