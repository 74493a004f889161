package dev.loupe.spark;

import dev.loupe.api.InvalidInputException;
import dev.loupe.metrics.EvaluationResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A score column without --negative-label: the evaluation pass itself finds the other label (no pass of its own), in
 * any partitioning; none is {@code not_<positive>}; two or more are refused, named, before any metric.
 */
class NegativeLabelTest {
    @Test
    void theOtherLabelIsFoundInTheEvaluationPass() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = Synthetic.frame(spark, 20_000, 5, 2);
        SparkOptions found = SparkOptions.defaults().positiveLabel("pos").bootstrap(50, 1);
        EvaluationResult got = LoupeSpark.evaluate(df, found);
        assertEquals(List.of("neg", "pos"), got.classes());
        EvaluationResult given = LoupeSpark.evaluate(df, SparkOptions.defaults().positiveLabel("pos").negativeLabel("neg")
                .bootstrap(50, 1));
        EqualityTest.assertSame(given, got, "negative label found = given");
    }

    @Test
    void numericLabelsMatchThePositiveAsNumbers() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.sql("select * from values (1, 0.9), (0, 0.2), (1, 0.6), (0, 0.7) as t(label, score)");
        EvaluationResult r = LoupeSpark.evaluate(df, SparkOptions.defaults().positiveLabel("1.0").bootstrap(0, 0));
        assertEquals(List.of("0", "1.0"), r.classes());
        assertEquals(0.75, r.metric("roc_auc").value(), 1e-15);
    }

    @Test
    void onlyPositiveRowsGiveNotPositive() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.sql("select * from values ('yes', 0.9), ('yes', 0.2) as t(label, score)");
        EvaluationResult r = LoupeSpark.evaluate(df, SparkOptions.defaults().positiveLabel("yes").bootstrap(0, 0));
        assertEquals(List.of("not_yes", "yes"), r.classes());
    }

    @Test
    void threeClassesWithAScoreColumnAreRefused() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.sql("select * from values ('a', 0.9), ('b', 0.2), ('a', 0.4), ('c', 0.1), ('d', 0.3),"
                + " ('e', 0.5) as t(label, score)").repartition(3);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> LoupeSpark.evaluate(df, SparkOptions.defaults().positiveLabel("a")));
        assertTrue(e.getMessage().contains("the 'score' column means a binary task with positive label 'a', but the label"
                + " column 'label' has other labels [b, c, d] (and maybe more)"), e.getMessage());
        assertEquals(2, e.exitCode());
    }
}
