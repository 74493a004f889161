package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;
import dev.loupe.store.StoredMetric;

import java.util.ArrayList;
import java.util.List;

/** ROC or precision-recall curves per class (the positive class for binary runs), AUC / AP ± CI in the legend. */
public final class CurvePanel implements Panel {
    private final boolean roc;

    private CurvePanel(boolean roc) {
        this.roc = roc;
    }

    public static CurvePanel roc() {
        return new CurvePanel(true);
    }

    public static CurvePanel pr() {
        return new CurvePanel(false);
    }

    @Override
    public String id() {
        return roc ? "roc" : "pr";
    }

    @Override
    public String title() {
        return roc ? "ROC curve" : "Precision–recall curve";
    }

    @Override
    public boolean isActive(RunData run) {
        JsonNode c = run.json("curves", id());
        return c != null && c.size() > 0;
    }

    @Override
    public String emptyMessage() {
        return "This run has no " + (roc ? "ROC" : "precision–recall") + " curves (no class probabilities stored).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode curves = run.json("curves", id());
        List<Object> series = new ArrayList<>();
        List<String> classes = Views.curveClasses(run, curves);
        boolean binary = run.positive() != null;
        for (String cls : classes) {
            JsonNode c = curves.get(cls);
            String stat = roc ? "auc" : "average_precision";
            JsonNode v = c.get(stat);
            double value = v == null || !v.isNumber() ? Double.NaN : v.asDouble();
            // the run-level metric (with its interval) is the positive class's for binary runs
            StoredMetric m = binary ? run.metric(roc ? "roc_auc" : "average_precision") : null;
            String legend = cls + " — " + Views.withCi(roc ? "AUC" : "AP", m, value);
            series.add(roc
                    ? Views.line(legend, Json.doubles(c.get("fpr")), Json.doubles(c.get("tpr")))
                    : Views.line(legend, Json.doubles(c.get("recall")), Json.doubles(c.get("precision"))));
        }
        StoredMetric overall = run.metric(roc ? "roc_auc" : "average_precision");
        return Json.obj("xLabel", roc ? "false positive rate" : "recall",
                "yLabel", roc ? "true positive rate" : "precision",
                "diagonal", roc, "series", series,
                "summary", overall == null ? null : Views.metric(roc ? "roc_auc" : "average_precision", overall));
    }
}
