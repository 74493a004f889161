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
        return Json.obj("columns", columns);
    }
}
