package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Imports a CSV training log in one of two shapes, told apart by the header:
 * <ul>
 *   <li><b>long</b>: columns {@code step}, {@code name}, {@code value} (any order; an optional {@code wall_time} in
 *       ISO-8601 or epoch milliseconds; with a {@code kind} column, as written by {@code loupe runs export --format
 *       csv}, only the {@code series} rows are read);</li>
 *   <li><b>wide</b>: a step column and one column per series; empty cells are no point; a column whose first value
 *       is not a number ({@code done: False}, a host name) is skipped with a note.</li>
 * </ul>
 * The step column is the one named ({@code --step-col}), else the first of {@code step}, {@code global_step},
 * {@code epoch}, {@code training_iteration}, {@code iteration} (Lightning's metrics.csv, Keras' CSVLogger, Ray
 * Tune's progress.csv). Values are numbers ({@code nan}, {@code inf} and {@code -inf} accepted); steps are integers.
 * Without a {@code wall_time} column points have no wall time (0). A bad cell stops the import before anything is
 * written, naming the line and column.
 */
public final class CsvLogImporter {
    private CsvLogImporter() {
    }

    public static ImportResult importFile(RunStore store, Path file, String name, String experiment) {
        return importFile(store, file, name, experiment, null);
    }

    /** As {@link #importFile(RunStore, Path, String, String)}, with the step column named ({@code null}: recognised). */
    public static ImportResult importFile(RunStore store, Path file, String name, String experiment, String stepCol) {
        Path real = Sources.existingFile(file, "a CSV log");
        List<List<String>> rows = CsvLog.parse(file.toString(), utf8(file, Sources.bytes(file, real)), true).rows();
        if (rows.isEmpty()) {
            throw new InvalidInputException("EMPTY_FILE", file + " is empty: expected a header line such as"
                    + " 'step,name,value' or 'step,loss,accuracy'.");
        }
        CsvLog log = new CsvLog(file.toString(), rows.get(0), stepCol);
        List<SeriesPoint> points = new ArrayList<>();
        log.points(rows.subList(1, rows.size()), 2, points);
        if (points.isEmpty()) {
            throw new InvalidInputException("NO_POINTS", file + " has no data rows"
                    + (rows.size() > 1 ? " with a number in them" : " (only a header)") + ": nothing to import.");
        }
        return Imports.write(store, spec(real, name, experiment), file.toString(),
                Map.of("source", real.toString(), "format", log.longForm() ? "long" : "wide"), Map.of(), points,
                log.notes(), true);
    }

    static RunSpec spec(Path real, String name, String experiment) {
        return new RunSpec(experiment, name != null ? name : real.getFileName().toString(),
                Imports.provenance("import csv " + real), "csv:" + real);
    }

    /** {@code bytes} of {@code file} as UTF-8 text, without a byte-order mark. */
    static String utf8(Path file, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("BAD_ENCODING", file + " line " + Sources.firstBadUtf8Line(bytes)
                    + " is not UTF-8 text: save the file as UTF-8.");
        }
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }
}
