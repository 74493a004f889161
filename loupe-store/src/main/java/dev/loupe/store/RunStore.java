package dev.loupe.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.api.MetricValue;
import dev.loupe.api.NotFoundException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The run store over plain JDBC: experiments, runs with provenance, parameters, scalar metrics with confidence
 * intervals, time series, per-example predictions and content-addressed artifacts.
 *
 * <p>One instance holds one connection, guarded by a lock, so it may be shared by threads (the logging API's
 * background writer and readers). Several processes may use the same SQLite file at once: WAL mode lets readers
 * run beside the one writer, and the busy timeout makes writers wait for each other instead of failing. Every
 * write of several rows is one transaction.
 *
 * <p>On open, the schema is migrated to the latest version and runs still {@code running} whose heartbeat is
 * older than {@code staleAfter} are marked {@code crashed} (their points are kept).
 */
public final class RunStore implements AutoCloseable {
    /** Runs that have not heartbeated for this long are marked crashed on open, unless told otherwise. */
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofMinutes(2);
    /** How long a SQLite writer waits for another process's write to finish before failing. */
    public static final int BUSY_TIMEOUT_MS = 30_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int BATCH = 2_000;

    private final StoreLocation location;
    private final Connection conn;
    private final PredictionTable predictionTable;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;
    /** Committed series keys by run id + NUL + name; {@link #pendingSeriesIds} holds those of the open transaction. */
    private final Map<String, Long> seriesIds = new java.util.HashMap<>();
    private final Map<String, Long> pendingSeriesIds = new java.util.HashMap<>();
    /** Artifact files first written inside the open transaction: deleted if it rolls back. */
    private final List<Path> pendingArtifactFiles = new ArrayList<>();
    /** Opened read-only: a running run silent this long reads as crashed (nothing can be written to mark it). */
    private long readOnlyStaleAfterMs = -1;

    private RunStore(StoreLocation location, Connection conn) {
        this.location = location;
        this.conn = conn;
        this.predictionTable = new PredictionTable(this);
    }

    /** Opens (creating and migrating if needed) the default store: see {@link StoreLocation#resolve}. */
    public static RunStore openDefault() {
        return open(StoreLocation.resolve(null), DEFAULT_STALE_AFTER);
    }

    public static RunStore open(StoreLocation location) {
        return open(location, DEFAULT_STALE_AFTER);
    }

