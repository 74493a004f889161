package dev.loupe.cli;

import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.augment.NameSwap;
import dev.loupe.data.augment.Perturbation;
import dev.loupe.data.datasets.SpamAssassin;
import dev.loupe.data.text.Splits;
import dev.loupe.data.text.TextDataset;
import dev.loupe.metrics.DistributionShift;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.PairedComparison;
import dev.loupe.metrics.Robustness;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.probe.LogisticProbe;
import dev.loupe.models.probe.ProbeConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The demo's other sides of its first model: how its probe holds up when the test emails are perturbed (and when
 * first names are swapped between genders: counterfactual fairness), and a real temporal shift (a probe trained on
 * the corpus's earlier collections, tested on the later ones).
 */
final class DemoShifts {
    /** The perturbations the demo measures. */
    static final List<String> PERTURBATIONS = List.of("typo:0.05", "typo:0.2", "homoglyph:0.1", "inject_markup:0.2");
    static final Set<String> EARLY = Set.of("easy-ham-1", "spam-1");
    static final Set<String> LATE = Set.of("easy-ham-2", "spam-2");

    private DemoShifts() {
    }

    /** One perturbation of the test split: accuracy, its change (paired), flip rate, rows changed, mean P(spam) change. */
    /** One perturbation of the test split; {@code embeddings}: the perturbed texts' embeddings (row i = test row i). */
    record Row(String name, MetricValue accuracy, MetricValue delta, MetricValue flipRate, int changed, MetricValue shift,
               float[][] embeddings) {
    }

    /**
     * What training on augmented copies changed, the augmented probe against the clean one (paired, Δ = augmented −
     * clean): accuracy on the clean test split, and on every perturbed copy of it pooled (a text's copies share its
     * bootstrap weight, so texts, not copies, are resampled).
     */
    record AugmentEffect(String spec, PairedComparison.Result clean, PairedComparison.Result perturbed, int perturbations) {
        MetricValue delta(PairedComparison.Result r) {
            return new MetricValue(r.delta(), r.ciLow(), r.ciHigh());
        }
    }

    static AugmentEffect augmentation(String spec, ProbeRun clean, ProbeRun augmented, List<Row> robust, EvaluationConfig cfg) {
        int n = clean.test().size();
        PredictionBatch batch = ModelEvaluation.batch(clean.probs(), clean.test(), clean.classes());
        int[] y = ProbeRun.labels(clean.test(), clean.classes());
        long[] keys = new long[n];
        boolean[] a = new boolean[n], b = new boolean[n];
        for (int i = 0; i < n; i++) {
            keys[i] = batch.key(i);
            a[i] = argMax(clean.probs()[i]) == y[i];
            b[i] = argMax(augmented.probs()[i]) == y[i];
        }
        PairedComparison.Result onClean = PairedComparison.compare(a, b, keys, cfg.bootstrap(), cfg.seed(), cfg.level());
        List<Row> perturbed = robust.stream().filter(r -> PERTURBATIONS.contains(r.name())).toList();
        boolean[] pa = new boolean[n * perturbed.size()], pb = new boolean[pa.length];
        long[] pk = new long[pa.length];
        for (int p = 0; p < perturbed.size(); p++) {
            float[][] v = perturbed.get(p).embeddings();
            for (int i = 0; i < n; i++) {
                pa[p * n + i] = argMax(clean.probe().predictProba(v[i])) == y[i];
                pb[p * n + i] = argMax(augmented.probe().predictProba(v[i])) == y[i];
                pk[p * n + i] = keys[i];
            }
        }
        PairedComparison.Result onPerturbed = PairedComparison.compare(pa, pb, pk, cfg.bootstrap(), cfg.seed(), cfg.level());
        return new AugmentEffect(spec, onClean, onPerturbed, perturbed.size());
    }

    private static int argMax(double[] p) {
        return PredictionBatch.argMax(p, 0, p.length);
    }

    /** A probe trained on the early collections: in-distribution result, the later collections' gaps, hard ham. */
    record Temporal(EvaluationResult in, DistributionShift late, EvaluationResult hardHam) {
    }

    /** The test split perturbed each way (and names swapped, when {@code names} is not null), scored with the probe. */
    static List<Row> robustness(OnnxTextEncoder encoder, ProbeRun run, NameSwap names, EvaluationConfig cfg, long seed,
                                int batchSize, Progress progress) {
        TextDataset test = run.test();
        int n = test.size();
        PredictionBatch cleanBatch = ModelEvaluation.batch(run.probs(), test, run.classes());
        EvaluationState clean = new EvaluationState(cfg);
        clean.update(cleanBatch);
        EvaluationResult cleanResult = clean.result(run.classes());
        int[] cleanPred = RobustnessCommand.predictions(cleanBatch);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = cleanBatch.key(i);
        }
        Map<String, BiFunction<String, Long, String>> transforms = new LinkedHashMap<>();
        for (String spec : PERTURBATIONS) {
            Perturbation p = Perturbation.parse(spec, "demo");
            transforms.put(p.name(), (t, key) -> p.apply(t, seed, key));
        }
        if (names != null) {
            transforms.put("name_swap", (t, key) -> names.apply(t));
        }
        List<Row> out = new ArrayList<>();
        long done = 0;
        for (Map.Entry<String, BiFunction<String, Long, String>> e : transforms.entrySet()) {
            List<String> changed = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                changed.add(e.getValue().apply(test.text(i), keys[i]));
            }
            float[][] vectors = Embeddings.encode(encoder, relabel(test, changed, e.getKey()), batchSize, progress, done).vectors();
            double[][] probs = proba(run.probe(), vectors);
            done += n;
            PredictionBatch batch = ModelEvaluation.batch(probs, test, run.classes());
            EvaluationState state = new EvaluationState(cfg);
            state.update(batch);
            int[] pred = RobustnessCommand.predictions(batch);
            Robustness r = Robustness.compare(clean, cleanResult, state, cleanPred, pred, keys, run.classes());
            out.add(new Row(e.getKey(), r.perturbed().metric("accuracy"), r.delta("accuracy"), r.flipRate(),
                    RobustnessCommand.changed(test, changed), RobustnessCommand.shift(test, changed, run.probs(), probs,
                    cleanPred, keys, cfg.positive(), cfg.bootstrap(), cfg.seed()), vectors));
        }
        return out;
    }

    /** Trains a probe on the early collections of {@code data}, and scores their held-out split, the later ones and hard ham. */
    static Temporal temporal(OnnxTextEncoder encoder, TextDataset data, List<String> classes, EvaluationConfig cfg,
                             long seed, int batchSize, Progress progress) {
        TextDataset early = subset(data, EARLY, "early");
        TextDataset late = subset(data, LATE, "late");
        TextDataset hard = subset(data, Set.of(DemoCommand.HARD_HAM), "hard-ham");
        ProbeRun run = ProbeRun.run(encoder, Splits.stratified(early, seed), classes, cfg, ProbeConfig.defaults(), null,
                batchSize, progress);
        EvaluationState in = new EvaluationState(cfg);
        in.update(ModelEvaluation.batch(run.probs(), run.test(), classes));
        EvaluationState later = new EvaluationState(DistributionShift.oodConfig(cfg));
        later.update(ModelEvaluation.batch(score(encoder, run.probe(), late, batchSize, progress, 0), late, classes));
        EvaluationState hardHam = new EvaluationState(cfg);
        hardHam.update(ModelEvaluation.batch(score(encoder, run.probe(), hard, batchSize, progress, 0), hard, classes));
        EvaluationResult inResult = in.result(classes);
        return new Temporal(inResult, DistributionShift.of(in, inResult, later, classes), hardHam.result(classes));
    }

    private static TextDataset subset(TextDataset data, Set<String> sources, String name) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (sources.contains(data.metadata(SpamAssassin.SOURCE_COLUMN, i))) {
                rows.add(i);
            }
        }
        return data.select(rows.stream().mapToInt(Integer::intValue).toArray(), data.name() + "/" + name);
    }

    /** The same rows with other texts (their embeddings cached under another name). */
    private static TextDataset relabel(TextDataset d, List<String> texts, String how) {
        return new TextDataset(d.name() + "/" + how, d.ids(), texts, d.labels(), Map.of());
    }

    private static double[][] score(OnnxTextEncoder encoder, LogisticProbe probe, TextDataset d, int batchSize,
                                    Progress progress, long done) {
        return proba(probe, Embeddings.encode(encoder, d, batchSize, progress, done).vectors());
    }

    private static double[][] proba(LogisticProbe probe, float[][] v) {
        double[][] probs = new double[v.length][];
        for (int i = 0; i < v.length; i++) {
            probs[i] = probe.predictProba(v[i]);
        }
        return probs;
    }

    static String table(String model, List<Row> rows, Temporal t, int testRows, String namesNote, AugmentEffect augment) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nrobustness of %s's probe on the test split (%,d emails; Δ = perturbed − clean,"
                + " paired 95%% intervals)%n", model, testRows));
        String row = "%-18s %26s %28s %26s%n";
        sb.append(String.format(Locale.ROOT, row, "perturbation", "accuracy", "Δ accuracy", "flip rate"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, row, r.name(), TableReport.withInterval(r.accuracy()),
                    TableReport.signedWithInterval(r.delta()), TableReport.withInterval(r.flipRate())));
        }
        rows.stream().filter(r -> r.name().equals("name_swap")).forEach(r -> sb.append(String.format(Locale.ROOT,
                "counterfactual names: %d of %,d test emails hold a first name of one gender; swapping them changes P(spam)"
                + " by %s on average (paired), flip rate %s%n", r.changed(), testRows,
                TableReport.signedWithInterval(r.shift()), TableReport.withInterval(r.flipRate()))));
        if (namesNote != null) {
            sb.append("counterfactual names: not measured (").append(TableReport.safe(namesNote)).append(")\n");
        }
        if (augment != null) {
            sb.append(String.format(Locale.ROOT, "augmentation (%s): a probe trained on the clean training split plus one"
                    + " perturbed copy per perturbation, against the clean one (Δ = augmented − clean, paired): accuracy on the"
                    + " clean test split %s; on its %d perturbed copies %s%n", augment.spec(),
                    TableReport.signedWithInterval(augment.delta(augment.clean())), augment.perturbations(),
                    TableReport.signedWithInterval(augment.delta(augment.perturbed()))));
        }
        sb.append(String.format(Locale.ROOT, "%ntemporal shift (%s): a probe trained on easy-ham-1 + spam-1; accuracy on their"
                + " held-out split %s (n=%d), on the later easy-ham-2 + spam-2 %s (n=%d): gap %s; hard ham %s (n=%d)%n", model,
                TableReport.withInterval(t.in().metric("accuracy")), t.in().rows(),
                TableReport.withInterval(t.late().ood().metric("accuracy")), t.late().ood().rows(),
                TableReport.signedWithInterval(t.late().gap("accuracy")),
                TableReport.withInterval(t.hardHam().metric("accuracy")), t.hardHam().rows()));
        return sb.toString();
    }
}
