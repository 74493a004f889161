package dev.loupe.data.predictions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines: one JSON object per line, parsed with Jackson's streaming parser over the line's bytes (each line
 * is checked to be UTF-8 first). The first line's keys fix the columns; a later line may add keys that play no
 * role (they become metadata columns) but must have every role column the first line has.
 */
final class JsonLinesSource {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final ByteInput in;
    private final String file;
    private final boolean dotJson;
    private long line = 1;
    private long rowLine;
    private int ls;
    private int le;

    private final Map<String, Integer> index = new HashMap<>();
    private List<String> columns;
    private int[] role;
    private int[] arg;
    private int[] seen;
    private int[] required;
    private int stamp;
    private RowBuilder rb;
    private PredictionSchema schema;
    private PredictionFileOptions options;
    private byte[] scratch = new byte[256];

    JsonLinesSource(ByteInput in, String file, boolean dotJson) {
        this.in = in;
        this.file = file;
        this.dotJson = dotJson;
    }

    /** The keys of the first object, which is left unread for {@link #read}; null when there is no line. */
    List<String> readHeader() {
        if (!nextLine()) {
            return null;
        }
        checkUtf8();
        List<String> keys = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(in.buf, ls, le - ls)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                if (dotJson && t == JsonToken.START_ARRAY) {
                    throw Errors.at("UNSUPPORTED_JSON", Errors.line(file, rowLine), "the file is a JSON array; Loupe "
                            + "reads .json files as JSON Lines: one object per line. Convert it, e.g. "
                            + "jq -c '.[]' in.json > out.jsonl.");
                }
                throw notObject(t);
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                if (keys.contains(name)) {
                    throw Errors.at("DUPLICATE_COLUMN", Errors.line(file, rowLine), "the key \"" + name
                            + "\" appears twice in the object. Give each field a distinct name.");
                }
                keys.add(name);
                p.nextToken();
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                throw trailing();
            }
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new InvalidInputException("FILE_UNREADABLE", "Could not read " + file + ": " + e.getMessage(), e);
        }
        in.pos = ls; // the first line is also the first data row
        line = rowLine;
        return keys;
    }

    void bind(List<String> columns, int[] role, int[] arg, RowBuilder rb, PredictionSchema schema, PredictionFileOptions o) {
        this.columns = columns;
        this.role = role;
        this.arg = arg;
        this.rb = rb;
        this.schema = schema;
        this.options = o;
        this.seen = new int[columns.size()];
        int n = 0;
        int[] req = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            index.put(columns.get(c), c);
            if (role[c] != RowBuilder.TEXT) {
                req[n++] = c;
            }
        }
        this.required = Arrays.copyOf(req, n);
    }

    int read(PredictionBatch batch, int max, long key) {
        int rows = 0;
        final RowBuilder r = rb;
        while (rows < max && nextLine()) {
            checkUtf8();
            r.rowLine = rowLine;
            int st = ++stamp;
            try (JsonParser p = FACTORY.createParser(in.buf, ls, le - ls)) {
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_OBJECT) {
                    throw notObject(t);
                }
                String name;
                while ((name = p.nextFieldName()) != null) {
                    JsonToken v = p.nextToken();
                    Integer boxed = index.get(name);
                    int c = boxed != null ? boxed : addColumn(name);
                    if (seen[c] == st) {
                        throw Errors.at("DUPLICATE_COLUMN", Errors.line(file, rowLine), "the key \"" + name
                                + "\" appears twice in the object. Give each field a distinct name.");
                    }
                    seen[c] = st;
                    switch (role[c]) {
                        case RowBuilder.SCORE:
                            r.score(scratch, 0, numberText(p, v, c, "score"), c);
                            break;
                        case RowBuilder.PROB:
                            r.prob(arg[c], scratch, 0, numberText(p, v, c, "probability"), c);
                            break;
                        case RowBuilder.LABEL:
                            r.label = r.resolve(scratch, 0, classText(p, v, c, "label"), c, true);
                            break;
                        case RowBuilder.PRED:
                            r.pred = r.resolve(scratch, 0, classText(p, v, c, "predicted class"), c, false);
                            break;
                        case RowBuilder.WEIGHT:
                            r.weight(scratch, 0, numberText(p, v, c, "weight"), c);
                            break;
                        default:
                            if (c < r.sinks.length && r.sinks[c] != null) {
                                r.sinks[c].accept(v.isScalarValue() && v != JsonToken.VALUE_NULL ? p.getText() : null);
                            }
                            p.skipChildren();
                            break;
                    }
                }
                if (p.nextToken() != null) {
                    throw trailing();
                }
            } catch (JsonProcessingException e) {
                throw malformed(e);
            } catch (IOException e) {
                throw new InvalidInputException("FILE_UNREADABLE", "Could not read " + file + ": " + e.getMessage(), e);
            }
            for (int c : required) {
                if (seen[c] != st) {
                    throw Errors.at("MISSING_VALUE", Errors.line(file, rowLine), "the object has no \"" + columns.get(c)
                            + "\" field, which the first line has. Every line needs the same prediction fields; add it "
                            + "or drop the line.");
                }
            }
            for (int c = 0; c < r.sinks.length; c++) {
                if (r.sinks[c] != null && seen[c] != st) {
                    r.sinks[c].accept(null); // a line without the field
                }
            }
            r.commit(batch, key + rows);
            rows++;
        }
        return rows;
    }

    private int addColumn(String name) {
        PredictionFileOptions o = options;
        if (name.equals(o.labelColumn()) || name.equals(o.scoreColumn()) || name.equals(o.predColumn())
                || name.equals(o.weightColumn()) || name.startsWith(o.probPrefix())) {
            throw Errors.at("INCONSISTENT_FIELDS", Errors.line(file, rowLine), "the object has a \"" + name
                    + "\" field but the first line, which fixes the columns, does not. Give every line the same "
                    + "prediction fields.");
        }
        int c = columns.size();
        columns.add(name);
        index.put(name, c);
        schema.addMetadataColumn(name);
        role = Arrays.copyOf(role, c + 1);
        arg = Arrays.copyOf(arg, c + 1);
        seen = Arrays.copyOf(seen, c + 1);
        role[c] = RowBuilder.TEXT;
        return c;
    }

    /** Copies a number (or a string holding one) into {@code scratch}; returns its length. */
    private int numberText(JsonParser p, JsonToken v, int c, String what) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_STRING) {
            return copyText(p);
        }
        if (v == JsonToken.VALUE_NULL) {
            throw Errors.at("MISSING_VALUE", rb.where(c), "the " + what + " is null. Every row needs a " + what
                    + "; fill it in or drop the line.");
        }
        throw wrongType(p, v, c, "a number (the " + what + ")");
    }

    /** Copies a class name (a string or a number's text) into {@code scratch}; returns its length. */
    private int classText(JsonParser p, JsonToken v, int c, String what) throws IOException {
        if (v == JsonToken.VALUE_STRING || v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            return copyText(p);
        }
        if (v == JsonToken.VALUE_NULL) {
            throw Errors.at("MISSING_VALUE", rb.where(c), "the " + what + " is null. Every row needs a " + what
                    + "; fill it in or drop the line.");
        }
        throw wrongType(p, v, c, "a string or a number (the " + what + ")");
    }

    private int copyText(JsonParser p) throws IOException {
        char[] ch = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
        }
        byte[] out = scratch;
        for (int i = 0; i < len; i++) {
            char x = ch[off + i];
            if (x >= 0x80) {
                byte[] utf8 = new String(ch, off, len).getBytes(StandardCharsets.UTF_8);
                if (scratch.length < utf8.length) {
                    scratch = new byte[utf8.length];
                }
                System.arraycopy(utf8, 0, scratch, 0, utf8.length);
                return utf8.length;
            }
            out[i] = (byte) x;
        }
        return len;
    }

    private InvalidInputException wrongType(JsonParser p, JsonToken v, int c, String expected) throws IOException {
        String got = describe(v);
        p.skipChildren();
        return Errors.at("WRONG_JSON_TYPE", rb.where(c), "expected " + expected + ", got " + got
                + ". Write the value as a JSON " + (expected.startsWith("a number") ? "number." : "string or number."));
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return "a number";
        }
    }

    private InvalidInputException notObject(JsonToken t) {
        return Errors.at("JSON_NOT_OBJECT", Errors.line(file, rowLine), "expected a JSON object ({...}), got "
                + describe(t) + ". A JSON Lines file holds exactly one object per line.");
    }

    private InvalidInputException trailing() {
        return Errors.at("MALFORMED_JSON", Errors.line(file, rowLine), "there is more after the JSON object. A JSON "
                + "Lines file holds exactly one object per line" + (dotJson ? " (Loupe reads .json files as JSON Lines)." : "."));
    }

    private InvalidInputException malformed(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String col = loc != null && loc.getColumnNr() > 0 ? " at character " + loc.getColumnNr() : "";
        String msg = e.getOriginalMessage();
        int nl = msg == null ? -1 : msg.indexOf('\n');
        if (nl >= 0) {
            msg = msg.substring(0, nl);
        }
        int marker = msg == null ? -1 : msg.indexOf(" (start marker at");
        if (marker >= 0) {
            msg = msg.substring(0, marker);
        }
        return new InvalidInputException("MALFORMED_JSON", Errors.line(file, rowLine) + ": malformed JSON" + col + " ("
                + msg + "). Each line must be one complete JSON object"
                + (dotJson ? "; Loupe reads .json files as JSON Lines, one object per line." : "."), e);
    }

    private void checkUtf8() {
        int bad = Utf8.firstInvalid(in.buf, ls, le);
        if (bad >= 0) {
            throw Errors.notUtf8(Errors.line(file, rowLine) + " (byte " + (bad - ls + 1) + " of the line)", in.buf, bad);
        }
    }

    /** Advances to the next line holding something other than whitespace; false at end of input. */
    private boolean nextLine() {
        for (;;) {
            int from = in.pos;
            int nl;
            for (;;) {
                nl = indexOf(in.buf, from, in.lim);
                if (nl >= 0 || in.eof) {
                    break;
                }
                int scanned = in.lim - in.pos;
                in.fill();
                from = in.pos + scanned;
            }
            if (nl < 0 && in.pos >= in.lim) {
                return false;
            }
            ls = in.pos;
            le = nl >= 0 ? nl : in.lim;
            in.pos = nl >= 0 ? nl + 1 : in.lim;
            rowLine = line++;
            if (!blank(in.buf, ls, le)) {
                return true;
            }
        }
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean blank(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
