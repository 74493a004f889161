package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.store.SeriesPoint;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reading of one CSV training log, from its header: the shape (long {@code step,name,value} or wide
 * {@code step,<metric>,...}), the step column, and which wide columns are not numbers. Rows are turned into points
 * as they come, so the watcher can feed the rows appended since its last look.
 */
final class CsvLog {
    /** Step columns recognised when none is named, in this order (Lightning, HF, Keras' CSVLogger, Ray Tune). */
    static final List<String> STEP_COLUMNS = List.of("step", "global_step", "epoch", "training_iteration", "iteration");
    /** Steps must be integers a double holds exactly (a float step such as 1e20 is refused, not wrapped). */
    static final double MAX_STEP = 0x1p53;

    private final String file;
    private final List<String> header;
    private final int stepCol;
    private final int nameCol;
    private final int valueCol;
    private final int kindCol;
    private final int wallCol;
    private final boolean longForm;
    /** Wide form: per column, null until its first non-empty cell, then whether it holds numbers. */
    private final Boolean[] numeric;
    private final List<String> notes = new ArrayList<>();

    /**
     * @param file    the file as the user named it (for messages)
     * @param header  the header's cells
     * @param stepOpt the step column the user named, or {@code null} to recognise one
     */
    CsvLog(String file, List<String> header, String stepOpt) {
        this.file = file;
        this.header = header.stream().map(String::strip).toList();
        for (int c = 0; c < this.header.size(); c++) {
            int prev = indexOf(this.header.get(c));
            if (prev != c && !this.header.get(c).isEmpty()) {
                throw new InvalidInputException("DUPLICATE_COLUMN", file + " line 1: column '" + clip(this.header.get(c))
                        + "' appears twice (#" + (prev + 1) + " and #" + (c + 1) + "). Rename one.");
            }
        }
        if (stepOpt != null) {
            stepCol = indexOf(stepOpt.strip());
            if (stepCol < 0) {
                throw new InvalidInputException("BAD_CSV_LOG", file + " line 1: --step-col '" + clip(stepOpt)
                        + "' is not a column; the header has " + this.header + ".");
            }
        } else {
            int found = -1;
            for (String c : STEP_COLUMNS) {
                found = indexOf(c);
                if (found >= 0) {
                    break;
                }
            }
            if (found < 0) {
                throw new InvalidInputException("BAD_CSV_LOG", file + " line 1: the header " + this.header + " has no step"
                        + " column (looked for " + String.join(", ", STEP_COLUMNS) + "). Name it with --step-col, or use"
                        + " 'step,name,value' (long) or 'step,<metric>,...' (wide).");
            }
            stepCol = found;
        }
        notes.add("step column '" + this.header.get(stepCol) + "'");
        nameCol = indexOf("name");
        valueCol = indexOf("value");
        longForm = nameCol >= 0 && valueCol >= 0;
        kindCol = indexOf("kind");
        wallCol = indexOf("wall_time");
        numeric = new Boolean[this.header.size()];
        if (!longForm) {
            for (int c = 0; c < this.header.size(); c++) {
                if (c != stepCol && c != wallCol && this.header.get(c).isEmpty()) {
                    throw new InvalidInputException("BAD_CSV_LOG", file + " line 1: column " + (c + 1) + " has no name.");
                }
            }
        }
    }

    boolean longForm() {
        return longForm;
    }

    /** What was chosen and skipped so far, for the user. */
    List<String> notes() {
        return notes;
    }

