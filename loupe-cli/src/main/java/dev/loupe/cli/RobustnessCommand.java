package dev.loupe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.augment.NameSwap;
import dev.loupe.data.augment.Perturbation;
import dev.loupe.data.datasets.FirstNames;
import dev.loupe.data.text.TextDataset;
import dev.loupe.data.text.TextDatasetOptions;
import dev.loupe.data.text.TextDatasetReader;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.MetricOptions;
import dev.loupe.metrics.Robustness;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code loupe robustness --model M --data FILE --perturb typo:0.05,...}: the model scored on the clean texts and on
 * each perturbed copy; per perturbation every metric with its interval, its change from clean with a paired interval
 * ({@link Robustness}) and the flip rate, plus the flipped examples with the largest change in probability.
 */
@Command(name = "robustness", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure how a classifier's metrics change when its texts are perturbed.",
            "Scores --data as it is and once per --perturb (seeded, deterministic typos, case changes, punctuation and"
                + " white-space noise, word drops/swaps/repeats, truncation, markup stripping/injection, homoglyphs); for"
                + " each, every metric with its 95%% interval, the change from clean with a paired-bootstrap interval (both"
                + " scorings share each row's resampling weights) and the share of rows whose prediction flipped."},
        footer = {"", "Perturbations (KIND:SEVERITY, severity in [0, 1]; per letter, word or gap unless noted):",
            "  typo (keyboard neighbour, swap, drop, insert), case, punct, word_drop, word_swap, word_repeat,",
            "  truncate (share of words cut from the end), strip_markup (per HTML tag), inject_markup, homoglyph",
            "", "Example:",
            "  loupe robustness --model examples/keyword-model --data examples/spam-texts.csv --positive-label spam \\",
            "      --perturb typo:0.05,typo:0.2,homoglyph:0.1"})
