package dev.loupe.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SplitsTest {
    /** {@code counts[k]} rows of class "c<k>", interleaved. */
    static TextDataset classes(int... counts) {
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int[] left = counts.clone();
        int n = 0;
        boolean any = true;
        while (any) {
            any = false;
            for (int k = 0; k < left.length; k++) {
                if (left[k] > 0) {
                    left[k]--;
                    ids.add("id" + n);
                    texts.add("text " + n);
                    labels.add("c" + k);
                    n++;
                    any = true;
                }
            }
        }
        return new TextDataset("d", ids, texts, labels, Map.of());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -7})
    void stratifiedPartitionsEachClassProportionally(long seed) {
        TextDataset d = classes(1000, 250, 37, 3, 1);
        Splits.Split s = Splits.stratified(d, seed);
        int total = s.train().size() + s.validation().size() + s.test().size();
        assertEquals(d.size(), total);
        Set<Integer> all = new HashSet<>();
        for (int[] rows : new int[][] {s.trainRows(), s.validationRows(), s.testRows()}) {
            for (int r : rows) {
                assertTrue(all.add(r), "row " + r + " in two parts");
            }
            assertTrue(IntStream.range(1, rows.length).allMatch(i -> rows[i - 1] < rows[i]), "ascending");
        }
        assertEquals(d.size(), all.size());
        Map<String, Integer> n = d.labelCounts();
        for (String c : n.keySet()) {
            int tr = s.train().labelCounts().getOrDefault(c, 0);
            int va = s.validation().labelCounts().getOrDefault(c, 0);
            int te = s.test().labelCounts().getOrDefault(c, 0);
            assertEquals(n.get(c), tr + va + te);
            assertTrue(Math.abs(tr - 0.6 * n.get(c)) < 1, c + " train " + tr);
            assertTrue(Math.abs(va - 0.2 * n.get(c)) < 1, c + " validation " + va);
            assertTrue(Math.abs(te - 0.2 * n.get(c)) < 1, c + " test " + te);
        }
        assertEquals(600 + 150, s.train().labelCounts().get("c0") + s.train().labelCounts().get("c1"));
        assertEquals("d (train)", s.train().name());
        assertEquals(seed, s.seed());
        // a one-example class goes to train
        assertEquals(1, s.train().labelCounts().get("c4"));
    }

    @Test
    void deterministicForASeedAndDifferentAcrossSeeds() {
        TextDataset d = classes(300, 200);
        Splits.Split a = Splits.stratified(d, 0.7, 0.1, 0.2, 5);
        Splits.Split b = Splits.stratified(d, 0.7, 0.1, 0.2, 5);
        assertArrayEquals(a.trainRows(), b.trainRows());
        assertArrayEquals(a.validationRows(), b.validationRows());
        assertArrayEquals(a.testRows(), b.testRows());
        assertEquals(a.test().sha256(), b.test().sha256());
        Splits.Split c = Splits.stratified(d, 0.7, 0.1, 0.2, 6);
        assertFalse(Arrays.equals(a.testRows(), c.testRows()));
        assertEquals(350, a.train().size());
        assertEquals(50, a.validation().size());
        assertEquals(100, a.test().size());
    }

    @Test
    void aClassSplitDoesNotDependOnOtherClasses() {
        // the same 100 rows of class "a", alone and followed by 40 rows of class "b"
        List<String> ids = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 140; i++) {
            ids.add("id" + i);
            labels.add(i < 100 ? "a" : "b");
        }
        TextDataset one = new TextDataset("one", ids.subList(0, 100), ids.subList(0, 100), labels.subList(0, 100), Map.of());
        TextDataset two = new TextDataset("two", ids, ids, labels, Map.of());
        List<String> a = Splits.stratified(one, 3).test().ids();
        List<String> b = Splits.stratified(two, 3).test().ids().stream().filter(id -> Integer.parseInt(id.substring(2)) < 100)
                .toList();
        assertEquals(20, a.size());
        assertEquals(a, b);
    }

    @Test
    void zeroValidation() {
        Splits.Split s = Splits.stratified(classes(10, 10), 0.8, 0.0, 0.2, 1);
        assertEquals(16, s.train().size());
        assertEquals(0, s.validation().size());
        assertEquals(4, s.test().size());
    }

    @Test
    void stratifiedSampleHasExactlyNInProportion() {
        TextDataset d = classes(4150, 1896);
        int[] rows = Splits.sampleRows(d, 2000, 42);
        assertEquals(2000, rows.length);
        TextDataset s = Splits.sample(d, 2000, 42);
        assertEquals(Map.of("c0", 1373, "c1", 627), s.labelCounts());
        assertArrayEquals(rows, Splits.sampleRows(d, 2000, 42));
        assertFalse(Arrays.equals(rows, Splits.sampleRows(d, 2000, 43)));
        assertEquals(d.size(), Splits.sample(d, 10_000, 1).size(), "n beyond the size gives everything");
        assertEquals(1, Splits.sampleRows(d, 1, 1).length);
    }

    @Test
    void badFractions() {
        TextDataset d = classes(5);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Splits.stratified(d, 0.5, 0.2, 0.2, 1));
        assertEquals("BAD_PARAMETER", e.code());
        assertTrue(e.getMessage().startsWith("The 'train + validation + test' parameter must be 1. Got 0.9 (0.5 + 0.2 + 0.2)"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> Splits.stratified(d, 1.2, -0.2, 0, 1));
        assertThrows(InvalidInputException.class, () -> Splits.stratified(d, Double.NaN, 0.5, 0.5, 1));
        assertThrows(InvalidInputException.class, () -> Splits.sampleRows(d, 0, 1));
    }

    @Test
    void apportionSumsToTheTotal() {
        for (int total = 0; total < 50; total++) {
            int[] p = Splits.apportion(new double[] {0.6, 0.2, 0.2}, total);
            assertEquals(total, p[0] + p[1] + p[2]);
        }
        assertArrayEquals(new int[] {1, 1, 0}, Splits.apportion(new double[] {0.6, 0.2, 0.2}, 2));
        assertArrayEquals(new int[] {3, 0, 0}, Splits.apportion(new double[] {1, 0, 0}, 3));
    }
}
