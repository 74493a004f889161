package dev.loupe.models;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps the label strings of a data set onto a classifier's class indices ({@code id2label} order), and copies a
 * {@link ModelOutput} into a {@link PredictionBatch} for the metrics engine. A data label matches a model label
 * exactly, or as {@code LABEL_<n>} (Hugging Face's default names) when the data label is the number {@code n}.
 */
public final class LabelMapping {
    private final List<String> modelLabels;
    private final Map<String, Integer> index = new HashMap<>();

    public LabelMapping(List<String> modelLabels) {
        this.modelLabels = List.copyOf(modelLabels);
        for (int k = 0; k < this.modelLabels.size(); k++) {
            index.putIfAbsent(this.modelLabels.get(k), k);
        }
    }

    public List<String> modelLabels() {
        return modelLabels;
    }

    /** The class index of a label, or -1. */
    public int indexOf(String label) {
        Integer k = index.get(label);
        if (k == null && label != null) {
            k = index.get("LABEL_" + label.trim());
        }
        return k == null ? -1 : k;
    }

    /**
     * Maps every label; fails with code {@code LABEL_NOT_IN_MODEL} listing the unknown data labels and the
     * model's labels.
     */
    public int[] map(List<String> labels) {
        int[] out = new int[labels.size()];
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < out.length; i++) {
            out[i] = indexOf(labels.get(i));
            if (out[i] < 0) {
                unknown.add(labels.get(i));
            }
        }
        if (!unknown.isEmpty()) {
            List<String> shown = new ArrayList<>(unknown);
            String more = shown.size() > 20 ? " and " + (shown.size() - 20) + " more" : "";
            throw new InvalidInputException("LABEL_NOT_IN_MODEL", "The data has labels " + shown.subList(0,
                    Math.min(20, shown.size())) + more + " that the model does not know; its labels (id2label) are "
                    + modelLabels + ". Relabel the data or pick the matching model.");
        }
        return out;
    }

    /**
     * Appends the rows of {@code out} to {@code batch} (which must have {@code numLabels} classes) with the given
     * true class indices, arg-max predictions, weight 1 and keys {@code firstKey, firstKey + 1, ...}.
     */
    public static void appendTo(PredictionBatch batch, ModelOutput out, int[] labels, int labelsOffset, long firstKey) {
        if (batch.numClasses() != out.numLabels()) {
            throw new InvalidInputException("SIZE_MISMATCH", "the batch has " + batch.numClasses()
                    + " classes but the model gives " + out.numLabels());
        }
        int k = out.numLabels();
        double[] probs = out.probabilities();
        for (int i = 0; i < out.size(); i++) {
            batch.add(firstKey + i, labels[labelsOffset + i], PredictionBatch.argMax(probs, i * k, k), 1.0, probs, i * k);
        }
    }
}
