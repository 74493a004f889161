package dev.loupe.report;

import dev.loupe.store.RunStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code loupe report}: one self-contained HTML file for one or more runs, rendering every panel of the registry
 * with the same front end as the dashboard. Curves hold at most {@link RunData#MAX_POINTS} points; samples are the
 * most confident errors plus a random sample.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /** Samples kept by default: the most confident errors, and a random sample of the other rows. */
    public static final int DEFAULT_ERRORS = 50;
    public static final int DEFAULT_RANDOM = 50;

    public static String render(RunStore store, List<String> runIds, PanelRegistry registry) {
        return render(store, runIds, registry, DEFAULT_ERRORS, DEFAULT_RANDOM);
    }

    public static String render(RunStore store, List<String> runIds, PanelRegistry registry, int errors, int random) {
        List<RunData> runs = new ArrayList<>();
        for (String id : runIds) {
            runs.add(RunData.load(store, id));
        }
        return render(runs, registry, errors, random);
    }

    public static String render(List<RunData> runs, PanelRegistry registry) {
        return render(runs, registry, DEFAULT_ERRORS, DEFAULT_RANDOM);
    }

    public static String render(List<RunData> runs, PanelRegistry registry, int errors, int random) {
        List<Object> runViews = new ArrayList<>();
        List<Object> rows = new ArrayList<>();
        // the report inlines the front-end modules of the panels it shows (the comparison draws training curves)
        java.util.Set<String> used = new java.util.HashSet<>(runs.size() > 1 ? List.of("curves") : List.of());
        for (RunData run : runs) {
            for (Panel p : registry.panels()) {
                if (p.isActive(run)) {
                    used.add(p.id());
                }
            }
            var info = run.info();
            runViews.add(Json.obj("info", Json.obj("id", info.id(), "name", info.name(), "experiment", info.experiment(),
                    "status", info.status() == null ? null : info.status().dbName()), "panels", registry.render(run, true, errors, random)));
            Map<String, Object> metrics = new LinkedHashMap<>();
            for (String m : RunsTable.KEY_METRICS) {
                var sm = run.metric(m);
                if (sm != null) {
                    metrics.put(m, Json.num(sm.value()));
                }
            }
            rows.add(RunsTable.row(run.info(), metrics, run.params()));
        }
        Map<String, Object> data = Json.obj("api", false, "base", "",
                "runsTable", runs.size() > 1 ? Json.obj("metrics", RunsTable.KEY_METRICS, "rows", rows) : null,
                "compare", runs.size() > 1 ? CompareView.viewModel(runs) : null,
                "runs", runViews);
        String title = runs.size() == 1 ? "Report: " + label(runs.get(0)) : "Report: " + runs.size() + " runs";
        return Page.inline(title, data, Page.scripts(registry, used));
    }

    /** A run's header and all its panels, as the front end reads them. */
    public static Map<String, Object> runView(RunData run, PanelRegistry registry, boolean forReport) {
        var info = run.info();
        return Json.obj("info", Json.obj("id", info.id(), "name", info.name(), "experiment", info.experiment(),
                "status", info.status() == null ? null : info.status().dbName()), "panels", registry.render(run, forReport));
    }

    static String label(RunData run) {
        return run.info().name() == null ? run.id() : run.info().name() + " (" + run.id() + ")";
    }
}