    /** Opens the store, migrating its schema and marking runs whose heartbeat is older than {@code staleAfter} crashed. */
    public static RunStore open(StoreLocation location, Duration staleAfter) {
        Connection c = null;
        try {
            if (location.kind() == StoreLocation.Kind.SQLITE) {
                Path file = location.sqliteFile();
                if (file != null) {
                    Path dir = file.toAbsolutePath().getParent();
                    try {
                        Files.createDirectories(dir);
                    } catch (IOException e) {
                        throw new InvalidInputException("STORE_UNAVAILABLE", "Cannot create the store directory " + dir
                                + ": " + e.getMessage() + ". Set LOUPE_HOME or pass --store to choose another place.", e);
                    }
                }
            }
            c = connect(location);
            Migrations.migrate(location, c);
            RunStore store = new RunStore(location, c);
            store.markStaleRunsCrashed(staleAfter);
            return store;
        } catch (SQLException e) {
            closeQuietly(c);
            Path file = location.sqliteFile();
            if (file != null && Files.exists(file) && !Files.isWritable(file.toAbsolutePath().getParent())) {
                throw new InvalidInputException("STORE_READ_ONLY", "The run store " + location.redacted() + " is in a"
                        + " read-only directory: commands that record runs need a writable store; 'loupe runs list /"
                        + " show / export' and 'loupe serve' read it as it is.", e);
            }
            LoupeException fault = StoreFaults.translate(location, e, "opening the run store");
            if (fault instanceof InvalidInputException || fault.getMessage().startsWith("disk full")) {
                throw fault;
            }
            throw new InvalidInputException("STORE_UNAVAILABLE", "Cannot open the run store " + location.redacted() + ": "
                    + e.getMessage() + ". Check --store / LOUPE_STORE (loupe evaluate --no-store skips recording).", e);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /**
     * Opens an existing store for reading only: no schema migration, no crash marking, no file created. Works on a
     * read-only directory or mount (a SQLite file closed cleanly, with no {@code -wal} / {@code -shm} beside it and
     * no way to create them, is read as immutable). A store that does not exist is a {@link NotFoundException}
     * rather than a new empty store.
     */
    public static RunStore openReadOnly(StoreLocation location) {
        Connection c = null;
        try {
            Path file = location.sqliteFile();
            if (location.kind() == StoreLocation.Kind.SQLITE && file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new NotFoundException("STORE_NOT_FOUND", "No run store at " + file
                            + " (nothing has been recorded there yet). Record a run first (loupe evaluate / import), or"
                            + " pass --store or set LOUPE_STORE / LOUPE_HOME to the store you meant.");
                }
                Path abs = file.toAbsolutePath();
                Path dir = abs.getParent();
                boolean sidecars = Files.exists(Path.of(abs + "-wal")) && Files.exists(Path.of(abs + "-shm"));
                boolean immutable = !Files.isWritable(dir) && !sidecars;
                org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
                cfg.setReadOnly(true);
                cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
                c = sqlite("jdbc:sqlite:file:" + abs.toUri().getRawPath() + (immutable ? "?immutable=1" : "?mode=ro"),
                        cfg.toProperties());
            } else {
                c = connect(location);
                c.setReadOnly(true);
            }
            int v = Migrations.currentVersion(c);
            if (v != Migrations.LATEST) {
                throw new InvalidInputException("STORE_SCHEMA", "The run store " + location.redacted() + " has schema version "
                        + v + ", this Loupe reads version " + Migrations.LATEST + (v < Migrations.LATEST
                        ? ": open it once with a command that records (e.g. loupe import) where it is writable, to upgrade it."
                        : ": upgrade Loupe to read it."));
            }
            RunStore store = new RunStore(location, c);
            store.readOnlyStaleAfterMs = DEFAULT_STALE_AFTER.toMillis();
            return store;
        } catch (SQLException e) {
            closeQuietly(c);
            throw StoreFaults.translate(location, e, "opening the run store " + location.redacted() + " for reading");
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    static Connection connect(StoreLocation location) throws SQLException {
        Connection c;
        if (location.kind() == StoreLocation.Kind.SQLITE) {
            c = sqlite(location.jdbcUrl(), sqliteProperties());
        } else {
            c = DriverManager.getConnection(location.jdbcUrl());
        }
        c.setAutoCommit(true);
        return c;
    }

    /**
     * A SQLite connection from the driver itself, not through {@link DriverManager}, whose first use loads and starts
     * every JDBC driver on the class path (PostgreSQL's and its logging too: a noticeable part of a short command).
     */
    private static Connection sqlite(String url, Properties properties) throws SQLException {
        Connection c = org.sqlite.JDBC.createConnection(url, properties);
        if (c == null) {
            throw new SQLException("not a SQLite URL: " + url);
        }
        return c;
    }

    static Properties sqliteProperties() {
        org.sqlite.SQLiteConfig cfg = new org.sqlite.SQLiteConfig();
        cfg.setJournalMode(org.sqlite.SQLiteConfig.JournalMode.WAL);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        cfg.setSynchronous(org.sqlite.SQLiteConfig.SynchronousMode.FULL);
        cfg.setTransactionMode(org.sqlite.SQLiteConfig.TransactionMode.IMMEDIATE);
        cfg.enforceForeignKeys(true);
        // 32 MB of page cache rather than SQLite's 2 MB: a run's kept rows (100,000 by default) go into the predictions
        // table and its two indexes in random order of loss and confidence; with the small cache each insert re-reads
        // index pages (100,000 rows of 10 classes: 25 % faster). The cache grows only as pages are used.
        cfg.setCacheSize(-32 * 1024);
        return cfg.toProperties();
    }

    public StoreLocation location() {
        return location;
    }

    // ---------------------------------------------------------------- runs

    /** Creates a {@code running} run (or, for a {@link RunSpec#sourceKey() source key} seen before, returns that run). */
    public RunInfo createRun(RunSpec spec) {
        return tx(() -> {
            if (spec.sourceKey() != null) {
                RunInfo existing = queryOne("SELECT * FROM runs WHERE source_key = ?", spec.sourceKey());
                if (existing != null) {
                    return existing;
                }
            }
            long now = System.currentTimeMillis();
            ensureExperiment(spec.experiment(), now);
            String id = newId();
            Provenance p = spec.provenance();
            try (PreparedStatement ps = conn.prepareStatement("INSERT INTO runs (id, experiment, name, status, started_at,"
                    + " ended_at, heartbeat_at, model_sha256, dataset_hash, split_seed, config, loupe_version, command, host,"
                    + " source_key) VALUES (?, ?, ?, 'running', ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, spec.experiment());
                ps.setString(3, spec.name());
                ps.setLong(4, now);
                ps.setLong(5, now);
                ps.setString(6, p.modelSha256());
                ps.setString(7, p.datasetHash());
                setLong(ps, 8, p.splitSeed());
                ps.setString(9, p.configJson());
                ps.setString(10, p.loupeVersion());
                ps.setString(11, p.command());
                ps.setString(12, p.host());
                ps.setString(13, spec.sourceKey());
                ps.executeUpdate();
            }
            return queryOne("SELECT * FROM runs WHERE id = ?", id);
        });
    }

    /**
     * Records a complete run in one transaction: the run, its parameters and its metrics, with status
     * {@code finished}. Either all of it is stored or nothing is.
     */
    public RunInfo recordRun(RunSpec spec, Map<String, ?> params, Map<String, MetricValue> metrics) {
        return tx(() -> {
            RunInfo run = createRun(spec);
            putParams(run.id(), params);
            putMetrics(run.id(), metrics);
            finish(run.id(), RunStatus.FINISHED);
            return run(run.id());
        });
    }

    /** The run with this id, or the only run whose id starts with it (at least 4 characters). */
    public RunInfo run(String idOrPrefix) {
        if (idOrPrefix == null || idOrPrefix.isBlank()) {
            throw InvalidInputException.parameter("RUN", "a run id (see 'loupe runs list')", "nothing");
        }
        String key = idOrPrefix.strip();
        return locked(() -> {
            RunInfo exact = queryOne("SELECT * FROM runs WHERE id = ?", key);
            if (exact != null) {
                return exact;
            }
            if (key.length() >= 4 && key.matches("[0-9a-f]+")) {
                List<RunInfo> hits = query("SELECT * FROM runs WHERE id LIKE ? ORDER BY started_at", key + "%");
                if (hits.size() == 1) {
                    return hits.get(0);
                }
                if (hits.size() > 1) {
                    throw new InvalidInputException("AMBIGUOUS_RUN", "Run id prefix '" + key + "' matches " + hits.size()
                            + " runs (" + hits.stream().map(RunInfo::id).limit(5).toList() + "): give more characters.");
                }
            }
            throw new NotFoundException("RUN_NOT_FOUND", "No run '" + key + "' in the store " + location.redacted()
                    + ". List the runs with 'loupe runs list'.");
        });
    }

    /** The run created for an import source key, or {@code null}. */
    public RunInfo runBySourceKey(String sourceKey) {
        return locked(() -> queryOne("SELECT * FROM runs WHERE source_key = ?", sourceKey));
    }

    /** Runs, newest first, optionally of one experiment. */
    public List<RunInfo> listRuns(String experiment) {
        return locked(() -> experiment == null
                ? query("SELECT * FROM runs ORDER BY started_at DESC, id")
                : query("SELECT * FROM runs WHERE experiment = ? ORDER BY started_at DESC, id", experiment));
    }

    /** Names of all experiments, alphabetically. */
    public List<String> experiments() {
        return locked(() -> {
            List<String> out = new ArrayList<>();
            try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT name FROM experiments ORDER BY name")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** Ends a run with {@code status} (not {@code running}) now. */
    public void finish(String runId, RunStatus status) {
        if (status == RunStatus.RUNNING) {
            throw InvalidInputException.parameter("status", "finished, failed or crashed", "running");
        }
        tx(() -> {
            long now = System.currentTimeMillis();
            int n = update("UPDATE runs SET status = ?, ended_at = ?, heartbeat_at = ? WHERE id = ?",
                    status.dbName(), now, now, runId);
            requireRun(n, runId);
            return null;
        });
    }

    /** Marks a run as re-opened (an import appending to it): status running, no end time. */
    public void reopen(String runId) {
        tx(() -> {
            long now = System.currentTimeMillis();
            requireRun(update("UPDATE runs SET status = 'running', ended_at = NULL, heartbeat_at = ? WHERE id = ?", now, runId), runId);
            return null;
        });
    }

    /**
     * Records that the run's process is alive. A run wrongly marked crashed (its process was paused past the
     * limit) becomes running again.
     */
    public void heartbeat(String runId) {
        tx(() -> {
            update("UPDATE runs SET heartbeat_at = ?, status = 'running', ended_at = NULL"
                    + " WHERE id = ? AND status IN ('running', 'crashed')", System.currentTimeMillis(), runId);
            return null;
        });
    }

    /** Marks runs still {@code running} whose heartbeat is older than {@code staleAfter} as crashed; returns how many. */
    public int markStaleRunsCrashed(Duration staleAfter) {
        long limit = System.currentTimeMillis() - staleAfter.toMillis();
        return tx(() -> update("UPDATE runs SET status = 'crashed', ended_at = heartbeat_at"
                + " WHERE status = 'running' AND heartbeat_at < ?", limit));
    }

    /** Deletes a run and everything it holds (artifact files still used by other runs are kept). */
    public void deleteRun(String runId) {
        List<String> shas = tx(() -> {
            List<String> mine = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT sha256 FROM artifacts WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        mine.add(rs.getString(1));
                    }
                }
            }
            update("DELETE FROM series_points WHERE series_id IN (SELECT id FROM series WHERE run_id = ?)", runId);
            for (String table : List.of("series", "params", "metrics", "predictions", "artifacts")) {
                update("DELETE FROM " + table + " WHERE run_id = ?", runId);
            }
            seriesIds.keySet().removeIf(k -> k.startsWith(runId + "\u0000"));
            requireRun(update("DELETE FROM runs WHERE id = ?", runId), runId);
            List<String> orphans = new ArrayList<>();
            for (String sha : mine) {
                try (PreparedStatement ps = conn.prepareStatement("SELECT COUNT(*) FROM artifacts WHERE sha256 = ?")) {
                    ps.setString(1, sha);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == 0) {
                            orphans.add(sha);
                        }
                    }
                }
            }
            return orphans;
        });
        for (String sha : shas) {
            try {
                Files.deleteIfExists(artifactPath(sha));
            } catch (IOException e) {
                // an orphaned file wastes space but loses nothing; the run itself is gone
            }
        }
    }

    /**
     * Deletes every series point of a run, keeping the run, its params and metrics (an import whose source shrank or
     * was replaced rewrites the points; call it inside the same {@link #transaction}).
     */
    public void deletePoints(String runId) {
        tx(() -> update("DELETE FROM series_points WHERE series_id IN (SELECT id FROM series WHERE run_id = ?)", runId));
    }

    // ---------------------------------------------------------------- params and metrics

    /** Stores parameters (values are kept as JSON: numbers, strings, booleans, lists, maps); replaces same names. */
    public void putParams(String runId, Map<String, ?> params) {
        if (params == null || params.isEmpty()) {
            return;
        }
        tx(() -> {
            try (PreparedStatement ps = conn.prepareStatement(upsert("params", "run_id, name, value", "run_id, name", "value"))) {
                for (Map.Entry<String, ?> e : params.entrySet()) {
                    ps.setString(1, runId);
                    ps.setString(2, checkName("parameter", e.getKey()));
                    ps.setString(3, toJson(e.getValue()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** A run's parameters, decoded from JSON, in name order. */
    public Map<String, Object> params(String runId) {
        return locked(() -> {
            Map<String, Object> out = new LinkedHashMap<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT name, value FROM params WHERE run_id = ? ORDER BY name")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), fromJson(rs.getString(2)));
                    }
                }
            }
            return out;
        });
    }

    /** Stores scalar metrics with their intervals; replaces metrics of the same name. */
    public void putMetrics(String runId, Map<String, MetricValue> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            return;
        }
        tx(() -> {
            try (PreparedStatement ps = conn.prepareStatement(upsert("metrics", "run_id, name, value, ci_low, ci_high",
                    "run_id, name", "value, ci_low, ci_high"))) {
                for (Map.Entry<String, MetricValue> e : metrics.entrySet()) {
                    ps.setString(1, runId);
                    ps.setString(2, checkName("metric", e.getKey()));
                    setDouble(ps, 3, e.getValue().value());
                    setDouble(ps, 4, e.getValue().ciLow());
                    setDouble(ps, 5, e.getValue().ciHigh());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** A run's scalar metrics in name order. */
    public List<StoredMetric> metrics(String runId) {
        return locked(() -> {
            List<StoredMetric> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT name, value, ci_low, ci_high FROM metrics WHERE run_id = ? ORDER BY name")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredMetric(rs.getString(1), getDouble(rs, 2), getDouble(rs, 3), getDouble(rs, 4)));
                    }
                }
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- series

    /**
     * Writes series points in one transaction. A point for a (series, step) already stored replaces it, so writing
     * the same points twice (a repeated import) stores them once.
     */
    public void appendPoints(String runId, List<SeriesPoint> points) {
        if (points.isEmpty()) {
            return;
        }
        tx(() -> {
            Map<String, Long> ids = new java.util.HashMap<>();
            for (SeriesPoint p : points) {
                String n = p.name();
                if (!ids.containsKey(n)) {
                    ids.put(n, seriesId(runId, checkName("series", n), true));
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(upsert("series_points", "series_id, step, wall_time, value",
                    "series_id, step", "wall_time, value"))) {
                int n = 0;
                for (SeriesPoint p : points) {
                    ps.setLong(1, ids.get(p.name()));
                    ps.setLong(2, p.step());
                    ps.setLong(3, p.wallTime());
                    setDouble(ps, 4, p.value());
                    ps.addBatch();
                    if (++n % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** The key of a run's series, creating the series when {@code create}; {@code null} when absent. */
    private Long seriesId(String runId, String name, boolean create) throws SQLException {
        String key = runId + "\u0000" + name;
        Long id = seriesIds.get(key);
        if (id != null) {
            return id;
        }
        if (create) {
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO series (run_id, name) VALUES (?, ?) ON CONFLICT (run_id, name) DO NOTHING")) {
                ps.setString(1, runId);
                ps.setString(2, name);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (queryOne("SELECT * FROM runs WHERE id = ?", runId) == null) {
                    throw new NotFoundException("RUN_NOT_FOUND", "No run '" + runId + "' in the store " + location.redacted()
                            + " (deleted meanwhile?).");
                }
                throw e;
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM series WHERE run_id = ? AND name = ?")) {
            ps.setString(1, runId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                id = rs.getLong(1);
            }
        }
        if (!conn.getAutoCommit()) {
            // cache only ids whose row is committed with this transaction or before; a rollback clears the cache
            pendingSeriesIds.put(key, id);
        } else {
            seriesIds.put(key, id);
        }
        return id;
    }

    /** The run's series: name, number of points and step range, by name. */
    public List<SeriesSummary> seriesSummaries(String runId) {
        return locked(() -> {
            List<SeriesSummary> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT s.name, COUNT(*), MIN(p.step), MAX(p.step)"
                    + " FROM series s JOIN series_points p ON p.series_id = s.id WHERE s.run_id = ? GROUP BY s.name ORDER BY s.name")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SeriesSummary(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    /** One series' points in step order (empty when the series does not exist). */
    public List<SeriesPoint> series(String runId, String name) {
        return series(runId, name, Long.MIN_VALUE);
    }

    /** Each series' last step, by name: one index lookup per series (the live view polls it every second). */
    public Map<String, Long> lastSteps(String runId) {
        return locked(() -> {
            Map<String, Long> out = new java.util.TreeMap<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT s.name, (SELECT MAX(p.step) FROM series_points p"
                    + " WHERE p.series_id = s.id) FROM series s WHERE s.run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long last = rs.getLong(2);
                        if (!rs.wasNull()) {
                            out.put(rs.getString(1), last);
                        }
                    }
                }
            }
            return out;
        });
    }

    private List<SeriesPoint> series(String runId, String name, long afterStep) {
        return locked(() -> {
            List<SeriesPoint> out = new ArrayList<>();
            Long sid = seriesId(runId, name, false);
            if (sid == null) {
                return out;
            }
            try (PreparedStatement ps = conn.prepareStatement("SELECT step, wall_time, value FROM series_points"
                    + " WHERE series_id = ? AND step > ? ORDER BY step")) {
                ps.setLong(1, sid);
                ps.setLong(2, afterStep);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new SeriesPoint(name, rs.getLong(1), rs.getLong(2), getDouble(rs, 3)));
                    }
                }
            }
            return out;
        });
    }

    /**
     * A series thinned for a chart of about {@code maxPoints} points (min/max envelope): the steps are cut into
     * {@code maxPoints / 2} equal buckets and each bucket holding a defined value gives two points: its minimum at the
     * bucket's first step and its maximum at its last step (wall time 0: not kept). Every extreme of the series is
     * kept; its position moves by less than one bucket (under a pixel on a chart of that width). A series of at most
     * {@code maxPoints} points comes back whole. Computed by the database: on SQLite one primary-key range scan per
     * bucket, 50 to a statement (a GROUP BY on an expression would sort every row), on PostgreSQL one aggregate query.
     */
    public List<SeriesPoint> seriesDownsampled(String runId, String name, int maxPoints) {
        return seriesDownsampled(runId, name, maxPoints, Long.MIN_VALUE);
    }

    /** {@link #seriesDownsampled(String, String, int)} of the points after step {@code afterStep} only. */
    public List<SeriesPoint> seriesDownsampled(String runId, String name, int maxPoints, long afterStep) {
        if (maxPoints < 4) {
            throw InvalidInputException.parameter("maxPoints", "at least 4", maxPoints);
        }
        return locked(() -> {
            Long sid = seriesId(runId, name, false);
            if (sid == null) {
                return new ArrayList<SeriesPoint>();
            }
            long n;
            long lo;
            long hi;
            try (PreparedStatement ps = conn.prepareStatement("SELECT COUNT(*), MIN(step), MAX(step) FROM series_points"
                    + " WHERE series_id = ? AND step > ?")) {
                ps.setLong(1, sid);
                ps.setLong(2, afterStep);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n = rs.getLong(1);
                    lo = rs.getLong(2);
                    hi = rs.getLong(3);
                }
            }
            if (n <= maxPoints) {
                return series(runId, name, afterStep);
            }
            long buckets = maxPoints / 2;
            long width = Math.max(1, (hi - lo) / buckets + 1);
            List<SeriesPoint> out = new ArrayList<>(maxPoints);
            if (location.kind() == StoreLocation.Kind.SQLITE) {
                // one primary-key range scan per bucket: SQLite would sort all rows for a GROUP BY on an expression
                // GROUPED buckets per statement (UNION ALL of range scans) keep the statement count low
                final int grouped = 50;
                StringBuilder sql = new StringBuilder();
                for (int g = 0; g < grouped; g++) {
                    sql.append(g == 0 ? "" : " UNION ALL ").append("SELECT ").append(g)
                            .append(", MIN(value), MAX(value) FROM series_points WHERE series_id = ? AND step >= ? AND step < ?");
                }
                try (PreparedStatement ps = conn.prepareStatement(sql.toString())) {
                    for (long start = lo; start <= hi; start += width * grouped) {
                        for (int g = 0; g < grouped; g++) {
                            ps.setLong(3 * g + 1, sid);
                            ps.setLong(3 * g + 2, start + g * width);
                            ps.setLong(3 * g + 3, start + (g + 1) * width);
                        }
                        List<double[]> rows = new ArrayList<>(grouped);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                double min = rs.getDouble(2);
                                if (!rs.wasNull()) {
                                    rows.add(new double[] {rs.getInt(1), min, rs.getDouble(3)});
                                }
                            }
                        }
                        rows.sort(java.util.Comparator.comparingDouble(r -> r[0]));
                        for (double[] r : rows) {
                            long b = start + (long) r[0] * width;
                            if (b <= hi) {
                                addBucket(out, name, b, Math.min(hi, b + width - 1), r[1], r[2], 0);
                            }
                        }
                    }
                }
                return out;
            }
            try (PreparedStatement ps = conn.prepareStatement("SELECT b, MIN(value), MAX(value) FROM (SELECT (step - ?) / ? AS b,"
                    + " value FROM series_points WHERE series_id = ? AND step >= ? AND value IS NOT NULL) t GROUP BY b ORDER BY b")) {
                ps.setLong(1, lo);
                ps.setLong(2, width);
                ps.setLong(3, sid);
                ps.setLong(4, lo);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long start = lo + rs.getLong(1) * width;
                        addBucket(out, name, start, Math.min(hi, start + width - 1), rs.getDouble(2), rs.getDouble(3), 0);
                    }
                }
            }
            return out;
        });
    }

    private static void addBucket(List<SeriesPoint> out, String name, long first, long last, double min, double max, long wall) {
        out.add(new SeriesPoint(name, first, wall, min));
        if (last != first) {
            out.add(new SeriesPoint(name, last, wall, max));
        }
    }

    /** Number of series points a run holds. */
    public long pointCount(String runId) {
        return locked(() -> {
            try (PreparedStatement ps = conn.prepareStatement("SELECT COUNT(*) FROM series_points"
                    + " WHERE series_id IN (SELECT id FROM series WHERE run_id = ?)")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    // ---------------------------------------------------------------- predictions

    /** The run's per-example predictions: writing, counting, reading and paging them (its own class). */
    public PredictionTable predictionTable() {
        return predictionTable;
    }

    /** Stores per-example predictions in one transaction; a row index already stored is replaced. */
    public void putPredictions(String runId, List<PredictionRow> rows) {
        predictionTable.put(runId, rows);
    }

    /** Number of per-example predictions a run holds (without reading them). */
    public long predictionCount(String runId) {
        return predictionTable.count(runId);
    }

    /** A run's predictions in row order. */
    public List<PredictionRow> predictions(String runId) {
        return predictionTable.all(runId, Integer.MAX_VALUE);
    }

    /** A run's predictions in row order, each text cut to its first {@code maxTextChars} characters by the database. */
    public List<PredictionRow> predictions(String runId, int maxTextChars) {
        return predictionTable.all(runId, maxTextChars);
    }

    // ---------------------------------------------------------------- artifacts

    /**
     * Stores {@code content} as the run's artifact {@code name}. The bytes go to the artifact directory under their
     * SHA-256 (written to a temporary file, then moved: a failure leaves no partial file); identical content is
     * stored once.
     */
    public Artifact putArtifact(String runId, String name, String mediaType, InputStream content) {
        checkName("artifact", name);
        Path tmp = incomingArtifactFile(location);
        String sha;
        long size;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (OutputStream os = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                size = content.transferTo(os);
            }
            sha = HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw StoreFaults.translate(location, e, "writing artifact '" + name + "' to " + location.artifactDir());
        } catch (NoSuchAlgorithmException e) {
            deleteQuietly(tmp);
            throw new InternalException("SHA-256 is not available", e);
        }
        return adoptArtifact(runId, name, mediaType, tmp, sha, size);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover .incoming-*.tmp file is harmless
        }
    }

    /**
     * A new empty file in this store's artifact directory for content that {@link #adoptArtifact} will take over:
     * a caller can write an artifact while it computes something else, then hand it over without a second copy.
     */
    public static Path incomingArtifactFile(StoreLocation location) {
        Path dir = location.artifactDir();
        try {
            Files.createDirectories(dir);
            return Files.createTempFile(dir, ".incoming-", ".tmp");
        } catch (IOException e) {
            throw StoreFaults.translate(location, e, "creating a file in " + dir);
        }
    }

    /**
     * Stores the file {@code prepared} (from {@link #incomingArtifactFile}, whose SHA-256 and size the caller computed
     * while writing it) as the run's artifact {@code name}: forced to disk, moved under its SHA-256 and the move
     * forced too, before the row that names it is committed. The prepared file is gone afterwards.
     */
    public Artifact adoptArtifact(String runId, String name, String mediaType, Path prepared, String sha256, long size) {
        checkName("artifact", name);
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 in hex: " + sha256);
        }
        try {
            try {
                try (FileChannel ch = FileChannel.open(prepared, StandardOpenOption.WRITE)) {
                    if (ch.size() != size) {
                        throw new InternalException("artifact '" + name + "' has " + ch.size() + " bytes, not " + size, null);
                    }
                    ch.force(true);
                }
                Path target = artifactPath(sha256);
                Files.createDirectories(target.getParent());
                if (!Files.exists(target)) {
                    Files.move(prepared, target, StandardCopyOption.ATOMIC_MOVE);
                    if (lock.isHeldByCurrentThread() && inTransaction()) {
                        pendingArtifactFiles.add(target); // removed again if the transaction rolls back
                    }
                    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                        dir.force(true); // the rename itself survives a power loss before the row is committed
                    }
                }
            } finally {
                Files.deleteIfExists(prepared);
            }
        } catch (IOException e) {
            throw StoreFaults.translate(location, e, "storing artifact '" + name + "' in " + location.artifactDir());
        }
        return addArtifact(runId, name, sha256, size, mediaType);
    }

    private Artifact addArtifact(String runId, String name, String sha, long size, String mediaType) {
        tx(() -> {
            try (PreparedStatement ps = conn.prepareStatement(upsert("artifacts",
                    "run_id, name, sha256, size_bytes, media_type, created_at", "run_id, name", "sha256, size_bytes, media_type, created_at"))) {
                ps.setString(1, runId);
                ps.setString(2, name);
                ps.setString(3, sha);
                ps.setLong(4, size);
                ps.setString(5, mediaType);
                ps.setLong(6, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
        return new Artifact(name, sha, size, mediaType, artifactPath(sha));
    }

    /** A run's artifacts by name. */
    public List<Artifact> artifacts(String runId) {
        return locked(() -> {
            List<Artifact> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement(
                    "SELECT name, sha256, size_bytes, media_type FROM artifacts WHERE run_id = ? ORDER BY name")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Artifact(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                artifactPath(rs.getString(2))));
                    }
                }
            }
            return out;
        });
    }

    /** Where the content with this SHA-256 lives: {@code <artifactDir>/ab/abcdef...}. */
    public Path artifactPath(String sha256) {
        return location.artifactDir().resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs {@code work} as one transaction: the store calls it makes join it, and either all of them are committed
     * or none (an exception rolls everything back and is rethrown). Other threads wait meanwhile.
     */
    public <T> T transaction(java.util.function.Supplier<T> work) {
        return tx(work::get);
    }

    /** The schema version this store is at. */
    public int schemaVersion() {
        return locked(() -> Migrations.currentVersion(conn));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                closeQuietly(conn);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The connection, for {@link PredictionTable} inside {@link #locked} or {@link #tx}. */
    Connection connection() {
        return conn;
    }

    /** A unit of work on the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    <T> T locked(Work<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the run store is closed");
            }
            return work.run();
        } catch (SQLException e) {
            throw storeError(e);
        } finally {
            lock.unlock();
        }
    }

    private boolean inTransaction() {
        try {
            return !conn.getAutoCommit();
        } catch (SQLException e) {
            return false;
        }
    }

    /** Runs {@code work} in a transaction (joining the current one when nested). */
    <T> T tx(Work<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the run store is closed");
            }
            if (!conn.getAutoCommit()) {
                return work.run();
            }
            conn.setAutoCommit(false);
            boolean ok = false;
            try {
                T result = work.run();
                conn.commit();
                ok = true;
                seriesIds.putAll(pendingSeriesIds);
                return result;
            } finally {
                pendingSeriesIds.clear();
                if (!ok) {
                    try {
                        conn.rollback();
                    } catch (SQLException ignored) {
                        // the original failure is what matters
                    }
                    for (Path f : pendingArtifactFiles) {
                        try {
                            Files.deleteIfExists(f); // no row names it now: a run is kept whole or not at all
                        } catch (IOException ignored) {
                            // an unreferenced content-addressed file costs only space
                        }
                    }
                }
                pendingArtifactFiles.clear();
                try {
                    conn.setAutoCommit(true);
                } catch (SQLException e) {
                    if (ok) {
                        throw e;
                    }
                    // after a failure (e.g. a full disk, where SQLite has rolled back already) this one would only
                    // hide the cause: "cannot commit - no transaction is active"
                }
            }
        } catch (SQLException e) {
            throw storeError(e);
        } finally {
            lock.unlock();
        }
    }

    private RuntimeException storeError(SQLException e) {
        return StoreFaults.translate(location, e, "the run store " + location.redacted());
    }

    private void ensureExperiment(String name, long now) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.setLong(2, now);
            ps.executeUpdate();
        }
    }

    static String upsert(String table, String columns, String key, String updated) {
        int n = columns.split(",").length;
        StringBuilder sb = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns).append(") VALUES (");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ", ?");
        }
        sb.append(") ON CONFLICT (").append(key).append(") DO UPDATE SET ");
        String[] cols = updated.split(",");
        for (int i = 0; i < cols.length; i++) {
            String c = cols[i].strip();
            sb.append(i == 0 ? "" : ", ").append(c).append(" = excluded.").append(c);
        }
        return sb.toString();
    }

    private int update(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private RunInfo queryOne(String sql, Object... args) throws SQLException {
        List<RunInfo> l = query(sql, args);
        return l.isEmpty() ? null : l.get(0);
    }

    private List<RunInfo> query(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            bind(ps, args);
            List<RunInfo> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long ended = rs.getLong("ended_at");
                    Long endedAt = rs.wasNull() ? null : ended;
                    long seed = rs.getLong("split_seed");
                    Long splitSeed = rs.wasNull() ? null : seed;
                    RunStatus status = RunStatus.parse(rs.getString("status"));
                    if (status == RunStatus.RUNNING && readOnlyStaleAfterMs >= 0
                            && rs.getLong("heartbeat_at") < System.currentTimeMillis() - readOnlyStaleAfterMs) {
                        status = RunStatus.CRASHED; // what a writable open would have marked
                        endedAt = rs.getLong("heartbeat_at");
                    }
                    out.add(new RunInfo(rs.getString("id"), rs.getString("experiment"), rs.getString("name"),
                            status, rs.getLong("started_at"), endedAt,
                            rs.getLong("heartbeat_at"), new Provenance(rs.getString("model_sha256"),
                            rs.getString("dataset_hash"), splitSeed, rs.getString("config"), rs.getString("loupe_version"),
                            rs.getString("command"), rs.getString("host"))));
                }
            }
            return out;
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof String s) {
                ps.setString(i + 1, s);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a == null) {
                ps.setNull(i + 1, Types.VARCHAR);
            } else {
                throw new IllegalArgumentException("unsupported parameter " + a.getClass());
            }
        }
    }

    private void requireRun(int updated, String runId) {
        if (updated == 0) {
            throw new NotFoundException("RUN_NOT_FOUND", "No run '" + runId + "' in the store " + location.redacted()
                    + ". List the runs with 'loupe runs list'.");
        }
    }

    private static String checkName(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw InvalidInputException.parameter(what + " name", "a non-empty string", name == null ? "null" : "''");
        }
        if (name.length() > 500) {
            throw InvalidInputException.parameter(what + " name", "at most 500 characters", name.length() + " characters");
        }
        return name;
    }

    static void setDouble(PreparedStatement ps, int i, double v) throws SQLException {
        if (Double.isNaN(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    static double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? Double.NaN : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw InvalidInputException.parameter("parameter value", "JSON-serialisable (number, string, boolean, list, map)",
                    value.getClass().getName());
        }
    }

    static Object fromJson(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    private static String newId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to protect
            }
        }
    }

    /** Serialises schema creation between processes opening a new SQLite file at once. */
    static FileLock lockFile(Path dbFile) throws IOException {
        Path lockPath = dbFile.resolveSibling(dbFile.getFileName() + ".migrate-lock");
        FileChannel ch = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        return ch.lock();
    }
}
