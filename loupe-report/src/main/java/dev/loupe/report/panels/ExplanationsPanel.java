package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The explanations stored with a run by {@code loupe explain RUN --examples ...} (the {@code explanations.json}
 * artifact, docs/explain-json.md): the explained examples, each opening the sample view, and the faithfulness of each
 * method when it was measured. The view model passes the stored examples through (at most {@link #MAX_EXAMPLES}).
 */
public final class ExplanationsPanel implements Panel {
    public static final int MAX_EXAMPLES = 200;

    @Override
    public String id() {
        return "explain";
    }

    @Override
    public String title() {
        return "Explanations";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.artifactJson(SamplesPanel.EXPLANATIONS) != null;
    }

    @Override
    public String emptyMessage() {
        return "No explanations stored: loupe explain RUN --examples confident-errors:10 adds them.";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode root = run.artifactJson(SamplesPanel.EXPLANATIONS);
        List<JsonNode> examples = new ArrayList<>();
        root.path("examples").forEach(examples::add);
        examples.sort(Comparator.comparingLong((JsonNode n) -> n.path("row").asLong(Long.MAX_VALUE))
                .thenComparing(n -> n.path("key").asText()));
        int total = examples.size();
        if (examples.size() > MAX_EXAMPLES) {
            examples = examples.subList(0, MAX_EXAMPLES);
        }
        return Json.obj("model", root.path("model"), "settings", root.path("settings"), "total", total,
                "examples", examples, "faithfulness", root.get("faithfulness"));
    }
}