    /**
     * Adds the points of {@code rows} to {@code out}; {@code firstLine} is the line number of the first of them.
     * A bad cell in a numeric column stops with its line and column.
     */
    void points(List<List<String>> rows, int firstLine, List<SeriesPoint> out) {
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int line = firstLine + r;
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() != header.size()) {
                throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ": " + row.size()
                        + " fields but the header has " + header.size() + ". Quote fields that contain commas.");
            }
            long wall = wallCol >= 0 ? wallTime(line, row.get(wallCol)) : 0;
            if (longForm) {
                if (kindCol >= 0 && !row.get(kindCol).strip().equals("series")) {
                    continue;
                }
                long step = step(line, row.get(stepCol));
                String n = row.get(nameCol).strip();
                if (n.isEmpty()) {
                    throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ", column 'name': the series name is empty.");
                }
                out.add(new SeriesPoint(n, step, wall, number(line, "value", row.get(valueCol))));
                continue;
            }
            long step = step(line, row.get(stepCol));
            for (int c = 0; c < header.size(); c++) {
                String cell = row.get(c);
                if (c == stepCol || c == wallCol || cell.isBlank()) {
                    continue;
                }
                if (numeric[c] == null) {
                    numeric[c] = parse(cell) != null;
                    if (!numeric[c]) {
                        notes.add("column '" + clip(header.get(c)) + "' skipped: not numeric ('" + clip(cell.strip())
                                + "' on line " + line + ")");
                    }
                }
                if (numeric[c]) {
                    out.add(new SeriesPoint(header.get(c), step, wall, number(line, header.get(c), cell)));
                }
            }
        }
    }

    private int indexOf(String col) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(col)) {
                return i;
            }
        }
        return -1;
    }

    private long step(int line, String cell) {
        String s = cell.strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            Double d = parse(s);
            if (d != null && d == Math.rint(d) && Math.abs(d) <= MAX_STEP) {
                return (long) (double) d; // pandas writes integer steps of a float column as 3.0
            }
            throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ", column '" + clip(header.get(stepCol))
                    + "': expected an integer step" + (d != null && d == Math.rint(d) ? " of at most 2^53 in size" : "")
                    + ". Got '" + clip(s) + "' instead.");
        }
    }

    /** A number ({@code nan}, {@code inf}, {@code -inf}, {@code Infinity} accepted; empty is NaN), or {@code null}. */
    static Double parse(String cell) {
        String s = cell.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "nan", "": return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
            default:
                if (s.isEmpty() || !(Character.isDigit(s.charAt(0)) || "+-.".indexOf(s.charAt(0)) >= 0)) {
                    return null; // Double.parseDouble would take "NaN"-like words and hex floats; a log means decimals
                }
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return null;
                }
        }
    }

    private double number(int line, String col, String cell) {
        Double d = parse(cell);
        if (d == null) {
            throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ", column '" + clip(col)
                    + "': expected a number. Got '" + clip(cell.strip()) + "' instead.");
        }
        return d;
    }

    private long wallTime(int line, String cell) {
        String s = cell.strip();
        if (s.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ", column 'wall_time': expected"
                        + " epoch milliseconds or an ISO-8601 time such as 2026-01-31T12:00:00Z. Got '" + clip(s) + "' instead.");
            }
        }
    }

    static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** Records parsed from text, and where the last complete one ended. */
    record Parsed(List<List<String>> rows, int end) {
    }

    /**
     * RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. With {@code complete}, the text is a
     * whole file (a last line without a line break counts; an unclosed quote is an error); without, only records
     * ended by a line break are taken and {@link Parsed#end()} says where the rest begins (a half-written line).
     */
    static Parsed parse(String file, String text, boolean complete) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
        int quoteLine = 1;
        int end = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (ch == '\n') {
                        line++;
                    }
                    cell.append(ch);
                }
                continue;
            }
            switch (ch) {
                case '"' -> {
                    quoted = true;
                    quoteLine = line;
                    any = true;
                }
                case ',' -> {
                    row.add(cell.toString());
                    cell.setLength(0);
                    any = true;
                }
                case '\r' -> { }
                case '\n' -> {
                    row.add(cell.toString());
                    rows.add(row);
                    row = new ArrayList<>();
                    cell.setLength(0);
                    any = false;
                    line++;
                    end = i + 1;
                }
                default -> {
                    cell.append(ch);
                    any = true;
                }
            }
        }
        if (!complete) {
            return new Parsed(rows, end);
        }
        if (quoted) {
            throw new InvalidInputException("BAD_CSV_LOG", file + " line " + quoteLine + ": a quoted field opened here is"
                    + " never closed. Close it with a '\"' (a quote inside a quoted field is written \"\").");
        }
        if (any || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        return new Parsed(rows, text.length());
    }
}
