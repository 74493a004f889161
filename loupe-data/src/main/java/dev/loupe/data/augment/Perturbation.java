package dev.loupe.data.augment;

import dev.loupe.api.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One seeded, deterministic text perturbation with a severity in [0, 1], such as {@code typo:0.05}. Each kind reads
 * its severity as a probability per place it can act on (a letter, a word, a gap between words, a markup tag), except
 * {@code truncate}, whose severity is the share of the words cut from the end:
 * <ul>
 * <li>{@code typo}: per letter, one of four keyboard typos, chosen uniformly: the letter replaced by a QWERTY
 * neighbour, swapped with the next letter, dropped, or doubled by a neighbour inserted after it (case kept);</li>
 * <li>{@code case}: per word, the word in upper case, lower case or with its first letter's case flipped;</li>
 * <li>{@code punct}: per gap between words, a punctuation mark or extra white space inserted; per punctuation mark
 * of the text, the mark removed;</li>
 * <li>{@code word_drop}, {@code word_swap} (with the next word), {@code word_repeat}: per word;</li>
 * <li>{@code truncate}: the last {@code round(severity · words)} words cut;</li>
 * <li>{@code strip_markup}: per HTML tag ({@code <...>}), the tag removed; the entities {@code &amp; &lt; &gt;
 * &quot; &nbsp;} decoded where a tag is removed at severity 1;</li>
 * <li>{@code inject_markup}: per word, the word wrapped in an email's HTML ({@code <b>}, {@code <font color=red>},
 * {@code <a href="#">}) or followed by {@code <br>};</li>
 * <li>{@code homoglyph}: per letter that has one, the letter replaced by a look-alike from Cyrillic or Greek
 * (Latin a → Cyrillic а, o → о, e → е, ...).</li>
 * </ul>
 * The choice at each place comes from a hash of (seed, row key, kind, place), never from a shared random stream, so
 * a row's perturbed text does not depend on which other rows were perturbed, in what order or on how many threads.
 */
public record Perturbation(Kind kind, double severity) {
    public enum Kind {
        TYPO, CASE, PUNCT, WORD_DROP, WORD_SWAP, WORD_REPEAT, TRUNCATE, STRIP_MARKUP, INJECT_MARKUP, HOMOGLYPH;

        /** The name used on the command line and in the JSON ({@code word_drop}). */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Perturbation {
        java.util.Objects.requireNonNull(kind, "kind");
        if (!(severity >= 0 && severity <= 1)) {
            throw InvalidInputException.parameter("--perturb", "a severity between 0 and 1 (" + kind.id() + ":0.05)",
                    kind.id() + ":" + severity);
        }
    }

    /** {@code kind:severity}, as parsed. */
    public String name() {
        return kind.id() + ":" + fmt(severity);
    }

    @Override
    public String toString() {
        return name();
    }

    static String fmt(double v) {
        String s = Double.toString(v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /**
     * A comma-separated list such as {@code typo:0.05,case:0.2,strip_markup} (a kind without a severity means 1).
     *
     * @param option the option it came from, for messages
     */
    public static List<Perturbation> parseList(String spec, String option) {
        List<Perturbation> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw InvalidInputException.parameter(option, "a comma-separated list of KIND:SEVERITY, such as typo:0.05,case:0.2",
                        "'" + spec + "'");
            }
            out.add(parse(p, option));
        }
        return List.copyOf(out);
    }

    /** One {@code kind[:severity]}. */
    public static Perturbation parse(String spec, String option) {
        int colon = spec.indexOf(':');
        String kindName = (colon < 0 ? spec : spec.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.id().equals(kindName)).findFirst().orElseThrow(() ->
                InvalidInputException.parameter(option, "KIND:SEVERITY with KIND one of "
                        + String.join(", ", Arrays.stream(Kind.values()).map(Kind::id).toList()), "'" + spec + "'"));
        double severity = 1;
        if (colon >= 0) {
            try {
                severity = Double.parseDouble(spec.substring(colon + 1).strip());
            } catch (NumberFormatException e) {
                throw InvalidInputException.parameter(option, "a severity as a number between 0 and 1 after '" + kind.id() + ":'",
                        "'" + spec + "'");
            }
        }
        if (!(severity >= 0 && severity <= 1)) {
            throw InvalidInputException.parameter(option, "a severity between 0 and 1 (" + kind.id() + ":0.05)", "'" + spec + "'");
        }
        return new Perturbation(kind, severity);
    }

