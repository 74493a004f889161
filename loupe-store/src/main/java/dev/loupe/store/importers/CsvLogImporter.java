package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Imports a CSV training log in one of two shapes, told apart by the header:
 * <ul>
 *   <li><b>long</b>: columns {@code step}, {@code name}, {@code value} (any order; an optional {@code wall_time} in
 *       ISO-8601 or epoch milliseconds; with a {@code kind} column, as written by {@code loupe runs export --format
 *       csv}, only the {@code series} rows are read);</li>
 *   <li><b>wide</b>: a {@code step} column and one column per series; empty cells are no point.</li>
 * </ul>
 * Values are numbers ({@code nan}, {@code inf} and {@code -inf} accepted); steps are integers. A bad cell stops the
 * import before anything is written, naming the line and column.
 */
public final class CsvLogImporter {
    private CsvLogImporter() {
    }

    public static ImportResult importFile(RunStore store, Path file, String name, String experiment) {
        Path real = Sources.existingFile(file, "a CSV log");
        List<List<String>> rows = read(file, real);
        if (rows.isEmpty()) {
            throw new InvalidInputException("EMPTY_FILE", file + " is empty: expected a header line such as"
                    + " 'step,name,value' or 'step,loss,accuracy'.");
        }
        List<String> header = rows.get(0).stream().map(h -> h.strip()).toList();
        int stepCol = indexOf(header, "step");
        if (stepCol < 0) {
            throw new InvalidInputException("BAD_CSV_LOG", file + " line 1: the header " + header + " has no 'step' column."
                    + " Expected 'step,name,value' (long) or 'step,<metric>,...' (wide).");
        }
        int nameCol = indexOf(header, "name");
        int valueCol = indexOf(header, "value");
        boolean longForm = nameCol >= 0 && valueCol >= 0;
        int kindCol = indexOf(header, "kind");
        int wallCol = indexOf(header, "wall_time");
        long fileTime = lastModified(real);

        List<SeriesPoint> points = new ArrayList<>();
        TreeSet<String> series = new TreeSet<>();
        for (int r = 1; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            int line = r + 1;
            if (row.size() == 1 && row.get(0).isBlank()) {
                continue;
            }
            if (row.size() != header.size()) {
                throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ": " + row.size()
                        + " fields but the header has " + header.size() + ". Quote fields that contain commas.");
            }
            if (longForm) {
                if (kindCol >= 0 && !row.get(kindCol).strip().equals("series")) {
                    continue;
                }
                long step = step(file, line, row.get(stepCol));
                String n = row.get(nameCol).strip();
                if (n.isEmpty()) {
                    throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ", column 'name': the series name is empty.");
                }
                double v = number(file, line, "value", row.get(valueCol));
                long wall = wallCol >= 0 ? wallTime(file, line, row.get(wallCol), fileTime) : fileTime;
                points.add(new SeriesPoint(n, step, wall, v));
                series.add(n);
            } else {
                long step = step(file, line, row.get(stepCol));
                for (int c = 0; c < header.size(); c++) {
                    if (c == stepCol || c == wallCol || row.get(c).isBlank()) {
                        continue;
                    }
                    long wall = wallCol >= 0 ? wallTime(file, line, row.get(wallCol), fileTime) : fileTime;
                    points.add(new SeriesPoint(header.get(c), step, wall, number(file, line, header.get(c), row.get(c))));
                    series.add(header.get(c));
                }
            }
        }
        if (!longForm) {
            for (int c = 0; c < header.size(); c++) {
                if (c != stepCol && c != wallCol && header.get(c).isEmpty()) {
                    throw new InvalidInputException("BAD_CSV_LOG", file + " line 1: column " + (c + 1) + " has no name.");
                }
            }
        }
        String runName = name != null ? name : real.getFileName().toString();
        Provenance prov = Provenance.EMPTY.withCommand("import csv " + real).withHost(Provenance.localHost());
        RunSpec spec = new RunSpec(experiment, runName, prov, "csv:" + real);
        return store.transaction(() -> {
            RunInfo before = store.runBySourceKey(spec.sourceKey());
            RunInfo run = store.createRun(spec);
            store.putParams(run.id(), Map.of("source", real.toString(), "format", longForm ? "long" : "wide"));
            store.appendPoints(run.id(), points);
            store.finish(run.id(), RunStatus.FINISHED);
            return new ImportResult(run.id(), before == null, points.size(), List.copyOf(series), 0, List.of(), 0);
        });
    }

    private static int indexOf(List<String> header, String col) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(col)) {
                return i;
            }
        }
        return -1;
    }

    private static long step(Path file, int line, String cell) {
        String s = cell.strip();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ", column 'step': expected an integer"
                    + " step. Got '" + clip(s) + "' instead.");
        }
    }

    private static double number(Path file, int line, String col, String cell) {
        String s = cell.strip().toLowerCase(Locale.ROOT);
        switch (s) {
            case "nan", "": return Double.NaN;
            case "inf", "+inf", "infinity", "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf", "-infinity": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ", column '" + clip(col)
                            + "': expected a number. Got '" + clip(cell.strip()) + "' instead.");
                }
        }
    }

    private static long wallTime(Path file, int line, String cell, long fallback) {
        String s = cell.strip();
        if (s.isEmpty()) {
            return fallback;
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

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks. */
    static List<List<String>> read(Path file, Path real) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(real))).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("BAD_ENCODING", file + " is not UTF-8 text: save it as UTF-8.");
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int line = 1;
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
                }
                default -> {
                    cell.append(ch);
                    any = true;
                }
            }
        }
        if (quoted) {
            throw new InvalidInputException("BAD_CSV_LOG", file + " line " + line + ": a quoted field is not closed.");
        }
        if (any || cell.length() > 0) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return System.currentTimeMillis();
        }
    }
}
