package dev.loupe.data.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.data.parquet.ParquetFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads a CSV, TSV, JSON Lines (optionally gzip-compressed) or Parquet file into a {@link TextDataset}: one text column,
 * one label column, an optional id column, and every other column kept as metadata.
 *
 * <p>CSV/TSV follow RFC 4180 (quoted fields may hold delimiters, doubled quotes and line breaks; the first row
 * is the header; blank lines are skipped). In JSON Lines each non-blank line is one object; a missing or null
 * text is an empty text (counted later by {@link Cleaning}); labels may be strings, numbers or booleans;
 * nested metadata values are kept as their JSON text. Files must be UTF-8 (a leading byte order mark is
 * skipped). Parquet files from any writer are read through DuckDB ({@link ParquetFile}: every encoding and codec;
 * logical types as readable text; lists of numbers, such as an embedding column, as vectors
 * ({@link TextDataset#vectorColumns()}); other nested columns are left out); their positions are rows, not lines.
 *
 * <p>Errors name the file, the physical line and the column, and say how to fix it. Codes: FILE_NOT_FOUND,
 * FILE_UNREADABLE, UNKNOWN_FORMAT, EMPTY_FILE, CORRUPT_PARQUET, NESTED_COLUMN,
 * NO_DATA_ROWS, DUPLICATE_COLUMN,
 * MISSING_TEXT_COLUMN, MISSING_LABEL_COLUMN, MISSING_ID_COLUMN, MISSING_VALUE, DUPLICATE_ID, RAGGED_ROW,
 * MALFORMED_CSV, MALFORMED_JSON, JSON_NOT_OBJECT, WRONG_JSON_TYPE, NOT_UTF8.
 */
public final class TextDatasetReader {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private TextDatasetReader() {
    }

    /** Reads {@code file} with the default columns ({@code text}, {@code label}, optional {@code id}). */
    public static TextDataset read(Path file) {
        return read(file, TextDatasetOptions.defaults());
    }

    /**
     * Reads the whole file into memory.
     *
     * @throws NotFoundException     {@code FILE_NOT_FOUND}
     * @throws InvalidInputException for every problem in the file (see the class docs for the codes)
     */
    public static TextDataset read(Path file, TextDatasetOptions options) {
        String shown = file.toString();
        if (!Files.exists(file)) {
            throw new NotFoundException("FILE_NOT_FOUND", "Data file not found: " + file
                    + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath().normalize() + ")")
                    + ". Check the path.");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("FILE_UNREADABLE", shown + " is a directory. Pass the data file itself.");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("FILE_UNREADABLE", shown + " is not a regular file (a FIFO, socket or device): Loupe reads an input file more than once and needs"
                    + " its size, so a stream with no end could leave it waiting for ever. Save the stream to a file first (cmd > data.csv) and pass that.");
        }
        TextFormat format = options.format() != null ? options.format() : TextFormat.fromFileName(file);
        if (format == null) {
            throw new InvalidInputException("UNKNOWN_FORMAT", "Cannot tell the format of " + shown
                    + " from its name: expected .csv, .tsv, .jsonl (optionally .gz) or .parquet. Pass --format csv|tsv|jsonl|parquet."
                    + TextFormat.arrowHint(file));
        }
        String name = file.getFileName() == null ? shown : file.getFileName().toString();
        if (format == TextFormat.PARQUET) {
            return toDataset(parquet(file, shown), shown, name, options);
        }
        byte[] bytes;
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw;
            if (isGzip(file)) {
                in = new GZIPInputStream(raw, 1 << 16);
            }
            bytes = readAll(in);
        } catch (IOException e) {
            throw new InvalidInputException("FILE_UNREADABLE", "Could not read " + shown + ": " + e.getMessage()
                    + (isGzip(file) ? " (is it really gzip-compressed?)" : ""), e);
        }
        String content = decodeUtf8(bytes, shown);
        if (content.isBlank()) {
            throw new InvalidInputException("EMPTY_FILE", shown + " is empty: expected "
                    + (format == TextFormat.JSONL ? "one JSON object per line" : "a header row and data rows")
                    + " with a '" + options.textColumn() + "' and a '" + options.labelColumn() + "' column.");
        }
        Table t = format == TextFormat.JSONL ? readJsonLines(content, shown) : readDelimited(content, shown,
                format == TextFormat.TSV ? '\t' : ',');
        return toDataset(t, shown, name, options);
    }

    private static boolean isGzip(Path file) {
        Path n = file.getFileName();
        return n != null && n.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        in.transferTo(out);
        return out.toByteArray();
    }

    /** Strict UTF-8 with the line of the first bad byte in the message; a BOM is dropped. */
    static String decodeUtf8(byte[] b, String shown) {
        int start = b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF ? 3 : 0;
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, start, b.length - start);
        CharBuffer out = CharBuffer.allocate(b.length);
        var r = d.decode(in, out, true);
        if (r.isError()) {
            int bad = in.position();
            long line = 1;
            for (int i = start; i < bad; i++) {
                if (b[i] == '\n') {
                    line++;
                }
            }
            throw new InvalidInputException("NOT_UTF8", shown + ", line " + line + ": "
                    + String.format("byte 0x%02X is not valid UTF-8. ", b[bad] & 0xFF)
                    + "The file must be UTF-8: re-save it as UTF-8 (for example, from Latin-1: "
                    + "iconv -f latin1 -t utf-8 original > converted).");
        }
        d.flush(out);
        out.flip();
        return out.toString();
    }

    /**
     * Column names, rows of cells, and each row's position ({@code unit} {@code line} or {@code row}); {@code json}:
     * cells may be nested (flagged after the columns); {@code csv}: an empty cell means "no value" for metadata;
     * {@code skipped}: columns that could not be read as strings (nested Parquet columns); {@code vectors}: lists of
     * numbers (Parquet), one float[] per row.
     */
    private record Table(List<String> columns, List<String[]> rows, List<Long> lines, boolean json, boolean csv,
                         String unit, List<String> skipped, Map<String, float[][]> vectors) {
        Table(List<String> columns, List<String[]> rows, List<Long> lines, boolean json, boolean csv, String unit) {
            this(columns, rows, lines, json, csv, unit, List.of(), Map.of());
        }
    }

    /**
     * A Parquet file through DuckDB ({@link ParquetFile}): every plain column as text (numbers, booleans, dates,
     * timestamps and decimals as DuckDB writes them: {@code 0.5}, {@code true}, {@code 2024-01-31},
     * {@code 2024-01-31 12:00:00}, {@code 12.50}); lists of numbers as vectors; other nested columns skipped.
     */
    private static Table parquet(Path file, String shown) {
        try (ParquetFile pf = ParquetFile.open(file, shown)) {
            List<String> names = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            List<String> vectorColumns = new ArrayList<>();
            StringBuilder sql = new StringBuilder("SELECT ");
            for (ParquetFile.Column c : pf.columns()) {
                if (c.numericList()) {
                    vectorColumns.add(c.name());
                } else if (c.nested()) {
                    skipped.add(c.name());
                } else {
                    sql.append(names.isEmpty() ? "" : ", ").append("CAST(").append(c.sql()).append(" AS VARCHAR)");
                    names.add(c.name());
                }
            }
            List<String[]> rows = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            if (!names.isEmpty()) {
                pf.forEachRow(sql.append(" FROM ").append(pf.source()).toString(), names, row -> {
                    rows.add(row);
                    lines.add((long) rows.size());
                });
            }
            LinkedHashMap<String, float[][]> vectors = new LinkedHashMap<>();
            for (String v : vectorColumns) {
                vectors.put(v, pf.vectors(pf.column(v)));
            }
            return new Table(names, rows, lines, false, false, "row", skipped, vectors);
        }
    }

    // ---------------------------------------------------------------- CSV / TSV

    private static Table readDelimited(String s, String shown, char delim) {
        String delimName = delim == '\t' ? "tab" : "comma";
        List<String> header = null;
        List<String[]> rows = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        int n = s.length();
        int i = 0;
        long line = 1;
        while (i < n) {
            // one row
            long rowLine = line;
            fields.clear();
            boolean blank = true;
            while (true) {
                f.setLength(0);
                if (i < n && s.charAt(i) == '"') {
                    blank = false;
                    long quoteLine = line;
                    i++;
                    while (true) {
                        if (i >= n) {
                            throw new InvalidInputException("MALFORMED_CSV", shown + ", line " + quoteLine
                                    + ": a quoted field is never closed. Close it with a '\"' (write a quote inside "
                                    + "a quoted field as two quotes \"\").");
                        }
                        char c = s.charAt(i++);
                        if (c == '"') {
                            if (i < n && s.charAt(i) == '"') {
                                f.append('"');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            if (c == '\n' || (c == '\r' && (i >= n || s.charAt(i) != '\n'))) {
                                line++;
                            }
                            f.append(c);
                        }
                    }
                    if (i < n && s.charAt(i) != delim && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                        throw new InvalidInputException("MALFORMED_CSV", shown + ", line " + line + ", field #"
                                + (fields.size() + 1) + ": unexpected text after a closing quote. Quote the whole "
                                + "field and double the quotes inside it (\"say \"\"hi\"\"\").");
                    }
                } else {
                    while (i < n) {
                        char c = s.charAt(i);
                        if (c == delim || c == '\n' || c == '\r') {
                            break;
                        }
                        f.append(c);
                        i++;
                    }
                    if (f.length() > 0) {
                        blank = false;
                    }
                }
                fields.add(f.toString());
                if (i < n && s.charAt(i) == delim) {
                    blank = false;
                    i++;
                    continue;
                }
                // end of row
                if (i < n) {
                    if (s.charAt(i) == '\r' && i + 1 < n && s.charAt(i + 1) == '\n') {
                        i++;
                    }
                    i++;
                    line++;
                }
                break;
            }
            if (blank) {
                continue;
            }
            if (header == null) {
                header = new ArrayList<>();
                for (String h : fields) {
                    header.add(h.strip());
                }
                continue;
            }
            if (fields.size() != header.size()) {
                throw new InvalidInputException("RAGGED_ROW", shown + ", line " + rowLine + ": the row has "
                        + fields.size() + " fields but the header has " + header.size() + ". Check for a missing or "
                        + "extra " + delimName + ", and quote fields that contain " + delimName + "s or line breaks.");
            }
            rows.add(fields.toArray(new String[0]));
            lines.add(rowLine);
        }
        return new Table(header, rows, lines, false, true, "line");
    }

    // ---------------------------------------------------------------- JSON Lines

    private static Table readJsonLines(String s, String shown) {
        Map<String, Integer> index = new HashMap<>();
        List<String> columns = new ArrayList<>();
        List<Map<Integer, String>> cells = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        int n = s.length();
        int start = 0;
        long line = 0;
        while (start < n) {
            int end = s.indexOf('\n', start);
            if (end < 0) {
                end = n;
            }
            line++;
            String text = s.substring(start, end);
            start = end + 1;
            if (text.isBlank()) {
                continue;
            }
            Map<Integer, String> row = new HashMap<>();
            try (JsonParser p = JSON.createParser(text)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new InvalidInputException("JSON_NOT_OBJECT", shown + ", line " + line
                            + ": expected a JSON object ({\"text\": ..., \"label\": ...}) but the line holds "
                            + describe(p.currentToken()) + ". Write one object per line.");
                }
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    String value;
                    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                        int from = (int) p.currentTokenLocation().getCharOffset();
                        p.skipChildren();
                        int to = (int) p.currentLocation().getCharOffset();
                        value = text.substring(from, Math.min(to, text.length()));
                    } else if (v == JsonToken.VALUE_NULL) {
                        value = null;
                    } else {
                        value = p.getText();
                    }
                    Integer c = index.get(key);
                    if (c == null) {
                        c = columns.size();
                        index.put(key, c);
                        columns.add(key);
                    }
                    if (row.containsKey(c)) {
                        throw new InvalidInputException("DUPLICATE_COLUMN", shown + ", line " + line + ": field \""
                                + key + "\" appears twice in one object. Keep one.");
                    }
                    row.put(c, value);
                    if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                        row.put(-1 - c, "nested"); // marks a nested value (only metadata may be nested)
                    }
                }
                if (t != JsonToken.END_OBJECT) {
                    throw new InvalidInputException("MALFORMED_JSON", shown + ", line " + line
                            + ": the object is not closed. Write one complete JSON object per line.");
                }
                if (p.nextToken() != null) {
                    throw new InvalidInputException("MALFORMED_JSON", shown + ", line " + line
                            + ": text after the object. Write one JSON object per line.");
                }
            } catch (JsonParseException e) {
                throw new InvalidInputException("MALFORMED_JSON", shown + ", line " + line + ", column "
                        + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage()
                        + ". Write one valid JSON object per line.", e);
            } catch (IOException e) {
                throw new InvalidInputException("MALFORMED_JSON", shown + ", line " + line + ": " + e.getMessage(), e);
            }
            cells.add(row);
            lines.add(line);
        }
        List<String[]> rows = new ArrayList<>(cells.size());
        for (Map<Integer, String> r : cells) {
            String[] a = new String[columns.size() * 2];
            for (Map.Entry<Integer, String> e : r.entrySet()) {
                int k = e.getKey();
                if (k >= 0) {
                    a[k] = e.getValue();
                } else {
                    a[columns.size() + (-1 - k)] = e.getValue();
                }
            }
            rows.add(a);
        }
        return new Table(columns, rows, lines, true, false, "line");
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        switch (t) {
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }

    // ---------------------------------------------------------------- columns → data set

    private static TextDataset toDataset(Table t, String shown, String name, TextDatasetOptions o) {
        List<String> columns = t.columns();
        Map<String, Integer> pos = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            Integer prev = pos.putIfAbsent(columns.get(c), c);
            if (prev != null) {
                throw new InvalidInputException("DUPLICATE_COLUMN", shown + ": column '" + columns.get(c)
                        + "' appears twice (#" + (prev + 1) + " and #" + (c + 1) + "). Rename one.");
            }
        }
        String found = columns.isEmpty() ? "(none)" : quoteAll(columns);
        String what = t.json() ? "field" : "column";
        Integer textCol = pos.get(o.textColumn());
        Integer labelCol = pos.get(o.labelColumn());
        for (String c : new String[] {o.textColumn(), o.labelColumn()}) {
            if (!pos.containsKey(c) && (t.skipped().contains(c) || t.vectors().containsKey(c))) {
                throw new InvalidInputException("NESTED_COLUMN", shown + ": column '" + c + "' is nested (a list, map "
                        + "or struct); the text and label columns must hold plain values. Flatten it first.");
            }
        }
        if (textCol == null) {
            throw new InvalidInputException("MISSING_TEXT_COLUMN", shown + " has no '" + o.textColumn() + "' "
                    + what + ". Its " + what + "s: " + found + ". Name the text " + what + " with --text-col.");
        }
        if (labelCol == null) {
            throw new InvalidInputException("MISSING_LABEL_COLUMN", shown + " has no '" + o.labelColumn() + "' "
                    + what + ". Its " + what + "s: " + found + ". Name the label " + what + " with --label-col.");
        }
        Integer idCol = null;
        if (o.idColumn() != null) {
            idCol = pos.get(o.idColumn());
            if (idCol == null) {
                throw new InvalidInputException("MISSING_ID_COLUMN", shown + " has no '" + o.idColumn() + "' "
                        + what + ". Its " + what + "s: " + found + ". Name the id " + what
                        + " with --id-col, or leave it out to number the rows.");
            }
        } else {
            idCol = pos.get(TextDatasetOptions.DEFAULT_ID_COLUMN);
        }
        if (t.rows().isEmpty()) {
            throw new InvalidInputException("NO_DATA_ROWS", shown + (t.json() ? " has no objects"
                    : t.csv() ? " has a header but no data rows" : " has no rows")
                    + ". Add one row per example.");
        }
        int n = t.rows().size();
        int nc = columns.size();
        List<String> ids = new ArrayList<>(n);
        List<String> texts = new ArrayList<>(n);
        List<String> labels = new ArrayList<>(n);
        LinkedHashMap<String, List<String>> meta = new LinkedHashMap<>();
        for (int c = 0; c < nc; c++) {
            if (c != textCol && c != labelCol && (idCol == null || c != idCol)) {
                meta.put(columns.get(c), new ArrayList<>(n));
            }
        }
        Map<String, Long> idLine = new HashMap<>(n * 2);
        for (int r = 0; r < n; r++) {
            String[] row = t.rows().get(r);
            long line = t.lines().get(r);
            String where = shown + ", " + t.unit() + " " + line;
            if (t.json()) {
                for (int c : new int[] {textCol, labelCol}) {
                    if (row[nc + c] != null) {
                        throw new InvalidInputException("WRONG_JSON_TYPE", where + ", field \"" + columns.get(c)
                                + "\": expected a string but found an object or array.");
                    }
                }
            }
            String text = row[textCol];
            String label = row[labelCol] == null ? null : row[labelCol].strip();
            if (label == null || label.isEmpty()) {
                throw new InvalidInputException("MISSING_VALUE", where + ", " + what + " '" + o.labelColumn()
                        + "': the label is missing. Every example needs a label; remove the row or fill it in.");
            }
            String id;
            if (idCol != null) {
                id = row[idCol] == null ? null : row[idCol].strip();
                if (id == null || id.isEmpty()) {
                    throw new InvalidInputException("MISSING_VALUE", where + ", " + what + " '" + columns.get(idCol)
                            + "': the id is missing. Give every row an id, or rename the column so that rows are numbered.");
                }
                Long prev = idLine.putIfAbsent(id, line);
                if (prev != null) {
                    throw new InvalidInputException("DUPLICATE_ID", where + ", " + what + " '" + columns.get(idCol)
                            + "': id '" + id + "' already appeared on " + t.unit() + " " + prev + ". Ids must be unique.");
                }
            } else {
                id = Integer.toString(r + 1);
            }
            ids.add(id);
            texts.add(text == null ? "" : text);
            labels.add(label);
            for (Map.Entry<String, List<String>> e : meta.entrySet()) {
                String v = row[pos.get(e.getKey())];
                e.getValue().add(t.csv() && v != null && v.isEmpty() ? null : v);
            }
        }
        return new TextDataset(name, ids, texts, labels, meta).withVectors(t.vectors());
    }

    private static String quoteAll(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            if (i == 30) {
                sb.append("… (").append(values.size()).append(" in all)");
                break;
            }
            sb.append('\'').append(values.get(i)).append('\'');
        }
        return sb.toString();
    }
}
