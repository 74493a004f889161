package dev.loupe.report.panels;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level diff of two texts (a clean text and its perturbed copy): the texts are cut into words and the runs of
 * white space between them, the longest common subsequence of those pieces is kept, and the rest is marked deleted
 * (only in the clean text) or inserted (only in the perturbed one). Joining the {@code same} and {@code del} parts
 * gives the clean text back, {@code same} and {@code ins} the perturbed one.
 */
final class TextDiff {
    /** One run of the diff: {@code op} is "same", "del" or "ins". */
    record Part(String op, String text) {
    }

    /** Pieces beyond this many per text are compared as one tail (the diff stays quadratic in a bounded size). */
    static final int MAX_PIECES = 600;

    private static final Pattern PIECE = Pattern.compile("\\s+|[^\\s]+");

    private TextDiff() {
    }

    static List<Part> of(String clean, String perturbed) {
        List<String> a = pieces(clean);
        List<String> b = pieces(perturbed);
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Part> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                append(out, "same", a.get(i++));
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                append(out, "del", a.get(i++)); // within a changed stretch the deletion comes first
            } else {
                append(out, "ins", b.get(j++));
            }
        }
        return out;
    }

    /** Words and white-space runs; past {@link #MAX_PIECES}, the rest of the text as one piece. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PIECE.matcher(text);
        int end = 0;
        while (out.size() < MAX_PIECES - 1 && m.find()) {
            out.add(m.group());
            end = m.end();
        }
        if (end < text.length()) {
            out.add(text.substring(end));
        }
        return out;
    }

    private static void append(List<Part> out, String op, String text) {
        // neighbours of the same kind are one part
        if (!out.isEmpty() && out.get(out.size() - 1).op().equals(op)) {
            out.set(out.size() - 1, new Part(op, out.get(out.size() - 1).text() + text));
        } else {
            out.add(new Part(op, text));
        }
    }
}
