package dev.loupe.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CleaningTest {
    static TextDataset data(String... textLabel) {
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<String> src = new ArrayList<>();
        for (int i = 0; i < textLabel.length; i += 2) {
            ids.add("r" + (i / 2 + 1));
            texts.add(textLabel[i]);
            labels.add(textLabel[i + 1]);
            src.add("s" + (i / 2 % 2));
        }
        return new TextDataset("t", ids, texts, labels, Map.of("src", src));
    }

    @Test
    void countsRemovesAndListsEmptiesAndDuplicates() {
        TextDataset d = data(
                "hello", "ham",        // r1
                "", "ham",             // r2 empty
                "hello", "ham",        // r3 duplicate of r1
                "  \n\t", "spam",      // r4 blank = empty
                "x".repeat(30), "spam", // r5 over-long
                "hello", "spam",       // r6 duplicate of r1 with another label
                "Hello", "ham",        // r7 not an exact duplicate
                "x".repeat(30), "spam"); // r8 duplicate of r5
        Cleaning.Result r = Cleaning.clean(d, CleaningOptions.defaults().withMaxChars(20));
        CleaningReport c = r.report();
        assertEquals(8, c.input());
        assertEquals(3, c.kept());
        assertEquals(5, c.removed());
        assertEquals(2, c.empty());
        assertEquals(2, c.emptyRemoved());
        assertEquals(List.of("r2", "r4"), c.emptyIds());
        assertEquals(3, c.duplicates());
        assertEquals(List.of(new CleaningReport.Duplicate("r3", "r1", true),
                new CleaningReport.Duplicate("r6", "r1", false), new CleaningReport.Duplicate("r8", "r5", true)),
                c.duplicateExamples());
        assertEquals(1, c.conflictingDuplicates());
        assertEquals(1, c.overLong(), "counted among kept rows only");
        assertEquals(List.of("r5"), c.overLongIds());
        assertEquals(Map.of("ham", 2, "spam", 3), c.removedByLabel());
        assertEquals(Map.of("ham", 2, "spam", 1), c.keptByLabel());
        assertEquals(List.of("r1", "r5", "r7"), r.dataset().ids());
        assertEquals(List.of("s0", "s0", "s0"), r.dataset().metadataColumn("src")); // rows 1, 5, 7
        assertEquals(c.input(), c.kept() + c.emptyRemoved() + c.duplicatesRemoved());
        String s = c.summary();
        assertTrue(s.contains("t: 8 rows, 3 kept for evaluation"), s);
        assertTrue(s.contains("empty texts:       2 (removed) e.g. r2, r4"), s);
        assertTrue(s.contains("exact duplicates:  3 (removed, first kept), 1 with a different label than the first"), s);
        assertTrue(s.contains("over 20 chars: 1 (kept; truncated by the tokenizer) e.g. r5"), s);
    }

    @Test
    void keepOptionsCountButKeep() {
        TextDataset d = data("a", "x", "", "x", "a", "y");
        CleaningReport c = Cleaning.clean(d, CleaningOptions.defaults().keepEmpty().keepDuplicates()).report();
        assertEquals(3, c.kept());
        assertEquals(1, c.empty());
        assertEquals(0, c.emptyRemoved());
        assertEquals(1, c.duplicates());
        assertEquals(0, c.duplicatesRemoved());
    }

    @Test
    void exampleListsAreCapped() {
        String[] tl = new String[60];
        for (int i = 0; i < 30; i++) {
            tl[2 * i] = "";
            tl[2 * i + 1] = "a";
        }
        CleaningReport c = Cleaning.clean(data(tl), CleaningOptions.defaults().withExampleIds(5)).report();
        assertEquals(30, c.empty());
        assertEquals(5, c.emptyIds().size());
        assertEquals(0, c.kept());
    }

    @Test
    void cleanDataIsReturnedAsIs() {
        TextDataset d = data("a", "x", "b", "y");
        Cleaning.Result r = Cleaning.clean(d);
        assertSame(d, r.dataset());
        assertEquals(0, r.report().removed());
    }

    @Test
    void badOptions() {
        assertEquals("BAD_PARAMETER", assertThrows(InvalidInputException.class,
                () -> CleaningOptions.defaults().withMaxChars(0)).code());
    }
}
