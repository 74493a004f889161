package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builders for the reader's error messages: where (file, line, column), what was expected, how to fix it. */
final class Errors {
    private Errors() {
    }

    static final String NOT_UTF8_FIX = "The file must be UTF-8: re-save it as UTF-8 "
            + "(for example, from Latin-1: iconv -f latin1 -t utf-8 original > converted).";

    static InvalidInputException at(String code, String where, String problem) {
        return new InvalidInputException(code, where + ": " + problem);
    }

    /** {@code file, line N} */
    static String line(String file, long line) {
        return file + ", line " + line;
    }

    /** {@code file, line N, column 'name' (#pos)} or, for JSON Lines, {@code file, line N, field "name"}. */
    static String cell(String file, long line, String column, int position, boolean json) {
        return json ? file + ", line " + line + ", field \"" + column + "\""
                : file + ", line " + line + ", column '" + column + "' (#" + position + ")";
    }

    /** The bytes as a short quoted string for a message (lossy decoding, control characters escaped). */
    static String show(byte[] b, int s, int e) {
        return quote(new String(b, s, Math.min(e - s, 200), StandardCharsets.UTF_8));
    }

    static String quote(String text) {
        StringBuilder sb = new StringBuilder("\"");
        int n = 0;
        for (int i = 0; i < text.length() && n < 60; i++, n++) {
            char c = text.charAt(i);
            if (c == '"') {
                sb.append("\\\"");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > 60) {
            sb.append("…");
        }
        return sb.append('"').toString();
    }

    /** {@code "a", "b", "c"} */
    /**
     * When {@code name} matches one of {@code candidates} only if case is ignored: a sentence naming it ("Labels are
     * case-sensitive: did you mean 'Spam'?"), else null.
     */
    static String caseHint(String name, List<String> candidates) {
        for (String c : candidates) {
            if (!c.equals(name) && c.equalsIgnoreCase(name)) {
                return "Labels are case-sensitive: did you mean " + quote(c) + "?";
            }
        }
        return null;
    }

    static String quoteAll(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (i == 30) {
                sb.append("… (").append(values.size()).append(" in all)");
                break;
            }
            sb.append(quote(values.get(i)));
        }
        return sb.toString();
    }

    static InvalidInputException notUtf8(String where, byte[] b, int bad) {
        return at("NOT_UTF8", where, String.format("byte 0x%02X is not valid UTF-8. ", b[bad] & 0xFF) + NOT_UTF8_FIX);
    }
}
