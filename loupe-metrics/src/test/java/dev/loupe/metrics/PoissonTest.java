package dev.loupe.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table draw gives exactly the CDF walk's values, so every replicate's weights stay what they were. */
class PoissonTest {
    @Test
    void tableDrawEqualsTheCdfWalkOnTwoMillionDraws() {
        int[] counts = new int[20];
        for (long key = 0; key < 20_000; key++) {
            long h = Poisson.rowHash(7, key);
            for (int b = 0; b < 100; b++) {
                int d = Poisson.draw(h, b);
                assertEquals(Poisson.drawByWalk(h, b), d, () -> "row hash " + h);
                counts[d]++;
            }
        }
        // Poisson(1): P(0) = P(1) = 0.3679, P(2) = 0.1839, P(3) = 0.0613 (2,000,000 draws: ±0.3 % absolute is > 6 sd)
        assertEquals(0.3679, counts[0] / 2e6, 0.003);
        assertEquals(0.3679, counts[1] / 2e6, 0.003);
        assertEquals(0.1839, counts[2] / 2e6, 0.003);
        assertEquals(0.0613, counts[3] / 2e6, 0.003);
    }

    @Test
    void everyTableBucketAgreesWithTheWalkAtBothEndsAndInside() {
        for (long t = 0; t < (1 << 16); t++) {
            long lo = t << 37;
            for (long u : new long[] {lo, lo + (1L << 36), lo + (1L << 37) - 1}) {
                assertEquals(Poisson.walk(u), Poisson.drawOfU(u), "u = " + u);
            }
        }
    }

    @Test
    void drawsAreThoseOfTheReleasedDefinition() {
        // printed by the quad definition of issue 11 (one mix per four replicates; before it, each replicate had a
        // mix of its own and these rows read 0001110010230100102101111310001010211101, ...): intervals must not move
        // again without a note in the changelog and docs/BENCHMARKS.md
        assertEquals("0101001100101201110211200013002311000211", drawsOf(Poisson.rowHash(0, 0), 40));
        assertEquals("1100114011032130023002032201120022113011", drawsOf(Poisson.rowHash(0, 1), 40));
        assertEquals("0100113100110222111301141022100031011310", drawsOf(Poisson.rowHash(0, 123456789), 40));
        assertEquals("2232301021102141040110112110012201111032", drawsOf(Poisson.rowHash(42, 5), 40));
    }

    @Test
    void aQuadHoldsTheDrawsOfItsFourReplicatesIncludingRefinedOnes() {
        int refined = 0;
        for (long key = 0; key < 50_000; key++) {
            long h = Poisson.rowHash(3, key);
            for (int q = 0; q < 8; q++) {
                int d = Poisson.draws4(h, q);
                for (int j = 0; j < 4; j++) {
                    int b = 4 * q + j;
                    int dj = d >>> (8 * j) & 0xFF;
                    assertEquals(Poisson.drawByWalk(h, b), dj, () -> "row hash " + h + ", replicate " + b);
                    assertEquals(dj, Poisson.draw(h, b));
                }
                refined += Poisson.needsRefinement(h, q) ? 1 : 0;
            }
        }
        // 7 of 4,096 chunks straddle a step: about 0.7 % of the 400,000 quads walk, so the refined path is exercised
        assertTrue(refined > 1_000 && refined < 5_000, "quads refined: " + refined);
    }

    private static String drawsOf(long h, int n) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < n; b++) {
            sb.append(Poisson.draw(h, b));
        }
        return sb.toString();
    }
}
