package dev.loupe.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.Models;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

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
