package dev.loupe.metrics;

import dev.loupe.api.MetricId;
import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bootstrap replicate is the data with each row counted Poisson.draw times: every replicate value (all scalar metrics,
 * one-vs-one AUC, micro AP, partial AUC) must equal the point estimate on the data reweighted (or, for the one-vs-one
 * AUC, which takes no weights, repeated) that way. This pins the intervals of every metric to the metric itself.
 */
class ReplicateTest {
    static final int REPS = 24;
    static final long SEED = 11;
    static final int[] CHECKED = {0, 5, 17, 23};

    /** The golden case with row i counted {@code Poisson.draw(i, b)} times: as a weight, or as repeated rows. */
    static PredictionBatch resampled(Golden g, int b, boolean repeat) {
        PredictionBatch src = g.batch();
        int k = g.classes().size();
        List<Integer> rows = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < src.size(); i++) {
            int d = Poisson.draw(Poisson.rowHash(SEED, src.key(i)), b);
            for (int r = 0; r < (repeat ? d : Math.min(d, 1)); r++) {
                rows.add(i);
                weights.add(src.weight(i) * (repeat ? 1 : d));
            }
        }
        int n = rows.size();
        double[] probs = new double[n * k];
        int[] labels = new int[n];
        int[] preds = new int[n];
        double[] w = new double[n];
        for (int j = 0; j < n; j++) {
            int i = rows.get(j);
            System.arraycopy(src.probs(), i * k, probs, j * k, k);
            labels[j] = src.label(i);
            preds[j] = src.pred(i);
            w[j] = weights.get(j);
        }
        return PredictionBatch.of(k, probs, labels, preds, repeat && !src.isWeighted() ? null : w);
    }

    static EvaluationResult point(Golden g, PredictionBatch batch, MetricOptions options) {
        EvaluationState s = new EvaluationState(EvaluationConfig.defaults(g.classes().size(), g.positive()).withBootstrap(0, 0)
                .withOptions(options.withClassNames(g.classes())));
        s.update(batch);
        return s.result(g.classes());
    }

    static void same(String what, double expected, double actual) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected undefined, got " + actual);
        } else {
            assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary_weights", "multiclass5_weights", "never_predicted", "multiclass3_permuted", "one_class"})
    void everyAdditiveMetricsReplicateIsTheMetricOfTheReweightedData(String name) {
        Golden g = Golden.load(name);
        int k = g.classes().size();
        MetricOptions options = MetricOptions.defaults().withTopK(List.of(1, 2, 3)).withBetas(List.of(2.0, 0.5, 3.0))
                .withClassNames(g.classes());
        BootstrapState boot = new BootstrapState(k, REPS, SEED, 15, options);
        boot.update(g.batch());
        Map<MetricId, double[]> reps = boot.replicateValues(g.positive());
        assertTrue(reps.size() >= 30, "replicated metrics: " + reps.keySet());
        for (int b : CHECKED) {
            EvaluationResult r = point(g, resampled(g, b, false), options);
            for (Map.Entry<MetricId, double[]> e : reps.entrySet()) {
                assertNotNull(r.metric(e.getKey().key()), e.getKey().key());
                same(name + " replicate " + b + " " + e.getKey().key(), r.metric(e.getKey().key()).value(), e.getValue()[b]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"never_predicted", "absent_class", "multiclass3_permuted"})
    void oneVsOneAucReplicates(String name) {
        Golden g = Golden.load(name);
        int k = g.classes().size();
        ExactRankingState s = new ExactRankingState(k);
        s.update(g.batch());
        double[][] reps = s.bootstrapOvoAuc(REPS, SEED);
        for (int b : CHECKED) {
            EvaluationResult r = point(g, resampled(g, b, true), MetricOptions.defaults());
            double[] avg = EvaluationState.ovoAverages(reps[b], k);
            same(name + " ovo macro " + b, r.metric("roc_auc_ovo_macro").value(), avg[0]);
            same(name + " ovo weighted " + b, r.metric("roc_auc_ovo_weighted").value(), avg[1]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"multiclass5_weights", "absent_class", "multiclass3_ties"})
    void microAveragePrecisionReplicates(String name) {
        Golden g = Golden.load(name);
        ExactRankingState s = new ExactRankingState(g.classes().size());
        s.update(g.batch());
        double[] reps = s.bootstrapMicroAp(REPS, SEED);
        for (int b : CHECKED) {
            same(name + " micro AP " + b, point(g, resampled(g, b, false), MetricOptions.defaults())
                    .metric("average_precision_micro").value(), reps[b]);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.3, 1.0})
    void partialAucReplicates(double maxFpr) {
        for (String name : new String[] {"binary_ties", "binary_weights"}) {
            Golden g = Golden.load(name);
            ExactRankingState s = new ExactRankingState(2);
            s.update(g.batch());
            double[] reps = s.bootstrapPartialAuc(g.positive(), REPS, SEED, maxFpr);
            for (int b : CHECKED) {
                same(name + " partial AUC " + maxFpr + " replicate " + b, point(g, resampled(g, b, false),
                        MetricOptions.defaults().withMaxFpr(maxFpr)).metric("partial_roc_auc").value(), reps[b]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"binary_weights", "never_predicted", "multiclass3_permuted"})
    void everyDefinedMetricHasAnInterval(String name) {
        Golden g = Golden.load(name);
        int k = g.classes().size();
        EvaluationState s = new EvaluationState(EvaluationConfig.defaults(k, g.positive()).withBootstrap(100, 3)
                .withOptions(MetricOptions.defaults().withTopK(List.of(1, 2)).withMaxFpr(k == 2 ? 0.2 : Double.NaN)
                        .withClassNames(g.classes())));
        s.update(g.batch());
        EvaluationResult r = s.result(g.classes());
        r.metrics().forEach((id, v) -> {
            if (!Double.isNaN(v.value())) {
                assertTrue(v.ciLow() <= v.ciHigh(), name + " " + id.key() + " has an interval: " + v);
            }
        });
    }

    /**
     * The one-vs-one sums gathered along the passes that walk each class's order anyway (counts for the point
     * estimate, bootstrapAucAp for the replicates) equal, bit for bit, those of the one-vs-one pass of their own
     * (what a state asked for them first computes), ties across classes included.
     */
    @ParameterizedTest
    @ValueSource(strings = {"never_predicted", "absent_class", "multiclass3_permuted", "multiclass3_ties"})
    void oneVsOneSumsGatheredAlongTheOtherPassesEqualTheirOwnPass(String name) {
        Golden g = Golden.load(name);
        int k = g.classes().size();
        ExactRankingState alone = new ExactRankingState(k);
        alone.update(g.batch());
        double[] point = alone.ovoAuc();
        double[][] reps = alone.bootstrapOvoAuc(REPS, SEED);
        ExactRankingState along = new ExactRankingState(k);
        along.update(g.batch());
        for (int c = 0; c < k; c++) {
            along.counts(c);
            along.counts(c); // asked twice: still added once
            along.bootstrapAucAp(c, REPS, SEED);
        }
        assertArrayEquals(point, along.ovoAuc(), 0.0, name + " point");
        double[][] gathered = along.bootstrapOvoAuc(REPS, SEED);
        for (int b = 0; b < REPS; b++) {
            assertArrayEquals(reps[b], gathered[b], 0.0, name + " replicate " + b);
        }
        // another seed is not what was gathered: its own pass
        ExactRankingState other = new ExactRankingState(k);
        other.update(g.batch());
        assertArrayEquals(other.bootstrapOvoAuc(REPS, SEED + 1)[3], along.bootstrapOvoAuc(REPS, SEED + 1)[3], 0.0, name + " other seed");
    }
}
