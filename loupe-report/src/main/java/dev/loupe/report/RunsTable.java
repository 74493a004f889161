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
        Object model = params.get("model");
        Object dataset = params.get("dataset");
        if (dataset == null && r.provenance() != null && r.provenance().datasetHash() != null) {
            dataset = r.provenance().datasetHash().length() > 19 ? r.provenance().datasetHash().substring(0, 19) + "…" : r.provenance().datasetHash();
        }
        return Json.obj("id", r.id(), "experiment", r.experiment(), "name", r.name(),
                "status", r.status() == null ? null : r.status().dbName(),
                "started", Instant.ofEpochMilli(r.startedAt()).toString(),
                "model", model == null ? null : model.toString(), "dataset", dataset == null ? null : dataset.toString(),
                "metrics", metrics);
    }
}
