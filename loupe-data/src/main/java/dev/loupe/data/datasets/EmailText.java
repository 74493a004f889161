package dev.loupe.data.datasets;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a raw RFC 822 / MIME email (untrusted bytes) into the text a model reads: the subject, a blank line, and
 * the body, with all other headers dropped.
 *
 * <ul>
 *   <li>A leading mbox {@code From } line is skipped; a MIME body that lost its Content-Type header is recognised by
 *       its {@code --boundary} lines; folded headers are unfolded; RFC 2047 encoded words in the
 *       subject ({@code =?charset?B|Q?...?=}) are decoded.</li>
 *   <li>Bodies are decoded from {@code base64} and {@code quoted-printable} (leniently: stray characters are
 *       skipped, a bad escape is kept as it is) and then from the declared charset.</li>
 *   <li>{@code multipart/alternative} contributes its {@code text/plain} part when it has a non-blank one, else its
 *       first non-blank part (HTML kept as it is: markup and all); other multiparts contribute every text part, in
 *       order; {@code message/rfc822} parts contribute their subject and body; non-text parts (images,
 *       applications) are left out.</li>
 *   <li>Charsets: the declared one when Java knows it ({@code iso-8859-1} read as windows-1252, as browsers do).
 *       Text with no charset, {@code us-ascii} or one Java does not know is read as UTF-8 when it is valid UTF-8
 *       (ASCII is), else as windows-1252 — the 8-bit charset of most old mail — and flagged
 *       {@link Parsed#guessedCharset()}. Bytes that still do not decode become U+FFFD and the email is flagged
 *       {@link Parsed#undecodable()}.</li>
 *   <li>Never throws on content: a structure it cannot follow is read as plain text and flagged.</li>
 * </ul>
 */
public final class EmailText {
    private static final int MAX_DEPTH = 16;
    private static final Pattern ENCODED_WORD = Pattern.compile("=\\?([^?\\s]+)\\?([bBqQ])\\?([^?]*)\\?=");

    private EmailText() {
    }

    /**
     * The text of one email.
     *
     * @param subject        the decoded subject ("" when none)
     * @param body           the decoded body text
     * @param undecodable    some bytes did not decode in their charset (replaced by U+FFFD)
     * @param unknownCharset a declared charset was not one Java knows (read as without a charset)
     * @param guessedCharset 8-bit text without a usable charset that is not UTF-8 was read as windows-1252
     * @param malformed      the MIME structure was broken somewhere (read leniently)
     */
    public record Parsed(String subject, String body, boolean undecodable, boolean unknownCharset,
                         boolean guessedCharset, boolean malformed) {
        /** Subject, a blank line, body — or just the one that is present. */
        public String text() {
            if (subject.isEmpty()) {
                return body;
            }
            if (body.isEmpty()) {
                return subject;
            }
            return subject + "\n\n" + body;
        }
    }

    private static final class Flags {
        boolean undecodable;
        boolean unknownCharset;
        boolean guessedCharset;
        boolean malformed;
    }

    private record Extracted(String text, boolean html) {
    }

    /** Parses one raw email; never throws on its content. */
    public static Parsed parse(byte[] raw) {
        Flags f = new Flags();
        try {
            Entity e = Entity.parse(raw, 0, raw.length, true);
            String subject = decodeHeader(e.header("subject"), ContentType.parse(e.header("content-type")), f);
            String body = extract(raw, e, 0, f).text();
            return new Parsed(clean(subject).strip(), cleanBody(body), f.undecodable, f.unknownCharset, f.guessedCharset, f.malformed);
        } catch (RuntimeException | StackOverflowError ex) {
            f.malformed = true;
            return new Parsed("", cleanBody(decode(raw, 0, raw.length, null, f)), f.undecodable, f.unknownCharset, f.guessedCharset, true);
        }
    }

    /** One MIME entity: its headers (names lower-case, first occurrence wins) and where its body lies. */
    private static final class Entity {
        final Map<String, String> headers = new HashMap<>();
        int bodyStart;
        int bodyEnd;

        String header(String name) {
            return headers.get(name);
        }

        static Entity parse(byte[] b, int s, int e, boolean top) {
            Entity en = new Entity();
            int i = s;
            if (top && startsWith(b, i, e, "From ")) {
                i = lineEnd(b, i, e);
            }
            String name = null;
            StringBuilder value = new StringBuilder();
            while (i < e) {
                int le = lineEnd(b, i, e);
                int ce = contentEnd(b, i, le);
                if (ce == i) { // blank line: end of headers
                    i = le;
                    break;
                }
                byte c0 = b[i];
                if ((c0 == ' ' || c0 == '\t') && name != null) {
                    value.append(' ').append(latin1(b, i, ce).strip());
                    i = le;
                    continue;
                }
                int colon = -1;
                for (int j = i; j < ce; j++) {
                    if (b[j] == ':') {
                        colon = j;
                        break;
                    }
                    if (b[j] == ' ' || b[j] == '\t') {
                        if (j + 1 < ce && hasColonAfterSpaces(b, j, ce)) {
                            continue;
                        }
                        break;
                    }
                }
                if (colon <= i) { // not a header: the body starts here
                    break;
                }
                if (name != null) {
                    en.headers.putIfAbsent(name, value.toString());
                }
                name = latin1(b, i, colon).strip().toLowerCase(Locale.ROOT);
                value.setLength(0);
                value.append(latin1(b, colon + 1, ce).strip());
                i = le;
            }
            if (name != null) {
                en.headers.putIfAbsent(name, value.toString());
            }
            en.bodyStart = Math.min(i, e);
            en.bodyEnd = e;
            return en;
        }

        private static boolean hasColonAfterSpaces(byte[] b, int j, int ce) {
            while (j < ce && (b[j] == ' ' || b[j] == '\t')) {
                j++;
            }
            return j < ce && b[j] == ':';
        }
    }

    private static Extracted extract(byte[] b, Entity en, int depth, Flags f) {
        ContentType ct = ContentType.parse(en.header("content-type"));
        if (en.header("content-type") == null && en.header("mime-version") != null) {
            String sniffed = sniffBoundary(b, en.bodyStart, en.bodyEnd);
            if (sniffed != null && !sniffed.isEmpty()) {
                ct = ContentType.parse("multipart/mixed; boundary=\"" + sniffed + "\"");
            }
        }
        if (depth > MAX_DEPTH) {
            f.malformed = true;
            return new Extracted("", false);
        }
        if (ct.type.equals("multipart")) {
            String boundary = ct.params.get("boundary");
            List<int[]> parts = boundary == null || boundary.isEmpty() ? null
                    : splitMultipart(b, en.bodyStart, en.bodyEnd, boundary);
            if (parts == null || parts.isEmpty()) {
                f.malformed = true;
                return new Extracted(decode(b, en.bodyStart, en.bodyEnd, ct.params.get("charset"), f), false);
            }
            List<Extracted> texts = new ArrayList<>();
            for (int[] p : parts) {
                Entity child = Entity.parse(b, p[0], p[1], false);
                texts.add(extract(b, child, depth + 1, f));
            }
            if (ct.subtype.equals("alternative")) {
                for (Extracted x : texts) {
                    if (!x.html() && !x.text().isBlank()) {
                        return x;
                    }
                }
                for (Extracted x : texts) {
                    if (!x.text().isBlank()) {
                        return x;
                    }
                }
                return new Extracted("", false);
            }
            StringBuilder sb = new StringBuilder();
            boolean html = false;
            for (Extracted x : texts) {
                if (!x.text().isBlank()) {
                    if (sb.length() > 0) {
                        sb.append("\n\n");
                    }
                    sb.append(x.text().strip());
                    html |= x.html();
                }
            }
            return new Extracted(sb.toString(), html);
        }
        byte[] body = transferDecode(b, en.bodyStart, en.bodyEnd, en.header("content-transfer-encoding"));
        if (ct.type.equals("message") && ct.subtype.equals("rfc822")) {
            Entity inner = Entity.parse(body, 0, body.length, true);
            String subject = clean(decodeHeader(inner.header("subject"), ContentType.parse(inner.header("content-type")), f))
                    .strip();
            String text = extract(body, inner, depth + 1, f).text().strip();
            return new Extracted(subject.isEmpty() ? text : subject + "\n\n" + text, false);
        }
        if (!ct.type.equals("text")) {
            return new Extracted("", false);
        }
        return new Extracted(decode(body, 0, body.length, ct.params.get("charset"), f), ct.subtype.equals("html"));
    }

    /** The [start, end) of each part's bytes between {@code --boundary} lines; null when there are none. */
    private static List<int[]> splitMultipart(byte[] b, int s, int e, String boundary) {
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<int[]> parts = new ArrayList<>();
        int partStart = -1;
        int i = s;
        while (i < e) {
            int le = lineEnd(b, i, e);
            if (startsWith(b, i, e, delim)) {
                int after = i + delim.length;
                boolean close = after + 1 < e && b[after] == '-' && b[after + 1] == '-';
                if (!close && !blankFrom(b, after, le)) { // "--boundaryXYZ" is another boundary's line
                    i = le;
                    continue;
                }
                if (partStart >= 0) {
                    int pe = i;
                    // the line break before the delimiter belongs to the delimiter
                    if (pe > partStart && b[pe - 1] == '\n') {
                        pe--;
                        if (pe > partStart && b[pe - 1] == '\r') {
                            pe--;
                        }
                    }
                    parts.add(new int[] {partStart, pe});
                }
                if (close) {
                    return parts;
                }
                partStart = le;
            }
            i = le;
        }
        if (partStart >= 0 && partStart < e) {
            parts.add(new int[] {partStart, e}); // no closing delimiter: take the rest
        }
        return parts;
    }

    private static final class ContentType {
        String type = "text";
        String subtype = "plain";
        final Map<String, String> params = new HashMap<>();

        static ContentType parse(String h) {
            ContentType ct = new ContentType();
            if (h == null) {
                return ct;
            }
            String[] items = splitParams(h);
            String tv = items[0].strip().toLowerCase(Locale.ROOT);
            int slash = tv.indexOf('/');
            if (slash > 0) {
                ct.type = tv.substring(0, slash).strip();
                ct.subtype = tv.substring(slash + 1).strip();
            } else if (!tv.isEmpty()) {
                ct.type = tv;
                ct.subtype = "";
            }
            for (int k = 1; k < items.length; k++) {
                String p = items[k];
                int eq = p.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String v = p.substring(eq + 1).strip();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                } else if (v.startsWith("\"")) {
                    v = v.substring(1);
                }
                ct.params.putIfAbsent(name, v);
            }
            return ct;
        }

        /** Splits on ';' outside quotes. */
        private static String[] splitParams(String h) {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            boolean q = false;
            for (int i = 0; i < h.length(); i++) {
                char c = h.charAt(i);
                if (c == '"') {
                    q = !q;
                }
                if (c == ';' && !q) {
                    out.add(cur.toString());
                    cur.setLength(0);
                } else {
                    cur.append(c);
                }
            }
            out.add(cur.toString());
            return out.toArray(new String[0]);
        }
    }

    // ------------------------------------------------------------------ decoding

    static byte[] transferDecode(byte[] b, int s, int e, String cte) {
        String enc = cte == null ? "" : cte.strip().toLowerCase(Locale.ROOT);
        if (enc.startsWith("base64")) {
            return base64(b, s, e);
        }
        if (enc.startsWith("quoted-printable")) {
            return quotedPrintable(b, s, e, false);
        }
        byte[] out = new byte[e - s];
        System.arraycopy(b, s, out, 0, e - s);
        return out;
    }

    /** Lenient base64: characters outside the alphabet are skipped; decoding stops at the first '='. */
    static byte[] base64(byte[] b, int s, int e) {
        byte[] out = new byte[(e - s) * 3 / 4 + 3];
        int n = 0;
        int acc = 0;
        int bits = 0;
        for (int i = s; i < e; i++) {
            int c = b[i] & 0xFF;
            int v;
            if (c >= 'A' && c <= 'Z') {
                v = c - 'A';
            } else if (c >= 'a' && c <= 'z') {
                v = c - 'a' + 26;
            } else if (c >= '0' && c <= '9') {
                v = c - '0' + 52;
            } else if (c == '+' || c == '-') {
                v = 62;
            } else if (c == '/' || c == '_') {
                v = 63;
            } else if (c == '=') {
                // padding ends a block; a later block may follow in sloppy mail, so just reset
                acc = 0;
                bits = 0;
                continue;
            } else {
                continue;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >>> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Quoted-printable: {@code =XX} escapes and soft line breaks; in headers ({@code q}) '_' is a space. */
    static byte[] quotedPrintable(byte[] b, int s, int e, boolean header) {
        byte[] out = new byte[e - s];
        int n = 0;
        int i = s;
        while (i < e) {
            byte c = b[i];
            if (c == '=') {
                int j = i + 1;
                // soft line break: '=' then optional white space then a line break
                int k = j;
                while (k < e && (b[k] == ' ' || b[k] == '\t')) {
                    k++;
                }
                if (k < e && (b[k] == '\n' || b[k] == '\r')) {
                    i = k + (b[k] == '\r' && k + 1 < e && b[k + 1] == '\n' ? 2 : 1);
                    continue;
                }
                if (k == e) {
                    i = e;
                    continue;
                }
                if (j + 1 < e && hex(b[j]) >= 0 && hex(b[j + 1]) >= 0) {
                    out[n++] = (byte) (hex(b[j]) * 16 + hex(b[j + 1]));
                    i = j + 2;
                    continue;
                }
                out[n++] = c; // a bad escape is kept as it is
                i++;
            } else if (header && c == '_') {
                out[n++] = ' ';
                i++;
            } else {
                out[n++] = c;
                i++;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Decodes bytes in a declared charset (see the class docs); flags replaced bytes, guesses and unknown charsets. */
    static String decode(byte[] b, int s, int e, String declared, Flags f) {
        Charset cs = charset(declared, f);
        if (cs == null) { // none, US-ASCII or unknown: UTF-8 when it is valid UTF-8, else windows-1252
            try {
                return strict(StandardCharsets.UTF_8, b, s, e);
            } catch (CharacterCodingException ex) {
                f.guessedCharset = true;
                cs = WINDOWS_1252;
            }
        }
        try {
            return strict(cs, b, s, e);
        } catch (CharacterCodingException ex) {
            f.undecodable = true;
            try {
                CharBuffer cb = cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(b, s, e - s));
                return cb.toString();
            } catch (CharacterCodingException impossible) {
                return new String(b, s, e - s, StandardCharsets.UTF_8);
            }
        }
    }

    private static String strict(Charset cs, byte[] b, int s, int e) throws CharacterCodingException {
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(b, s, e - s)).toString();
    }

    /** The declared charset; null for none, US-ASCII and names Java does not know (flagged). */
    private static Charset charset(String declared, Flags f) {
        if (declared == null) {
            return null;
        }
        String n = declared.strip().toLowerCase(Locale.ROOT);
        if (n.isEmpty() || n.equals("us-ascii") || n.equals("ascii") || n.equals("default") || n.equals("default_charset")
                || n.equals("unknown") || n.equals("x-unknown") || n.equals("iso-646-us")) {
            return null;
        }
        if (n.equals("utf8")) {
            return StandardCharsets.UTF_8;
        }
        if (n.equals("iso-8859-1") || n.equals("latin1") || n.equals("latin-1") || n.equals("iso8859-1")
                || n.equals("iso_8859-1")) {
            return WINDOWS_1252;
        }
        if (n.equals("ks_c_5601-1987")) {
            n = "x-windows-949";
        } else if (n.equals("chinesebig5") || n.equals("big-5")) {
            n = "big5";
        }
        try {
            return Charset.forName(n);
        } catch (RuntimeException ex) {
            f.unknownCharset = true;
            return null;
        }
    }

    /**
     * A header value with RFC 2047 encoded words decoded; raw 8-bit bytes are read as UTF-8 when valid, else in the
     * entity's declared charset, else as windows-1252.
     */
    static String decodeHeader(String v, ContentType ct, Flags f) {
        if (v == null) {
            return "";
        }
        byte[] raw = v.getBytes(StandardCharsets.ISO_8859_1);
        boolean eightBit = false;
        for (byte x : raw) {
            if (x < 0) {
                eightBit = true;
                break;
            }
        }
        if (eightBit) {
            try {
                v = strict(StandardCharsets.UTF_8, raw, 0, raw.length);
            } catch (CharacterCodingException ex) {
                Charset cs = charset(ct.params.get("charset"), new Flags());
                v = new String(raw, cs == null ? WINDOWS_1252 : cs);
            }
        }
        Matcher m = ENCODED_WORD.matcher(v);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        boolean prevWord = false;
        while (m.find()) {
            String between = v.substring(last, m.start());
            if (!(prevWord && between.isBlank())) {
                sb.append(between);
            }
            byte[] data = m.group(3).getBytes(StandardCharsets.ISO_8859_1);
            byte[] bytes = m.group(2).equalsIgnoreCase("b") ? base64(data, 0, data.length)
                    : quotedPrintable(data, 0, data.length, true);
            String cs = m.group(1);
            int star = cs.indexOf('*'); // RFC 2231 language suffix
            if (star > 0) {
                cs = cs.substring(0, star);
            }
            sb.append(decode(bytes, 0, bytes.length, cs, f));
            last = m.end();
            prevWord = true;
        }
        sb.append(v.substring(last));
        return sb.toString();
    }

    // ------------------------------------------------------------------ helpers

    private static String cleanBody(String s) {
        return clean(s).strip();
    }

    /** Line breaks to \n, NUL and other C0 controls (but tab) dropped, trailing blanks on lines dropped. */
    private static String clean(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                if (i + 1 < n && s.charAt(i + 1) == '\n') {
                    continue;
                }
                c = '\n';
            }
            if (c == '\n') {
                int k = sb.length();
                while (k > 0 && (sb.charAt(k - 1) == ' ' || sb.charAt(k - 1) == '\t')) {
                    k--;
                }
                sb.setLength(k);
                sb.append('\n');
            } else if (c >= 0x20 || c == '\t') {
                if (c != 0x7F) {
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /** True when {@code b[s, e)} is only white space. */
    private static boolean blankFrom(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') {
                return false;
            }
        }
        return true;
    }

    /**
     * A boundary for a body without a Content-Type that still looks like a multipart body: a {@code --xyz} line
     * followed by a {@code Content-Type:} line. Null when there is none.
     */
    private static String sniffBoundary(byte[] b, int s, int e) {
        int i = s;
        int lines = 0;
        while (i < e && lines++ < 200) {
            int le = lineEnd(b, i, e);
            int ce = contentEnd(b, i, le);
            if (ce - i > 2 && b[i] == '-' && b[i + 1] == '-' && startsWithIgnoreCase(b, le, e, "content-type:")) {
                return latin1(b, i + 2, ce).strip();
            }
            i = le;
        }
        return null;
    }

    private static boolean startsWithIgnoreCase(byte[] b, int i, int e, String p) {
        if (e - i < p.length()) {
            return false;
        }
        for (int k = 0; k < p.length(); k++) {
            if (Character.toLowerCase((char) (b[i + k] & 0xFF)) != p.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static String latin1(byte[] b, int s, int e) {
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }

    private static int lineEnd(byte[] b, int i, int e) {
        while (i < e && b[i] != '\n') {
            i++;
        }
        return i < e ? i + 1 : e;
    }

    /** End of the line's content (before \r\n or \n). */
    private static int contentEnd(byte[] b, int s, int le) {
        int ce = le;
        if (ce > s && b[ce - 1] == '\n') {
            ce--;
        }
        if (ce > s && b[ce - 1] == '\r') {
            ce--;
        }
        return ce;
    }

    private static boolean startsWith(byte[] b, int i, int e, String p) {
        return startsWith(b, i, e, p.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean startsWith(byte[] b, int i, int e, byte[] p) {
        if (e - i < p.length) {
            return false;
        }
        for (int k = 0; k < p.length; k++) {
            if (b[i + k] != p[k]) {
                return false;
            }
        }
        return true;
    }
}
