package dev.loupe.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code loupe-spark evaluate} end to end in local[2]: CSV, Parquet and JSON inputs give the JSON document {@code loupe
 * evaluate} writes for the same CSV (every number to 1e-12); the run is recorded with the same dataset hash; bad input
 * (a missing column, a non-numeric score, empty values) exits 2 with a message naming the column and the row.
 */
class MainTest {
    @TempDir
    static Path dir;
    static Path csv;

    @BeforeAll
    static void files() throws Exception {
        csv = dir.resolve("preds.csv");
        StringBuilder sb = new StringBuilder("id,label,score,weight,group\n");
        double[] p = new double[2];
        for (long i = 0; i < 3000; i++) {
            Synthetic.probs(i, 2, p);
            sb.append(i).append(',').append(Synthetic.classes(2).get(Synthetic.label(i, 2))).append(',').append(p[1])
                    .append(',').append(Synthetic.weight(i)).append(',').append(Synthetic.group(i)).append('\n');
        }
        Files.writeString(csv, sb);
        SparkSession spark = SparkTestSession.get();
        var df = spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString()).coalesce(1);
        df.write().mode(SaveMode.Overwrite).parquet(dir.resolve("preds.parquet").toString());
        df.write().mode(SaveMode.Overwrite).json(dir.resolve("preds-json").toString());
    }

    record Run(int code, String out, String err) {
    }

    static Run spark(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void csvParquetAndJsonEqualTheLocalCli() throws Exception {
        Path store = dir.resolve("store.db");
        Path local = dir.resolve("local.json");
        StringWriter lo = new StringWriter();
        StringWriter le = new StringWriter();
        int lc = dev.loupe.cli.Main.run(new String[] {"evaluate", "--predictions", csv.toString(), "--positive-label", "pos",
                "--bootstrap", "200", "--slice-by", "group", "--json", local.toString(), "--no-store", "-q"},
                new PrintWriter(lo, true), new PrintWriter(le, true));
        assertEquals(0, lc, le.toString());
        JsonNode want = new ObjectMapper().readTree(local.toFile());
        String[][] inputs = {{csv.toString(), null}, {dir.resolve("preds.parquet").toString(), null},
            {dir.resolve("preds-json").toString(), "json"}};
        for (String[] in : inputs) {
            Path out = dir.resolve("spark-" + Path.of(in[0]).getFileName() + ".json");
            List<String> args = new ArrayList<>(List.of("evaluate", "--predictions", in[0], "--positive-label", "pos",
                    "--bootstrap", "200", "--slice-by", "group", "--json", out.toString(), "--store", store.toString(), "-q"));
            if (in[1] != null) {
                args.addAll(List.of("--format", in[1]));
            }
            Run r = spark(args.toArray(new String[0]));
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("roc_auc"), r.out());
            sameJson(want, new ObjectMapper().readTree(out.toFile()), in[0]);
        }
        try (RunStore s = RunStore.open(StoreLocation.resolve(store.toString()))) {
            List<RunInfo> runs = s.listRuns(null);
            assertEquals(3, runs.size());
            RunInfo csvRun = runs.stream().filter(r -> r.name().equals("evaluate preds.csv")).findFirst().orElseThrow();
            assertEquals(dev.loupe.cli.EvaluationOutputs.sha256(csv), csvRun.provenance().datasetHash());
            Map<String, Double> stored = new java.util.HashMap<>();
            s.metrics(csvRun.id()).forEach(m -> stored.put(m.name(), m.value()));
            assertEquals(want.at("/metrics/roc_auc/value").asDouble(), stored.get("roc_auc"), 1e-12);
            assertTrue(stored.containsKey("roc_auc[group=g1]"), stored.keySet().toString());
        }
    }

    /** Every number equal to 1e-12 (relative), everything else equal. */
    static void sameJson(JsonNode want, JsonNode got, String where) {
        if (want.isNumber()) {
            assertTrue(got.isNumber(), where + ": expected a number, got " + got);
            double a = want.asDouble();
            double b = got.asDouble();
            assertEquals(a, b, 1e-12 * Math.max(1, Math.abs(a)), where);
            return;
        }
        if (want.isObject()) {
            List<String> wn = new ArrayList<>();
            want.fieldNames().forEachRemaining(wn::add);
            List<String> gn = new ArrayList<>();
            got.fieldNames().forEachRemaining(gn::add);
            assertEquals(wn, gn, where + ": fields");
            for (String f : wn) {
                sameJson(want.get(f), got.get(f), where + "/" + f);
            }
            return;
        }
        if (want.isArray()) {
            assertEquals(want.size(), got.size(), where + ": length");
            Iterator<JsonNode> a = want.elements();
            Iterator<JsonNode> b = got.elements();
            int i = 0;
            while (a.hasNext()) {
                sameJson(a.next(), b.next(), where + "[" + i++ + "]");
            }
            return;
        }
        assertEquals(want, got, where);
    }

    @Test
    void scoringAModelEqualsTheLocalCli() throws Exception {
        Path texts = Path.of("src/test/resources/texts.csv");
        String model = ScoringTest.MODEL.toString();
        Path local = dir.resolve("local-model.json");
        StringWriter le = new StringWriter();
        int lc = dev.loupe.cli.Main.run(new String[] {"evaluate", "--model", model, "--data", texts.toString(),
                "--batch-size", "1", "--bootstrap", "100", "--json", local.toString(), "--no-store", "-q"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(le, true));
        assertEquals(0, lc, le.toString());
        Path out = dir.resolve("spark-model.json");
        Path store = dir.resolve("model-store.db");
        Run r = spark("evaluate", "--model", model, "--data", texts.toString(), "--batch-size", "1", "--bootstrap", "100",
                "--json", out.toString(), "--store", store.toString(), "-q");
        assertEquals(0, r.code(), r.err());
        sameJson(new ObjectMapper().readTree(local.toFile()), new ObjectMapper().readTree(out.toFile()), "model");
        try (RunStore s = RunStore.open(StoreLocation.resolve(store.toString()))) {
            RunInfo run = s.listRuns(null).get(0);
            try (var m = dev.loupe.models.Models.open(model, dev.loupe.models.ModelOptions.defaults())) {
                assertEquals(m.spec().sha256(), run.provenance().modelSha256());
            }
        }
    }

    @Test
    void missingColumnExits2() throws Exception {
        Path f = dir.resolve("nolabel.csv");
        Files.writeString(f, "truth,score\npos,0.9\nneg,0.2\n");
        Run r = spark("evaluate", "--predictions", f.toString(), "--positive-label", "pos", "--no-store");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no label column 'label'") && r.err().contains("--label-col"), r.err());
    }

    @Test
    void nonNumericScoreExits2() throws Exception {
        Path f = dir.resolve("text-score.csv");
        Files.writeString(f, "label,score\npos,0.9\nneg,high\n");
        Run r = spark("evaluate", "--predictions", f.toString(), "--positive-label", "pos", "--no-store");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("column 'score': expected numbers") && r.err().contains("'high'"), r.err());
    }

    @Test
    void emptyValuesExit2NamingTheRow() throws Exception {
        Path f = dir.resolve("nulls.csv");
        Files.writeString(f, "label,score\npos,0.9\nneg,0.2\nneg,\npos,0.7\n,0.1\n");
        Run r = spark("evaluate", "--predictions", f.toString(), "--positive-label", "pos", "--no-store");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("2 rows cannot be evaluated; the first is row 2 (0-based) of file:")
                && r.err().contains("nulls.csv, column 'score': the score is empty"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void unknownLabelAndOutOfRangeProbability() {
        SparkSession spark = SparkTestSession.get();
        var df = spark.sql("select * from values ('a', 0.2, 0.8), ('b', 0.5, 0.5), ('c', 0.9, 0.1) as t(label, prob_a, prob_b)").coalesce(1);
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.loupe.api.InvalidInputException.class,
                () -> LoupeSpark.evaluate(df, SparkOptions.defaults().bootstrap(0, 0)));
        assertTrue(e.getMessage().contains("row 2 of partition 0 (0-based), column 'label': the label 'c' is not one of the classes [a, b]"),
                e.getMessage());
        var df2 = spark.sql("select * from values ('a', 1.2, -0.2) as t(label, prob_a, prob_b)");
        var e2 = org.junit.jupiter.api.Assertions.assertThrows(dev.loupe.api.InvalidInputException.class,
                () -> LoupeSpark.evaluate(df2, SparkOptions.defaults()));
        assertTrue(e2.getMessage().contains("column 'prob_a': expected a probability in [0, 1], got 1.2"), e2.getMessage());
        assertEquals(2, e2.exitCode());
    }
}
