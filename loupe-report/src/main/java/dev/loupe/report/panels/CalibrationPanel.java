package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reliability diagrams (equal-width and equal-mass bins) with the confidence histogram, ECE and MCE. */
public final class CalibrationPanel implements Panel {
    @Override
    public String id() {
        return "calibration";
    }

    @Override
    public String title() {
        return "Calibration";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.json("curves", "calibration", "uniform") != null;
    }

    @Override
    public String emptyMessage() {
        return "This run has no calibration data (no class probabilities stored).";
    }

    @Override
    public Object viewModel(RunData run) {
        return Json.obj("uniform", diagram(run.json("curves", "calibration", "uniform")),
                "quantile", diagram(run.json("curves", "calibration", "quantile")));
    }

    static Map<String, Object> diagram(JsonNode d) {
        if (d == null) {
            return null;
        }
        List<Double> lower = Json.doubles(d.get("bin_lower"));
        List<Double> upper = Json.doubles(d.get("bin_upper"));
        List<Double> weight = Json.doubles(d.get("weight"));
        List<Double> confidence = Json.doubles(d.get("confidence"));
        List<Double> accuracy = Json.doubles(d.get("accuracy"));
        List<Object> bins = new ArrayList<>();
        for (int i = 0; i < lower.size(); i++) {
            bins.add(Json.obj("lower", lower.get(i), "upper", upper.get(i), "weight", weight.get(i),
                    "confidence", confidence.get(i), "accuracy", accuracy.get(i)));
        }
        JsonNode ece = d.get("ece");
        JsonNode mce = d.get("mce");
        return Json.obj("nBins", d.path("n_bins").asInt(bins.size()),
                "ece", ece != null && ece.isNumber() ? ece.asDouble() : null,
                "mce", mce != null && mce.isNumber() ? mce.asDouble() : null, "bins", bins);
    }
}
