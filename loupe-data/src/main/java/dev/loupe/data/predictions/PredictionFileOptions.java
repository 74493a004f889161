package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;

/**
 * How to read a prediction file: column names, the binary positive/negative labels, the decision threshold,
 * renormalisation, the format and the batch size. Fluent setters return {@code this}; every setter checks its
 * argument and throws {@code BAD_PARAMETER} for a bad one. Defaults:
 * <pre>
 * labelColumn = "label"   probPrefix = "prob_"   scoreColumn = "score"   predColumn = "pred"
 * weightColumn = "weight" idColumn = "id"        positiveLabel = null    negativeLabel = null
 * threshold = 0.5         renormalize = false    format = null (from the file's extension)   batchSize = 8192
 * </pre>
 */
public final class PredictionFileOptions {
    private String labelColumn = "label";
    private String probPrefix = "prob_";
    private String scoreColumn = "score";
    private String predColumn = "pred";
    private String weightColumn = "weight";
    private String idColumn = "id";
    private String positiveLabel;
    private String negativeLabel;
    private double threshold = 0.5;
    private boolean renormalize;
    private PredictionFormat format;
    private int batchSize = 8192;

    /** Options with every default. */
    public static PredictionFileOptions defaults() {
        return new PredictionFileOptions();
    }

    /** A copy that can be changed independently. */
    public PredictionFileOptions copy() {
        PredictionFileOptions o = new PredictionFileOptions();
        o.labelColumn = labelColumn;
        o.probPrefix = probPrefix;
        o.scoreColumn = scoreColumn;
        o.predColumn = predColumn;
        o.weightColumn = weightColumn;
        o.idColumn = idColumn;
        o.positiveLabel = positiveLabel;
        o.negativeLabel = negativeLabel;
        o.threshold = threshold;
        o.renormalize = renormalize;
        o.format = format;
        o.batchSize = batchSize;
        return o;
    }

    /** Column holding the true class. */
    public PredictionFileOptions labelColumn(String name) {
        labelColumn = name(name, "--label-col");
        return this;
    }

    /** Prefix of the per-class probability columns; the rest of each name is the class name. */
    public PredictionFileOptions probPrefix(String prefix) {
        probPrefix = name(prefix, "--prob-prefix");
        return this;
    }

    /** Column holding the positive class's probability in a binary file. */
    public PredictionFileOptions scoreColumn(String name) {
        scoreColumn = name(name, "--score-col");
        return this;
    }

    /** Optional column holding the predicted class name. */
    public PredictionFileOptions predColumn(String name) {
        predColumn = name(name, "--pred-col");
        return this;
    }

    /** Optional column holding a sample weight (finite, at least 0). */
    public PredictionFileOptions weightColumn(String name) {
        weightColumn = name(name, "--weight-col");
        return this;
    }

    /** Optional column holding a row id. */
    public PredictionFileOptions idColumn(String name) {
        idColumn = name(name, "--id-col");
        return this;
    }

    /**
     * The positive class. Required with a score column; with prob_ columns it is optional and must name one
     * of the classes ({@link PredictionSchema#positiveIndex()} then points at it). {@code null} clears it.
     */
    public PredictionFileOptions positiveLabel(String label) {
        positiveLabel = label;
        return this;
    }

    /**
     * The negative class of a score-column file; {@code null} (the default) takes the first label in the data
     * that is not the positive one.
     */
    public PredictionFileOptions negativeLabel(String label) {
        negativeLabel = label;
        return this;
    }

    /** Decision threshold on the score when there is no pred column: positive iff score >= threshold. */
    public PredictionFileOptions threshold(double t) {
        if (!(t >= 0.0 && t <= 1.0)) {
            throw InvalidInputException.parameter("--threshold", "a number in [0, 1]", t);
        }
        threshold = t;
        return this;
    }

    /** Divide each row's probabilities by their sum instead of rejecting rows that do not sum to 1. */
    public PredictionFileOptions renormalize(boolean on) {
        renormalize = on;
        return this;
    }

    /** The file format; {@code null} (the default) infers it from the file's extension. */
    public PredictionFileOptions format(PredictionFormat f) {
        format = f;
        return this;
    }

    /** Rows per batch filled by {@link PredictionReader#next}. */
    public PredictionFileOptions batchSize(int n) {
        if (n < 1) {
            throw InvalidInputException.parameter("batchSize", "at least 1", n);
        }
        batchSize = n;
        return this;
    }

    public String labelColumn() {
        return labelColumn;
    }

    public String probPrefix() {
        return probPrefix;
    }

    public String scoreColumn() {
        return scoreColumn;
    }

    public String predColumn() {
        return predColumn;
    }

    public String weightColumn() {
        return weightColumn;
    }

    public String idColumn() {
        return idColumn;
    }

    public String positiveLabel() {
        return positiveLabel;
    }

    public String negativeLabel() {
        return negativeLabel;
    }

    public double threshold() {
        return threshold;
    }

    public boolean renormalize() {
        return renormalize;
    }

    public PredictionFormat format() {
        return format;
    }

    public int batchSize() {
        return batchSize;
    }

    private static String name(String value, String parameter) {
        if (value == null || value.isEmpty()) {
            throw InvalidInputException.parameter(parameter, "a non-empty column name", value == null ? "null" : "''");
        }
        return value;
    }

    @Override
    public String toString() {
        return "PredictionFileOptions{labelColumn=" + labelColumn + ", probPrefix=" + probPrefix
                + ", scoreColumn=" + scoreColumn + ", predColumn=" + predColumn + ", weightColumn=" + weightColumn
                + ", idColumn=" + idColumn + ", positiveLabel=" + positiveLabel + ", negativeLabel=" + negativeLabel
                + ", threshold=" + threshold + ", renormalize=" + renormalize + ", format=" + format
                + ", batchSize=" + batchSize + "}";
    }
}
