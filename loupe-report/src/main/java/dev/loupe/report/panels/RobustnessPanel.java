package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code loupe robustness} run (its {@code robustness.json} artifact): per kind of perturbation, a metric against
 * severity with its interval (clean at severity 0); per perturbation its metric, the paired change and the flip
 * rate; and the flipped examples, clean against perturbed text as a word diff ({@link TextDiff}).
 */
public final class RobustnessPanel implements Panel {
    static final String ARTIFACT = "robustness.json";
    /** Metrics the chart offers, when the run has them. */
    static final List<String> CHART_METRICS = List.of("accuracy", "f1", "f1_macro", "balanced_accuracy", "roc_auc", "log_loss");
    /** Flipped examples shown per perturbation. */
    static final int EXAMPLES = 10;
    /** Characters of each text shown in a diff. */
    static final int MAX_CHARS = 2000;

    @Override
    public String id() {
        return "robustness";
    }

    @Override
    public String title() {
        return "Robustness";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.artifact(ARTIFACT) != null;
    }

    @Override
    public String emptyMessage() {
        return "This run has no robustness results (loupe robustness --model M --data FILE --perturb typo:0.05,...).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode doc = run.artifactJson(ARTIFACT);
        JsonNode clean = doc.path("clean").path("metrics");
        List<String> metrics = new ArrayList<>();
        for (String m : CHART_METRICS) {
            if (clean.path(m).path("value").isNumber()) {
                metrics.add(m);
            }
        }
        Map<String, List<Object>> byKind = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        for (JsonNode p : doc.path("perturbations")) {
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, Object> deltas = new LinkedHashMap<>();
            for (String m : metrics) {
                values.put(m, value(p.path("metrics").get(m)));
                deltas.put(m, value(p.path("deltas").get(m)));
            }
            String name = p.path("name").asText();
            if (p.path("severity").isNumber()) {
                byKind.computeIfAbsent(p.path("kind").asText(), k -> new ArrayList<>())
                        .add(Json.obj("severity", p.path("severity").asDouble(), "metrics", values));
            }
            List<Object> examples = new ArrayList<>();
            for (JsonNode e : p.path("examples")) {
                if (examples.size() == EXAMPLES) {
                    break;
                }
                List<Object> diff = new ArrayList<>();
                TextDiff.of(clip(e.path("clean_text").asText()), clip(e.path("perturbed_text").asText()))
                        .forEach(d -> diff.add(Json.obj("op", d.op(), "text", d.text())));
                examples.add(Json.obj("id", e.path("id").asText(), "cleanPred", e.path("clean_pred").asText(),
                        "perturbedPred", e.path("perturbed_pred").asText(), "cleanProb", Views.num(e, "clean_prob"),
                        "perturbedProb", Views.num(e, "perturbed_prob"), "diff", diff));
            }
            rows.add(Json.obj("name", name, "kind", p.path("kind").asText(), "metrics", values, "deltas", deltas,
                    "flipRate", value(p.get("flip_rate")), "flips", p.path("flips").asLong(), "examples", examples));
        }
        List<Object> kinds = new ArrayList<>();
        byKind.forEach((k, points) -> kinds.add(Json.obj("kind", k, "points", points)));
        Map<String, Object> cleanValues = new LinkedHashMap<>();
        metrics.forEach(m -> cleanValues.put(m, value(clean.get(m))));
        return Json.obj("model", doc.path("model").asText(""), "rows", doc.path("rows").asLong(), "metrics", metrics,
                "clean", cleanValues, "kinds", kinds, "perturbations", rows);
    }

    private static String clip(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
    }

    static Map<String, Object> value(JsonNode m) {
        if (m == null || !m.isObject()) {
            return Json.obj("value", null, "ciLow", null, "ciHigh", null);
        }
        return Json.obj("value", Views.num(m, "value"), "ciLow", Views.num(m, "ci_low"), "ciHigh", Views.num(m, "ci_high"));
    }
}
