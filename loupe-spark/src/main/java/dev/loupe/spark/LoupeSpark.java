package dev.loupe.spark;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loupe's evaluation on Apache Spark: the same {@link EvaluationResult} as {@code loupe evaluate} on one machine, for
 * DataFrames of any size.
 *
 * <p>How: the driver reads the columns ({@code label}, {@code prob_<class>} or a binary {@code score}, optional
 * {@code pred} and {@code weight}, as the local reader does) and projects every row to numbers. Each executor feeds its
 * partition's rows into reused columnar {@link dev.loupe.api.PredictionBatch}es and updates the metrics engine's
 * mergeable states (confusion counts, probability sums, ranking state, Poisson bootstrap); {@code treeAggregate}
 * merges the partitions' states; the driver computes the result from the merged state, exactly as the local engine
 * does from its own. A row's bootstrap weights are a function of its 0-based position ({@link Positions}: in the
 * input files ordered by path), so the intervals do not depend on the partitioning either.
 *
 * <pre>{@code
 * Dataset<Row> preds = spark.read().parquet("s3://bucket/predictions/");
 * EvaluationResult r = LoupeSpark.evaluate(preds, SparkOptions.defaults().positiveLabel("fraud").bins(10_000));
 * System.out.println(r.metric("roc_auc"));
 * }</pre>
 */
public final class LoupeSpark {
    private LoupeSpark() {
    }

    /** An evaluation with its slices: per {@code sliceBy} column, per value, that slice's result. */
    public record Evaluation(EvaluationResult result, Map<String, Map<String, EvaluationResult>> slices) {
    }

    /**
     * Evaluates a DataFrame of predictions.
     *
     * @throws InvalidInputException for a missing or non-numeric column, or rows that cannot be evaluated (empty
     *                               values, unknown labels, probabilities out of range): the message says which column
     *                               and the position of the first such row
     */
    public static EvaluationResult evaluate(Dataset<Row> predictions, SparkOptions options) {
        return evaluateWithSlices(predictions, options, "the DataFrame").result();
    }

    /** As {@link #evaluate}, with each {@link SparkOptions#sliceBy} slice; {@code source} names the input in errors. */
    public static Evaluation evaluateWithSlices(Dataset<Row> predictions, SparkOptions options, String source) {
        Plan plan = Plan.of(predictions, options, source);
        EvaluationConfig config = options.config(plan.layout.classes(), plan.positive);
        List<org.apache.spark.sql.Column> columns = new java.util.ArrayList<>(plan.projection);
        boolean positioned = needsPositions(config);
        int fileIndex = columns.size();
        if (positioned) {
            columns.addAll(Positions.columns());
        }
        Dataset<Row> projected = predictions.select(columns.toArray(new org.apache.spark.sql.Column[0]));
        JavaRDD<InternalRow> rows = internalRows(projected);
        Partial zero = new Partial(config, plan.sliceColumns, plan.sliceValues);
        Partial total;
        try {
            Positions positions = positioned ? Positions.count(rows, fileIndex) : null;
            total = rows.mapPartitionsWithIndex(new PartitionEvaluator(config, plan.layout, plan.sliceColumns,
                            plan.sliceValues, positions, fileIndex, options.batchRows), false)
                    .treeAggregate(zero, Partial::merge, Partial::merge, options.treeDepth);
        } catch (RuntimeException e) {
            LoupeException cause = loupeCause(e);
            throw cause != null ? cause : e;
        }
        List<String> classes = plan.layout.classes();
        if (plan.layout.findNegative()) {
            classes = List.of(Plan.negativeOf(total.others, options, source), classes.get(1));
        }
        if (total.badRows > 0) {
            throw new InvalidInputException("BAD_ROWS", source + ": " + total.badRows + (total.badRows == 1 ? " row" : " rows")
                    + " cannot be evaluated; the first is " + total.firstBad);
        }
        if (total.state.rows() == 0) {
            throw new InvalidInputException("NO_ROWS", source + " has no rows: add predictions.");
        }
        total.finish();
        EvaluationResult result = total.state.result(classes);
        if (result.totalWeight() == 0) {
            throw new InvalidInputException("ALL_WEIGHTS_ZERO", source + ": every row has weight 0 in the '"
                    + options.weightCol + "' column, so no metric is defined. Give the rows that count a positive weight,"
                    + " or name another column with --weight-col.");
        }
        Map<String, Map<String, EvaluationResult>> slices = new LinkedHashMap<>();
        for (int d = 0; d < total.slices.length; d++) {
            slices.put(plan.sliceColumns.get(d), total.slices[d].results(classes));
        }
        return new Evaluation(result, slices);
    }

    /**
     * Scores texts in the executors with an ONNX text classifier directory (model.onnx, tokenizer.json, config.json):
     * the directory is shipped with the job, each executor JVM opens one ONNX Runtime session, and the result is
     * {@code texts} with one {@code prob_<label>} column per model label appended (lazy, like any Dataset) — ready for
     * {@link #evaluate} when {@code texts} has a label column. Defaults: column {@code text}, 32 texts per model call,
     * the model's maximum length.
     */
    public static Dataset<Row> score(Dataset<Row> texts, String modelDir) {
        return score(texts, modelDir, "text", 32, 0);
    }

    /** As {@link #score(Dataset, String)} with the text column, texts per model call and tokens per text (0 = model's). */
    public static Dataset<Row> score(Dataset<Row> texts, String modelDir, String textCol, int batchSize, int maxLength) {
        return SparkScoring.score(texts, modelDir, textCol, batchSize, maxLength).scored();
    }

    /**
     * Scores texts in the executors with a sentence encoder and a probe trained on its embeddings — the {@code probe.json}
     * of a probe run ({@code ProbeArtifact.read(file)} or {@code ProbeArtifact.load(store, runId)}): the encoder (a
     * bundled short name such as {@code minilm-q}, taken from the driver's class path, or an encoder directory) is shipped
     * with the job, each executor JVM opens one session, and the result is {@code texts} with one {@code prob_<class>}
     * column per probe class appended. {@code encoder} null: the probe's own; {@code maxLength} 0: the probe's.
     */
    public static Dataset<Row> scoreWithProbe(Dataset<Row> texts, String encoder, dev.loupe.cli.ProbeArtifact probe,
                                              String textCol, int batchSize, int maxLength) {
        return SparkScoring.scoreWithProbe(texts, encoder, probe, textCol, batchSize, maxLength).scored();
    }

    /** Positions ({@link Positions}) are needed by the bootstrap only (its per-row weights); else partition-local keys do. */
    private static boolean needsPositions(EvaluationConfig config) {
        return config.bootstrap() > 0;
    }

    /**
     * The rows as Spark's own internal rows: executors read {@code UnsafeRow}s that Spark reuses, so the evaluation makes
     * no object per row ({@code Dataset.javaRDD()} would convert each to a {@code Row}).
     */
    static JavaRDD<InternalRow> internalRows(Dataset<Row> ds) {
        if (ds instanceof org.apache.spark.sql.classic.Dataset<Row> classic) {
            return classic.queryExecution().toRdd().toJavaRDD();
        }
        throw new InvalidInputException("UNSUPPORTED_SESSION", "LoupeSpark needs a classic SparkSession (the JVM "
                + "driver), not a Spark Connect client: run it with spark-submit or a local SparkSession.");
    }

    /** A Loupe error thrown in an executor, from the exception Spark wrapped it in. */
    static LoupeException loupeCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LoupeException l) {
                return l;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
