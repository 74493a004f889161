package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * In against out of distribution ({@code evaluate --ood}: the {@code ood} block of the metrics JSON): each metric in
 * and out with its interval and the gap (out − in) with its interval, and the two reliability diagrams overlaid (the
 * calibration shift).
 */
public final class GeneralizationPanel implements Panel {
    /** The metrics listed first (the rest follow in the JSON's order). */
    static final List<String> HEADLINE = List.of("accuracy", "f1", "f1_macro", "roc_auc", "log_loss", "brier", "ece");

    @Override
    public String id() {
        return "generalization";
    }

    @Override
    public String title() {
        return "Generalization";
    }

    @Override
    public boolean isActive(RunData run) {
        JsonNode o = run.json("ood");
        return o != null && o.path("gaps").isObject();
    }

    @Override
    public String emptyMessage() {
        return "This run has no out-of-distribution data (evaluate with --ood FILE).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode ood = run.json("ood");
        JsonNode in = run.json("metrics");
        List<String> names = new ArrayList<>();
        HEADLINE.stream().filter(n -> ood.path("gaps").has(n)).forEach(names::add);
        ood.path("gaps").fieldNames().forEachRemaining(n -> {
            if (!names.contains(n)) {
                names.add(n);
            }
        });
        List<Object> rows = new ArrayList<>();
        for (String n : names) {
            rows.add(Json.obj("metric", n, "in", value(in == null ? null : in.get(n)), "out", value(ood.path("metrics").get(n)),
                    "gap", value(ood.path("gaps").get(n))));
        }
        return Json.obj("file", ood.path("file").asText(""), "rowsIn", run.json("n") == null ? null : run.json("n").asLong(),
                "rowsOut", ood.path("n").asLong(), "metrics", rows,
                "in", CalibrationPanel.diagram(run.json("curves", "calibration", "uniform")),
                "out", CalibrationPanel.diagram(ood.path("calibration").get("uniform")));
    }

    private static Map<String, Object> value(JsonNode m) {
        return RobustnessPanel.value(m);
    }
}
