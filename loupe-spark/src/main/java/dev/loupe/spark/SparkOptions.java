package dev.loupe.spark;

import dev.loupe.api.InvalidInputException;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.MetricOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link LoupeSpark#evaluate} reads from a DataFrame and how it evaluates: the same column conventions and
 * options as {@code loupe evaluate --predictions} (label, {@code prob_<class>} or a binary {@code score}, optional
 * {@code pred} and {@code weight}), plus how curves are computed at scale ({@link #bins(int)}). A mutable builder:
 * every setter returns {@code this}.
 */
public final class SparkOptions {
    String labelCol = "label";
    String probPrefix = "prob_";
    String scoreCol = "score";
    String predCol = "pred";
    String weightCol = "weight";
    String positiveLabel;
    String negativeLabel;
    double threshold = 0.5;
    boolean renormalize;
    int bootstrap = 1000;
    long seed;
    int bins;
    int calibrationBins = 15;
    List<Integer> topK;
    List<Double> betas = MetricOptions.DEFAULT_BETAS;
    double zeroDivision;
    double maxFpr = Double.NaN;
    List<String> sliceBy = new ArrayList<>();
    int treeDepth = 2;
    int batchRows = 4096;

    public static SparkOptions defaults() {
        return new SparkOptions();
    }

    /** True-class column (default {@code label}). */
    public SparkOptions labelCol(String c) {
        labelCol = c;
        return this;
    }

    /** Prefix of the per-class probability columns (default {@code prob_}). */
    public SparkOptions probPrefix(String p) {
        probPrefix = p;
        return this;
    }

    /** Binary score column: the positive class's probability (default {@code score}). */
    public SparkOptions scoreCol(String c) {
        scoreCol = c;
        return this;
    }

    /** Optional predicted-class column (default {@code pred}); without it the arg-max, or score ≥ threshold. */
    public SparkOptions predCol(String c) {
        predCol = c;
        return this;
    }

    /** Optional sample-weight column (default {@code weight}). */
    public SparkOptions weightCol(String c) {
        weightCol = c;
        return this;
    }

    public SparkOptions positiveLabel(String l) {
        positiveLabel = l;
        return this;
    }

    public SparkOptions negativeLabel(String l) {
        negativeLabel = l;
        return this;
    }

    public SparkOptions threshold(double t) {
        threshold = t;
        return this;
    }

    public SparkOptions renormalize(boolean r) {
        renormalize = r;
        return this;
    }

    /**
     * Poisson-bootstrap replicates (default 1000; 0 = no intervals). With intervals every row needs its 0-based
     * position in the DataFrame (its bootstrap weights are a function of it), so the evaluation first counts the rows of
     * each partition: one more pass over the input.
     */
    public SparkOptions bootstrap(int replicates, long seed) {
        this.bootstrap = replicates;
        this.seed = seed;
        return this;
    }

    /**
     * 0 (default): exact curves and AUC/AP. A binary evaluation without intervals sends the driver one entry per
     * distinct score (40 bytes: the weight of each true/predicted cell), merged by score across partitions. With
     * intervals, or three or more classes, every partition keeps its rows' scores (8 bytes per class, binary: one
     * score, plus 24 bytes per row) and {@code treeAggregate} brings them to the driver, which sorts once: the driver
     * needs that much memory and {@code spark.driver.maxResultSize} must allow it. N ≥ 2: constant-memory curves over
     * N equal-width score bins; ROC AUC is then within the documented bound of the exact value (reported in
     * {@code aucErrorBound}), and no state grows with the rows.
     */
    public SparkOptions bins(int n) {
        bins = n;
        return this;
    }

    public SparkOptions calibrationBins(int n) {
        calibrationBins = n;
        return this;
    }

    public SparkOptions topK(List<Integer> ks) {
        topK = ks;
        return this;
    }

    public SparkOptions betas(List<Double> b) {
        betas = b;
        return this;
    }

    /** 0 (default), 1 or NaN: what a 0/0 precision, recall, F-score or Jaccard score becomes. */
    public SparkOptions zeroDivision(double z) {
        zeroDivision = z;
        return this;
    }

    /** Binary only: also the standardised partial ROC AUC up to this false-positive rate. */
    public SparkOptions maxFpr(double f) {
        maxFpr = f;
        return this;
    }

    /** Metadata columns to slice by: every value of each is also evaluated alone (a grouped aggregation). */
    public SparkOptions sliceBy(List<String> cols) {
        sliceBy = new ArrayList<>(cols);
        return this;
    }

    /** Depth of {@code treeAggregate} (default 2). */
    public SparkOptions treeDepth(int d) {
        if (d < 1) {
            throw InvalidInputException.parameter("treeDepth", "at least 1", d);
        }
        treeDepth = d;
        return this;
    }

    /** Rows per columnar batch fed to the metric states in an executor (default 4096). */
    public SparkOptions batchRows(int n) {
        if (n < 1) {
            throw InvalidInputException.parameter("batchRows", "at least 1", n);
        }
        batchRows = n;
        return this;
    }

    /** The metrics engine's configuration for these classes (what {@code loupe evaluate} builds from its options). */
    EvaluationConfig config(List<String> classes, int positive) {
        MetricOptions options = MetricOptions.defaults().withTopK(topK).withBetas(betas)
                .withZeroDivision(zeroDivision).withMaxFpr(maxFpr).withClassNames(classes);
        return new EvaluationConfig(classes.size(), positive, bootstrap, seed, 0.95, calibrationBins, 20, bins, options);
    }
}
