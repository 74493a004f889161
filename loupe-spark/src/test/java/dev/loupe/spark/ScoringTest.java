package dev.loupe.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.PredictionBatch;
import dev.loupe.cli.ProbeArtifact;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.Models;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.probe.LogisticProbe;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scoring in the executors with the tiny committed BERT classifier (loupe-models' test resources, 3 labels) over its
 * golden texts (empty, Unicode, emoji, long ones) in 3 partitions: the probabilities equal local inference (bitwise
 * with the same batches), and evaluating the scored DataFrame equals the local engine on the local probabilities.
 */
class ScoringTest {
    static final Path MODEL = Path.of("../loupe-models/src/test/resources/tiny/bert-3");

    static List<String> texts() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(MODEL.resolve("golden.json").toFile());
        List<String> t = new ArrayList<>();
        golden.get("texts").forEach(n -> t.add(n.asText()));
        return t;
    }

    static Dataset<Row> frame(SparkSession spark, List<String> texts, List<String> labels) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("text", DataTypes.StringType)
                .add("label", DataTypes.StringType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(i, texts.get(i), labels.get(i % labels.size())));
        }
        return spark.createDataFrame(rows, schema).repartition(3).sortWithinPartitions("id");
    }

    @Test
    void executorsScoreAsLocalInferenceAndEvaluateAlike() throws Exception {
        SparkSession spark = SparkTestSession.get();
        List<String> texts = texts();
        List<String> labels;
        double[][] local = new double[texts.size()][];
        try (ModelAdapter m = Models.open(MODEL.toString(), ModelOptions.defaults())) {
            labels = m.spec().probabilities().orElseThrow().labels();
            for (int i = 0; i < texts.size(); i++) {
                local[i] = m.predict(List.of(texts.get(i))).probabilitiesOf(0);
            }
        }
        assertTrue(texts.size() >= 10, "golden texts: " + texts.size());
        Dataset<Row> scored = LoupeSpark.score(frame(spark, texts, labels), MODEL.toString(), "text", 1, 0);
        List<String> columns = List.of(scored.columns());
        assertEquals(List.of("id", "text", "label", "prob_negative", "prob_neutral", "prob_positive"), columns);
        List<Row> rows = scored.collectAsList();
        assertEquals(texts.size(), rows.size());
        for (Row r : rows) {
            int id = r.getInt(0);
            for (int j = 0; j < labels.size(); j++) {
                assertEquals(local[id][j], r.getDouble(3 + j), 0.0, "text " + id + " class " + labels.get(j));
            }
        }

        // batches of 8 within a partition: equal up to ONNX Runtime's float rounding across batch shapes
        for (Row r : LoupeSpark.score(frame(spark, texts, labels), MODEL.toString(), "text", 8, 0).collectAsList()) {
            for (int j = 0; j < labels.size(); j++) {
                assertEquals(local[r.getInt(0)][j], r.getDouble(3 + j), 1e-6);
            }
        }

        // then evaluated: the same result as the local engine on the local probabilities (rows in id order)
        SparkOptions o = SparkOptions.defaults().bootstrap(50, 3);
        var got = LoupeSpark.evaluate(scored.orderBy("id").coalesce(1), o);
        EvaluationConfig cfg = o.config(labels, -1);
        EvaluationState state = new EvaluationState(cfg);
        PredictionBatch b = new PredictionBatch(labels.size(), texts.size(), false);
        for (int i = 0; i < texts.size(); i++) {
            b.add(i, i % labels.size(), PredictionBatch.argMax(local[i], 0, labels.size()), 1.0, local[i], 0);
        }
        state.update(b);
        EqualityTest.assertSame(state.result(labels), got, "scored");
    }

    /**
     * minilm-q (the bundled encoder, shipped from the driver's class path) and a stored probe (a probe.json as a probe
     * run keeps it; fixed weights over 384 dimensions, 3 classes) in 3 partitions, one text per model call: each text's
     * probabilities equal local inference bitwise. Then the same through {@code Main evaluate --probe FILE --data}, and
     * a probe of another encoder is refused.
     */
    @Test
    void anEncoderAndAStoredProbeScoreAsLocalInference(@TempDir Path tmp) throws Exception {
        SparkSession spark = SparkTestSession.get();
        List<String> texts = texts();
        List<String> classes = List.of("ham", "spam", "other");
        int d = 384;
        double[] w = new double[classes.size() * (d + 1)];
        for (int i = 0; i < w.length; i++) {
            w[i] = 4 * (Synthetic.u(i, 7) - 0.5);
        }
        LogisticProbe probe = LogisticProbe.of(classes.size(), d, w);
        String sha;
        double[][] local = new double[texts.size()][];
        try (OnnxTextEncoder e = OnnxTextEncoder.open(BundledEncoder.MINILM_Q, ModelOptions.defaults().withMaxLength(128))) {
            sha = e.spec().sha256();
            for (int i = 0; i < texts.size(); i++) {
                local[i] = probe.predictProba(e.predict(List.of(texts.get(i))).embeddingOf(0));
            }
        }
        Path file = tmp.resolve("probe.json");
        new ProbeArtifact("minilm-q", sha, 128, classes, probe).write(file);
        Dataset<Row> scored = LoupeSpark.scoreWithProbe(frame(spark, texts, classes), null, ProbeArtifact.read(file), "text", 1, 0);
        assertEquals(List.of("id", "text", "label", "prob_ham", "prob_spam", "prob_other"), List.of(scored.columns()));
        List<Row> rows = scored.collectAsList();
        assertEquals(texts.size(), rows.size());
        boolean spread = false;
        for (Row r : rows) {
            int id = r.getInt(0);
            for (int j = 0; j < classes.size(); j++) {
                assertEquals(local[id][j], r.getDouble(3 + j), 0.0, "text " + id + " class " + classes.get(j));
                spread |= Math.abs(local[id][j] - local[0][j]) > 1e-3;
            }
        }
        assertTrue(spread, "the texts get different probabilities");

        Path csv = tmp.resolve("texts.csv");
        StringBuilder sb = new StringBuilder("text,label\n");
        for (int i = 0; i < 12; i++) {
            sb.append("\"message number ").append(i).append(i % 2 == 0 ? " win money now" : " see you at lunch")
                    .append("\",").append(classes.get(i % 3)).append('\n');
        }
        java.nio.file.Files.writeString(csv, sb);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new String[] {"evaluate", "--probe", file.toString(), "--data", csv.toString(), "--bootstrap", "0",
                "--no-store", "-q"}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("minilm-q + probe " + file) && out.toString().contains("accuracy"), out.toString());

        Path other = tmp.resolve("other.json");
        new ProbeArtifact("minilm-q", "sha256:0000000000000000", 128, classes, probe).write(other);
        var e = assertThrows(dev.loupe.api.InvalidInputException.class, () -> LoupeSpark.scoreWithProbe(
                frame(spark, texts, classes), null, ProbeArtifact.read(other), "text", 1, 0));
        assertTrue(e.getMessage().contains("The probe was trained on the encoder minilm-q (SHA-256 sha256:00000"), e.getMessage());
    }

    @Test
    void aMissingTextColumnIsRefusedOnTheDriver() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.sql("select 'hello' as body, 'positive' as label");
        var e = assertThrows(dev.loupe.api.InvalidInputException.class, () -> LoupeSpark.score(df, MODEL.toString(), "text", 8, 0));
        assertTrue(e.getMessage().contains("no column 'text'") && e.getMessage().contains("--text-col"), e.getMessage());
        var e2 = assertThrows(dev.loupe.api.InvalidInputException.class, () -> LoupeSpark.score(df, "no/such/dir", "body", 8, 0));
        assertTrue(e2.getMessage().contains("No ONNX text classifier"), e2.getMessage());
    }

}
