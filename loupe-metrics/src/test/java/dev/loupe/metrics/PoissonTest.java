package dev.loupe.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        // printed by the compare-chain draw that shipped before the table (commit 315045f): intervals must not move
        assertEquals("0001110010230100102101111310001010211101", drawsOf(Poisson.rowHash(0, 0), 40));
        assertEquals("1112002123321221211001221211121101111020", drawsOf(Poisson.rowHash(0, 1), 40));
        assertEquals("0100101131111111301010111120001114301200", drawsOf(Poisson.rowHash(0, 123456789), 40));
        assertEquals("2322012001111010002000011100130202103000", drawsOf(Poisson.rowHash(42, 5), 40));
    }

    private static String drawsOf(long h, int n) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < n; b++) {
            sb.append(Poisson.draw(h, b));
        }
        return sb.toString();
    }
}
