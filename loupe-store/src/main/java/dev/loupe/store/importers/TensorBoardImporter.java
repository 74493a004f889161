package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
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
     * @param runs             one result per run directory
     * @param records          event records read
     * @param nonScalarSkipped summaries that are not scalars (histograms, images, text, ...), skipped
     * @param problems         file-and-offset reports of corrupt or truncated records
     */
    public record Result(List<ImportResult> runs, long records, long nonScalarSkipped, List<String> problems) {
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
            byDir.put(root.getParent(), List.of(root));
        } else {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().contains("tfevents"))
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
        List<ImportResult> results = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long records = 0;
        long nonScalar = 0;
        Path base = Files.isRegularFile(root) ? root.getParent() : root;
        for (Map.Entry<Path, List<Path>> e : byDir.entrySet()) {
            Path dir = e.getKey();
            List<SeriesPoint> points = new ArrayList<>();
            TreeSet<String> series = new TreeSet<>();
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
                nonScalar += r.nonScalarSkipped();
                problems.addAll(r.problems());
                for (TfEventsReader.Scalar s : r.scalars()) {
                    points.add(new SeriesPoint(s.tag(), s.step(), Math.round(s.wallTimeSeconds() * 1000), s.value()));
                    series.add(s.tag());
                }
            }
            String rel = base.relativize(dir).toString();
            String name = rel.isEmpty() ? String.valueOf(base.getFileName()) : base.getFileName() + "/" + rel;
            RunSpec spec = new RunSpec(experiment, name, Provenance.EMPTY.withCommand("import tensorboard " + root)
                    .withHost(Provenance.localHost()), "tb:" + dir);
            results.add(store.transaction(() -> {
                RunInfo before = store.runBySourceKey(spec.sourceKey());
                RunInfo run = store.createRun(spec);
                store.putParams(run.id(), Map.of("logdir", dir.toString(), "files", e.getValue().size()));
                store.appendPoints(run.id(), points);
                store.finish(run.id(), RunStatus.FINISHED);
                return new ImportResult(run.id(), before == null, points.size(), List.copyOf(series), 0, List.of(), 0);
            }));
        }
        return new Result(results, records, nonScalar, problems);
    }
}
