package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 4180 CSV (and TSV: the same rules with a tab) parsed straight from bytes. Quoted fields may hold
 * delimiters, doubled quotes and line breaks; CRLF, LF and lone CR end rows; the last row's line break is
 * optional; blank lines are skipped. Line numbers count physical lines.
 *
 * <p>Each row is first scanned for its field boundaries; only a complete row is interpreted, so a row cut by
 * the end of the buffer is simply scanned again after a refill.
 */
final class DelimitedSource {
    private static final int ROW = 1;
    private static final int MORE = 0;
    private static final int END = -1;

    private final ByteInput in;
    private final String file;
    private final byte delim;
    private final String delimName;

    private long line = 1; // physical line where the next row starts
    private long rowLine;
    private int[] fs = new int[16];
    private int[] fe = new int[16];
    private int[] fl = new int[16];
    private int nf;
    private int rowEnd;
    private int rowLines;
    private int[] esc = new int[4];
    private int nesc;
    private boolean pending;

    private int ncols;
    private List<String> header;
    private int[] role;
    private int[] arg;
    private RowBuilder rb;

    DelimitedSource(ByteInput in, String file, PredictionFormat format) {
        this.in = in;
        this.file = file;
        this.delim = format == PredictionFormat.TSV ? (byte) '\t' : (byte) ',';
        this.delimName = format == PredictionFormat.TSV ? "tab" : "comma";
    }

    /** Reads the header row; null when the input has no non-blank line. */
    List<String> readHeader() {
        if (!nextRow()) {
            return null;
        }
        unescape();
        List<String> names = new ArrayList<>(nf);
        byte[] b = in.buf;
        for (int i = 0; i < nf; i++) {
            int bad = Utf8.firstInvalid(b, fs[i], fe[i]);
            if (bad >= 0) {
                throw Errors.notUtf8(Errors.line(file, rowLine + fl[i]) + " (the header, column #" + (i + 1) + ")", b, bad);
            }
            names.add(new String(b, fs[i], fe[i] - fs[i], StandardCharsets.UTF_8).strip());
        }
        header = names;
        ncols = nf;
        return names;
    }

    /** True when a data row follows the header (it is kept for the first {@link #read}). */
    boolean hasDataRow() {
        pending = nextRow();
        return pending;
    }

    void bind(int[] role, int[] arg, RowBuilder rb) {
        this.role = role;
        this.arg = arg;
        this.rb = rb;
        rb.lineDelta = fl;
    }

    /** Appends up to {@code max} rows to {@code batch}, keys from {@code key}; returns how many (0 at the end). */
    int read(PredictionBatch batch, int max, long key) {
        final RowBuilder r = rb;
        final int[] roles = role;
        final int[] args = arg;
        final int n = ncols;
        int rows = 0;
        while (rows < max) {
            if (pending) {
                pending = false;
            } else if (!nextRow()) {
                break;
            }
            if (nf != n) {
                throw ragged();
            }
            if (nesc > 0) {
                unescape();
            }
            final byte[] b = in.buf;
            final int[] s = fs;
            final int[] e = fe;
            r.rowLine = rowLine;
            r.lineDelta = fl;
            for (int c = 0; c < n; c++) {
                switch (roles[c]) {
                    case RowBuilder.SCORE:
                        r.score(b, s[c], e[c], c);
                        break;
                    case RowBuilder.PROB:
                        r.prob(args[c], b, s[c], e[c], c);
                        break;
                    case RowBuilder.LABEL:
                        r.label = r.resolve(b, s[c], e[c], c, true);
                        break;
                    case RowBuilder.PRED:
                        r.pred = r.resolve(b, s[c], e[c], c, false);
                        break;
                    case RowBuilder.WEIGHT:
                        r.weight(b, s[c], e[c], c);
                        break;
                    default:
                        r.text(b, s[c], e[c], c);
                        break;
                }
            }
            r.commit(batch, key + rows);
            rows++;
        }
        return rows;
    }

    private InvalidInputException ragged() {
        String cols = header.size() <= 12 ? ": " + String.join(", ", header) : "";
        return Errors.at("RAGGED_ROW", Errors.line(file, rowLine), "expected " + ncols + " fields (the header has "
                + ncols + " columns" + cols + ") but found " + nf + ". Check for a missing value or a " + delimName
                + " inside a value that is not quoted (quote such values: \"a" + (delim == '\t' ? "<tab>" : ",") + "b\").");
    }

