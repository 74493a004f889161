package dev.loupe.metrics;

import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Robustness}: the change of each metric with its paired interval equals the percentile interval of the
 * per-replicate differences recomputed row by row from the rows' own Poisson draws; the flip rate's likewise; and the
 * paired interval is narrower than the unpaired one would be.
 */
class RobustnessTest {
    static final List<String> CLASSES = List.of("ham", "spam");

    record Scored(EvaluationState state, int[] pred, boolean[] correct) {
    }

    static Scored score(int[] y, double[] pSpam, EvaluationConfig cfg) {
        PredictionBatch b = new PredictionBatch(2, y.length, false);
        int[] pred = new int[y.length];
        boolean[] correct = new boolean[y.length];
        for (int i = 0; i < y.length; i++) {
            double[] p = {1 - pSpam[i], pSpam[i]};
            pred[i] = pSpam[i] >= 0.5 ? 1 : 0;
            correct[i] = pred[i] == y[i];
            b.add(i, y[i], pred[i], 1.0, p, 0);
        }
        EvaluationState s = new EvaluationState(cfg);
        s.update(b);
        return new Scored(s, pred, correct);
    }

    @Test
    void changesHavePairedIntervalsFromTheSameResamples() {
        int n = 400;
        int reps = 300;
        long seed = 11;
        EvaluationConfig cfg = EvaluationConfig.defaults(2, 1).withBootstrap(reps, seed);
        SplittableRandom rng = new SplittableRandom(5);
        int[] y = new int[n];
        double[] clean = new double[n];
        double[] pert = new double[n];
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = i;
            y[i] = rng.nextInt(2);
            clean[i] = y[i] == 1 ? 0.6 + 0.4 * rng.nextDouble() : 0.4 * rng.nextDouble();
            if (rng.nextDouble() < 0.1) {
                clean[i] = 1 - clean[i]; // 10 % errors
            }
            // the perturbation flips 8 % of rows (mostly to the wrong side) and moves every probability a little
            pert[i] = rng.nextDouble() < 0.08 ? 1 - clean[i] : Math.min(1, Math.max(0, clean[i] + 0.05 * (rng.nextDouble() - 0.5)));
        }
        Scored a = score(y, clean, cfg);
        Scored b = score(y, pert, cfg);
        EvaluationResult cleanResult = a.state().result(CLASSES);
        Robustness r = Robustness.compare(a.state(), cleanResult, b.state(), a.pred(), b.pred(), keys, CLASSES);

        // point changes are perturbed − clean
        for (String key : List.of("accuracy", "f1", "log_loss", "brier", "roc_auc")) {
            assertEquals(r.perturbed().metric(key).value() - cleanResult.metric(key).value(), r.delta(key).value(), 1e-12, key);
        }
        assertTrue(Double.isNaN(r.delta("roc_auc").ciLow()), "ranking metrics: no paired interval");

        // the accuracy change's interval, recomputed from the Poisson weights row by row: equal to PairedComparison's
        PairedComparison.Result paired = PairedComparison.compare(a.correct(), b.correct(), keys, reps, seed, 0.95);
        MetricValue acc = r.delta("accuracy");
        assertEquals(paired.delta(), acc.value(), 1e-12);
        assertEquals(paired.ciLow(), acc.ciLow(), 1e-12);
        assertEquals(paired.ciHigh(), acc.ciHigh(), 1e-12);

        // the flip rate and its interval, recomputed
        int flips = 0;
        long[] w = new long[reps];
        long[] f = new long[reps];
        for (int i = 0; i < n; i++) {
            boolean flip = a.pred()[i] != b.pred()[i];
            flips += flip ? 1 : 0;
            long h = Poisson.rowHash(seed, keys[i]);
            for (int rep = 0; rep < reps; rep++) {
                int d = Poisson.draw(h, rep);
                w[rep] += d;
                f[rep] += flip ? d : 0;
            }
        }
        double[] rates = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            rates[rep] = (double) f[rep] / w[rep];
        }
        double[] ci = Percentiles.interval(rates, 0.95);
        assertEquals(flips, r.flips());
        assertEquals((double) flips / n, r.flipRate().value(), 1e-12);
        assertEquals(ci[0], r.flipRate().ciLow(), 1e-12);
        assertEquals(ci[1], r.flipRate().ciHigh(), 1e-12);

        // pairing pays: the change's interval is narrower than the two accuracies' intervals side by side suggest
        double pairedWidth = acc.ciHigh() - acc.ciLow();
        MetricValue ca = cleanResult.metric("accuracy");
        MetricValue pa = r.perturbed().metric("accuracy");
        double unpaired = Math.hypot(ca.ciHigh() - ca.ciLow(), pa.ciHigh() - pa.ciLow());
        assertTrue(pairedWidth < 0.7 * unpaired, pairedWidth + " vs " + unpaired);
        assertTrue(acc.ciHigh() < 0, "the drop is clear: " + acc);
    }

    @Test
    void anUnchangedScoringChangesNothing() {
        EvaluationConfig cfg = EvaluationConfig.defaults(2, 1).withBootstrap(100, 1);
        int[] y = {0, 1, 1, 0, 1, 0, 0, 1};
        double[] p = {0.2, 0.9, 0.4, 0.1, 0.7, 0.6, 0.3, 0.8};
        Scored a = score(y, p, cfg);
        Scored b = score(y, p, cfg);
        long[] keys = {0, 1, 2, 3, 4, 5, 6, 7};
        EvaluationResult clean = a.state().result(CLASSES);
        Robustness r = Robustness.compare(a.state(), clean, b.state(), a.pred(), b.pred(), keys, CLASSES);
        assertEquals(0, r.flips());
        for (String key : List.of("accuracy", "f1", "log_loss", "mcc")) {
            assertEquals(0.0, r.delta(key).value(), 0, key);
            assertEquals(0.0, r.delta(key).ciLow(), 0, key);
            assertEquals(0.0, r.delta(key).ciHigh(), 0, key);
        }
        assertEquals(new MetricValue(0, 0, 0), r.flipRate());
    }
}
