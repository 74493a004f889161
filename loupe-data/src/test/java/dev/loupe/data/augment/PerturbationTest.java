package dev.loupe.data.augment;

import dev.loupe.api.InvalidInputException;
import dev.loupe.data.augment.Perturbation.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every generator: deterministic in (seed, key, text), independent of other rows and of order, the identity at severity
 * 0, nested across severities where edits keep positions, and doing what its kind says.
 */
class PerturbationTest {
    static final String EMAIL = "Hello Anna, <b>FREE</b> money &amp; prizes: click here to claim your account's reward! "
            + "Offer ends 31/12, see www.example.com for the terms and conditions.";
    static final List<String> TEXTS = List.of(EMAIL, "Short one.", "naïve café résumé — ok?", "", "a",
            "Many words in a row without any punctuation at all so that word operations have room to act");

    static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’]*");

    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deterministicPerRowWhateverTheOrderAndIdentityAtSeverityZero(Kind kind) {
        Perturbation p = new Perturbation(kind, 0.3);
        List<String> first = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            first.add(p.apply(TEXTS.get(i), 7, i));
        }
        // again, backwards, with a fresh instance: the same texts
        Perturbation again = Perturbation.parse(kind.id() + ":0.3", "--perturb");
        for (int i = TEXTS.size() - 1; i >= 0; i--) {
            assertEquals(first.get(i), again.apply(TEXTS.get(i), 7, i), kind + " row " + i);
            assertEquals(TEXTS.get(i), new Perturbation(kind, 0).apply(TEXTS.get(i), 7, i), kind + " at severity 0");
        }
        if (kind != Kind.TRUNCATE && kind != Kind.STRIP_MARKUP) { // those two do not draw at random
            // another seed or another key gives another text (for the long email, at severity 0.3)
            assertNotEquals(first.get(0), p.apply(EMAIL, 8, 0), kind + ": seed");
            assertNotEquals(first.get(0), p.apply(EMAIL, 7, 1), kind + ": key");
        }
        assertEquals(null, p.apply(null, 7, 0));
    }

    @Test
    void homoglyphsAreNestedAcrossSeveritiesAndReplaceOnlyLettersThatHaveALookAlike() {
        String low = new Perturbation(Kind.HOMOGLYPH, 0.1).apply(EMAIL, 3, 5);
        String high = new Perturbation(Kind.HOMOGLYPH, 0.4).apply(EMAIL, 3, 5);
        String all = new Perturbation(Kind.HOMOGLYPH, 1).apply(EMAIL, 3, 5);
        assertEquals(EMAIL.length(), low.length());
        int changedLow = 0;
        int changedHigh = 0;
        for (int i = 0; i < EMAIL.length(); i++) {
            char c = EMAIL.charAt(i);
            int at = Perturbation.LATIN.indexOf(c);
            if (low.charAt(i) != c) {
                changedLow++;
                assertEquals(high.charAt(i), low.charAt(i), "an edit at 0.1 is made at 0.4 too (position " + i + ")");
            }
            changedHigh += high.charAt(i) != c ? 1 : 0;
            assertEquals(at >= 0 ? Perturbation.LOOKALIKE.charAt(at) : c, all.charAt(i), "position " + i);
        }
        assertTrue(changedLow > 0 && changedHigh > changedLow, changedLow + " < " + changedHigh);
        assertNotEquals(EMAIL, all);
    }

    @Test
    void typosTouchOnlyAsciiLettersWithKeyboardNeighbours() {
        // the key itself excluded; the rows above and below at offsets -1..+1 (a grid, not the keyboard's stagger)
        assertEquals(Set.of('q', 'w', 'e', 'a', 'd', 'z', 'x', 'c'), chars(Perturbation.neighbours('s')));
        assertEquals(Set.of('s', 'q', 'w', 'z', 'x'), chars(Perturbation.neighbours('a')));
        assertEquals(Set.of('j', 'l', 'u', 'i', 'o', 'm'), chars(Perturbation.neighbours('K')));
        assertEquals("", Perturbation.neighbours('é'));
        String digits = "2024-12-31 / 42 €!";
        assertEquals(digits, new Perturbation(Kind.TYPO, 1).apply(digits, 1, 1));
        String t = new Perturbation(Kind.TYPO, 0.2).apply(EMAIL, 1, 2);
        assertNotEquals(EMAIL, t);
        // non-letters keep their order
        assertEquals(EMAIL.replaceAll("[A-Za-z]", ""), t.replaceAll("[A-Za-z]", ""));
        // nested: more severity, more edits (distance from the clean text grows)
        int d1 = distance(EMAIL, new Perturbation(Kind.TYPO, 0.05).apply(EMAIL, 1, 2));
        int d2 = distance(EMAIL, new Perturbation(Kind.TYPO, 0.3).apply(EMAIL, 1, 2));
        assertTrue(0 < d1 && d1 < d2, d1 + " < " + d2);
    }

    static Set<Character> chars(String s) {
        Set<Character> out = new HashSet<>();
        for (char c : s.toCharArray()) {
            out.add(c);
        }
        return out;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] x = prev;
            prev = cur;
            cur = x;
        }
        return prev[b.length()];
    }

    @Test
    void caseChangesKeepEveryLetter() {
        String all = new Perturbation(Kind.CASE, 1).apply(EMAIL, 4, 0);
        assertNotEquals(EMAIL, all);
        assertEquals(EMAIL.toLowerCase(Locale.ROOT), all.toLowerCase(Locale.ROOT));
        List<String> a = words(EMAIL);
        List<String> b = words(all);
        assertEquals(a.size(), b.size());
        long changed = 0;
        for (int i = 0; i < a.size(); i++) {
            changed += a.get(i).equals(b.get(i)) ? 0 : 1;
        }
        assertTrue(changed >= a.size() / 2, changed + " of " + a.size() + " words changed case");
        assertEquals(EMAIL, new Perturbation(Kind.CASE, 0.3).apply(EMAIL, 4, 0).toLowerCase(Locale.ROOT).equals(EMAIL.toLowerCase(Locale.ROOT))
                ? EMAIL : "letters changed");
    }

    @Test
    void wordOperationsDropSwapAndRepeatWholeWords() {
        String text = TEXTS.get(5);
        List<String> w = words(text);
        List<String> dropped = words(new Perturbation(Kind.WORD_DROP, 0.3).apply(text, 2, 0));
        assertTrue(dropped.size() < w.size() && isSubsequence(dropped, w), dropped.toString());
        assertEquals(List.of(), words(new Perturbation(Kind.WORD_DROP, 1).apply(text, 2, 0)));
        String droppedText = new Perturbation(Kind.WORD_DROP, 0.3).apply(text, 2, 0);
        assertTrue(!droppedText.contains("  ") && droppedText.equals(droppedText.strip()), "no double or edge spaces: '" + droppedText + "'");
        List<String> swapped = words(new Perturbation(Kind.WORD_SWAP, 0.5).apply(text, 2, 0));
        assertNotEquals(w, swapped);
        List<String> a = new ArrayList<>(w);
        List<String> b = new ArrayList<>(swapped);
        a.sort(null);
        b.sort(null);
        assertEquals(a, b, "swaps keep every word");
        List<String> repeated = words(new Perturbation(Kind.WORD_REPEAT, 1).apply(text, 2, 0));
        assertEquals(2 * w.size(), repeated.size());
        for (int i = 0; i < w.size(); i++) {
            assertEquals(w.get(i), repeated.get(2 * i));
            assertEquals(w.get(i), repeated.get(2 * i + 1));
        }
    }

    static boolean isSubsequence(List<String> sub, List<String> of) {
        int j = 0;
        for (String s : of) {
            if (j < sub.size() && sub.get(j).equals(s)) {
                j++;
            }
        }
        return j == sub.size();
    }

    @Test
    void truncationCutsTheLastShareOfWords() {
        String text = "one two three four five six seven eight nine ten";
        assertEquals("one two three four five", new Perturbation(Kind.TRUNCATE, 0.5).apply(text, 0, 0));
        assertEquals("one two three four five six seven eight nine", new Perturbation(Kind.TRUNCATE, 0.1).apply(text, 0, 0));
        assertEquals("", new Perturbation(Kind.TRUNCATE, 1).apply(text, 0, 0));
        assertEquals("Short one", new Perturbation(Kind.TRUNCATE, 0.0001).apply("Short one", 0, 0));
    }

    @Test
    void markupInjectionIsUndoneByStripping() {
        String plain = TEXTS.get(5);
        String injected = new Perturbation(Kind.INJECT_MARKUP, 0.5).apply(plain, 9, 3);
        assertTrue(injected.contains("<") && injected.contains(">"), injected);
        assertEquals(plain, new Perturbation(Kind.STRIP_MARKUP, 1).apply(injected, 9, 3));
        assertEquals("Hello Anna, FREE money & prizes", new Perturbation(Kind.STRIP_MARKUP, 1)
                .apply("Hello Anna, <b>FREE</b> money &amp; prizes", 0, 0));
        String half = new Perturbation(Kind.STRIP_MARKUP, 0.5).apply(injected, 9, 3);
        assertTrue(half.length() > plain.length() && half.length() < injected.length(), half);
    }

    @Test
    void punctuationNoiseKeepsTheLetters() {
        String p = new Perturbation(Kind.PUNCT, 0.5).apply(EMAIL, 5, 5);
        assertNotEquals(EMAIL, p);
        assertEquals(EMAIL.replaceAll("[^\\p{L}\\p{N}]", ""), p.replaceAll("[^\\p{L}\\p{N}]", ""));
        String none = new Perturbation(Kind.PUNCT, 1).apply("a, b. c!", 5, 5);
        assertEquals("abc", none.replaceAll("[^\\p{L}]", ""));
        assertTrue(!none.startsWith("a,"), none);
    }

    @Test
    void pinnedOutputsStayTheSameAcrossVersionsAndMachines() {
        // the same seed must give the same perturbed texts on every machine and in every later version: a changed
        // generator changes every robustness number recorded before it, so it must be a deliberate change here
        String t = "Claim your FREE prize now, click here!";
        assertEquals(PINNED, Arrays.stream(Kind.values()).map(k -> new Perturbation(k, 0.3).apply(t, 42, 7)).toList());
    }

    /** typo, case, punct, word_drop, word_swap, word_repeat, truncate, strip_markup, inject_markup, homoglyph. */
    static final List<String> PINNED = List.of(
            "Claim yoru RFE prie njow, clidk here!",
            "claim Your FREE prize Now, CLICK here!",
            "Claim your FREE ? prize now click here",
            "FREE now, click here!",
            "Claim your prize FREE now, click here!",
            "Claim your FREE FREE prize now now, click here!",
            "Claim your FREE prize now",
            "Claim your FREE prize now, click here!",
            "Claim your FREE <b>prize</b> <a href=\"#\">now</a>, click here!",
            "Cl\u0430im y\u043eur FR\u0415\u0415 pr\u0456ze n\u043ew, cli\u0441k here!");

    @Test
    void badSpecificationsNameTheOptionAndTheFix() {
        for (String bad : List.of("typo:2", "typo:-0.1", "typos:0.1", "typo:x", "typo:NaN", "", "typo:0.1,,case:0.2")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Perturbation.parseList(bad, "--perturb"), bad);
            assertTrue(e.getMessage().contains("--perturb") && e.getMessage().contains("Got"), e.getMessage());
            assertEquals(2, e.exitCode());
        }
        assertTrue(assertThrows(InvalidInputException.class, () -> Perturbation.parse("typos:0.1", "--perturb")).getMessage()
                .contains("word_drop"), "lists the kinds");
        assertEquals(List.of(new Perturbation(Kind.TYPO, 0.05), new Perturbation(Kind.STRIP_MARKUP, 1)),
                Perturbation.parseList("typo:0.05, strip_markup", "--perturb"));
        assertEquals("typo:0.05", Perturbation.parse("TYPO:0.05", "--perturb").name());
        assertEquals("strip_markup:1", Perturbation.parse("strip_markup", "--perturb").name());
    }
}
