package dev.loupe.report.panels;

import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;
import dev.loupe.store.StoredMetric;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Metrics per value of a metadata column, from stored metrics named {@code metric[column=value]}. */
public final class SlicesPanel implements Panel {
    static final Pattern SLICED = Pattern.compile("^([^\\[]+)\\[([^=\\]]+)=(.*)\\]$");

    @Override
    public String id() {
        return "slices";
    }

    @Override
    public String title() {
        return "Slices";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.metrics().stream().anyMatch(m -> SLICED.matcher(m.name()).matches());
    }

    @Override
    public String emptyMessage() {
        return "This run has no sliced metrics (evaluate with a metadata column to slice by).";
    }

    @Override
    public Object viewModel(RunData run) {
        // column -> slice value -> metric -> value
        Map<String, Map<String, Map<String, Object>>> byColumn = new LinkedHashMap<>();
        Map<String, List<String>> metricNames = new LinkedHashMap<>();
        for (StoredMetric m : run.metrics()) {
            Matcher x = SLICED.matcher(m.name());
            if (!x.matches()) {
                continue;
            }
            String metric = x.group(1);
            String column = x.group(2);
            String value = x.group(3);
            byColumn.computeIfAbsent(column, k -> new LinkedHashMap<>())
                    .computeIfAbsent(value, k -> new LinkedHashMap<>())
                    .put(metric, Views.metric(metric, m));
            List<String> names = metricNames.computeIfAbsent(column, k -> new ArrayList<>());
            if (!names.contains(metric)) {
                names.add(metric);
            }
        }
        List<Object> columns = new ArrayList<>();
        byColumn.forEach((column, slices) -> {
            List<Object> rows = new ArrayList<>();
            slices.forEach((value, metrics) -> rows.add(Json.obj("value", value, "metrics", metrics)));
            List<String> names = metricNames.get(column);
            String chartMetric = names.contains("accuracy") ? "accuracy" : names.get(0);
            StoredMetric overall = run.metric(chartMetric);
            columns.add(Json.obj("column", column, "metrics", names, "chartMetric", chartMetric,
                    "overall", overall == null ? null : Views.metric(chartMetric, overall), "rows", rows));
        });
        return Json.obj("columns", columns, "weak", weak(run.json("weak_slices")), "heatmap", heatmap(run.json("heatmap")));
    }

    /** Metrics a heatmap offers, when its cells have them. */
    static final List<String> HEATMAP_METRICS = List.of("accuracy", "balanced_accuracy", "f1", "f1_macro", "roc_auc", "log_loss", "brier");

    /** A metric over two slice dimensions ({@code evaluate --heatmap}), or null when the run has none. */
    static Map<String, Object> heatmap(com.fasterxml.jackson.databind.JsonNode h) {
        if (h == null || !h.path("cells").isArray()) {
            return null;
        }
        List<String> metrics = new ArrayList<>();
        List<Object> cells = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode c : h.path("cells")) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (String m : HEATMAP_METRICS) {
                com.fasterxml.jackson.databind.JsonNode v = c.path("metrics").get(m);
                if (v != null) {
                    values.put(m, Json.obj("value", Views.num(v, "value"), "ciLow", Views.num(v, "ci_low"), "ciHigh", Views.num(v, "ci_high")));
                    if (!metrics.contains(m)) {
                        metrics.add(m);
                    }
                }
            }
            cells.add(Json.obj("row", c.path("row").asText(), "column", c.path("column").asText(), "rows", c.path("n").asLong(),
                    "metrics", values));
        }
        metrics.sort(java.util.Comparator.comparingInt(HEATMAP_METRICS::indexOf));
        List<String> rowValues = new ArrayList<>();
        h.path("row_values").forEach(v -> rowValues.add(v.asText()));
        List<String> columnValues = new ArrayList<>();
        h.path("column_values").forEach(v -> columnValues.add(v.asText()));
        return Json.obj("rows", h.path("rows").asText(), "columns", h.path("columns").asText(), "rowValues", rowValues,
                "columnValues", columnValues, "metrics", metrics, "cells", cells);
    }

    /** The weak slices the run's search found ({@code evaluate --weak-slices}), or null when it did not search. */
    static Map<String, Object> weak(com.fasterxml.jackson.databind.JsonNode w) {
        if (w == null || !w.path("slices").isArray()) {
            return null;
        }
        List<Object> slices = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode s : w.path("slices")) {
            slices.add(Json.obj("name", s.path("name").asText(), "rows", s.path("n").asLong(), "errors", s.path("errors").asLong(),
                    "errorRate", Views.num(s, "error_rate"), "ciLow", Views.num(s, "ci_low"), "ciHigh", Views.num(s, "ci_high"),
                    "worse", s.path("worse").asBoolean()));
        }
        return Json.obj("rows", w.path("n").asLong(), "errorRate", Views.num(w, "error_rate"), "tested", w.path("tested").asLong(),
                "level", Views.num(w, "interval_level"), "minSupport", w.path("min_support").asLong(),
                "maxLevel", w.path("max_level").asLong(), "slices", slices);
    }
}
