package dev.loupe.spark;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;
import dev.loupe.metrics.EvaluationResult;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark local[2] against the local engine over the same 1M generated rows: every metric, interval, per-class value,
 * confusion count and slice equal to 1e-12 whatever the partitioning (1, 2, 7 and 64 partitions), binary (weighted,
 * tied scores) and 10-class, exact curves and the binned mode; binary also without intervals, where the exact curves
 * travel as distinct scores ({@link ScoreTies}) and the same 4-decimal score occurs in every partition.
 */
class EqualityTest {
    static final long N = 1_000_000;
    static final double TOL = 1e-12;

    /**
     * Binary cases slice by group and keep 100 bootstrap replicates; the 10-class exact cases (10M scores, curves of 1M
     * points per class) keep 20 and no slices, so that the test fits a 3 GB heap and a few minutes on 2 cores.
     */
    @ParameterizedTest(name = "{0} classes, {1} partitions, bins {2}, intervals {3}")
    @CsvSource({"2, 1, 0, true", "2, 2, 0, true", "2, 7, 0, true", "2, 64, 0, true", "2, 7, 1000, true",
            "2, 1, 0, false", "2, 2, 0, false", "2, 7, 0, false", "2, 64, 0, false",
            "10, 1, 0, true", "10, 2, 0, true", "10, 7, 0, true", "10, 64, 0, true", "10, 7, 1000, true"})
    void sparkEqualsLocalEngine(int k, int partitions, int bins, boolean intervals) {
        SparkSession spark = SparkTestSession.get();
        boolean sliced = k == 2 || bins > 0;
        SparkOptions o = options(k, bins, intervals);
        if (sliced) {
            o.sliceBy(List.of("group"));
        }
        expected(k, bins, intervals);
        LoupeSpark.Evaluation got = LoupeSpark.evaluateWithSlices(Synthetic.frame(spark, N, partitions, k), o, "synthetic");
        assertEquals(k == 2 && bins == 0 && !intervals, Partial.collapsesTies(o.config(Synthetic.classes(k), k == 2 ? 1 : -1)),
                "exactly the binary exact cases without intervals collapse ties");
        assertSame(expectedOverall, Summary.of(got.result()), "overall");
        if (sliced) {
            Map<String, EvaluationResult> gs = got.slices().get("group");
            assertEquals(List.copyOf(expectedSlices.keySet()), List.copyOf(gs.keySet()), "slices, in order of first appearance");
            assertEquals(3, gs.size());
            for (String g : expectedSlices.keySet()) {
                assertSame(expectedSlices.get(g), Summary.of(gs.get(g)), "slice group=" + g);
            }
        }
    }

    private static SparkOptions options(int k, int bins, boolean intervals) {
        SparkOptions o = SparkOptions.defaults().bootstrap(!intervals ? 0 : k == 2 ? 100 : 20, 7).bins(bins);
        return k == 2 ? o.positiveLabel("pos") : o;
    }

    /** The last expected evaluation, as summaries (a 10-class exact result holds curves of 1M points per class). */
    private static String expectedKey;
    private static Summary expectedOverall;
    private static Map<String, Summary> expectedSlices;

    private static synchronized void expected(int k, int bins, boolean intervals) {
        String key = k + "/" + bins + "/" + intervals;
        if (!key.equals(expectedKey)) {
            expectedOverall = null;
            expectedSlices = null;
            LoupeSpark.Evaluation e = Synthetic.local(N, k, options(k, bins, intervals).config(Synthetic.classes(k), k == 2 ? 1 : -1),
                    k == 2 || bins > 0);
            expectedOverall = Summary.of(e.result());
            expectedSlices = new java.util.LinkedHashMap<>();
            e.slices().getOrDefault("group", Map.of()).forEach((g, r) -> expectedSlices.put(g, Summary.of(r)));
            expectedKey = key;
        }
    }

    static void assertSame(EvaluationResult want, EvaluationResult got, String where) {
        assertSame(Summary.of(want), Summary.of(got), where);
    }

    /**
     * What the comparison reads of a result, without its curves' points (a 10-class exact result over 1M rows holds
     * about 700 MB of them): the expected side is kept as this while Spark computes its own.
     */
    record Summary(long rows, double totalWeight, List<String> classes, Map<MetricId, MetricValue> metrics,
                   List<EvaluationResult.PerClassResult> perClass, double[][] confusion, int[] rocPoints,
                   double[] aucErrorBound, double ece, List<String> warnings) {
        static Summary of(EvaluationResult r) {
            return new Summary(r.rows(), r.totalWeight(), r.classes(), r.metrics(), r.perClass(), r.confusion(),
                    r.roc().stream().mapToInt(c -> c.fpr().length).toArray(), r.aucErrorBound(), r.calibration().ece(),
                    r.warnings());
        }
    }

    static void assertSame(Summary want, Summary got, String where) {
        assertEquals(want.rows(), got.rows(), where + ": rows");
        close(want.totalWeight(), got.totalWeight(), where + ": total weight");
        assertEquals(want.classes(), got.classes(), where + ": classes");
        assertEquals(want.metrics().keySet(), got.metrics().keySet(), where + ": metric names");
        int intervals = 0;
        boolean any = want.metrics().values().stream().anyMatch(v -> !Double.isNaN(v.ciLow()));
        for (Map.Entry<MetricId, MetricValue> e : want.metrics().entrySet()) {
            MetricValue g = got.metrics().get(e.getKey());
            String m = where + ": " + e.getKey();
            close(e.getValue().value(), g.value(), m);
            close(e.getValue().ciLow(), g.ciLow(), m + " interval low");
            close(e.getValue().ciHigh(), g.ciHigh(), m + " interval high");
            intervals += Double.isNaN(e.getValue().ciLow()) ? 0 : 1;
        }
        assertTrue(!any || intervals > 10, where + ": the intervals are compared too (" + intervals + ")");
        for (int c = 0; c < want.perClass().size(); c++) {
            EvaluationResult.PerClassResult a = want.perClass().get(c);
            EvaluationResult.PerClassResult b = got.perClass().get(c);
            String m = where + ": class " + a.label();
            close(a.precision(), b.precision(), m + " precision");
            close(a.recall(), b.recall(), m + " recall");
            close(a.support(), b.support(), m + " support");
            close(a.rocAuc(), b.rocAuc(), m + " roc auc");
            close(a.averagePrecision(), b.averagePrecision(), m + " AP");
            close(a.rocAucCiLow(), b.rocAucCiLow(), m + " roc auc low");
            close(a.averagePrecisionCiHigh(), b.averagePrecisionCiHigh(), m + " AP high");
            for (int p = 0; p < want.perClass().size(); p++) {
                assertEquals(want.confusion()[c][p], got.confusion()[c][p], m + " confusion " + p);
            }
            assertEquals(want.rocPoints()[c], got.rocPoints()[c], m + " ROC points");
            close(want.aucErrorBound()[c], got.aucErrorBound()[c], m + " AUC bound");
        }
        close(want.ece(), got.ece(), where + ": ECE");
        assertEquals(want.warnings(), got.warnings(), where + ": warnings");
    }

    static void close(double want, double got, String what) {
        if (Double.isNaN(want)) {
            assertTrue(Double.isNaN(got), what + ": expected NaN, got " + got);
            return;
        }
        assertEquals(want, got, TOL * Math.max(1, Math.abs(want)), what);
    }
}
