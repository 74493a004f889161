package dev.loupe.metrics;

import dev.loupe.api.MetricState;
import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The laws every {@link MetricState} obeys, written once and run over every state: splitting the input into
 * any batches, or merging partial states in any order, gives the same result (to 1e-12) as one pass.
 */
class MergeContractTest {
    record StateCase<S extends MetricState<S>>(String name, Supplier<S> factory, Function<S, double[]> fingerprint) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final long SEED = 42;
    static final int REPS = 25;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String golden : List.of("binary_weights", "multiclass5_weights", "binary_ties", "never_predicted")) {
            Golden g = Golden.load(golden);
            int k = g.classes().size();
            int pos = g.positive();
            for (StateCase<?> sc : List.<StateCase<?>>of(
                    new StateCase<>("confusion", () -> new ConfusionState(k), ConfusionState::counts),
                    new StateCase<>("probability", () -> new ProbabilityState(k, k >= 3 ? 2 : 0, 15, 20), MergeContractTest::probability),
                    new StateCase<>("exact-ranking", () -> new ExactRankingState(k), s -> ranking(s, k)),
                    new StateCase<>("binned-ranking", () -> new BinnedRankingState(k, 50, REPS, SEED), s -> ranking(s, k)),
                    new StateCase<>("bootstrap", () -> new BootstrapState(k, REPS, SEED, k >= 3 ? 2 : 0, 15), s -> bootstrap(s, pos)),
                    new StateCase<>("evaluation", () -> new EvaluationState(new EvaluationConfig(k, pos, REPS, SEED, 0.95, 15, 20, 0)),
                            s -> evaluation(s, g.classes())))) {
                out.add(Arguments.of(golden, sc));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    <S extends MetricState<S>> void anyBatchingAndAnyMergeOrderGiveTheSameResult(String golden, StateCase<S> sc) {
        PredictionBatch all = Golden.load(golden).batch();
        S onePass = sc.factory().get();
        onePass.update(all);
        double[] expected = sc.fingerprint().apply(onePass);
        assertTrue(expected.length > 0);

        Random rnd = new Random(7);
        for (int trial = 0; trial < 4; trial++) {
            // random batch boundaries, all in one state
            List<PredictionBatch> parts = split(all, rnd);
            S streamed = sc.factory().get();
            for (PredictionBatch p : parts) {
                streamed.update(p);
            }
            assertClose(sc + " batched", expected, sc.fingerprint().apply(streamed));

            // one state per part, merged in a random order and tree shape; inputs of merge stay untouched
            List<S> states = new ArrayList<>();
            for (PredictionBatch p : parts) {
                S s = sc.factory().get();
                s.update(p);
                states.add(s);
            }
            Collections.shuffle(states, rnd);
            while (states.size() > 1) {
                int i = rnd.nextInt(states.size() - 1);
                S a = states.remove(i);
                S b = states.remove(i);
                states.add(i, a.merge(b));
            }
            assertClose(sc + " merged", expected, sc.fingerprint().apply(states.get(0)));

            // merging with an empty state is the identity
            S withEmpty = sc.factory().get().merge(onePass.emptyCopy());
            withEmpty.merge(onePass);
            assertClose(sc + " with empty", expected, sc.fingerprint().apply(withEmpty));
        }
    }

    static List<PredictionBatch> split(PredictionBatch all, Random rnd) {
        List<PredictionBatch> parts = new ArrayList<>();
        int from = 0;
        while (from < all.size()) {
            int to = Math.min(all.size(), from + 1 + rnd.nextInt(all.size() / 3));
            parts.add(all.slice(from, to));
            from = to;
        }
        return parts;
    }

    static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": fingerprint length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e)) {
                assertTrue(Double.isNaN(a), what + " [" + i + "] expected NaN, got " + a);
            } else {
                assertEquals(e, a, 1e-12 * Math.max(1, Math.abs(e)), what + " [" + i + "]");
            }
        }
    }

    static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    static double[] probability(ProbabilityState s) {
        List<double[]> p = new ArrayList<>();
        p.add(new double[] {s.logLoss(), s.brier(), s.topKAccuracy()});
        Calibration.Reliability r = s.reliability();
        p.add(r.weight());
        p.add(r.confidence());
        p.add(r.accuracy());
        for (double[][] a : s.histograms()) {
            for (double[] b : a) {
                p.add(b);
            }
        }
        return concat(p);
    }

    static double[] ranking(RankingState<?> s, int k) {
        List<double[]> p = new ArrayList<>();
        List<Curves.ThresholdCounts> classCounts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Curves.ThresholdCounts counts = s.counts(c);
            classCounts.add(counts);
            p.add(counts.thresholds());
            p.add(counts.tps());
            p.add(counts.fps());
            double[][] boot = s.bootstrapAucAp(c, REPS, SEED);
            if (boot != null) {
                p.add(boot[0]);
                p.add(boot[1]);
            }
        }
        if (k > 2) { // the micro average's counts, as EvaluationState computes them
            Curves.ThresholdCounts micro = Curves.sum(classCounts);
            p.add(micro.tps());
            p.add(micro.fps());
        }
        for (double[] v : new double[][] {s.ovoAuc(), s.bootstrapMicroAp(REPS, SEED),
            k == 2 ? s.bootstrapPartialAuc(1, REPS, SEED, 0.3) : null}) {
            if (v != null) {
                p.add(v);
            }
        }
        double[][] ovo = s.bootstrapOvoAuc(REPS, SEED);
        if (ovo != null) {
            p.add(concat(List.of(ovo)));
        }
        Calibration.Reliability r = s.equalMass(10);
        p.add(r.weight());
        p.add(r.confidence());
        p.add(r.accuracy());
        return concat(p);
    }

    static double[] bootstrap(BootstrapState s, int pos) {
        Map<String, double[]> sorted = new TreeMap<>();
        s.replicateValues(pos).forEach((id, v) -> sorted.put(id.key(), v));
        return concat(new ArrayList<>(sorted.values()));
    }

    static double[] evaluation(EvaluationState s, List<String> classes) {
        EvaluationResult r = s.result(classes);
        List<double[]> p = new ArrayList<>();
        for (MetricValue v : r.metrics().values()) {
            p.add(new double[] {v.value(), v.ciLow(), v.ciHigh()});
        }
        for (Curves.Roc roc : r.roc()) {
            p.add(roc.fpr());
            p.add(roc.tpr());
        }
        return concat(p);
    }
}
