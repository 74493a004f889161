package dev.loupe.report.panels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The word diff gives both texts back and marks only what changed. */
class TextDiffTest {
    static String side(List<TextDiff.Part> parts, String drop) {
        return parts.stream().filter(p -> !p.op().equals(drop)).map(TextDiff.Part::text).collect(Collectors.joining());
    }

    static String marked(List<TextDiff.Part> parts) {
        return parts.stream().map(p -> switch (p.op()) {
            case "del" -> "[-" + p.text() + "-]";
            case "ins" -> "{+" + p.text() + "+}";
            default -> p.text();
        }).collect(Collectors.joining());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Reply now for free ringtones|Reply now fop rfree ringtones|Reply now [-for-]{+fop+} [-free-]{+rfree+} ringtones",
        "Get your free money now|Get your free money now|Get your free money now",
        "Get your free money now|Get your money now|Get your [-free -]money now",
        "a b|a x b|a {+x +}b",
        "<b>hi</b> there|hi there|[-<b>hi</b>-]{+hi+} there",
        "|added|{+added+}",
    })
    void bothTextsComeBackAndOnlyTheChangeIsMarked(String clean, String perturbed, String expected) {
        clean = clean == null ? "" : clean;
        List<TextDiff.Part> d = TextDiff.of(clean, perturbed);
        assertEquals(clean, side(d, "ins"));
        assertEquals(perturbed, side(d, "del"));
        assertEquals(expected, marked(d));
    }

    @org.junit.jupiter.api.Test
    void aLongTextIsComparedInBoundedPieces() {
        String clean = "word ".repeat(5000);
        String perturbed = "wrod " + clean.substring(5);
        List<TextDiff.Part> d = TextDiff.of(clean, perturbed);
        assertEquals(clean, side(d, "ins"));
        assertEquals(perturbed, side(d, "del"));
        assertEquals(List.of("del", "ins", "same"), d.stream().map(TextDiff.Part::op).toList());
    }
}
