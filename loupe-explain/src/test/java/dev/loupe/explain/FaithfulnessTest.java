package dev.loupe.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Faithfulness on a keyword classifier whose important words are known by construction: P(spam) rises with each kept
 * keyword ("free", "money", "winner") and barely moves with the other words. Occlusion and KernelSHAP rank the keywords
 * first, so they must beat random word orders; an explanation that ranks the keywords last must not.
 */
class FaithfulnessTest {
    static final List<String> KEYWORDS = List.of("free", "money", "winner");

    record Text(List<String> words, ToDoubleFunction<boolean[]> f) {
    }

    static Text text(SplittableRandom rnd) {
        int m = 8 + rnd.nextInt(10);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            words.add("w" + rnd.nextInt(50));
        }
        int keys = 1 + rnd.nextInt(3);
        for (int k = 0; k < keys; k++) {
            words.set(rnd.nextInt(m), KEYWORDS.get(k));
        }
        double[] noise = new double[m];
        for (int i = 0; i < m; i++) {
            noise[i] = KEYWORDS.contains(words.get(i)) ? 0 : rnd.nextDouble(-0.05, 0.05);
        }
        return new Text(words, z -> {
            double s = -2;
            for (int i = 0; i < z.length; i++) {
                if (z[i]) {
                    s += KEYWORDS.contains(words.get(i)) ? 2.5 : noise[i];
                }
            }
            return 1 / (1 + Math.exp(-s));
        });
    }

    @Test
    void occlusionAndShapBeatRandomOrdersOnAKeywordClassifier() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<Faithfulness.Measures> occ = new ArrayList<>();
        List<Faithfulness.Measures> shap = new ArrayList<>();
        List<Faithfulness.Measures> reversed = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            Text x = text(rnd);
            int m = x.words().size();
            CoalitionModel f = KernelShapTest.model(m, x.f(), new int[1]);
            List<Unit> units = KernelShapTest.units(m);
            Explanation o = Occlusion.explain(f, units, 1, "spam");
            Explanation s = KernelShap.explain(f, units, 1, "spam", 600, t);
            occ.add(Faithfulness.measure(f, 1, o.scores(), t));
            shap.add(Faithfulness.measure(f, 1, s.scores(), t));
            double[] neg = o.scores().clone();
            for (int i = 0; i < neg.length; i++) {
                neg[i] = -neg[i];
            }
            reversed.add(Faithfulness.measure(f, 1, neg, t));
        }
        for (List<Faithfulness.Measures> good : List.of(occ, shap)) {
            Faithfulness.Summary sum = Faithfulness.summarize("m", good, 1000, 0.95, 0);
            assertEquals(40, sum.examples());
            assertTrue(sum.aopc().ciLow() > sum.aopcRandom().ciHigh(), "AOPC " + sum.aopc() + " vs random " + sum.aopcRandom());
            Faithfulness.Interval comp10 = sum.byFraction().get("0.1")[0];
            assertTrue(comp10.value() > 0.3, "removing the top 10% (the keyword) drops P(spam): " + comp10);
            assertTrue(sum.sufficiency().value() < sum.comprehensiveness().value(), sum.toString());
            assertTrue(sum.aopc().ciLow() <= sum.aopc().value() && sum.aopc().value() <= sum.aopc().ciHigh());
        }
        Faithfulness.Summary bad = Faithfulness.summarize("reversed", reversed, 1000, 0.95, 0);
        assertTrue(bad.aopc().value() < bad.aopcRandom().value(), "keywords last: worse than random " + bad);
    }

    @Test
    void measuresFollowTheirDefinitions() {
        // f = fraction of kept words among the first two: the order 0, 1, ... is perfect
        int m = 10;
        ToDoubleFunction<boolean[]> f = z -> ((z[0] ? 1 : 0) + (z[1] ? 1 : 0)) / 2.0;
        double[] scores = new double[m];
        for (int i = 0; i < m; i++) {
            scores[i] = m - i;
        }
        Faithfulness.Measures r = Faithfulness.measure(KernelShapTest.model(m, f, new int[1]), 1, scores, 0);
        assertEquals(0.5, r.comprehensiveness()[0], 1e-12, "10% = 1 word: word 0 removed");
        assertEquals(1.0, r.comprehensiveness()[1], 1e-12, "20% = 2 words");
        assertEquals(0.5, r.sufficiency()[0], 1e-12, "word 0 alone keeps half");
        assertEquals(0.0, r.sufficiency()[1], 1e-12);
        // steps of one word: drops 0, .5, 1, 1, ... over k = 0..10 -> (0.5 + 9 * 1) / 11
        assertEquals((0.5 + 9) / 11, r.aopc(), 1e-12);
    }
}
