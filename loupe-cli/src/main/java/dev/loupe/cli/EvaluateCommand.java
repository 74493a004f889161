package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.predictions.PredictionFileOptions;
import dev.loupe.data.predictions.PredictionFormat;
import dev.loupe.data.predictions.PredictionReader;
import dev.loupe.data.predictions.PredictionSchema;
import dev.loupe.data.results.MetricsJson;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.MetricOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code loupe evaluate --predictions FILE}: every classification metric with a 95% interval. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Evaluate a file of predictions, or a model on labelled texts, with every classification metric.",
            "Accuracy, precision/recall/F1 and F-beta, Jaccard, MCC and kappa, ROC/PR AUC, log loss, Brier, D² scores and"
                + " calibration (ECE/MCE), each with a 95%% Poisson-bootstrap interval, plus the confusion matrix, curves"
                + " and histograms. Prints a table; --json writes everything (see docs/metrics-json.md).",
            "",
            "The file (CSV, TSV, JSON Lines or Parquet) has a 'label' column and either one 'prob_<class>' column per class"
                + " or, for binary problems, a 'score' column (probability of --positive-label). Optional columns: 'pred',"
                + " 'weight', 'id'; any other column is kept as metadata."},
        footer = {"", "Examples:", "  loupe evaluate --predictions examples/spam-predictions.csv --positive-label spam --json out.json",
            "  loupe evaluate --predictions preds.parquet --positive-label 1     # e.g. from pandas' DataFrame.to_parquet",
            "  loupe evaluate --model path/to/onnx-classifier --data reviews.csv --text-col text --label-col label",
            "", "Exit codes: 0 ok, 2 bad input (the message says where and how to fix it), 1 internal error."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--predictions", paramLabel = "FILE", description = "Predictions file: .csv, .tsv, .jsonl (optionally .gz) or .parquet (any writer: pyarrow, pandas, polars, DuckDB, Spark).")
    Path predictions;

    @Option(names = "--model", paramLabel = "DIR|NAME", description = "Run a model instead of reading predictions: an ONNX "
            + "text-classifier directory (model.onnx, tokenizer.json, config.json), or a bundled encoder (minilm, minilm-q, "
            + "bge-small-q, e5-small-q) with a logistic probe trained on a stratified 60%% of --data and evaluated on 20%%.")
    String model;

    @Option(names = "--data", paramLabel = "FILE", description = "Labelled texts for --model (.csv, .tsv, .jsonl, .parquet; Parquet list<float> columns are read as vectors).")
    Path data;

    @Option(names = "--text-col", defaultValue = "text", description = "Text column of --data; with --predictions, the column whose texts are kept with the run's rows (default: ${DEFAULT-VALUE}).")
    String textCol;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "N", description = "Tokens per text with --model, special tokens included; 0 = the model's maximum (default).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Texts per model call with --model (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--format", paramLabel = "FMT", description = "csv, tsv, jsonl or parquet (default: from the file extension).")
    String format;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the full results as JSON to OUT ('-' for stdout).")
    String json;

    @Option(names = "--label-col", defaultValue = "label", description = "True-class column (default: ${DEFAULT-VALUE}).")
    String labelCol;

    @Option(names = "--prob-prefix", defaultValue = "prob_", description = "Prefix of per-class probability columns (default: ${DEFAULT-VALUE}).")
    String probPrefix;

    @Option(names = "--score-col", defaultValue = "score", description = "Binary score column (default: ${DEFAULT-VALUE}).")
    String scoreCol;

    @Option(names = "--pred-col", defaultValue = "pred", description = "Predicted-class column, optional (default: ${DEFAULT-VALUE}).")
    String predCol;

    @Option(names = "--weight-col", defaultValue = "weight", description = "Sample-weight column, optional (default: ${DEFAULT-VALUE}).")
    String weightCol;

    @Option(names = "--id-col", defaultValue = "id", description = "Row id column, optional (default: ${DEFAULT-VALUE}).")
    String idCol;

    @Option(names = "--positive-label", paramLabel = "CLASS", description = "Positive class of a binary problem (required with a score column).")
    String positiveLabel;

    @Option(names = "--negative-label", paramLabel = "CLASS", description = "Name of the negative class with a score column (default: the other label found).")
    String negativeLabel;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Binary decision threshold when there is no pred column: positive iff score >= threshold (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--renormalize", description = "Divide each row's probabilities by their sum instead of rejecting rows that don't sum to 1.")
    boolean renormalize;

    @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Poisson-bootstrap replicates for the 95%% intervals; 0 turns them off (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "0", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bins", defaultValue = "0", paramLabel = "N", description = "Constant-memory curves with N score bins (bounded error, see docs); 0 = exact (default).")
    int bins;

    @Option(names = "--calibration-bins", defaultValue = "15", paramLabel = "N", description = "Reliability-diagram bins for ECE/MCE (default: ${DEFAULT-VALUE}).")
    int calibrationBins;

    @Option(names = "--top-k", split = ",", paramLabel = "K", description = "Top-k accuracies to report, such as"
            + " 1,3,5 (default: 2 with three or more classes; ties go to the later label in sorted order, as in scikit-learn).")
    List<Integer> topK;

    @Option(names = "--beta", split = ",", defaultValue = "2,0.5", paramLabel = "B", description = "F-beta scores"
            + " reported besides F1, named f<B> (f2 favours recall, f0_5 precision; default: ${DEFAULT-VALUE}).")
    List<Double> betas;

    @Option(names = "--zero-division", defaultValue = "0", paramLabel = "0|1|nan", description = "What a 0/0 precision,"
            + " recall, F-score or Jaccard score becomes: 0 (scikit-learn's default), 1, or nan (undefined, left out of"
            + " macro averages; MCC's 0/0 too; default: ${DEFAULT-VALUE}; slices leave 0/0 undefined unless 1).")
    String zeroDivision;

    @Option(names = "--max-fpr", paramLabel = "FPR", description = "Binary only: also report partial_roc_auc, the ROC AUC"
            + " up to this false positive rate, standardised as scikit-learn does (McClish: 0.5 random, 1 perfect).")
    Double maxFpr;

    @Option(names = "--curve-points", defaultValue = "1000", paramLabel = "N", description = "Most points per curve in the JSON, thinned evenly; 0 = all (default: ${DEFAULT-VALUE}).")
    int curvePoints;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @picocli.CommandLine.Mixin
    StoreOption store;

    @Option(names = "--keep-embeddings", description = "With a bundled encoder: store the test rows' pooled embeddings with the"
            + " run (float32, the artifact embeddings.f32), for 'loupe project RUN' and the dashboard's projector.")
    boolean keepEmbeddings;

    @Option(names = "--augment", paramLabel = "KIND:SEV[,...]", description = "With a bundled encoder: train the probe on the"
            + " clean training split plus one seeded, perturbed copy per perturbation (e.g. typo:0.05,inject_markup:0.2;"
            + " kinds as in 'loupe robustness --perturb'); validation and test stay clean.")
    String augment;

    @Option(names = "--no-store", description = "Do not record this evaluation in the run store.")
    boolean noStore;

    @Option(names = "--experiment", paramLabel = "E", description = "Experiment to record the run in (default: default).")
    String experiment;

    @Option(names = "--name", paramLabel = "NAME", description = "Run name in the store (default: 'evaluate <file name>').")
    String runName;

    @Option(names = "--keep-rows", defaultValue = "100000", paramLabel = "N",
            description = "With --predictions: rows of the file kept in the run store for the dashboard's samples table and"
                    + " confusion-matrix clicks (the first N; 0 = none; default: ${DEFAULT-VALUE}).")
    int keepRows;

    @Option(names = "--slice-by", paramLabel = "COL[,COL...]", split = ",",
            description = "Also evaluate each value of these metadata columns alone (a slice per value): every metric "
                    + "with its interval and the support, in the table, the JSON, the store and the dashboard.")
    List<String> sliceBy = new java.util.ArrayList<>();

    @Option(names = "--slice", paramLabel = "NAME=DEF",
            description = "A derived slice of the --text-col texts: NAME=length[:E1,E2,...] bins by length in characters "
                    + "(default edges 50,200,1000), NAME=regex:PATTERN splits rows into 'match' (found anywhere in the "
                    + "text) and 'no match'. Repeatable.")
    List<String> sliceSpecs = new java.util.ArrayList<>();

    @Option(names = "--ood", paramLabel = "FILE", description = "Also evaluate this file (out of distribution: another"
            + " source, a later period) the same way, and report each metric's gap (out − in) with a 95%% interval: a second"
            + " predictions file with --predictions, labelled texts (the --data columns) scored by the same model with --model.")
    Path ood;

    /** With --model --ood: the out-of-distribution texts and the model's probabilities for them. */
    private dev.loupe.data.text.TextDataset oodRows;
    private double[][] oodProbs;

    @Option(names = "--weak-slices", description = "Also search the conjunctions of the slices (--slice-by, --slice,"
            + " --group-col; up to 3 at a time) for those whose error rate is worse than overall, listing the worst with"
            + " intervals adjusted for the number of slices tested.")
    boolean weakSlices;

    @Option(names = "--min-support", defaultValue = "30", paramLabel = "N", description = "Fewest rows a slice needs"
            + " to be tested by --weak-slices (default: ${DEFAULT-VALUE}).")
    int minSupport;

    @Option(names = "--heatmap", paramLabel = "ROWS,COLS", description = "Also evaluate every pair of a slice of ROWS and"
            + " a slice of COLS (two slice names of --slice-by, --slice or --group-col): a heatmap of each metric over the two"
            + " dimensions, in the table (accuracy), the JSON and the dashboard.")
    String heatmap;

    /** With --heatmap, the metrics of every pair of slices. */
    private dev.loupe.metrics.SliceHeatmap heat;

    @Option(names = "--group-col", paramLabel = "COL",
            description = "Sensitive-feature column of a binary problem: per-group metrics (as --slice-by) and Fairlearn's "
                    + "gaps between the groups (demographic parity difference/ratio, equalized odds difference/ratio, equal "
                    + "opportunity difference), each with a bootstrap interval.")
    String groupCol;

    @Option(names = "--parent-run", hidden = true, paramLabel = "RUN", description = "The suite run this run is a part of.")
    String parentRun;

    /** The id of the run this evaluation recorded; null until recorded. */
    String recorded;

    /** The fairness gaps over --group-col; null without it. */
    private dev.loupe.metrics.GroupFairness fairness;
    /** The in-distribution state (predictions files) and, with --ood, the comparison with the second file. */
    private EvaluationState inState;
    private dev.loupe.metrics.DistributionShift shift;
    /** With --weak-slices, what the search found. */
    private dev.loupe.metrics.WeakSlices.Result weak;

    /** Per slice dimension, per slice value, its evaluation (empty without slices). */
    private java.util.Map<String, java.util.Map<String, EvaluationResult>> sliceResults = java.util.Map.of();

    /** The rows kept for the store while reading a predictions file; {@code null} when none are kept. */
    private KeptRows kept;
    private PredictionSchema keptSchema;
    /** The predictions file's hash and compressed copy, taken while reading it; {@code null} with --no-store. */
    private InputCapture.Captured captured;
    /** The kept rows for the store, made beside the rest of the evaluation; {@code null} when none are kept. */
    private Background<List<dev.loupe.store.PredictionRow>> keptRowsReady;
    /** The run store, opened beside the evaluation; {@code null} with --no-store. */
    private Background<dev.loupe.store.RunStore> opening;
    /** Progress of a predictions file's evaluation: the reading bar, then a named stage per step until recorded. */
    private Progress progress;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (curvePoints < 0) {
            throw InvalidInputException.parameter("--curve-points", "0 (all) or a positive number", curvePoints);
        }
        if (keepRows < 0) {
            throw InvalidInputException.parameter("--keep-rows", "0 (none) or a positive number", keepRows);
        }
        PredictionFileOptions opts = PredictionFileOptions.defaults()
                .labelColumn(labelCol).probPrefix(probPrefix).scoreColumn(scoreCol).predColumn(predCol)
                .weightColumn(weightCol).idColumn(idCol).positiveLabel(positiveLabel).negativeLabel(negativeLabel)
                .threshold(threshold).renormalize(renormalize);
        if (format != null) {
            opts.format(PredictionFormat.parse(format));
        }
        if ((predictions == null) == (model == null)) {
            throw new InvalidInputException("BAD_PARAMETER", "Pass either --predictions FILE (a file of predictions) or "
                    + "--model DIR --data FILE (run a model), not " + (predictions == null ? "neither" : "both") + ".");
        }
        if (model != null && data == null) {
            throw new InvalidInputException("BAD_PARAMETER", "--model needs --data FILE: the labelled texts to run it on.");
        }
        if (keepEmbeddings && (model == null || noStore)) {
            throw new InvalidInputException("BAD_PARAMETER", "--keep-embeddings stores a model's embeddings with its run: it"
                    + " needs --model and the store (drop " + (model == null ? "--keep-embeddings or use --model" : "--no-store") + ").");
        }
        if (augment != null && model == null) {
            throw new InvalidInputException("BAD_PARAMETER", "--augment perturbs the texts a probe trains on: it needs --model"
                    + " (a bundled encoder) and --data; drop --augment for a predictions file.");
        }
        opening = noStore ? null : Background.start("loupe-store-open", store::open);
        try {
            ModelRun modelRun = model != null ? runModel(err) : null;
            EvaluationResult result = modelRun != null ? modelRun.result() : evaluate(predictions, opts, err);
            Path input = model != null ? data : predictions;
            if (modelRun != null) {
                sliceResults = slices(modelRun);
            }
            if (ood != null && modelRun != null) {
                EvaluationConfig cfg = config(modelRun.classes(), result.positive());
                EvaluationState in = new EvaluationState(cfg);
                in.update(ModelEvaluation.batch(modelRun.probs(), modelRun.rows(), modelRun.classes()));
                shift = OutOfDistribution.of(in, result, oodRows, oodProbs);
            } else if (ood != null) {
                stage("evaluating " + ood.getFileName());
                shift = OutOfDistribution.of(ood, opts, inState, result, predictions);
            }
            stage(null);
            if (!"-".equals(json)) {
                out.print(new TableReport().render(model != null ? model + " on " + data : predictions.toString(), result));
                out.print(TableReport.slices(sliceResults));
                out.print(TableReport.fairness(groupCol, fairness));
                out.print(shift == null ? "" : OutOfDistribution.table(ood, result, shift));
                out.print(weak == null ? "" : TableReport.weakSlices(weak));
                out.print(heat == null ? "" : TableReport.heatmap(heat, "accuracy"));
                out.flush();
            }
            if (json != null) {
                stage("writing " + json);
                writeJson(result);
                stage(null);
                if (!"-".equals(json)) {
                    err.println("wrote " + json);
                }
            }
            if (!noStore) {
                stage("recording the run in the store");
                record(result, input, modelRun, err);
            }
            return 0;
        } finally {
            stage(null);
            if (captured != null) {
                captured.discard(); // left only when recording failed before the store took it
            }
            if (opening != null) {
                opening.discard(dev.loupe.store.RunStore::close);
            }
        }
    }

    /**
     * A model's evaluation: its test rows, their probabilities, the result, and what the cleaning checks counted in the
     * whole data file (counted only: {@code evaluate} scores every row it is given).
     */
    record ModelRun(String sha256, dev.loupe.data.text.TextDataset rows, List<String> classes, double[][] probs,
                    EvaluationResult result, dev.loupe.data.text.CleaningReport cleaning, float[][] embeddings,
                    ProbeArtifact probe) {
    }

    private ModelRun runModel(PrintWriter err) {
        if (batchSize < 1) {
            throw InvalidInputException.parameter("--batch-size", "at least 1", batchSize);
        }
        dev.loupe.data.text.TextDataset texts = dev.loupe.data.text.TextDatasetReader.read(data,
                dev.loupe.data.text.TextDatasetOptions.defaults().withTextColumn(textCol).withLabelColumn(labelCol));
        if (texts.size() == 0) {
            throw new InvalidInputException("NO_ROWS", data + " has no rows: add labelled texts.");
        }
        List<String> sliceable = new java.util.ArrayList<>(texts.metadataColumns());
        sliceable.add(textCol);
        new Slicing(sliceBy, sliceSpecs, textCol, groupCol, config(List.of("a", "b"), -1)).checkColumns(sliceable, data.toString()); // before the model runs
        // counted for the run's overview, nothing removed: the evaluation covers every row of the file
        dev.loupe.data.text.CleaningReport cleaning = dev.loupe.data.text.Cleaning.clean(texts,
                dev.loupe.data.text.CleaningOptions.defaults().keepEmpty().keepDuplicates()).report();
        dev.loupe.models.ModelOptions options = dev.loupe.models.ModelOptions.defaults().withMaxLength(maxLength);
        try (dev.loupe.models.ModelAdapter adapter = dev.loupe.models.Models.open(model, options)) {
            if (adapter.spec().probabilities().isEmpty() && adapter instanceof dev.loupe.models.OnnxTextEncoder encoder) {
                return probe(encoder, texts, cleaning, err);
            }
            if (augment != null) {
                throw new InvalidInputException("BAD_PARAMETER", "--augment trains a probe on augmented texts; " + model
                        + " is a classifier with its own head, which Loupe does not train. Use a bundled encoder (minilm-q, ...).");
            }
            if (keepEmbeddings) {
                throw new InvalidInputException("NO_EMBEDDINGS", "--keep-embeddings needs an encoder whose embeddings a probe"
                        + " reads (minilm, minilm-q, bge-small-q, e5-small-q); " + model + " is a classifier.");
            }
            List<String> labels = ModelEvaluation.labels(adapter);
            ModelEvaluation.checkLabels(texts, labels, data.toString());
            int positive = positiveIndex(labels, "the model's labels");
            double[][] probs;
            try (Progress progress = new Progress(err, "scoring with " + adapter.spec().name(), texts.size(), quiet).unit("texts")) {
                probs = ModelEvaluation.score(adapter, texts, batchSize, progress);
            }
            if (ood != null) {
                oodRows = oodTexts(labels);
                try (Progress progress = new Progress(err, "scoring --ood with " + adapter.spec().name(), oodRows.size(), quiet).unit("texts")) {
                    oodProbs = ModelEvaluation.score(adapter, oodRows, batchSize, progress);
                }
            }
            EvaluationConfig cfg = config(labels, positive);
            return new ModelRun(adapter.spec().sha256(), texts, labels, probs, ModelEvaluation.evaluate(probs, texts, labels, cfg),
                    cleaning, null, null);
        }
    }

    private ModelRun probe(dev.loupe.models.OnnxTextEncoder encoder, dev.loupe.data.text.TextDataset texts,
                           dev.loupe.data.text.CleaningReport cleaning, PrintWriter err) {
        List<String> classes = texts.classes();
        if (classes.size() < 2) {
            throw new InvalidInputException("ONE_CLASS", data + " has only the label " + classes
                    + ": a probe needs at least two classes to learn from.");
        }
        int positive = positiveIndex(classes, "the labels of " + data);
        dev.loupe.data.text.Splits.Split split = dev.loupe.data.text.Splits.stratified(texts, seed);
        EvaluationConfig cfg = config(classes, positive);
        long total = texts.size();
        try (Progress progress = new Progress(err, "encoding with " + encoder.spec().name(), total, quiet).unit("texts")) {
            ProbeRun run = ProbeRun.run(encoder, split, classes, cfg,
                    dev.loupe.models.probe.ProbeConfig.defaults(), null, batchSize, progress, ProbeRun.Augment.parse(augment, "--augment", seed));
            if (ood != null) {
                oodRows = oodTexts(classes);
                try (Progress p = new Progress(err, "encoding --ood with " + encoder.spec().name(), oodRows.size(), quiet).unit("texts")) {
                    float[][] vectors = Embeddings.encode(encoder, oodRows, batchSize, p, 0).vectors();
                    oodProbs = new double[vectors.length][];
                    for (int i = 0; i < vectors.length; i++) {
                        oodProbs[i] = run.probe().predictProba(vectors[i]);
                    }
                }
            }
            String encoderName = dev.loupe.models.BundledEncoder.isShortName(model) ? model
                    : java.nio.file.Path.of(model).toAbsolutePath().normalize().toString();
            return new ModelRun(encoder.spec().sha256(), run.test(), classes, run.probs(), run.result(), cleaning,
                    keepEmbeddings ? run.embeddings() : null,
                    new ProbeArtifact(encoderName, encoder.spec().sha256(), encoder.tokenizer().maxLength(), classes, run.probe()));
        }
    }

    /** The --ood texts of a model run, read with --data's columns; their labels must be among {@code labels}. */
    private dev.loupe.data.text.TextDataset oodTexts(List<String> labels) {
        dev.loupe.data.text.TextDataset rows;
        try {
            rows = dev.loupe.data.text.TextDatasetReader.read(ood,
                    dev.loupe.data.text.TextDatasetOptions.defaults().withTextColumn(textCol).withLabelColumn(labelCol));
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.code(), "--ood " + e.getMessage(), e);
        }
        if (rows.size() == 0) {
            throw new InvalidInputException("NO_ROWS", "--ood " + ood + " has no rows: add labelled texts.");
        }
        ModelEvaluation.checkLabels(rows, labels, "--ood " + ood);
        return rows;
    }

    /** The slices of this evaluation's options (empty when none is asked for). */
    private Slicing slicing(EvaluationConfig cfg) {
        if (groupCol != null && cfg.positive() < 0) {
            throw new InvalidInputException("NOT_BINARY", "--group-col " + groupCol + ": the fairness gaps need a binary "
                    + "problem with a positive class; this one has " + cfg.numClasses() + " classes. Use --slice-by "
                    + groupCol + " for per-group metrics of a multi-class problem.");
        }
        Slicing slicing = new Slicing(sliceBy, sliceSpecs, textCol, groupCol, cfg);
        if (weakSlices) {
            if (minSupport < 1) {
                throw InvalidInputException.parameter("--min-support", "a number of rows, at least 1", minSupport);
            }
            if (slicing.isEmpty()) {
                throw new InvalidInputException("BAD_PARAMETER", "--weak-slices searches conjunctions of slices: give the"
                        + " columns to slice by with --slice-by COL[,COL...] (or --slice NAME=length / --group-col COL).");
            }
            slicing.keepRows();
        }
        if (heatmap != null) {
            String[] two = heatmap.split(",", -1);
            if (two.length != 2) {
                throw InvalidInputException.parameter("--heatmap", "two slice names separated by a comma (ROWS,COLS)", "'" + heatmap + "'");
            }
            slicing.heatmap(two[0].strip(), two[1].strip());
        }
        return slicing;
    }

    /** A model run's slices: its rows evaluated per slice, from their texts and metadata. */
    private java.util.Map<String, java.util.Map<String, EvaluationResult>> slices(ModelRun run) {
        EvaluationConfig cfg = config(run.classes(), run.result().positive());
        Slicing slicing = slicing(cfg);
        if (slicing.isEmpty()) {
            return java.util.Map.of();
        }
        dev.loupe.data.text.TextDataset rows = run.rows();
        List<List<String>> values = new java.util.ArrayList<>();
        for (String source : slicing.sources()) {
            List<String> v = new java.util.ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                v.add(source.equals(textCol) && !rows.metadataColumns().contains(source) ? rows.text(i) : rows.metadata(source, i));
            }
            values.add(v);
        }
        slicing.update(ModelEvaluation.batch(run.probs(), rows, run.classes()), values);
        java.util.Map<String, java.util.Map<String, EvaluationResult>> results = slicing.results(run.classes(), data.toString());
        heat = slicing.heatmap(run.classes());
        fairness = fairness(slicing, cfg);
        weak = weakSlices ? slicing.weakSlices(minSupport) : null;
        return results;
    }

    /** The gaps between the --group-col groups; null without it. */
    private dev.loupe.metrics.GroupFairness fairness(Slicing slicing, EvaluationConfig cfg) {
        return groupCol == null ? null : dev.loupe.metrics.GroupFairness.of(slicing.states(groupCol), cfg.positive(), cfg.level());
    }

    /** Shows {@code name} as the current step of a predictions file's evaluation; null clears the line. */
    private void stage(String name) {
        if (progress != null) {
            if (name == null) {
                progress.close();
            } else {
                progress.stage(name);
            }
        }
    }

    /** Keeps the evaluation in the run store (after the output is written, so a store failure loses no output). */
    private void record(EvaluationResult result, Path input, ModelRun modelRun, PrintWriter err) {
        java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("predictions", predictions == null ? null : predictions.toString());
        params.put("model", model);
        params.put("data", data == null ? null : data.toString());
        params.put("text_col", model == null ? null : textCol);
        params.put("max_length", model == null ? null : maxLength);
        params.put("augment", augment);
        params.put("format", format);
        params.put("label_col", labelCol);
        params.put("prob_prefix", probPrefix);
        params.put("score_col", scoreCol);
        params.put("pred_col", predCol);
        params.put("weight_col", weightCol);
        params.put("id_col", idCol);
        params.put("positive_label", positiveLabel);
        params.put("negative_label", negativeLabel);
        params.put("threshold", threshold);
        params.put("renormalize", renormalize);
        params.put("bootstrap", bootstrap);
        params.put("seed", seed);
        params.put("bins", bins);
        params.put("calibration_bins", calibrationBins);
        params.put("slice_by", sliceBy.isEmpty() ? null : String.join(",", sliceBy));
        params.put("slice", sliceSpecs.isEmpty() ? null : String.join(" ", sliceSpecs));
        params.put("group_col", groupCol);
        params.put("ood", oodName());
        params.put("weak_slices", weakSlices ? "min_support " + minSupport : null);
        params.put("heatmap", heatmap);
        params.put("top_k", topK);
        params.put("beta", betas);
        params.put("zero_division", zeroDivision);
        params.put("max_fpr", maxFpr);
        params.put("parent_run", parentRun);
        if (kept != null) {
            params.put("kept_rows", kept.kept() == kept.seen() ? String.valueOf(kept.kept())
                    : "first " + kept.kept() + " of " + kept.seen() + " (--keep-rows)");
        }
        java.util.List<dev.loupe.store.PredictionRow> keptRows = keptRowsReady == null ? null : keptRowsReady.take();
        java.util.List<dev.loupe.store.PredictionRow> modelRows = modelRun == null ? null
                : EvaluationRecorder.rows(modelRun.rows(), modelRun.classes(), modelRun.probs());
        try (dev.loupe.store.RunStore s = opening.take()) {
            // one transaction: the run is stored whole (metrics, artifacts, kept rows) or not at all, whatever
            // stops this process (a full disk, an error, kill -9)
            dev.loupe.store.RunInfo run = s.transaction(() -> {
                dev.loupe.store.RunInfo r = EvaluationRecorder.record(s, experiment, runName, input, captured,
                        modelRun == null ? null : modelRun.sha256(), params,
                        spec.commandLine().getParseResult().originalArgs(), result, sliceResults, fairness, extras(), curvePoints);
                if (keptRows != null) {
                    s.putPredictions(r.id(), keptRows);
                }
                if (shift != null) {
                    s.putMetrics(r.id(), OutOfDistribution.stored(shift));
                }
                if (modelRun != null) {
                    s.putPredictions(r.id(), modelRows);
                    EvaluationRecorder.putDatasetJson(s, r.id(), modelRun.cleaning());
                    if (modelRun.embeddings() != null) {
                        s.putArtifact(r.id(), "embeddings.f32", "application/octet-stream", new java.io.ByteArrayInputStream(
                                dev.loupe.report.Float32Matrix.of(modelRun.embeddings()).toBytes()));
                    }
                    if (modelRun.probe() != null) {
                        modelRun.probe().put(s, r.id());
                    }
                }
                return r;
            });
            recorded = run.id();
            if (!quiet) {
                err.println("recorded run " + run.id() + " in " + s.location().redacted() + " (loupe runs show " + run.id() + ")");
            }
        }
    }

    private EvaluationResult evaluate(Path file, PredictionFileOptions opts, PrintWriter err) {
        InputCapture capture = noStore ? null : new InputCapture(sizeOf(file) <= EvaluationRecorder.MAX_KEPT_PREDICTIONS
                ? dev.loupe.store.RunStore.incomingArtifactFile(store.location()) : null);
        try {
            EvaluationResult result = evaluate(file, opts, err, capture);
            captured = capture == null ? null : capture.finish();
            return result;
        } finally {
            if (capture != null && captured == null) {
                capture.discard();
            }
        }
    }

    private EvaluationResult evaluate(Path file, PredictionFileOptions opts, PrintWriter err, InputCapture capture) {
        try (PredictionReader reader = capture == null ? PredictionReader.open(file, opts) : PredictionReader.open(file, opts, capture)) {
            PredictionSchema schema = reader.schema();
            int k = schema.scoreMode() ? 2 : schema.classes().size();
            int positive = schema.positiveIndex() >= 0 && k == 2 ? schema.positiveIndex()
                    : positiveIndex(schema.classes(), "the classes of " + file);
            EvaluationConfig cfg = config(schema.classes(), positive);
            EvaluationState state = new EvaluationState(cfg);
            PredictionBatch batch = reader.newBatch();
            Slicing slicing = slicing(cfg);
            slicing.checkColumns(schema.metadataColumns(), file.toString());
            List<List<String>> sliceValues = new java.util.ArrayList<>();
            for (String source : slicing.sources()) {
                List<String> v = new java.util.ArrayList<>();
                reader.onValues(source, v::add);
                sliceValues.add(v);
            }
            long size = sizeOf(file);
            kept = noStore || keepRows == 0 ? null : new KeptRows(keepRows, k);
            progress = new Progress(err, "evaluating " + file.getFileName(), size, quiet);
            while (reader.next(batch)) {
                state.update(batch);
                if (!slicing.isEmpty()) {
                    slicing.update(batch, sliceValues);
                    sliceValues.forEach(List::clear);
                }
                if (kept != null) {
                    kept.add(batch);
                }
                progress.update(reader.bytesRead(), reader.rowsRead());
            }
            if (reader.rowsRead() == 0) {
                throw new InvalidInputException("NO_ROWS", file + " has a header but no data rows: add predictions, one per line.");
            }
            keptSchema = reader.schema();
            if (kept != null) {
                // the kept rows as the store takes them (their numbers as text, their texts read back), built beside the
                // curves and intervals, which leave a core free for much of their time
                List<String> classes = keptSchema.classes();
                keptRowsReady = Background.start("loupe-kept-rows", () -> withTexts(kept.rows(classes), err));
            }
            inState = state;
            EvaluationResult result = state.result(keptSchema.classes(), this::stage);
            sliceResults = slicing.results(keptSchema.classes(), file.toString());
            heat = slicing.heatmap(keptSchema.classes());
            fairness = fairness(slicing, cfg);
            weak = weakSlices ? slicing.weakSlices(minSupport) : null;
            if (result.totalWeight() == 0) {
                throw new InvalidInputException("ALL_WEIGHTS_ZERO", file + ": every row has weight 0 in the '" + weightCol
                        + "' column, so no metric is defined (scikit-learn refuses such weights too). Give the rows that"
                        + " count a positive weight, or name another column with --weight-col.");
            }
            if (keptSchema.scoreMode() && result.perClass().get(1).support() == 0) {
                err.println("warning: --positive-label '" + TableReport.safe(positiveLabel) + "' never occurs in the label"
                        + " column of " + file + " (labels are case-sensitive); every row counts as the negative class '"
                        + TableReport.safe(keptSchema.classes().get(0)) + "'.");
            }
            return result;
        }
    }

    /** Largest predictions file whose texts, ids and metadata are read back for the kept rows. */
    static final long MAX_TEXT_FILE_BYTES = 64L << 20;

    /**
     * The kept rows with the file's id, text and metadata columns when it has a text column ({@code --text-col}):
     * the predictions reader keeps no strings, so the file is read a second time as a text dataset. Anything that
     * stops that read only costs the texts (a warning), never the run.
     */
    private List<dev.loupe.store.PredictionRow> withTexts(List<dev.loupe.store.PredictionRow> rows, PrintWriter err) {
        if (rows.isEmpty() || !keptSchema.metadataColumns().contains(textCol) || sizeOf(predictions) > MAX_TEXT_FILE_BYTES) {
            return rows;
        }
        dev.loupe.data.text.TextDataset texts;
        try {
            texts = dev.loupe.data.text.TextDatasetReader.read(predictions, dev.loupe.data.text.TextDatasetOptions.defaults()
                    .withTextColumn(textCol).withLabelColumn(labelCol).withIdColumn(idCol));
        } catch (dev.loupe.api.LoupeException e) {
            err.println("warning: the run keeps its rows without texts: " + e.getMessage());
            return rows;
        }
        List<String> meta = new java.util.ArrayList<>();
        for (String c : texts.metadataColumns()) {
            if (!c.equals(scoreCol) && !c.equals(predCol) && !c.equals(weightCol) && !c.startsWith(probPrefix)) {
                meta.add(c);
            }
        }
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        List<dev.loupe.store.PredictionRow> out = new java.util.ArrayList<>(rows.size());
        try {
            for (dev.loupe.store.PredictionRow r : rows) {
                int i = (int) r.rowIndex();
                if (i >= texts.size() || !sameLabel(texts.label(i), r.label())) { // the two readers must agree row by row
                    err.println("warning: the run keeps its rows without texts: row " + i + " of " + predictions
                            + " reads differently as a text dataset");
                    return rows;
                }
                java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
                for (String c : meta) {
                    m.put(c, texts.metadata(c, i));
                }
                out.add(new dev.loupe.store.PredictionRow(r.rowIndex(), texts.id(i), r.label(), r.probabilities(), r.pred(),
                        r.loss(), om.writeValueAsString(m), texts.text(i), r.confidence()));
            }
        } catch (java.io.IOException e) {
            throw new dev.loupe.api.InternalException("rendering metadata as JSON failed", e);
        }
        return out;
    }

    /** Equal as text, or as numbers ("1" and "1.0"), as the predictions reader matches labels to classes. */
    private static boolean sameLabel(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Double.parseDouble(a.strip()) == Double.parseDouble(b.strip());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * The positive class of a binary problem: --positive-label, else the second class; −1 for multi-class, where
     * --positive-label is refused rather than ignored.
     */
    private int positiveIndex(List<String> classes, String what) {
        if (classes.size() != 2) {
            if (positiveLabel != null) {
                throw new InvalidInputException("POSITIVE_LABEL_MULTICLASS", "--positive-label '" + positiveLabel
                        + "' names the positive class of a binary task, but " + what + " are " + classes.size()
                        + " classes (" + TableReport.safe(String.join(", ", classes)) + "). Leave it out: multi-class metrics average over"
                        + " every class, and each class's own scores are in the per-class table (per_class in --json).");
            }
            return -1;
        }
        int positive = positiveLabel != null ? classes.indexOf(positiveLabel) : 1;
        if (positive < 0) {
            throw new InvalidInputException("UNKNOWN_POSITIVE_LABEL", "--positive-label '" + positiveLabel
                    + "' is not one of " + what + " " + classes + ".");
        }
        return positive;
    }

    private EvaluationConfig config(List<String> classes, int positive) {
        MetricOptions options = MetricOptions.defaults().withTopK(topK).withBetas(betas)
                .withZeroDivision(zeroDivisionValue()).withMaxFpr(maxFpr == null ? Double.NaN : maxFpr)
                .withClassNames(classes);
        return new EvaluationConfig(classes.size(), positive, bootstrap, seed, 0.95, calibrationBins, 20, bins, options);
    }

    private double zeroDivisionValue() {
        return switch (zeroDivision.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "0" -> 0.0;
            case "1" -> 1.0;
            case "nan" -> Double.NaN;
            default -> throw InvalidInputException.parameter("--zero-division", "0, 1 or nan", zeroDivision);
        };
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private MetricsJson.Extras extras() {
        return new MetricsJson.Extras(shift, oodName(), weak, heat);
    }

    private String oodName() {
        return ood == null ? null : ood.toString();
    }

    private void writeJson(EvaluationResult result) {
        MetricsJson writer = new MetricsJson(curvePoints);
        try {
            if ("-".equals(json)) {
                writer.write(result, sliceResults, groupCol, fairness, extras(), new NonClosing(System.out));
                System.out.println();
                return;
            }
            Path target = Path.of(json).toAbsolutePath();
            Path dir = target.getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new InvalidInputException("NO_SUCH_DIRECTORY", "Cannot write --json " + json + ": directory "
                        + dir + " does not exist. Create it or choose another path.");
            }
            OutputFiles.write(target, os -> writer.write(result, sliceResults, groupCol, fairness, extras(), os));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidInputException("CANNOT_WRITE", "Cannot write --json " + json + ": permission denied.");
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + json, e);
        }
    }

    /** Lets the JSON writer close its generator without closing stdout. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
