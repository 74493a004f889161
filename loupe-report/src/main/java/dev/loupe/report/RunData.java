package dev.loupe.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.InternalException;
import dev.loupe.store.Artifact;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.PredictionTable;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.SeriesSummary;
import dev.loupe.store.StoredMetric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the panels read of one stored run. Small parts are loaded at once; predictions and series points only
 * when a panel asks (and then kept).
 */
public final class RunData {
    /** Most points a chart series holds. */
    public static final int MAX_POINTS = 1000;
    /** Characters of an example's text that pages show (and search); longer texts end with "…". */
    public static final int MAX_TEXT = 4000;

    private final RunInfo info;
    private final Map<String, Object> params;
    private final List<StoredMetric> metrics;
    private final JsonNode metricsJson;
    private final JsonNode efficiency;
    private final JsonNode dataset;
    private final List<SeriesSummary> series;
    private final Function<String, List<SeriesPoint>> seriesLoader;
    private final java.util.concurrent.ConcurrentHashMap<String, List<SeriesPoint>> seriesPoints = new java.util.concurrent.ConcurrentHashMap<>();
    private final Supplier<List<PredictionRow>> predictionLoader;
    private List<PredictionRow> predictions;
    /** Set by {@link #load}: how many predictions the store holds, so that a page can say so without reading them. */
    private Long storedPredictions;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> derived = new java.util.concurrent.ConcurrentHashMap<>();
    /** Set by {@link #load}: pages of the stored predictions, filtered and sorted by the database. */
    private Function<PredictionTable.Query, PredictionTable.Page> pager;
    /** Set by {@link #load}: the run's artifact files by name. */
    private Map<String, Path> artifactFiles = Map.of();
    private Supplier<Map<List<String>, Long>> outcomeCounter;
    private final java.util.concurrent.ConcurrentHashMap<String, Boolean> pending = new java.util.concurrent.ConcurrentHashMap<>();

    public RunData(RunInfo info, Map<String, Object> params, List<StoredMetric> metrics, JsonNode metricsJson,
                   JsonNode efficiency, List<SeriesSummary> series, Function<String, List<SeriesPoint>> seriesLoader,
                   Supplier<List<PredictionRow>> predictionLoader) {
        this(info, params, metrics, metricsJson, efficiency, null, series, seriesLoader, predictionLoader);
    }

    public RunData(RunInfo info, Map<String, Object> params, List<StoredMetric> metrics, JsonNode metricsJson,
                   JsonNode efficiency, JsonNode dataset, List<SeriesSummary> series,
                   Function<String, List<SeriesPoint>> seriesLoader, Supplier<List<PredictionRow>> predictionLoader) {
        this.info = info;
        this.dataset = dataset;
        this.params = params;
        this.metrics = metrics;
        this.metricsJson = metricsJson;
        this.efficiency = efficiency;
        this.series = series;
        this.seriesLoader = seriesLoader;
        this.predictionLoader = predictionLoader;
    }

    /** Loads a run (id or unique prefix) from the store. */
    public static RunData load(RunStore store, String idOrPrefix) {
        RunInfo info = store.run(idOrPrefix);
        String id = info.id();
        JsonNode metricsJson = null;
        JsonNode efficiency = null;
        JsonNode dataset = null;
        Map<String, Path> files = new java.util.LinkedHashMap<>();
        for (Artifact a : store.artifacts(id)) {
            files.put(a.name(), store.artifactPath(a.sha256()));
            if (a.name().equals("metrics.json")) {
                metricsJson = readJson(store.artifactPath(a.sha256()));
            } else if (a.name().equals("efficiency.json")) {
                efficiency = readJson(store.artifactPath(a.sha256()));
            } else if (a.name().equals("dataset.json")) {
                dataset = readJson(store.artifactPath(a.sha256()));
            }
        }
        RunData run = new RunData(info, store.params(id), store.metrics(id), metricsJson, efficiency, dataset,
                store.seriesSummaries(id), name -> store.seriesDownsampled(id, name, MAX_POINTS), () -> store.predictions(id, MAX_TEXT + 1));
        run.artifactFiles = Map.copyOf(files);
        run.storedPredictions = store.predictionCount(id);
        run.pager = q -> store.predictionTable().page(id, q);
        run.outcomeCounter = () -> store.predictionTable().outcomeCounts(id);
        return run;
    }

    /** A JSON artifact of the run by name (read once), or {@code null} when the run has none. */
    public JsonNode artifactJson(String name) {
        Path p = artifactFiles.get(name);
        return p == null ? null : derived("artifact:" + name, () -> readJson(p));
    }

