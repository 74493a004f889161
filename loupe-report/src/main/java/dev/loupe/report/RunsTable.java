package dev.loupe.report;

import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoredMetric;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The runs table: experiment, name, status, time and key metrics of every run, newest first. */
public final class RunsTable {
    /** Metrics shown as columns. */
    public static final List<String> KEY_METRICS = List.of("accuracy", "f1", "f1_macro", "roc_auc", "log_loss", "ece");

    private RunsTable() {
    }

    public static Map<String, Object> viewModel(RunStore store, String experiment) {
        List<Object> rows = new ArrayList<>();
        for (RunInfo r : store.listRuns(experiment)) {
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (StoredMetric m : store.metrics(r.id())) {
                if (KEY_METRICS.contains(m.name())) {
                    metrics.put(m.name(), Json.num(m.value()));
                }
            }
            rows.add(row(r, metrics, store.params(r.id())));
        }
        return Json.obj("metrics", KEY_METRICS, "rows", rows);
    }

    static Map<String, Object> row(RunInfo r, Map<String, Object> metrics, Map<String, Object> params) {
        String hash = r.provenance() == null ? null : r.provenance().datasetHash();
        return Json.obj("id", r.id(), "experiment", r.experiment(), "name", r.name(),
                "status", r.status() == null ? null : r.status().dbName(),
                "started", Instant.ofEpochMilli(r.startedAt()).toString(),
                "model", model(r.provenance(), params), "dataset", dataset(params, hash), "datasetHash", hash,
                "metrics", metrics);
    }

    /** The model: the {@code model} parameter, else the provenance's model hash (shortened), else none. */
    static String model(dev.loupe.store.Provenance provenance, Map<String, Object> params) {
        Object model = params.get("model");
        if (model != null) {
            return model.toString();
        }
        String sha = provenance == null ? null : provenance.modelSha256();
        return sha == null ? null : "sha256:" + shortHash(sha);
    }

    /**
     * The data set by name: the {@code dataset} parameter (a built-in data set), else the file name of the
     * {@code data} or {@code predictions} file, else the short hash. The full hash goes with it (shown on hover).
     */
    static String dataset(Map<String, Object> params, String hash) {
        if (params.get("dataset") != null) {
            return params.get("dataset").toString();
        }
        for (String key : List.of("data", "predictions")) {
            Object path = params.get(key);
            if (path != null && !path.toString().isBlank()) {
                String p = path.toString().replace('\\', '/');
                return p.substring(p.lastIndexOf('/') + 1);
            }
        }
        return hash == null ? null : shortHash(hash.startsWith("sha256:") ? hash.substring(7) : hash);
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) + "\u2026" : h;
    }
}
