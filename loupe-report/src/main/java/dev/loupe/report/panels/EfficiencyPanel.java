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
 * The efficiency profile stored with a run ({@code efficiency.json}: latency per batch size and sequence length,
 * throughput, memory, size, parameters, batch invariance).
 */
public final class EfficiencyPanel implements Panel {
    @Override
    public String id() {
        return "efficiency";
    }

    @Override
    public String title() {
        return "Efficiency";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.efficiency() != null && run.efficiency().has("profile");
    }

    @Override
    public String emptyMessage() {
        return "This run has no efficiency profile (runs of a model record one; prediction files do not).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode e = run.efficiency();
        JsonNode p = e.get("profile");
        List<Object> cells = new ArrayList<>();
        for (JsonNode c : p.path("cells")) {
            cells.add(Json.obj("batchSize", c.path("batchSize").asInt(), "seqLen", c.path("seqLen").asInt(),
                    "p50Ms", num(c, "p50Ms"), "p95Ms", num(c, "p95Ms"), "p99Ms", num(c, "p99Ms"),
                    "sequencesPerSecond", num(c, "sequencesPerSecond"), "tokensPerSecond", num(c, "tokensPerSecond"),
                    "gflopsPerSecond", num(c, "gflopsPerSecond")));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model", p.path("model").asText(null));
        summary.put("model file (MB)", p.has("modelFileBytes") ? p.get("modelFileBytes").asDouble() / 1e6 : null);
        summary.put("parameters", num(p, "parameters"));
        summary.put("threads", num(p, "threads"));
        summary.put("peak RSS (MB)", p.has("peakRssBytes") ? p.get("peakRssBytes").asDouble() / 1e6 : null);
        summary.put("tokenizer texts/s", num(p, "tokenizerTextsPerSecond"));
        summary.put("encode texts/s", num(e, "encode_texts_per_second"));
        summary.put("batch invariance: max |alone − batched|", num(p, "batchInvarianceMaxAbsDiff"));
        summary.put("batch invariance of", p.path("batchInvarianceOf").asText(null));
        return Json.obj("summary", summary, "cells", cells);
    }

    private static Double num(JsonNode n, String field) {
        return Views.num(n, field);
    }
}