final class RobustnessCommand implements Callable<Integer> {
    static final String DEFAULT_PERTURB = "typo:0.05,typo:0.1,typo:0.2,case:0.3,punct:0.2,word_drop:0.1,word_swap:0.1,"
            + "word_repeat:0.1,truncate:0.5,strip_markup,inject_markup:0.2,homoglyph:0.1";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "An ONNX text classifier directory"
            + " (model.onnx, tokenizer.json, config.json with id2label).")
    String model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled texts (.csv, .tsv, .jsonl, .parquet).")
    Path data;

    @Option(names = "--text-col", defaultValue = "text", description = "Text column (default: ${DEFAULT-VALUE}).")
    String textCol;

    @Option(names = "--label-col", defaultValue = "label", description = "True-class column (default: ${DEFAULT-VALUE}).")
    String labelCol;

    @Option(names = "--perturb", defaultValue = DEFAULT_PERTURB, paramLabel = "KIND:SEV[,...]",
            description = "Perturbations to measure, in order (default: ${DEFAULT-VALUE}).")
    String perturb;

    @Option(names = "--positive-label", paramLabel = "CLASS", description = "Positive class of a binary model (default: its second label).")
    String positiveLabel;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Poisson-bootstrap replicates for the 95%% intervals; 0 turns them off (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the perturbations and the bootstrap (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "N", description = "Tokens per text; 0 = the model's maximum (default).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Texts per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--examples", defaultValue = "3", paramLabel = "N", description = "Flipped examples shown per perturbation, largest change first (default: ${DEFAULT-VALUE}; the JSON keeps 20).")
    int examples;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write every number as JSON to OUT.")
    Path json;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @picocli.CommandLine.Mixin
    StoreOption store;

    @Option(names = "--no-store", description = "Do not record the run in the run store.")
    boolean noStore;

    @Option(names = "--experiment", paramLabel = "E", description = "Experiment to record the run in (default: default).")
    String experiment;

    @Option(names = "--name", paramLabel = "NAME", description = "Run name in the store (default: 'robustness <data file name>').")
    String runName;

    @Option(names = "--parent-run", hidden = true, paramLabel = "RUN", description = "The suite run this run is a part of.")
    String parentRun;

    /** The id of the run this command recorded; null until recorded. */
    String recorded;

    /** Flipped examples kept in the JSON per perturbation. */
    static final int JSON_EXAMPLES = 20;
    /** The dimension the perturbations are stored under ({@code accuracy[perturb=typo:0.05]}). */
    static final String DIMENSION = "perturb";

    @Option(names = "--counterfactual-names", description = "Also swap first names between the female and male lists"
            + " (npm " + FirstNames.FEMALE + " and " + FirstNames.MALE + ", fetched once and verified) in the texts:"
            + " counterfactual fairness, reported as the name_swap row with the mean change in probability.")
    boolean counterfactualNames;

    /** A way to change texts: a perturbation, or the name swap; {@code severity} null when it has none. */
    record Transform(String name, String kind, Double severity, java.util.function.BiFunction<String, Long, String> fn) {
    }

    /**
     * One transform's outcome; {@code changed}: rows whose text it changed; {@code shift}: over those rows, the mean
     * change in the probability of the positive class (binary) or of the clean decision, with a paired interval.
     */
    record Outcome(Transform transform, Robustness robustness, List<Example> examples, double perturbSeconds,
                   double scoreSeconds, int changed, MetricValue shift) {
    }

    /** A row whose prediction flipped: both texts, both decisions and the probability of the clean decision. */
    record Example(int row, String id, String cleanText, String perturbedText, String cleanPred, String perturbedPred,
                   double cleanProb, double perturbedProb) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (batchSize < 1) {
            throw InvalidInputException.parameter("--batch-size", "at least 1", batchSize);
        }
        if (examples < 0) {
            throw InvalidInputException.parameter("--examples", "0 or more", examples);
        }
        List<Transform> perturbations = new ArrayList<>();
        for (Perturbation p : Perturbation.parseList(perturb, "--perturb")) {
            perturbations.add(new Transform(p.name(), p.kind().id(), p.severity(), (t, key) -> p.apply(t, seed, key)));
        }
        if (counterfactualNames) {
            FirstNames.Lists names = FirstNames.load(dev.loupe.data.datasets.NpmPackageCache.standard());
            NameSwap swap = new NameSwap(names.female(), names.male());
            perturbations.add(new Transform("name_swap", "name_swap", null, (t, key) -> swap.apply(t)));
        }
        TextDataset texts = TextDatasetReader.read(data, TextDatasetOptions.defaults().withTextColumn(textCol).withLabelColumn(labelCol));
        if (texts.size() == 0) {
            throw new InvalidInputException("NO_ROWS", data + " has no rows: add labelled texts.");
        }
        try (ModelAdapter adapter = Models.open(model, ModelOptions.defaults().withMaxLength(maxLength))) {
            List<String> labels = ModelEvaluation.labels(adapter);
            ModelEvaluation.checkLabels(texts, labels, data.toString());
            int positive = positiveIndex(labels);
            EvaluationConfig cfg = new EvaluationConfig(labels.size(), positive, bootstrap, seed, 0.95, 15, 20, 0,
                    MetricOptions.defaults().withClassNames(labels));
            int n = texts.size();
            long total = (long) n * (perturbations.size() + 1);
            double[][] clean;
            List<Outcome> outcomes = new ArrayList<>();
            EvaluationResult cleanResult;
            try (Progress progress = new Progress(err, "scoring with " + adapter.spec().name(), total, quiet).unit("texts")) {
                clean = ModelEvaluation.score(adapter, texts.texts(), batchSize, progress, 0);
                PredictionBatch cleanBatch = ModelEvaluation.batch(clean, texts, labels);
                EvaluationState cleanState = new EvaluationState(cfg);
                cleanState.update(cleanBatch);
                cleanResult = cleanState.result(labels);
                int[] cleanPred = predictions(cleanBatch);
                long[] keys = new long[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = cleanBatch.key(i);
                }
                long done = n;
                for (Transform p : perturbations) {
                    long t0 = System.nanoTime();
                    List<String> perturbed = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        perturbed.add(p.fn().apply(texts.text(i), keys[i]));
                    }
                    long t1 = System.nanoTime();
                    double[][] probs = ModelEvaluation.score(adapter, perturbed, batchSize, progress, done);
                    long t2 = System.nanoTime();
                    done += n;
                    PredictionBatch batch = ModelEvaluation.batch(probs, texts, labels);
                    EvaluationState state = new EvaluationState(cfg);
                    state.update(batch);
                    int[] pred = predictions(batch);
                    Robustness r = Robustness.compare(cleanState, cleanResult, state, cleanPred, pred, keys, labels);
                    outcomes.add(new Outcome(p, r, flipped(texts, perturbed, labels, clean, probs, cleanPred, pred),
                            (t1 - t0) / 1e9, (t2 - t1) / 1e9, changed(texts, perturbed), shift(texts, perturbed, clean, probs,
                            cleanPred, keys, positive, bootstrap, seed)));
                }
            }
            out.print(table(adapter.spec().name(), cleanResult, outcomes));
            out.flush();
            byte[] document = json(adapter.spec().name(), cleanResult, outcomes);
            if (json != null) {
                writeJson(document);
                err.println("wrote " + json);
            }
            if (!noStore) {
                record(adapter.spec().sha256(), texts, labels, clean, cleanResult, outcomes, document, err);
            }
        }
        return 0;
    }

    private void writeJson(byte[] document) {
        Path dir = json.toAbsolutePath().getParent();
        if (dir != null && !java.nio.file.Files.isDirectory(dir)) {
            throw new InvalidInputException("NO_SUCH_DIRECTORY", "Cannot write --json " + json + ": directory " + dir
                    + " does not exist. Create it or choose another path.");
        }
        try {
            OutputFiles.write(json, os -> os.write(document));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidInputException("CANNOT_WRITE", "Cannot write --json " + json + ": permission denied.");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + json, e);
        }
    }

    private int positiveIndex(List<String> labels) {
        if (labels.size() != 2) {
            if (positiveLabel != null) {
                throw new InvalidInputException("NOT_BINARY", "--positive-label " + positiveLabel + ": the model has "
                        + labels.size() + " labels " + labels + "; a positive class needs a binary model. Leave it out.");
            }
            return -1;
        }
        int p = positiveLabel == null ? 1 : labels.indexOf(positiveLabel);
        if (p < 0) {
            throw new InvalidInputException("UNKNOWN_POSITIVE_LABEL", "--positive-label '" + positiveLabel
                    + "' is not one of the model's labels " + labels + ".");
        }
        return p;
    }

    static int changed(TextDataset texts, List<String> perturbed) {
        int c = 0;
        for (int i = 0; i < perturbed.size(); i++) {
            c += java.util.Objects.equals(texts.text(i), perturbed.get(i)) ? 0 : 1;
        }
        return c;
    }

    /** Over the rows whose text changed, the mean change in the positive (else the clean decision's) probability. */
    static MetricValue shift(TextDataset texts, List<String> perturbed, double[][] clean, double[][] probs, int[] cleanPred,
                             long[] keys, int positive, int bootstrap, long seed) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < perturbed.size(); i++) {
            if (!java.util.Objects.equals(texts.text(i), perturbed.get(i))) {
                rows.add(i);
            }
        }
        double[] d = new double[rows.size()];
        long[] k = new long[rows.size()];
        for (int j = 0; j < d.length; j++) {
            int i = rows.get(j);
            int c = positive >= 0 ? positive : cleanPred[i];
            d[j] = probs[i][c] - clean[i][c];
            k[j] = keys[i];
        }
        double[] m = dev.loupe.metrics.PairedComparison.mean(d, k, bootstrap, seed, 0.95);
        return new MetricValue(m[0], m[1], m[2]);
    }

    static int[] predictions(PredictionBatch b) {
        int[] out = new int[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.pred(i);
        }
        return out;
    }

    /** The flipped rows, largest change in the probability of the clean decision first (then by row). */
    private static List<Example> flipped(TextDataset texts, List<String> perturbed, List<String> labels, double[][] clean,
                                         double[][] probs, int[] cleanPred, int[] pred) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < cleanPred.length; i++) {
            if (cleanPred[i] != pred[i]) {
                out.add(new Example(i, texts.id(i), texts.text(i), perturbed.get(i), labels.get(cleanPred[i]),
                        labels.get(pred[i]), clean[i][cleanPred[i]], probs[i][cleanPred[i]]));
            }
        }
        out.sort(Comparator.comparingDouble((Example e) -> e.perturbedProb() - e.cleanProb()).thenComparingInt(Example::row));
        return out.subList(0, Math.min(JSON_EXAMPLES, out.size()));
    }

    /** The headline metrics of the table: accuracy and F1 of the positive class (binary) or macro F1. */
    private static List<String> headline(EvaluationResult r) {
        return List.of("accuracy", r.positive() >= 0 ? "f1" : "f1_macro");
    }

    private String table(String modelName, EvaluationResult clean, List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        sb.append("Loupe robustness of ").append(TableReport.safe(modelName)).append(" on ").append(TableReport.safe(data.toString())).append('\n');
        sb.append(String.format(Locale.ROOT, "%,d rows, %d classes", clean.rows(), clean.classes().size()));
        if (clean.positive() >= 0) {
            sb.append(" (positive: ").append(TableReport.safe(clean.classes().get(clean.positive()))).append(')');
        }
        sb.append(bootstrap > 0 ? String.format(Locale.ROOT, "; 95%% intervals from %d Poisson-bootstrap replicates (seed %d);"
                + " Δ = perturbed − clean, paired%n%n", bootstrap, seed) : "; no intervals (--bootstrap 0)\n\n");
        List<String> heads = headline(clean);
        int w = Math.max(14, outcomes.stream().mapToInt(o -> o.transform().name().length()).max().orElse(0) + 1);
        String cell = " %26s";
        sb.append(String.format(Locale.ROOT, "%-" + w + "s", "perturbation"));
        for (String h : heads) {
            sb.append(String.format(Locale.ROOT, cell, h)).append(String.format(Locale.ROOT, cell, "Δ " + h));
        }
        sb.append(String.format(Locale.ROOT, cell, "flip rate")).append('\n');
        sb.append(String.format(Locale.ROOT, "%-" + w + "s", "clean"));
        for (String h : heads) {
            sb.append(String.format(Locale.ROOT, cell, TableReport.withInterval(clean.metric(h)))).append(String.format(Locale.ROOT, cell, ""));
        }
        sb.append('\n');
        for (Outcome o : outcomes) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", o.transform().name()));
            for (String h : heads) {
                sb.append(String.format(Locale.ROOT, cell, TableReport.withInterval(o.robustness().perturbed().metric(h))))
                        .append(String.format(Locale.ROOT, cell, TableReport.signedWithInterval(o.robustness().delta(h))));
            }
            sb.append(String.format(Locale.ROOT, cell, TableReport.withInterval(o.robustness().flipRate()))).append('\n');
        }
        for (Outcome o : outcomes) {
            if (o.transform().kind().equals("name_swap")) {
                sb.append(String.format(Locale.ROOT, "%ncounterfactual names: %d of %,d texts hold a first name of one gender;"
                        + " swapping them changes P(%s) by %s on average (paired), flips %s%n", o.changed(), clean.rows(),
                        TableReport.safe(clean.positive() >= 0 ? clean.classes().get(clean.positive()) : "decision"),
                        TableReport.signedWithInterval(o.shift()), TableReport.withInterval(o.robustness().flipRate())));
            }
        }
        double perturbSeconds = outcomes.stream().mapToDouble(Outcome::perturbSeconds).sum();
        double scoreSeconds = outcomes.stream().mapToDouble(Outcome::scoreSeconds).sum();
        sb.append(String.format(Locale.ROOT, "%nperturbing took %.3f s, scoring the perturbed texts %.3f s (%.2f%%)%n",
                perturbSeconds, scoreSeconds, scoreSeconds > 0 ? 100 * perturbSeconds / scoreSeconds : 0));
        for (Outcome o : outcomes) {
            List<Example> ex = o.examples();
            if (ex.isEmpty() || examples == 0) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "%nflipped by %s: %d of %,d rows; the largest changes%n", o.transform().name(),
                    o.robustness().flips(), clean.rows()));
            for (Example e : ex.subList(0, Math.min(examples, ex.size()))) {
                sb.append(String.format(Locale.ROOT, "  %s  %s → %s  P(%s) %s → %s%n", TableReport.safe(e.id()),
                        TableReport.safe(e.cleanPred()), TableReport.safe(e.perturbedPred()), TableReport.safe(e.cleanPred()),
                        TableReport.num(e.cleanProb()), TableReport.num(e.perturbedProb())));
                sb.append("    clean:     ").append(clip(e.cleanText())).append('\n');
                sb.append("    perturbed: ").append(clip(e.perturbedText())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String clip(String text) {
        String s = TableReport.safe(text.replaceAll("\\s+", " ").strip());
        return s.length() <= 120 ? s : s.substring(0, 119) + "…";
    }

    private static Map<String, Object> metric(MetricValue v, MetricId id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", finite(v.value()));
        m.put("ci_low", finite(v.ciLow()));
        m.put("ci_high", finite(v.ciHigh()));
        if (id != null) {
            m.put("higher_is_better", id.higherIsBetter());
        }
        return m;
    }

    private static Double finite(double x) {
        return Double.isNaN(x) || Double.isInfinite(x) ? null : x;
    }

    private static Map<String, Object> metrics(Map<MetricId, MetricValue> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((id, v) -> m.put(id.toString(), metric(v, id)));
        return m;
    }

    private byte[] json(String modelName, EvaluationResult clean, List<Outcome> outcomes) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("model", modelName);
        doc.put("data", data.toString());
        doc.put("rows", clean.rows());
        doc.put("classes", clean.classes());
        doc.put("positive", clean.positive() >= 0 ? clean.classes().get(clean.positive()) : null);
        doc.put("bootstrap", bootstrap);
        doc.put("seed", seed);
        doc.put("clean", Map.of("metrics", metrics(clean.metrics())));
        List<Object> list = new ArrayList<>();
        double perturbSeconds = 0;
        double scoreSeconds = 0;
        for (Outcome o : outcomes) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", o.transform().name());
            p.put("kind", o.transform().kind());
            p.put("severity", o.transform().severity());
            p.put("changed_rows", o.changed());
            p.put("mean_probability_change", metric(o.shift(), null));
            p.put("metrics", metrics(o.robustness().perturbed().metrics()));
            p.put("deltas", metrics(o.robustness().deltas()));
            p.put("flip_rate", metric(o.robustness().flipRate(), null));
            p.put("flips", o.robustness().flips());
            List<Object> ex = new ArrayList<>();
            for (Example e : o.examples()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("row", e.row());
                x.put("id", e.id());
                x.put("clean_text", e.cleanText());
                x.put("perturbed_text", e.perturbedText());
                x.put("clean_pred", e.cleanPred());
                x.put("perturbed_pred", e.perturbedPred());
                x.put("clean_prob", e.cleanProb());
                x.put("perturbed_prob", e.perturbedProb());
                ex.add(x);
            }
            p.put("examples", ex);
            p.put("perturb_seconds", o.perturbSeconds());
            p.put("score_seconds", o.scoreSeconds());
            perturbSeconds += o.perturbSeconds();
            scoreSeconds += o.scoreSeconds();
            list.add(p);
        }
        doc.put("perturbations", list);
        doc.put("timing", Map.of("perturb_seconds", perturbSeconds, "score_seconds", scoreSeconds));
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering the robustness JSON", e);
        }
    }

    /**
     * One run: the clean evaluation as the run's metrics; each perturbation as a slice of the dimension
     * {@value #DIMENSION} (every metric as {@code accuracy[perturb=typo:0.05]}, so the dashboard's slices panel plots
     * them against clean), its changes as {@code delta_accuracy[perturb=...]} and its flip rate as
     * {@code flip_rate[perturb=...]} (so {@code loupe check} can gate on them); the JSON as {@code robustness.json}.
     */
    private void record(String modelSha, TextDataset texts, List<String> labels, double[][] clean, EvaluationResult cleanResult,
                        List<Outcome> outcomes, byte[] document, PrintWriter err) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("model", model);
        params.put("data", data.toString());
        params.put("text_col", textCol);
        params.put("label_col", labelCol);
        params.put("perturb", perturb);
        params.put("positive_label", positiveLabel);
        params.put("bootstrap", bootstrap);
        params.put("seed", seed);
        params.put("max_length", maxLength);
        params.put("parent_run", parentRun);
        Map<String, EvaluationResult> perturbed = new LinkedHashMap<>();
        Map<String, MetricValue> extra = new LinkedHashMap<>();
        for (Outcome o : outcomes) {
            String where = DIMENSION + "=" + o.transform().name();
            perturbed.put(o.transform().name(), o.robustness().perturbed());
            o.robustness().deltas().forEach((id, v) -> extra.put(new MetricId("delta_" + id.name(), id.target(), where).toString(), v));
            extra.put("flip_rate[" + where + "]", o.robustness().flipRate());
            extra.put("mean_probability_change[" + where + "]", o.shift());
        }
        try (dev.loupe.store.RunStore s = store.open()) {
            dev.loupe.store.RunInfo run = s.transaction(() -> {
                dev.loupe.store.RunInfo r = EvaluationRecorder.record(s, experiment,
                        runName != null ? runName : "robustness " + data.getFileName(), data, null, modelSha, params,
                        spec.commandLine().getParseResult().originalArgs(), cleanResult, Map.of(DIMENSION, perturbed), null,
                        dev.loupe.data.results.MetricsJson.Extras.NONE, 1000);
                s.putMetrics(r.id(), extra);
                s.putArtifact(r.id(), "robustness.json", "application/json", new ByteArrayInputStream(document));
                s.putPredictions(r.id(), EvaluationRecorder.rows(texts, labels, clean));
                return r;
            });
            recorded = run.id();
            if (!quiet) {
                err.println("recorded run " + run.id() + " in " + s.location().redacted() + " (loupe runs show " + run.id() + ")");
            }
        }
    }
}