    /** The perturbed text of the row with key {@code key} (its position, or a hash of its id). */
    public String apply(String text, long seed, long key) {
        if (text == null || text.isEmpty() || severity == 0) {
            return text;
        }
        Places r = new Places(seed, key, kind.ordinal());
        return switch (kind) {
            case TYPO -> typo(text, r);
            case CASE -> mapWords(text, r, (w, u, h) -> u < severity ? recase(w, h) : w);
            case PUNCT -> punct(text, r);
            case WORD_DROP -> words(text, r, 0);
            case WORD_SWAP -> words(text, r, 1);
            case WORD_REPEAT -> words(text, r, 2);
            case TRUNCATE -> truncate(text);
            case STRIP_MARKUP -> stripMarkup(text, r);
            case INJECT_MARKUP -> mapWords(text, r, (w, u, h) -> u < severity ? inject(w, h) : w);
            case HOMOGLYPH -> homoglyph(text, r);
        };
    }

    /** Per-place uniform numbers and choices, from a hash of (seed, key, kind, place). */
    static final class Places {
        private final long base;

        Places(long seed, long key, int kind) {
            base = mix(mix(mix(seed + 0x9E3779B97F4A7C15L) ^ key) + kind * 0xD1B54A32D192ED03L);
        }

        long hash(long place) {
            return mix(base ^ mix(place + 0x632BE59BD9B4E019L));
        }

        /** A uniform number in [0, 1) for the place. */
        double u(long place) {
            return (hash(place) >>> 11) * 0x1.0p-53;
        }

        /** A second, independent choice for the place, in [0, n). */
        int choice(long place, int n) {
            return (int) Long.remainderUnsigned(mix(hash(place) + 0x9E3779B97F4A7C15L), n);
        }

        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }

    private static final String[] ROWS = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};

    /** {@link #neighboursOf} for every ASCII character, computed once ("" for the rest). */
    private static final String[] NEIGHBOURS = new String[128];

    static {
        for (int c = 0; c < 128; c++) {
            NEIGHBOURS[c] = neighboursOf(c);
        }
    }

    /** The QWERTY neighbours of a character: those of an ASCII letter, else "". */
    static String neighbours(int c) {
        return c >= 0 && c < 128 ? NEIGHBOURS[c] : "";
    }

    /** The QWERTY neighbours of an ASCII letter (same row and the rows above and below, offsets −1..+1). */
    private static String neighboursOf(int c) {
        int lower = Character.toLowerCase(c);
        for (int row = 0; row < ROWS.length; row++) {
            int col = ROWS[row].indexOf(lower);
            if (col < 0) {
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (int dr = -1; dr <= 1; dr++) {
                int rr = row + dr;
                if (rr < 0 || rr >= ROWS.length) {
                    continue;
                }
                for (int dc = -1; dc <= 1; dc++) {
                    int cc = col + dc;
                    if ((dr == 0 && dc == 0) || cc < 0 || cc >= ROWS[rr].length()) {
                        continue;
                    }
                    sb.append(ROWS[rr].charAt(cc));
                }
            }
            return sb.toString();
        }
        return "";
    }

    private static int keepCase(int like, int c) {
        return Character.isUpperCase(like) ? Character.toUpperCase(c) : c;
    }

    private String typo(String text, Places r) {
        int[] cps = text.codePoints().toArray();
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            String nb = neighbours(c);
            if (nb.isEmpty() || r.u(i) >= severity) {
                sb.appendCodePoint(c);
                continue;
            }
            int other = nb.charAt(r.choice(i + (1L << 40), nb.length()));
            switch (r.choice(i, 4)) {
                case 0 -> sb.appendCodePoint(keepCase(c, other)); // neighbour key
                case 1 -> { // swap with the next character
                    if (i + 1 < cps.length) {
                        sb.appendCodePoint(cps[i + 1]).appendCodePoint(c);
                        i++;
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
                case 2 -> { } // dropped
                default -> sb.appendCodePoint(c).appendCodePoint(keepCase(c, other)); // a neighbour inserted
            }
        }
        return sb.toString();
    }

    private interface WordMap {
        String map(String word, double u, int choice);
    }

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’]*");

    /** Replaces each word (letters and digits, with inner apostrophes) by {@code f} of it; the rest is kept. */
    private static String mapWords(String text, Places r, WordMap f) {
        Matcher m = WORD.matcher(text);
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int last = 0;
        long w = 0;
        while (m.find()) {
            sb.append(text, last, m.start()).append(f.map(m.group(), r.u(w), r.choice(w, 1 << 20)));
            last = m.end();
            w++;
        }
        return sb.append(text, last, text.length()).toString();
    }

    private static String recase(String w, int choice) {
        return switch (choice % 3) {
            case 0 -> w.toUpperCase(Locale.ROOT);
            case 1 -> w.toLowerCase(Locale.ROOT);
            default -> {
                int c = w.codePointAt(0);
                int flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                yield new StringBuilder().appendCodePoint(flipped).append(w, Character.charCount(c), w.length()).toString();
            }
        };
    }

    private static final String MARKS = ".,;:!?-'\"";
    private static final String[] SPACES = {"  ", "\t", " \n", "   "};

    private String punct(String text, Places r) {
        int[] cps = text.codePoints().toArray();
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            boolean mark = Character.getType(c) >= Character.DASH_PUNCTUATION && Character.getType(c) <= Character.OTHER_PUNCTUATION
                    || Character.getType(c) == Character.INITIAL_QUOTE_PUNCTUATION || Character.getType(c) == Character.FINAL_QUOTE_PUNCTUATION;
            if (mark && r.u(i) < severity) {
                continue; // removed
            }
            sb.appendCodePoint(c);
            if (Character.isWhitespace(c) && r.u(i) < severity) {
                int pick = r.choice(i, MARKS.length() + SPACES.length);
                sb.append(pick < MARKS.length() ? MARKS.charAt(pick) + " " : SPACES[pick - MARKS.length()]);
            }
        }
        return sb.toString();
    }

