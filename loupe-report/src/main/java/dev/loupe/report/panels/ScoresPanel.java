package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.List;

/** Histograms of a class's probability per true class (for binary runs, of the positive class). */
public final class ScoresPanel implements Panel {
    @Override
    public String id() {
        return "scores";
    }

    @Override
    public String title() {
        return "Score distributions";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.json("curves", "score_histograms", "counts") != null;
    }

    @Override
    public String emptyMessage() {
        return "This run has no score histograms (no class probabilities stored).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode h = run.json("curves", "score_histograms");
        int nBins = h.path("n_bins").asInt();
        JsonNode counts = h.get("counts");
        List<Double> edges = new ArrayList<>();
        for (int j = 0; j <= nBins; j++) {
            edges.add((double) j / nBins);
        }
        List<Object> charts = new ArrayList<>();
        for (String cls : Views.curveClasses(run, counts)) {
            List<Object> series = new ArrayList<>();
            counts.get(cls).fields().forEachRemaining(e -> series.add(Json.obj("name", "true " + e.getKey(),
                    "counts", Json.doubles(e.getValue()))));
            charts.add(Json.obj("score", "P(" + cls + ")", "series", series));
        }
        return Json.obj("nBins", nBins, "edges", edges, "charts", charts);
    }
}
