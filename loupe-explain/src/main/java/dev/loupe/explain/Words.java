package dev.loupe.explain;

import java.util.ArrayList;
import java.util.List;

/** Splits a text into whitespace-separated words with their character offsets. */
public final class Words {
    private Words() {}

    /** The words of {@code text} in order; none for a blank text. */
    public static List<Unit> split(String text) {
        List<Unit> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            int start = i;
            while (i < n && !Character.isWhitespace(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            if (i > start) {
                out.add(new Unit(text.substring(start, i), start, i));
            }
        }
        return out;
    }
}