    private static JsonNode readJson(Path p) {
        try {
            return Json.MAPPER.readTree(Files.readString(p));
        } catch (IOException e) {
            throw new InternalException("Cannot read artifact " + p + ": " + e.getMessage(), e);
        }
    }

    public RunInfo info() {
        return info;
    }

    /** Where the run's artifact {@code name} lives, or {@code null} when it has none (or was not loaded from a store). */
    public Path artifact(String name) {
        return artifactFiles.get(name);
    }

    public String id() {
        return info.id();
    }

    public Map<String, Object> params() {
        return params;
    }

    public List<StoredMetric> metrics() {
        return metrics;
    }

    /** The stored metrics JSON (docs/metrics-json.md), or {@code null}. */
    public JsonNode metricsJson() {
        return metricsJson;
    }

    /** {@code metricsJson} at a path of field names, or {@code null}. */
    public JsonNode json(String... path) {
        JsonNode n = metricsJson;
        for (String p : path) {
            if (n == null) {
                return null;
            }
            n = n.get(p);
        }
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    public JsonNode efficiency() {
        return efficiency;
    }

    /** The {@code dataset.json} artifact (what cleaning did to the data set; docs/ARCHITECTURE.md), or {@code null}. */
    public JsonNode dataset() {
        return dataset;
    }

    public List<SeriesSummary> series() {
        return series;
    }

    /** A series' points as the charts draw them, read once per {@code RunData} (a long run's thinning is a scan). */
    public List<SeriesPoint> seriesPoints(String name) {
        return seriesPoints.computeIfAbsent(name, seriesLoader);
    }

    /** Whether the run has per-example predictions; reads none when the count is known. */
    public synchronized boolean hasPredictions() {
        return predictions == null && storedPredictions != null ? storedPredictions > 0 : !predictions().isEmpty();
    }

    /**
     * Pages of this run's predictions straight from the store (filtered, sorted and cut by the database), or
     * {@code null} for a run not loaded from a store: then panels page {@link #predictions()} in memory.
     */
    public Function<PredictionTable.Query, PredictionTable.Page> pager() {
        return pager;
    }

    public synchronized List<PredictionRow> predictions() {
        if (predictions == null) {
            predictions = predictionLoader.get();
        }
        return predictions;
    }

    /**
     * Something a panel derives from this run (parsed samples, ...), computed once per {@code RunData}: the dashboard
     * keeps the {@code RunData} of finished runs, so paging through samples does not re-parse them.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(String key, Supplier<T> compute) {
        Object v = derived.get(key);
        if (v == null) {
            v = compute.get();
            derived.putIfAbsent(key, v);
        }
        return (T) v;
    }

    /** Rows per (true class, predicted class), nulls included: counted by the store when loaded from one (cached). */
    public Map<List<String>, Long> outcomeCounts() {
        return derived("outcomes", () -> {
            if (outcomeCounter != null) {
                return outcomeCounter.get();
            }
            Map<List<String>, Long> m = new java.util.LinkedHashMap<>();
            for (PredictionRow r : predictions()) {
                m.merge(java.util.Arrays.asList(r.label(), r.pred()), 1L, Long::sum);
            }
            return m;
        });
    }

    /** A derived value if it has been computed, else {@code null} (nothing is computed). */
    @SuppressWarnings("unchecked")
    public <T> T derivedIfReady(String key) {
        return (T) derived.get(key);
    }

    /** Starts computing a derived value on a background thread, once; {@link #derivedIfReady} has it when done. */
    public void deriveInBackground(String key, Supplier<?> compute) {
        if (derived.containsKey(key) || pending.putIfAbsent(key, Boolean.TRUE) != null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                derived(key, compute);
            } catch (RuntimeException e) {
                // the page keeps reading from the store
            }
        }, "loupe-derive-" + key);
        t.setDaemon(true);
        t.start();
    }

    /** Total rows stored for this run, when {@link #load} counted them; else the rows in memory. */
    public synchronized long predictionCount() {
        return storedPredictions != null ? storedPredictions : predictions().size();
    }

    /** A stored scalar metric, or {@code null}. */
    public StoredMetric metric(String name) {
        for (StoredMetric m : metrics) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    /** The class labels from the metrics JSON, else empty. */
    public List<String> classes() {
        JsonNode c = json("classes");
        if (c == null) {
            return List.of();
        }
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        c.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** The positive class of a binary evaluation, or {@code null}. */
    public String positive() {
        JsonNode p = json("positive");
        return p == null ? null : p.asText();
    }
}
