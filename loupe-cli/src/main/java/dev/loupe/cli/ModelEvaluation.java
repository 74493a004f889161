package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.text.TextDataset;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.models.Field;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOutput;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Runs a text classifier over a labelled data set and evaluates its probabilities. */
final class ModelEvaluation {
    private ModelEvaluation() {
    }

    /** The model's labels (its {@code id2label}), or an error when the model has no classification head. */
    static List<String> labels(ModelAdapter model) {
        return model.spec().probabilities().map(Field.Probabilities::labels).orElseThrow(() ->
                new InvalidInputException("NOT_A_CLASSIFIER", "The model " + model.spec().source() + " outputs no class "
                        + "probabilities (it is an encoder): use 'loupe demo --models NAME' or a classifier directory with config.json."));
    }

    /** Fails, listing both sides, when the data holds labels the model does not know. */
    static void checkLabels(TextDataset data, List<String> labels, String file) {
        Set<String> unknown = new LinkedHashSet<>(data.classes());
        unknown.removeAll(labels);
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("LABEL_NOT_IN_MODEL", file + " has labels the model does not know: " + unknown
                    + ". The model's labels (config.json id2label) are " + labels
                    + ". Map the data's labels to the model's, or evaluate with the matching model.");
        }
    }

    /** Scores every text (in batches of similar length) and returns the probabilities in data set order. */
    static double[][] score(ModelAdapter model, TextDataset data, int batchSize, Progress progress) {
        return score(model, data.texts(), batchSize, progress, 0);
    }

    /** As above for a list of texts, reporting progress from {@code done} texts on. */
    static double[][] score(ModelAdapter model, List<String> data, int batchSize, Progress progress, long done) {
        int n = data.size();
        Integer[] order = byLength(data);
        double[][] probs = new double[n][];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            List<String> texts = new ArrayList<>(to - from);
            for (int j = from; j < to; j++) {
                texts.add(data.get(order[j]));
            }
            ModelOutput o = model.predict(texts);
            for (int j = from; j < to; j++) {
                probs[order[j]] = o.probabilitiesOf(j - from);
            }
            progress.update(done + to, done + to);
        }
        return probs;
    }

    /**
     * Row indices ordered by text length: batches of similar length waste little work on padding (each batch is
     * padded to its longest text).
     */
    static Integer[] byLength(List<String> texts) {
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(texts.get(a).length(), texts.get(b).length()));
        return order;
    }

    static EvaluationResult evaluate(double[][] probs, TextDataset data, List<String> labels, EvaluationConfig cfg) {
        EvaluationState state = new EvaluationState(cfg);
        state.update(batch(probs, data, labels));
        return state.result(labels);
    }

    /** The rows as one batch: key = row index, prediction = arg-max, weight 1. */
    static PredictionBatch batch(double[][] probs, TextDataset data, List<String> labels) {
        int k = labels.size();
        PredictionBatch batch = new PredictionBatch(k, data.size(), false);
        for (int i = 0; i < data.size(); i++) {
            batch.add(i, labels.indexOf(data.label(i)), PredictionBatch.argMax(probs[i], 0, k), 1.0, probs[i], 0);
        }
        return batch;
    }
}
