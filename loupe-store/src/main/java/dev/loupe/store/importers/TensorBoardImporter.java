package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Imports a TensorBoard log directory: every {@code events.out.tfevents.*} file under it, one run per directory
 * holding such files (named by its path relative to the log directory), series named by tag. Files of one directory
 * are read in name order (their names start with the creation time), so a later file's value for a step wins.
 * Problems in a file (CRC mismatches, truncation) are reported with the file and offset, and the rest is imported.
 */
public final class TensorBoardImporter {
    /**
     * What the import did.
     *
     * @param runs     one result per run folder that held scalars (its {@code source} is the folder, its notes the
     *                 kinds of summaries skipped there)
     * @param records  event records read
     * @param skipped  summaries that are not scalars, skipped, by kind (histogram, image, audio, text, ...)
     * @param problems file-and-offset reports of corrupt or truncated records (and unreadable files), then notes on
     *                 folders without scalars
     * @param damaged  how many of {@code problems} are damage (a record or a file that could not be read): then the
     *                 command exits 2, having imported the intact records
     */
    public record Result(List<ImportResult> runs, long records, Map<String, Long> skipped, List<String> problems, int damaged) {
        public long nonScalarSkipped() {
            return skipped.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private TensorBoardImporter() {
    }

    public static Result importDir(RunStore store, Path logdir, String experiment) {
        if (!Files.exists(logdir)) {
            throw new NotFoundException("FILE_NOT_FOUND", logdir + " does not exist: give the TensorBoard log directory"
                    + " (the one passed to SummaryWriter / --logdir).");
        }
        Path root;
        try {
            root = logdir.toRealPath();
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "Cannot read " + logdir + ": " + e.getMessage(), e);
        }
        Map<Path, List<Path>> byDir = new TreeMap<>();
        if (Files.isRegularFile(root)) {
            if (!isEventFile(root)) {
                throw new InvalidInputException("NOT_EVENT_FILE", logdir + " is a file but not a TensorBoard event file"
                        + " (their names contain 'tfevents'): give the log directory, or an events.out.tfevents.* file.");
            }
            byDir.put(root.getParent(), List.of(root));
        } else {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> Files.isRegularFile(p) && isEventFile(p))
                        .sorted()
                        .forEach(p -> byDir.computeIfAbsent(p.getParent(), k -> new ArrayList<>()).add(p));
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new InvalidInputException("UNREADABLE", "Cannot list " + logdir + ": " + e.getMessage(), e);
            }
        }
        if (byDir.isEmpty()) {
            throw new InvalidInputException("NO_EVENT_FILES", "No events.out.tfevents.* files under " + logdir
                    + ": is this the directory TensorBoard was pointed at?");
        }
        List<String> problems = new ArrayList<>();
        Map<String, Long> skipped = new TreeMap<>();
        long records = 0;
        Path base = Files.isRegularFile(root) ? root.getParent() : root;
        record Pending(Path dir, List<SeriesPoint> points, List<String> notes) {
        }
        List<Pending> pending = new ArrayList<>();
        for (Map.Entry<Path, List<Path>> e : byDir.entrySet()) {
            List<SeriesPoint> points = new ArrayList<>();
            Map<String, Long> kinds = new TreeMap<>();
            for (Path f : e.getValue()) {
                byte[] data;
                try {
                    data = Files.readAllBytes(f);
                } catch (IOException ex) {
                    problems.add(f + ": cannot read (" + ex.getMessage() + "); skipped");
                    continue;
                }
                TfEventsReader.Result r = TfEventsReader.read(f.toString(), data);
                records += r.records();
                r.skipped().forEach((k, n) -> kinds.merge(k, n, Long::sum));
                problems.addAll(r.problems());
                points.addAll(points(r));
            }
            kinds.forEach((k, n) -> skipped.merge(k, n, Long::sum));
            List<String> notes = kinds.isEmpty() ? List.of() : List.of("skipped " + describe(kinds));
            pending.add(new Pending(e.getKey(), points, notes));
        }
        if (pending.stream().allMatch(p -> p.points().isEmpty())) {
            throw new InvalidInputException("NO_POINTS", "No scalar summaries in the event files under " + logdir + " ("
                    + records + " records" + (skipped.isEmpty() ? "" : "; skipped " + describe(skipped))
                    + (problems.isEmpty() ? "" : "; " + problems.size() + " damaged, e.g. " + problems.get(0))
                    + "): nothing to import.");
        }
        int damaged = problems.size();
        List<ImportResult> results = new ArrayList<>();
        for (Pending p : pending) {
            if (p.points().isEmpty()) {
                problems.add(p.dir() + ": no scalar summaries" + (p.notes().isEmpty() ? "" : " (" + p.notes().get(0) + ")")
                        + "; no run made for it");
                continue;
            }
            Path dir = p.dir();
            results.add(Imports.write(store, spec(base, dir, experiment), runName(base, dir),
                    Map.of("logdir", dir.toString(), "files", byDir.get(dir).size()), Map.of(), p.points(), p.notes(), true));
        }
        return new Result(results, records, skipped, problems, damaged);
    }

    static boolean isEventFile(Path p) {
        return p.getFileName().toString().contains("tfevents");
    }

    static List<SeriesPoint> points(TfEventsReader.Result r) {
        List<SeriesPoint> points = new ArrayList<>(r.scalars().size());
        for (TfEventsReader.Scalar s : r.scalars()) {
            points.add(new SeriesPoint(s.tag(), s.step(), Math.round(s.wallTimeSeconds() * 1000), s.value()));
        }
        return points;
    }

    /** "3 histograms, 1 text" — counts by kind. */
    public static String describe(Map<String, Long> kinds) {
        List<String> parts = new ArrayList<>();
        kinds.forEach((k, n) -> parts.add(n + " " + k + (n == 1 || k.endsWith("s") || k.equals("audio") || k.equals("text") ? "" : "s")));
        return String.join(", ", parts) + " (not scalars)";
    }

    /** A run folder's name: the log directory's name, then the folder's path below it. */
    static String runName(Path base, Path dir) {
        String rel = base.relativize(dir).toString();
        return rel.isEmpty() ? String.valueOf(base.getFileName()) : base.getFileName() + "/" + rel;
    }

    static RunSpec spec(Path base, Path dir, String experiment) {
        return new RunSpec(experiment, runName(base, dir), Imports.provenance("import tensorboard " + base), "tb:" + dir);
    }
}
