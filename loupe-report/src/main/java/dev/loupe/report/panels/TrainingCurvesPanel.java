package dev.loupe.report.panels;

import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.SeriesSummary;

import java.util.ArrayList;
import java.util.List;

/** Every series of the run (training curves), downsampled in the store to at most {@link RunData#MAX_POINTS}. */
public final class TrainingCurvesPanel implements Panel {
    @Override
    public String id() {
        return "curves";
    }

    @Override
    public String title() {
        return "Training curves";
    }

    @Override
    public boolean isActive(RunData run) {
        return !run.series().isEmpty();
    }

    @Override
    public String emptyMessage() {
        return "This run has no training curves.";
    }

    @Override
    public Object viewModel(RunData run) {
        List<Object> series = new ArrayList<>();
        for (SeriesSummary s : run.series()) {
            List<Double> steps = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            for (SeriesPoint p : run.seriesPoints(s.name())) {
                steps.add((double) p.step());
                values.add(Json.num(p.value()));
            }
            series.add(Json.obj("name", s.name(), "points", s.points(), "x", steps, "y", values));
        }
        return Json.obj("status", run.info().status() == null ? null : run.info().status().dbName(), "series", series);
    }
}
