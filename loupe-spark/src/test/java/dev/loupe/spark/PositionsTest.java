package dev.loupe.spark;

import dev.loupe.metrics.EvaluationResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row positions of a directory of files do not depend on how Spark splits and packs it: three CSV files (a.csv holds
 * generated rows [0, 2000), b.csv [2000, 20000), c.csv [20000, 30000)) read in 64 KB blocks, which Spark packs
 * largest first (so partition 0 starts inside b.csv), give the bootstrap intervals of a local run over the rows in
 * path order — the concatenation a.csv, b.csv, c.csv.
 */
class PositionsTest {
    @TempDir
    Path dir;

    @Test
    void positionsFollowThePathsNotThePartitions() throws IOException {
        long[] cuts = {0, 2_000, 20_000, 30_000};
        String[] names = {"a.csv", "b.csv", "c.csv"};
        for (int f = 0; f < names.length; f++) {
            try (Writer w = Files.newBufferedWriter(dir.resolve(names[f]))) {
                w.write("label,score,weight,group\n");
                for (long id = cuts[f]; id < cuts[f + 1]; id++) {
                    Row r = Synthetic.row(id, 2);
                    w.write(r.getString(0) + "," + r.getDouble(1) + "," + r.getDouble(2) + "," + r.getString(3) + "\n");
                }
            }
        }
        SparkSession spark = SparkTestSession.get();
        spark.conf().set("spark.sql.files.maxPartitionBytes", "65536");
        try {
            Dataset<Row> df = spark.read().option("header", "true").option("inferSchema", "true").csv(dir.toString());
            int partitions = df.rdd().getNumPartitions();
            assertTrue(partitions > 6, "the files are split: " + partitions + " partitions");
            String first = df.select(functions.input_file_name()).first().getString(0);
            assertFalse(first.endsWith("a.csv"), "partition 0 is not the first file by path: " + first);

            SparkOptions o = SparkOptions.defaults().positiveLabel("pos").negativeLabel("neg").bootstrap(200, 3)
                    .sliceBy(List.of("group"));
            LoupeSpark.Evaluation got = LoupeSpark.evaluateWithSlices(df, o, "three files");
            LoupeSpark.Evaluation want = Synthetic.local(cuts[3], 2, o.config(Synthetic.BINARY, 1), true);
            EqualityTest.assertSame(want.result(), got.result(), "directory of CSV files");
            Map<String, EvaluationResult> ws = want.slices().get("group");
            Map<String, EvaluationResult> gs = got.slices().get("group");
            assertEquals(List.copyOf(ws.keySet()), List.copyOf(gs.keySet()), "slices in order of first appearance in path order");
            for (String g : ws.keySet()) {
                EqualityTest.assertSame(ws.get(g), gs.get(g), "slice " + g);
            }
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
    }

    @Test
    void aBadRowIsNamedByItsFileAndLine() throws IOException {
        Files.writeString(dir.resolve("a.csv"), "label,score\npos,0.9\nneg,0.2\n");
        Files.writeString(dir.resolve("b.csv"), "label,score\nneg,0.1\npos,1.5\n");
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> df = spark.read().option("header", "true").option("inferSchema", "true").csv(dir.toString());
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.loupe.api.InvalidInputException.class,
                () -> LoupeSpark.evaluate(df, SparkOptions.defaults().positiveLabel("pos")));
        assertTrue(e.getMessage().contains("the first is row 1 (0-based) of file:") && e.getMessage().contains("b.csv, column"
                + " 'score': expected a probability in [0, 1] (the positive class's), got 1.5"), e.getMessage());
    }
}
