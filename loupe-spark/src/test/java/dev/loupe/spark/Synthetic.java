package dev.loupe.spark;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.SlicedEvaluation;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Generated predictions, every value a pure function of the row's position: the same rows as a Spark DataFrame (in
 * any number of partitions, in order) and fed straight into the local engine. Binary rows have a 4-decimal score (so
 * ties), labels neg/pos, weights in {0.5, 1, 1.5, 2}; multi-class rows have softmax probabilities over classes c0..c9
 * (correct class favoured). Both have a {@code group} column (g0, g1, g2) to slice by.
 */
final class Synthetic {
    private Synthetic() {
    }

    static final List<String> BINARY = List.of("neg", "pos");

    static List<String> classes(int k) {
        if (k == 2) {
            return BINARY;
        }
        List<String> c = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            c.add("c" + i);
        }
        return c;
    }

    /** A uniform double in [0, 1) from (row, stream): SplitMix64's finaliser. */
    static double u(long row, int stream) {
        long z = row * 0x9E3779B97F4A7C15L + (stream + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    static int label(long row, int k) {
        return (int) (u(row, 0) * k);
    }

    /** Fills {@code p} (k probabilities; binary: p[0] = 1 − score, p[1] = score). */
    static void probs(long row, int k, double[] p) {
        int y = label(row, k);
        if (k == 2) {
            double logit = (y == 1 ? 1.2 : -1.2) + 3 * (u(row, 1) - 0.5) * 2;
            double s = Math.round(1e4 / (1 + Math.exp(-logit))) / 1e4;
            p[0] = 1 - s;
            p[1] = s;
            return;
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            double z = 2.5 * u(row, 1 + j) + (j == y ? 1.5 * u(row, 20) : 0);
            p[j] = Math.exp(z);
            sum += p[j];
        }
        for (int j = 0; j < k; j++) {
            p[j] /= sum;
        }
    }

    static double weight(long row) {
        return 0.5 * (1 + (int) (u(row, 30) * 4));
    }

    static String group(long row) {
        return "g" + (int) (u(row, 31) * 3);
    }

    static StructType schema(int k) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField("label", DataTypes.StringType, false));
        if (k == 2) {
            f.add(DataTypes.createStructField("score", DataTypes.DoubleType, false));
            f.add(DataTypes.createStructField("weight", DataTypes.DoubleType, false));
        } else {
            for (String c : classes(k)) {
                f.add(DataTypes.createStructField("prob_" + c, DataTypes.DoubleType, false));
            }
        }
        f.add(DataTypes.createStructField("group", DataTypes.StringType, false));
        return DataTypes.createStructType(f);
    }

    /** The rows {@code [0, n)} in {@code partitions} partitions, in order. */
    static Dataset<Row> frame(SparkSession spark, long n, int partitions, int k) {
        return spark.range(0, n, 1, partitions).map((MapFunction<Long, Row>) id -> row(id, k), Encoders.row(schema(k)));
    }

    static Row row(long id, int k) {
        double[] p = new double[k];
        probs(id, k, p);
        List<Object> v = new ArrayList<>();
        v.add(classes(k).get(label(id, k)));
        if (k == 2) {
            v.add(p[1]);
            v.add(weight(id));
        } else {
            for (double x : p) {
                v.add(x);
            }
        }
        v.add(group(id));
        return RowFactory.create(v.toArray());
    }

    /** The local engine over the same rows, batches of 8192 as the file readers make; with slices by group. */
    static LoupeSpark.Evaluation local(long n, int k, EvaluationConfig config, boolean sliced) {
        EvaluationState state = new EvaluationState(config);
        SlicedEvaluation slices = new SlicedEvaluation(config, "group");
        int cap = 8192;
        PredictionBatch b = new PredictionBatch(k, cap, k == 2);
        int[] sliceOf = new int[cap];
        double[] p = new double[k];
        for (long id = 0; id < n; id++) {
            probs(id, k, p);
            int pred = k == 2 ? (p[1] >= 0.5 ? 1 : 0) : PredictionBatch.argMax(p, 0, k);
            sliceOf[b.size()] = slices.sliceId(group(id)); // slices in order of first appearance, as loupe evaluate
            b.add(id, label(id, k), pred, k == 2 ? weight(id) : 1.0, p, 0);
            if (b.size() == cap || id == n - 1) {
                state.update(b);
                if (sliced) {
                    slices.update(b, sliceOf);
                }
                b.clear();
            }
        }
        List<String> classes = classes(k);
        EvaluationResult r = state.result(classes);
        return new LoupeSpark.Evaluation(r, sliced ? Map.of("group", slices.results(classes)) : Map.of());
    }
}