    /** Advances to the next non-blank row; false at end of input. */
    private boolean nextRow() {
        for (;;) {
            int r = scan();
            if (r == ROW) {
                int start = in.pos;
                in.pos = rowEnd;
                rowLine = line;
                line += rowLines;
                if (nf == 1 && fe[0] == start) {
                    continue; // blank line
                }
                return true;
            }
            if (r == END) {
                return false;
            }
            in.fill();
        }
    }

    /** Finds the fields of the row at {@code in.pos}: ROW, MORE (the buffer ends inside the row) or END. */
    private int scan() {
        final byte[] b = in.buf;
        final int lim = in.lim;
        final boolean eof = in.eof;
        final byte d = delim;
        final int maxSpecial = Math.max(d, '\r'); // bytes above it (digits, letters, non-ASCII) end no field
        int p = in.pos;
        if (p >= lim) {
            return eof ? END : MORE;
        }
        int f = 0;
        int lines = 0;
        nesc = 0;
        for (;;) {
            int start;
            int end;
            int fieldLines = lines;
            if (p < lim && b[p] == '"') {
                int q = p + 1;
                boolean escaped = false;
                for (;;) {
                    if (q >= lim) {
                        if (eof) {
                            throw Errors.at("MALFORMED_CSV", Errors.line(file, line + fieldLines), "a quoted field "
                                    + "(column #" + (f + 1) + ") starts here but its closing quote is missing before the "
                                    + "end of the file. Close the quote, and write a quote inside a quoted field as \"\".");
                        }
                        return MORE;
                    }
                    byte c = b[q];
                    if (c == '"') {
                        if (q + 1 >= lim && !eof) {
                            return MORE;
                        }
                        if (q + 1 < lim && b[q + 1] == '"') {
                            escaped = true;
                            q += 2;
                            continue;
                        }
                        break;
                    }
                    if (c == '\n') {
                        lines++;
                    }
                    q++;
                }
                start = p + 1;
                end = q;
                p = q + 1;
                if (p < lim) {
                    byte c = b[p];
                    if (c != d && c != '\n' && c != '\r') {
                        String where = header != null && f < header.size()
                                ? Errors.cell(file, line + lines, header.get(f), f + 1, false)
                                : Errors.line(file, line + lines) + ", column #" + (f + 1);
                        throw Errors.at("MALFORMED_CSV", where, "unexpected "
                                + Errors.show(b, p, p + 1) + " after the closing quote of a quoted field. Inside a "
                                + "quoted field write a quote as \"\"; otherwise end the field after its closing quote.");
                    }
                }
                if (escaped) {
                    if (nesc == esc.length) {
                        esc = Arrays.copyOf(esc, nesc * 2);
                    }
                    esc[nesc++] = f;
                }
            } else {
                start = p;
                while (p < lim) {
                    byte c = b[p];
                    if (c <= maxSpecial && (c == d || c == '\n' || c == '\r')) {
                        break;
                    }
                    p++;
                }
                end = p;
            }
            if (f == fs.length) {
                fs = Arrays.copyOf(fs, f * 2);
                fe = Arrays.copyOf(fe, f * 2);
                fl = Arrays.copyOf(fl, f * 2);
            }
            fs[f] = start;
            fe[f] = end;
            fl[f] = fieldLines;
            f++;
            if (p >= lim) {
                if (!eof) {
                    return MORE;
                }
                break; // the last row has no line break
            }
            byte c = b[p];
            if (c == d) {
                p++;
                continue;
            }
            if (c == '\n') {
                p++;
                lines++;
                break;
            }
            // '\r': CRLF or a lone CR
            if (p + 1 >= lim && !eof) {
                return MORE;
            }
            p++;
            if (p < lim && b[p] == '\n') {
                p++;
            }
            lines++;
            break;
        }
        nf = f;
        rowEnd = p;
        rowLines = lines;
        return ROW;
    }

    /** Turns doubled quotes into single ones, in place, in the fields that have them. */
    private void unescape() {
        byte[] b = in.buf;
        for (int k = 0; k < nesc; k++) {
            int f = esc[k];
            int w = fs[f];
            int end = fe[f];
            for (int r = fs[f]; r < end; r++) {
                b[w++] = b[r];
                if (b[r] == '"') {
                    r++;
                }
            }
            fe[f] = w;
        }
        nesc = 0;
    }
}
