package dev.loupe.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.PredictionBatch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A golden case written by tools/golden/make_golden.py with scikit-learn. */
public record Golden(String name, JsonNode json, List<String> classes, int positive, PredictionBatch batch) {
    public static final List<String> CASES = List.of("binary_ties", "binary_weights", "multiclass5_weights",
            "never_predicted", "absent_class", "one_class", "explicit_pred", "multiclass3_ties", "multiclass3_permuted");

    public static Golden load(String name) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name + ".json")) {
            JsonNode j = new ObjectMapper().readTree(in);
            List<String> classes = new ArrayList<>();
            j.get("classes").forEach(c -> classes.add(c.asText()));
            int k = classes.size();
            JsonNode input = j.get("input");
            int n = input.get("labels").size();
            double[] probs = new double[n * k];
            int[] labels = new int[n];
            int[] preds = new int[n];
            double[] weights = input.get("weights").isNull() ? null : new double[n];
            for (int i = 0; i < n; i++) {
                labels[i] = input.get("labels").get(i).asInt();
                preds[i] = input.get("preds").get(i).asInt();
                for (int c = 0; c < k; c++) {
                    probs[i * k + c] = input.get("probs").get(i).get(c).asDouble();
                }
                if (weights != null) {
                    weights[i] = input.get("weights").get(i).asDouble();
                }
            }
            int positive = j.get("positive").isNull() ? -1 : classes.indexOf(j.get("positive").asText());
            return new Golden(name, j, classes, positive, PredictionBatch.of(k, probs, labels, preds, weights));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON number, null → NaN, "inf" → +∞. */
    public static double num(JsonNode v) {
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException(v.asText());
            };
        }
        return v.asDouble();
    }

    public static double[] nums(JsonNode arr) {
        double[] out = new double[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = num(arr.get(i));
        }
        return out;
    }
}
