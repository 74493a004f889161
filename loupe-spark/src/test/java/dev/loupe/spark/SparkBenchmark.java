package dev.loupe.spark;

import dev.loupe.api.PredictionBatch;
import dev.loupe.data.predictions.PredictionFileOptions;
import dev.loupe.data.predictions.PredictionReader;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.mllib.evaluation.MulticlassMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import scala.Tuple2;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/BENCHMARKS.md's Spark section, side by side in one JVM over one Parquet file of generated binary predictions
 * (Synthetic's rows: label neg/pos, a 4-decimal score, no weight): Loupe on Spark against MLlib's
 * BinaryClassificationMetrics + MulticlassMetrics in local[2], against the local engine (the predictions reader and
 * EvaluationState, as `loupe evaluate` runs), and Loupe's rows/s in local[1] and local[2]. Wall and process CPU time
 * of each, the load average around it. Not part of `mvn verify`; run:
 * <pre>mvn -B -q -pl loupe-spark -am test -Dtest=SparkBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dloupe.bench=true [-Dloupe.bench.rows=10000000]</pre>
 */
@EnabledIfSystemProperty(named = "loupe.bench", matches = "true")
class SparkBenchmark {
    static final long ROWS = Long.getLong("loupe.bench.rows", 10_000_000L);

    record Timing(String what, double wallS, double cpuS) {
    }

    static <T> T time(String what, List<Timing> out, Supplier<T> work) {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        T r = work.get();
        out.add(new Timing(what, (System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9));
        return r;
    }

    static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("loupe-spark-bench").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.maxResultSize", "2g").config("spark.sql.shuffle.partitions", "8").getOrCreate();
    }

    @Test
    void benchmark() throws IOException {
        Path dir = Path.of("target/bench");
        Files.createDirectories(dir);
        Path parquet = dir.resolve("binary-" + ROWS + ".parquet");
        List<Timing> t = new ArrayList<>();
        double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        SparkSession spark = session("local[2]");
        if (!Files.exists(parquet)) {
            Synthetic.frame(spark, ROWS, 8, 2).drop("weight", "group").coalesce(1).write().mode(SaveMode.Overwrite)
                    .parquet(parquet.toString());
        }
        Path file; // the one part file Spark wrote: what both engines read
        try (var parts = Files.list(parquet)) {
            file = parts.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Dataset<Row> df = spark.read().parquet(file.toString());
        // both sides are told the two labels (MLlib's side maps label == "pos" to 1.0); without --negative-label Loupe
        // collects the other label in the evaluation pass (timed apart below)
        SparkOptions o = SparkOptions.defaults().positiveLabel("pos").negativeLabel("neg").bootstrap(0, 0);
        // warm-up (JIT, Spark's code generation) on a tenth, not timed
        LoupeSpark.evaluate(df.limit((int) Math.min(ROWS / 10, Integer.MAX_VALUE)), o);

        EvaluationResult loupe2 = time("Loupe on Spark, local[2], exact AUC/AP, all metrics", t, () -> LoupeSpark.evaluate(df, o));
        time("Loupe on Spark, local[2], binned (--bins 10000)", t, () -> LoupeSpark.evaluate(df, SparkOptions.defaults()
                .positiveLabel("pos").negativeLabel("neg").bootstrap(0, 0).bins(10_000)));
        time("Loupe on Spark, local[2], exact, no --negative-label (found in the evaluation pass)", t,
                () -> LoupeSpark.evaluate(df, SparkOptions.defaults().positiveLabel("pos").bootstrap(0, 0)));
        double[] mllib = time("MLlib BinaryClassificationMetrics (exact) + MulticlassMetrics, local[2]", t, () -> {
            Dataset<Row> sl = df.select(functions.col("score"),
                    functions.when(functions.col("label").equalTo("pos"), 1.0).otherwise(0.0).as("y"));
            JavaRDD<Tuple2<Object, Object>> scoreAndLabel = sl.javaRDD().map(r -> new Tuple2<>(r.getDouble(0), r.getDouble(1)));
            BinaryClassificationMetrics b = new BinaryClassificationMetrics(scoreAndLabel.rdd(), 0);
            double auc = b.areaUnderROC();
            double aupr = b.areaUnderPR();
            b.unpersist();
            JavaRDD<Tuple2<Object, Object>> predAndLabel = sl.javaRDD()
                    .map(r -> new Tuple2<>(r.getDouble(0) >= 0.5 ? 1.0 : 0.0, r.getDouble(1)));
            MulticlassMetrics m = new MulticlassMetrics(predAndLabel.rdd());
            return new double[] {auc, aupr, m.accuracy(), m.weightedFMeasure(), m.confusionMatrix().apply(1, 1)};
        });
        assertEquals(loupe2.metric("roc_auc").value(), mllib[0], 1e-9, "the same AUC");
        assertEquals(loupe2.metric("accuracy").value(), mllib[2], 1e-12, "the same accuracy");

        EvaluationResult local = time("Local engine (loupe evaluate's reader + EvaluationState), same Parquet file", t, () -> {
            try (PredictionReader r = PredictionReader.open(file, PredictionFileOptions.defaults().positiveLabel("pos"))) {
                EvaluationState s = new EvaluationState(o.config(List.of("neg", "pos"), 1));
                PredictionBatch b = r.newBatch();
                while (r.next(b)) {
                    s.update(b);
                }
                return s.result(r.schema().classes());
            }
        });
        assertEquals(local.metric("roc_auc").value(), loupe2.metric("roc_auc").value(), 1e-12);
        spark.stop();

        SparkSession one = session("local[1]");
        Dataset<Row> df1 = one.read().parquet(file.toString());
        LoupeSpark.evaluate(df1.limit((int) Math.min(ROWS / 10, Integer.MAX_VALUE)), o);
        time("Loupe on Spark, local[1], exact", t, () -> LoupeSpark.evaluate(df1, o));
        time("Loupe on Spark, local[1], binned (--bins 10000)", t, () -> LoupeSpark.evaluate(df1, SparkOptions.defaults()
                .positiveLabel("pos").negativeLabel("neg").bootstrap(0, 0).bins(10_000)));
        one.stop();
        double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%,d rows, %d cores (load average %.1f before, %.1f after)%n%n", ROWS,
                Runtime.getRuntime().availableProcessors(), load0, load1));
        sb.append("| run | wall s | CPU s | rows/s (wall) | CPU ns/row |\n|---|---:|---:|---:|---:|\n");
        for (Timing x : t) {
            sb.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %,.0f | %.0f |%n", x.what(), x.wallS(), x.cpuS(),
                    ROWS / x.wallS(), x.cpuS() * 1e9 / ROWS));
        }
        sb.append(String.format(Locale.ROOT, "%nroc_auc: Loupe %.12f, MLlib %.12f; average_precision (Loupe, step-wise) %.6f,"
                + " MLlib areaUnderPR (trapezoids) %.6f%n", loupe2.metric("roc_auc").value(), mllib[0],
                loupe2.metric("average_precision").value(), mllib[1]));
        Files.writeString(dir.resolve("spark-bench.md"), sb);
        System.out.println(sb);
    }
}