    /** Word drop (0), swap with the next word (1) or repeat (2), keeping the text between words. */
    private String words(String text, Places r, int op) {
        Matcher m = WORD.matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        int n = spans.size();
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = text.substring(spans.get(i)[0], spans.get(i)[1]);
        }
        for (int i = 0; i < n; i++) {
            if (r.u(i) >= severity) {
                continue;
            }
            switch (op) {
                case 0 -> out[i] = "";
                case 1 -> {
                    if (i + 1 < n) {
                        String t = out[i];
                        out[i] = out[i + 1];
                        out[i + 1] = t;
                        i++;
                    }
                }
                default -> out[i] = out[i] + " " + out[i];
            }
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int last = 0;
        boolean kept = false; // a word written yet
        for (int i = 0; i < n; i++) {
            String between = text.substring(last, spans.get(i)[0]);
            last = spans.get(i)[1];
            if (out[i].isEmpty() && between.isBlank()) {
                // a dropped word takes the white space before it along, or the one after it when no word precedes
                if (!kept) {
                    sb.append(between);
                    if (i + 1 < n && text.substring(last, spans.get(i + 1)[0]).isBlank()) {
                        last = spans.get(i + 1)[0];
                    }
                }
                continue;
            }
            sb.append(between).append(out[i]);
            kept |= !out[i].isEmpty();
        }
        return sb.append(text, last, text.length()).toString();
    }

    private String truncate(String text) {
        Matcher m = WORD.matcher(text);
        List<Integer> ends = new ArrayList<>();
        while (m.find()) {
            ends.add(m.end());
        }
        int keep = ends.size() - (int) Math.round(severity * ends.size());
        if (keep >= ends.size()) {
            return text;
        }
        return keep == 0 ? "" : text.substring(0, ends.get(keep - 1));
    }

    private static final Pattern TAG = Pattern.compile("<[^<>]{1,500}>");

    private String stripMarkup(String text, Places r) {
        Matcher m = TAG.matcher(text);
        StringBuilder sb = new StringBuilder(text.length());
        int last = 0;
        long t = 0;
        while (m.find()) {
            sb.append(text, last, m.start());
            if (r.u(t++) >= severity) {
                sb.append(m.group());
            }
            last = m.end();
        }
        sb.append(text, last, text.length());
        String s = sb.toString();
        if (severity == 1) {
            s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
        }
        return s;
    }

    private static final String[][] WRAPS = {{"<b>", "</b>"}, {"<font color=red>", "</font>"}, {"<a href=\"#\">", "</a>"},
        {"", "<br>"}};

    private static String inject(String w, int choice) {
        String[] wrap = WRAPS[choice % WRAPS.length];
        return wrap[0] + w + wrap[1];
    }

    /** Latin letters and a look-alike from Cyrillic or Greek. */
    static final String LATIN = "aceopxyABCEHKMOPTXsiS";
    static final String LOOKALIKE = "асеорхуАВСЕНКМОРТХѕіЅ";

    private String homoglyph(String text, Places r) {
        StringBuilder sb = new StringBuilder(text.length());
        int i = 0;
        for (int off = 0; off < text.length(); ) {
            int c = text.codePointAt(off);
            off += Character.charCount(c);
            int at = c < 128 ? LATIN.indexOf(c) : -1;
            if (at >= 0 && r.u(i) < severity) {
                sb.append(LOOKALIKE.charAt(at));
            } else {
                sb.appendCodePoint(c);
            }
            i++;
        }
        return sb.toString();
    }
}
