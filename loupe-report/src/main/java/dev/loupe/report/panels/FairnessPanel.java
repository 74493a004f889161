package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Group fairness of a run evaluated with {@code --group-col} (the {@code fairness} block of its metrics JSON): each
 * group's selection rate, true and false positive rates, with its accuracy and recall (the true positive rate) and
 * their intervals from the group's stored slice metrics; Fairlearn's gaps with their intervals; the warnings.
 */
public final class FairnessPanel implements Panel {
    @Override
    public String id() {
        return "fairness";
    }

    @Override
    public String title() {
        return "Fairness";
    }

    @Override
    public boolean isActive(RunData run) {
        JsonNode f = run.json("fairness");
        return f != null && f.path("groups").isObject();
    }

    @Override
    public String emptyMessage() {
        return "This run has no fairness gaps (evaluate a binary problem with --group-col COL).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode f = run.json("fairness");
        String column = f.path("group_column").asText("group");
        List<Object> groups = new ArrayList<>();
        for (Map.Entry<String, JsonNode> g : f.path("groups").properties()) {
            JsonNode v = g.getValue();
            String where = "[" + column + "=" + g.getKey() + "]";
            groups.add(Json.obj("name", g.getKey(), "rows", v.path("n").asLong(),
                    "selectionRate", Views.num(v, "selection_rate"), "tpr", Views.num(v, "true_positive_rate"),
                    "fpr", Views.num(v, "false_positive_rate"),
                    "accuracy", Views.metric("accuracy", run.metric("accuracy" + where)),
                    "recall", Views.metric("recall", run.metric("recall" + where))));
        }
        List<Object> gaps = new ArrayList<>();
        for (Map.Entry<String, JsonNode> g : f.path("gaps").properties()) {
            JsonNode v = g.getValue();
            gaps.add(Json.obj("name", g.getKey(), "value", Views.num(v, "value"), "ciLow", Views.num(v, "ci_low"),
                    "ciHigh", Views.num(v, "ci_high"), "higherIsBetter", v.path("higher_is_better").asBoolean()));
        }
        List<String> warnings = new ArrayList<>();
        f.path("warnings").forEach(w -> warnings.add(w.asText()));
        return Json.obj("column", column, "groups", groups, "gaps", gaps, "warnings", warnings);
    }
}
