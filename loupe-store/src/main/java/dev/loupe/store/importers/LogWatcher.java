package dev.loupe.store.importers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Follows training logs as they are written: every TensorBoard event file, {@code trainer_state.json} and CSV log
 * ({@code *.csv}, {@code *.log} whose header has a step column) under the watched folders, now and as they appear.
 * Each source becomes the same run {@code loupe import} makes (keyed by {@code tb:} folder, {@code hf:} or {@code csv:}
 * file), first read whole, then followed: event files and CSV logs by file offset (only appended bytes are read;
 * a record or line still being written is left for the next look, never reported as damage), a rewritten
 * {@code trainer_state.json} by its count of log entries. A file that shrank, or was replaced at its path (another
 * file, or different first bytes), is read again from the start and its source's points replaced, with a note.
 * A run is {@code running} while its files grow (with a heartbeat, so it is never taken for crashed) and
 * {@code finished} once they have been quiet for {@link Options#quietAfter()}; each look's new points go into the
 * store in one transaction, where the dashboard's event stream picks them up.
 *
 * <p>Files are polled, not watched through the OS: polling works the same on network and shared folders (the
 * point of watching a team's shared folder), and it costs one {@code stat} per file per look.
 */
public final class LogWatcher implements AutoCloseable {
    /**
     * How to watch.
     *
     * @param poll       how often files are looked at (for new folders and files: at most once a second)
     * @param quietAfter how long a run's files must not grow before it is marked finished (PyTorch's SummaryWriter
     *                   flushes every 120 s by default, so the default is longer)
     * @param experiment experiment of new runs; {@code null} for the default
     */
    public record Options(Duration poll, Duration quietAfter, String experiment) {
        public static final Options DEFAULT = new Options(Duration.ofMillis(250), Duration.ofSeconds(180), null);

        public Options {
            Objects.requireNonNull(poll);
            Objects.requireNonNull(quietAfter);
            if (poll.isNegative() || poll.isZero()) {
                throw InvalidInputException.parameter("poll", "a positive duration", poll);
            }
            if (quietAfter.isNegative()) {
                throw InvalidInputException.parameter("--finished-after", "zero or more seconds", quietAfter.toSeconds());
            }
        }

        public Options withQuietAfter(Duration d) {
            return new Options(poll, d, experiment);
        }

        public Options withExperiment(String e) {
            return new Options(poll, quietAfter, e);
        }
    }

    private static final long HEARTBEAT_MS = 10_000;
    /** Bytes at a file's start kept to notice a file replaced by another of the same or greater size. */
    private static final int HEAD = 256;

    private enum Kind { TENSORBOARD, HF, CSV }

    /** One followed file. */
    private static final class Tracked {
        final Path path;
        final Kind kind;
        final Source source;
        Object fileKey;
        long offset;
        long size = -1;
        long mtime = -1;
        byte[] head = new byte[0];
        CsvLog csv;
        int nextLine = 1;
        int entries;
        long unparsedSince; // a trainer_state.json caught half-written: since when (0: it parsed)
        String unparsed;    // and why, said once if it stays so for the quiet period

        Tracked(Path path, Kind kind, Source source) {
            this.path = path;
            this.kind = kind;
            this.source = source;
        }
    }

    /** One run: a TensorBoard folder (all its event files) or one file. */
    private final class Source {
        final String key;
        final RunSpec spec;
        final String label;
        final List<Tracked> files = new ArrayList<>();
        String runId;
        boolean running;
        long lastData;
        long lastHeartbeat;
        boolean replace;
        /** Summaries that are not scalars, by kind, read so far (said once per kind while following). */
        final Map<String, Long> skipped = new java.util.TreeMap<>();

        Source(String key, RunSpec spec, String label) {
            this.key = key;
            this.spec = spec;
            this.label = label;
        }
    }

    private final RunStore store;
    private final List<Path> roots;
    private final Options options;
    private final Consumer<String> log;
    private final Map<Path, Tracked> files = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    /** Files seen that are not training logs (a CSV without a step column), with the size they had then. */
    private final Map<Path, Long> ignored = new LinkedHashMap<>();
    private final Set<Path> missingRoots = new HashSet<>();
    private Thread thread;
    private volatile boolean stop;
    private long lastDiscovery;

    private LogWatcher(RunStore store, List<Path> roots, Options options, Consumer<String> log) {
        this.store = store;
        this.roots = roots;
        this.options = options;
        this.log = log;
    }

    /**
     * A watcher of {@code roots} (folders; one that does not exist yet is watched for), not yet started: call
     * {@link #look()} to take one look, or {@link #start()}.
     *
     * @param log where messages go (imports, replacements, damage, runs finishing)
     */
    public static LogWatcher create(RunStore store, List<Path> roots, Options options, Consumer<String> log) {
        if (roots.isEmpty()) {
            throw InvalidInputException.parameter("--watch", "at least one folder", "none");
        }
        List<Path> abs = new ArrayList<>();
        for (Path r : roots) {
            if (Files.exists(r) && !Files.isDirectory(r)) {
                throw new InvalidInputException("NOT_A_DIRECTORY", r + " is a file: --watch takes a folder (the one"
                        + " given to SummaryWriter, the Trainer's output_dir, or where the CSV logs go).");
            }
            abs.add(r.toAbsolutePath().normalize());
        }
        return new LogWatcher(store, abs, options, log);
    }

    /** Takes a first look now, then keeps looking every {@link Options#poll()} on a daemon thread. */
    public synchronized LogWatcher start() {
        look();
        thread = new Thread(this::loop, "loupe-watch");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void loop() {
        while (!stop) {
            try {
                Thread.sleep(options.poll().toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (stop) {
                return;
            }
            try {
                look();
            } catch (LoupeException | IllegalStateException e) {
                if (stop) {
                    return; // the store was closed under us at shutdown
                }
                log.accept("warning: " + e.getMessage() + " (will look again)");
            } catch (RuntimeException e) {
                log.accept("warning: watching failed: " + e + " (will look again)");
            }
        }
    }

    /** The run ids of the sources found so far, by source key ({@code tb:DIR}, {@code hf:FILE}, {@code csv:FILE}). */
    public synchronized Map<String, String> runs() {
        Map<String, String> out = new LinkedHashMap<>();
        sources.forEach((k, s) -> {
            if (s.runId != null) {
                out.put(k, s.runId);
            }
        });
        return out;
    }

    /** One look: finds new files, reads what was appended, writes it, and updates the runs' statuses. */
    public synchronized void look() {
        long now = System.currentTimeMillis();
        if (now - lastDiscovery >= 1000) {
            discover();
            lastDiscovery = now;
        }
        Map<Source, List<SeriesPoint>> fresh = new LinkedHashMap<>();
        for (Tracked t : new ArrayList<>(files.values())) {
            try {
                List<SeriesPoint> pts = follow(t, now);
                if (pts != null && !pts.isEmpty()) {
                    fresh.computeIfAbsent(t.source, k -> new ArrayList<>()).addAll(pts);
                }
            } catch (IOException e) {
                // gone or unreadable for a moment: the next look tries again
            }
        }
        for (Source s : fresh.keySet()) {
            if (s.runId == null) {
                s.replace = true; // its first points: made into a run as import makes it (params, message)
            }
        }
        List<Source> toReplace = sources.values().stream().filter(s -> s.replace).toList();
        for (Source s : toReplace) {
            fresh.remove(s);
            rereadWhole(s, now);
        }
        for (Tracked t : files.values()) {
            if (t.unparsed != null && now - t.unparsedSince >= options.quietAfter().toMillis()) {
                log.accept("warning: " + t.unparsed);
                t.unparsed = null;
            }
        }
        List<Source> due = sources.values().stream().filter(s -> s.runId != null && s.running && !fresh.containsKey(s)
                && (now - s.lastData >= options.quietAfter().toMillis() || now - s.lastHeartbeat >= HEARTBEAT_MS)).toList();
        if (fresh.isEmpty() && due.isEmpty()) {
            return;
        }
        List<String> finished = new ArrayList<>();
        // a failed commit must not lose what was read: those sources are read again whole on the next look
        fresh.keySet().forEach(s -> s.replace = true);
        store.transaction(() -> { // one commit per look, whatever the number of runs
            for (Map.Entry<Source, List<SeriesPoint>> e : fresh.entrySet()) {
                store.appendPoints(e.getKey().runId, e.getValue());
                markGrowing(e.getKey(), now);
            }
            for (Source s : due) {
                if (now - s.lastData >= options.quietAfter().toMillis()) {
                    store.finish(s.runId, RunStatus.FINISHED);
                    finished.add(s.runId);
                } else {
                    store.heartbeat(s.runId);
                }
            }
            return null;
        });
        fresh.keySet().forEach(s -> s.replace = false);
        for (Source s : due) {
            if (!finished.contains(s.runId)) {
                s.lastHeartbeat = now;
                continue;
            }
            s.running = false;
            for (Tracked t : s.files) {
                if (t.kind == Kind.TENSORBOARD && t.offset < t.size) {
                    log.accept("warning: " + t.path + " at offset " + t.offset + ": " + (t.size - t.offset)
                            + " bytes at the end are not a whole record (the writer stopped mid-record?)");
                }
            }
            log.accept("run " + s.runId + " (" + s.label + ") finished: no new data for "
                    + options.quietAfter().toSeconds() + " s");
        }
    }

    private void markGrowing(Source s, long now) {
        s.lastData = now;
        if (now - s.lastHeartbeat >= HEARTBEAT_MS) {
            store.heartbeat(s.runId);
            s.lastHeartbeat = now;
        }
        if (!s.running) {
            RunInfo info = store.run(s.runId);
            if (info.status() != RunStatus.RUNNING) {
                store.reopen(s.runId);
            }
            s.running = true;
            s.lastHeartbeat = now;
        }
    }

    // ------------------------------------------------------------------------------------------------ discovery

    private void discover() {
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                if (missingRoots.add(root)) {
                    log.accept("waiting for " + root + " to appear");
                }
                continue;
            }
            if (missingRoots.remove(root)) {
                log.accept("watching " + root);
            }
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                        // hidden folders (.git, .ipynb_checkpoints, ...) hold no training logs worth a look every second
                        return d.equals(root) || !d.getFileName().toString().startsWith(".")
                                ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                        if (a.isRegularFile() && !files.containsKey(f)) {
                            consider(root, f, a.size());
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE; // removed while listing, or unreadable: not ours to report
                    }
                });
            } catch (IOException e) {
                // the folder went away meanwhile: the next look says so
            }
        }
    }

    private void consider(Path root, Path f, long size) {
        String name = f.getFileName().toString();
        Kind kind;
        if (TensorBoardImporter.isEventFile(f)) {
            kind = Kind.TENSORBOARD;
        } else if (name.equals("trainer_state.json")) {
            kind = Kind.HF;
        } else if (name.endsWith(".csv") || name.endsWith(".log")) {
            Long seen = ignored.get(f);
            if (seen != null && seen == size) {
                return;
            }
            if (!hasStepHeader(f)) {
                ignored.put(f, size);
                return;
            }
            ignored.remove(f);
            kind = Kind.CSV;
        } else {
            return;
        }
        Path real;
        try {
            real = f.toRealPath();
        } catch (IOException e) {
            return;
        }
        String key;
        RunSpec spec;
        String label;
        switch (kind) {
            case TENSORBOARD -> {
                Path dir = real.getParent();
                Path base = realOr(root);
                key = "tb:" + dir;
                spec = TensorBoardImporter.spec(base, dir, options.experiment());
                label = TensorBoardImporter.runName(base, dir);
            }
            case HF -> {
                key = "hf:" + real;
                spec = HfTrainerStateImporter.spec(real, null, options.experiment());
                label = f.toString();
            }
            default -> {
                key = "csv:" + real;
                spec = CsvLogImporter.spec(real, null, options.experiment());
                label = f.toString();
            }
        }
        Source s = sources.computeIfAbsent(key, k -> new Source(k, spec, label));
        Tracked t = new Tracked(f, kind, s);
        s.files.add(t);
        files.put(f, t);
        if (s.files.size() == 1) {
            s.replace = true; // read whole at first sight, into the run import makes (counts and replacement as import)
        }
    }

    private static Path realOr(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** Whether a CSV or .log file's first line names a step column (else it is not a training log). */
    private static boolean hasStepHeader(Path f) {
        byte[] first = new byte[4096];
        int n;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            n = Math.max(0, ch.read(ByteBuffer.wrap(first)));
        } catch (IOException e) {
            return false;
        }
        int nl = -1;
        for (int i = 0; i < n; i++) {
            if (first[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            return false; // no whole header yet: looked at again when the file grows
        }
        String line = new String(first, 0, nl, java.nio.charset.StandardCharsets.UTF_8).replace("\uFEFF", "");
        try {
            new CsvLog(f.toString(), CsvLog.parse(f.toString(), line + "\n", false).rows().get(0), null);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------------------ following

    /** The points appended to {@code t} since the last look; {@code null} when nothing changed. */
    private List<SeriesPoint> follow(Tracked t, long now) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(t.path, BasicFileAttributes.class);
        } catch (IOException e) {
            forget(t);
            return null;
        }
        long size = a.size();
        long mtime = a.lastModifiedTime().toMillis();
        if (t.source.replace || size == t.size && mtime == t.mtime) {
            return null;
        }
        // a trainer_state.json is rewritten whole each time: only its entry count tells (readTrainerState)
        boolean replaced = t.kind != Kind.HF && (t.fileKey != null && !Objects.equals(t.fileKey, a.fileKey())
                || size < t.offset || !sameHead(t));
        if (replaced) {
            log.accept(t.path + (size < t.offset ? " shrank" : " was replaced") + ": reading it again from the start;"
                    + " its run's points will be replaced");
            t.source.replace = true;
            return null;
        }
        t.fileKey = a.fileKey();
        t.size = size;
        t.mtime = mtime;
        return switch (t.kind) {
            case TENSORBOARD -> readEvents(t, size);
            case CSV -> {
                int known = t.csv == null ? 0 : t.csv.notes().size();
                List<SeriesPoint> pts = readCsv(t, size);
                if (t.csv != null) {
                    for (String n : t.csv.notes().subList(Math.min(known, t.csv.notes().size()), t.csv.notes().size())) {
                        log.accept(t.path + ": " + n);
                    }
                }
                yield pts;
            }
            case HF -> readTrainerState(t, now);
        };
    }

    private void forget(Tracked t) {
        files.remove(t.path);
        t.source.files.remove(t);
    }

    private boolean sameHead(Tracked t) throws IOException {
        if (t.head.length == 0) {
            return true;
        }
        byte[] now = readRange(t.path, 0, t.head.length);
        return Arrays.equals(now, t.head);
    }

    private static byte[] readRange(Path p, long from, long to) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long end = Math.min(to, ch.size());
            if (end - from > Integer.MAX_VALUE - 16) {
                end = from + Integer.MAX_VALUE - 16; // the rest comes on the next look
            }
            ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, end - from));
            while (b.hasRemaining()) {
                if (ch.read(b, from + b.position()) < 0) {
                    break;
                }
            }
            return b.position() == b.capacity() ? b.array() : Arrays.copyOf(b.array(), b.position());
        }
    }

    private void keepHead(Tracked t) throws IOException {
        if (t.head.length < HEAD && t.offset > t.head.length) {
            t.head = readRange(t.path, 0, Math.min(HEAD, t.offset));
        }
    }

    private List<SeriesPoint> readEvents(Tracked t, long size) throws IOException {
        if (size <= t.offset) {
            return List.of();
        }
        byte[] data = readRange(t.path, t.offset, size);
        TfEventsReader.Result r = TfEventsReader.read(t.path.toString(), data, t.offset, true);
        for (String p : r.problems()) {
            log.accept("warning: " + p);
        }
        t.offset += r.consumed();
        keepHead(t);
        r.skipped().forEach((kind, n) -> {
            if (t.source.skipped.merge(kind, n, Long::sum).equals(n) && t.source.runId != null && !t.source.replace) {
                log.accept(t.source.label + ": skipping its " + kind + " summaries (not scalars)");
            }
        });
        return TensorBoardImporter.points(r);
    }

    private List<SeriesPoint> readCsv(Tracked t, long size) throws IOException {
        if (size <= t.offset) {
            return List.of();
        }
        byte[] data = readRange(t.path, t.offset, size);
        int lastNl = -1;
        for (int i = data.length - 1; i >= 0; i--) {
            if (data[i] == '\n') {
                lastNl = i;
                break;
            }
        }
        if (lastNl < 0) {
            return List.of(); // not one whole line yet
        }
        String text;
        try {
            text = CsvLogImporter.utf8(t.path, Arrays.copyOf(data, lastNl + 1));
        } catch (InvalidInputException e) {
            log.accept("warning: " + e.getMessage());
            t.offset += lastNl + 1;
            return List.of();
        }
        boolean bom = t.offset == 0 && data.length >= 3 && (data[0] & 0xff) == 0xEF && (data[1] & 0xff) == 0xBB
                && (data[2] & 0xff) == 0xBF;
        CsvLog.Parsed parsed = CsvLog.parse(t.path.toString(), text, false);
        String used = text.substring(0, parsed.end());
        t.offset += used.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + (bom ? 3 : 0);
        List<List<String>> rows = parsed.rows();
        List<SeriesPoint> out = new ArrayList<>();
        int from = 0;
        if (t.csv == null && !rows.isEmpty()) {
            try {
                t.csv = new CsvLog(t.path.toString(), rows.get(0), null);
            } catch (InvalidInputException e) {
                log.accept("warning: " + e.getMessage() + " (not followed)");
                forget(t);
                ignored.put(t.path, size);
                return List.of();
            }
            from = 1;
            t.nextLine = 2;
        }
        for (int i = from; i < rows.size(); i++) {
            try {
                t.csv.points(rows.subList(i, i + 1), t.nextLine, out);
            } catch (InvalidInputException e) {
                log.accept("warning: " + e.getMessage() + " (row skipped)");
            }
            t.nextLine++;
        }
        keepHead(t);
        return out;
    }

    private List<SeriesPoint> readTrainerState(Tracked t, long now) throws IOException {
        HfTrainerStateImporter.State st;
        try {
            JsonNode root = HfTrainerStateImporter.parse(t.path, Files.readAllBytes(t.path));
            st = HfTrainerStateImporter.parse(t.path, root, t.entries);
        } catch (InvalidInputException e) {
            unparsed(t, e, now);
            return null;
        }
        t.unparsedSince = 0;
        t.unparsed = null;
        if (st.entries() < t.entries) {
            log.accept(t.path + " has fewer log entries than before (" + st.entries() + " < " + t.entries
                    + "): reading it again; its run's points will be replaced");
            t.source.replace = true;
            return null;
        }
        t.entries = st.entries();
        t.offset = t.size; // a rewritten file: its offset means nothing, only the entry count does
        if (t.source.runId != null && (!st.metrics().isEmpty() || !st.params().isEmpty())) {
            store.transaction(() -> {
                store.putParams(t.source.runId, st.params());
                store.putMetrics(t.source.runId, st.metrics());
                return null;
            });
        }
        return st.points();
    }

    /**
     * The Trainer rewrites the whole file: caught half-written, it is whole once it changes again (looked at then).
     * Said once if it stays unreadable for the quiet period.
     */
    private static void unparsed(Tracked t, InvalidInputException e, long now) {
        if (t.unparsedSince == 0) {
            t.unparsedSince = now;
        }
        t.unparsed = e.getMessage();
    }

    /** Reads every file of a source from the start and writes it as {@code import} does (stale points replaced). */
    private void rereadWhole(Source s, long now) {
        s.replace = false; // set again below when the write fails: nothing read may be lost
        List<SeriesPoint> points = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        Map<String, dev.loupe.api.MetricValue> metrics = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        long newest = 0;
        s.skipped.clear();
        for (Tracked t : new ArrayList<>(s.files)) {
            t.offset = 0;
            t.head = new byte[0];
            t.csv = null;
            t.entries = 0;
            t.size = -1;
            t.mtime = -1;
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(t.path, BasicFileAttributes.class);
            } catch (IOException e) {
                forget(t);
                continue;
            }
            t.fileKey = a.fileKey();
            t.size = a.size();
            t.mtime = a.lastModifiedTime().toMillis();
            newest = Math.max(newest, t.mtime);
            try {
                switch (t.kind) {
                    case TENSORBOARD -> points.addAll(readEvents(t, t.size));
                    case CSV -> {
                        points.addAll(readCsv(t, t.size));
                        if (t.csv != null) {
                            notes.addAll(t.csv.notes());
                            params.put("source", t.path.toRealPath().toString());
                            params.put("format", t.csv.longForm() ? "long" : "wide");
                        }
                    }
                    case HF -> {
                        JsonNode root = HfTrainerStateImporter.parse(t.path, Files.readAllBytes(t.path));
                        HfTrainerStateImporter.State st = HfTrainerStateImporter.parse(t.path, root, 0);
                        t.entries = st.entries();
                        t.offset = t.size;
                        points.addAll(st.points());
                        params.putAll(st.params());
                        metrics.putAll(st.metrics());
                        notes.addAll(st.notes());
                    }
                }
            } catch (InvalidInputException e) {
                if (t.kind == Kind.HF) {
                    unparsed(t, e, now);
                    return;
                }
                log.accept("warning: " + e.getMessage());
            } catch (IOException e) {
                t.size = -1;
                s.replace = true;
                return;
            }
        }
        if (points.isEmpty() && metrics.isEmpty() && s.runId == null) {
            return; // nothing yet (an empty event file, a CSV header): the run is made with its first point
        }
        if (s.files.stream().anyMatch(t -> t.kind == Kind.TENSORBOARD)) {
            params.put("logdir", s.key.substring(3));
            params.put("files", s.files.size());
            if (!s.skipped.isEmpty()) {
                notes.add("skipped " + TensorBoardImporter.describe(s.skipped));
            }
        }
        s.replace = true;
        ImportResult r = Imports.write(store, s.spec, s.label, params, metrics, points, notes, false);
        s.replace = false;
        s.runId = r.runId();
        log.accept(r.describe());
        for (String n : r.notes()) {
            log.accept("  " + n);
        }
        if (now - newest < options.quietAfter().toMillis()) {
            markGrowing(s, now);
            s.lastData = newest;
        } else {
            if (store.run(s.runId).status() == RunStatus.RUNNING || r.newPoints() > 0 || r.replaced() > 0) {
                store.finish(s.runId, RunStatus.FINISHED); // a new end time also tells the dashboard's cache it changed
            }
            s.running = false;
        }
    }

    /**
     * Stops watching and marks the runs it was following as finished (what they hold is complete up to now; watching
     * again later reopens any that grow).
     */
    @Override
    public void close() {
        stop = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (Source s : sources.values()) {
                if (s.running && s.runId != null) {
                    try {
                        store.finish(s.runId, RunStatus.FINISHED);
                    } catch (RuntimeException e) {
                        // the store is closing too: the run's heartbeat goes stale and a later open says crashed
                    }
                    s.running = false;
                }
            }
        }
    }
}
