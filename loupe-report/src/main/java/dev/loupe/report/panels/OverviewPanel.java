package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.StoredMetric;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric cards with 95% intervals, every other metric, warnings, provenance, params, the class balance and, when
 * the run stored a {@code dataset.json}, what cleaning counted (empty texts, exact duplicates, over-long texts).
 */
public final class OverviewPanel implements Panel {
    /** The metrics shown as cards, in this order, when the run has them. */
    static final List<String> CARDS = List.of("accuracy", "balanced_accuracy", "f1", "f1_macro", "precision", "recall",
            "roc_auc", "average_precision", "log_loss", "brier", "ece", "mcc");

    @Override
    public String id() {
        return "overview";
    }

    @Override
    public String title() {
        return "Overview";
    }

    @Override
    public boolean isActive(RunData run) {
        return true;
    }

    @Override
    public Object viewModel(RunData run) {
        List<Object> cards = new ArrayList<>();
        for (String name : CARDS) {
            StoredMetric m = run.metric(name);
            if (m != null) {
                cards.add(Views.metric(name, m));
            }
        }
        List<Object> others = new ArrayList<>();
        for (StoredMetric m : run.metrics()) {
            if (!CARDS.contains(m.name()) && !m.name().contains("[")) {
                others.add(Views.metric(m.name(), m));
            }
        }
        List<String> warnings = new ArrayList<>();
        JsonNode w = run.json("warnings");
        if (w != null) {
            w.forEach(n -> warnings.add(n.asText()));
        }
        RunInfo info = run.info();
        Provenance p = info.provenance() == null ? Provenance.EMPTY : info.provenance();
        Map<String, Object> provenance = Json.obj(
                "run", info.id(), "experiment", info.experiment(), "name", info.name(),
                "status", info.status() == null ? null : info.status().dbName(),
                "started", Instant.ofEpochMilli(info.startedAt()).toString(),
                "ended", info.endedAt() == null ? null : Instant.ofEpochMilli(info.endedAt()).toString(),
                "model sha256", p.modelSha256(), "dataset hash", p.datasetHash(),
                "seed", p.splitSeed(), "command", p.command(), "loupe version", p.loupeVersion(), "host", p.host());
        Map<String, Object> dataset = new LinkedHashMap<>();
        JsonNode n = run.json("n");
        dataset.put("rows", n == null ? null : n.asLong());
        dataset.put("classes", run.classes());
        dataset.put("positive", run.positive());
        Map<String, Object> support = new LinkedHashMap<>();
        JsonNode perClass = run.json("per_class");
        if (perClass != null) {
            perClass.fields().forEachRemaining(e -> {
                JsonNode s = e.getValue().get("support");
                support.put(e.getKey(), s == null || !s.isNumber() ? null : s.asDouble());
            });
        }
        dataset.put("support", support);
        dataset.put("cleaning", cleaning(run.dataset()));
        return Json.obj("cards", cards, "metrics", others, "warnings", warnings, "provenance", provenance,
                "params", run.params(), "dataset", dataset);
    }

    /** Cleaning counts (numbers only, as stored; null when absent) from {@code dataset.json}, or {@code null}. */
    static Map<String, Object> cleaning(JsonNode dataset) {
        JsonNode c = dataset == null ? null : dataset.get("cleaning");
        if (c == null || !c.isObject()) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode name = c.get("dataset");
        out.put("dataset", name == null || !name.isTextual() ? null : name.asText());
        for (String[] f : new String[][] {{"input", "input"}, {"kept", "kept"}, {"empty", "empty"},
                {"emptyRemoved", "empty_removed"}, {"duplicates", "duplicates"}, {"duplicatesRemoved", "duplicates_removed"},
                {"conflictingDuplicates", "conflicting_duplicates"}, {"maxChars", "max_chars"}, {"overLong", "over_long"}}) {
            JsonNode v = c.get(f[1]);
            out.put(f[0], v == null || !v.isNumber() ? null : v.asLong());
        }
        return out;
    }
}
