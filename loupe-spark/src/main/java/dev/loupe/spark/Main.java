package dev.loupe.spark;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.cli.EvaluationOutputs;
import dev.loupe.cli.ProbeArtifact;
import dev.loupe.data.results.MetricsJson;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The Spark driver's command line: {@code spark-submit --class dev.loupe.spark.Main loupe-spark.jar evaluate
 * --predictions PATH ...}. Exit codes as {@code loupe}: 0 ok, 2 bad input, 1 internal error.
 */
@Command(name = "loupe-spark", mixinStandardHelpOptions = true, subcommands = {Main.Evaluate.class},
        description = "Loupe on Apache Spark: evaluate predictions of any size on a cluster (or local[*]).")
public final class Main {
    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            err.println("Run 'loupe-spark " + (a.length > 0 ? a[0] + " " : "") + "--help' for the options.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            LoupeException le = ex instanceof LoupeException l ? l : LoupeSpark.loupeCause(ex);
            if (le != null) {
                err.println("error: " + le.getMessage());
                return le.exitCode();
            }
            String unreadable = unreadableInput(ex);
            if (unreadable != null) {
                err.println("error: " + unreadable);
                return 2;
            }
            err.println("internal error: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        int code = cl.execute(args);
        if (args.length == 0) {
            cl.usage(err);
            return 2;
        }
        return code;
    }

    /**
     * Spark's own complaint about a file it cannot parse (a malformed CSV or JSON record, a corrupt Parquet file): bad
     * input, said in Spark's first line (which names the record), or null for any other failure.
     */
    static String unreadableInput(Throwable ex) {
        String found = null;
        for (Throwable t = ex; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof org.apache.spark.SparkThrowable st && st.getCondition() != null
                    && (st.getCondition().startsWith("MALFORMED") || st.getCondition().startsWith("FAILED_READ_FILE")
                    || st.getCondition().startsWith("CANNOT_READ"))) {
                found = t.getMessage().lines().findFirst().orElse("");
            }
        }
        return found == null ? null : "cannot read the input: " + found + " Fix the file (for CSV: one header line, "
                + "fields with commas, quotes or line breaks in double quotes).";
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Evaluate a predictions DataFrame (Parquet, CSV or JSON Lines, a file or a directory, any path "
                    + "Spark reads) with every classification metric, as 'loupe evaluate' does on one machine; the run is "
                    + "recorded in the store from the driver.",
                "Columns: 'label' and one 'prob_<class>' per class, or a binary 'score' with --positive-label; optional "
                    + "'pred' and 'weight'."},
            footer = {"", "Example:", "  spark-submit --master local[2] --class dev.loupe.spark.Main loupe-spark.jar \\",
                "      evaluate --predictions preds.parquet --positive-label 1 --bins 10000",
                "", "Exit codes: 0 ok, 2 bad input, 1 internal error."})
    static final class Evaluate implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--predictions", paramLabel = "PATH", description = "Predictions: a file or directory of .parquet, .csv or .json/.jsonl files (local, HDFS, S3: whatever the cluster reads).")
        String predictions;

        @Option(names = "--model", paramLabel = "DIR", description = "Score --data in the executors with this ONNX text-classifier directory (model.onnx, tokenizer.json, config.json; shipped with the job) instead of reading predictions.")
        String model;

        @Option(names = "--probe", paramLabel = "RUN|FILE", description = "Score --data with a sentence encoder and this stored probe instead: a probe run's id (its probe.json in the store) or a probe.json file. --model then names the encoder (default: the probe's own, e.g. minilm-q).")
        String probe;

        @Option(names = "--data", paramLabel = "PATH", description = "Labelled texts for --model (Parquet, CSV or JSON Lines, as --predictions).")
        String data;

        @Option(names = "--text-col", defaultValue = "text", description = "Text column of --data (default: ${DEFAULT-VALUE}).")
        String textCol;

        @Option(names = "--batch-size", defaultValue = "32", paramLabel = "N", description = "Texts per model call with --model (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--max-length", defaultValue = "0", paramLabel = "N", description = "Tokens per text with --model; 0 = the model's maximum (default).")
        int maxLength;

        @Option(names = "--format", paramLabel = "FMT", description = "parquet, csv or json (default: from the extension; a directory is Parquet).")
        String format;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master when not given by spark-submit (default: local[*]).")
        String master;

        @Option(names = "--label-col", defaultValue = "label", description = "True-class column (default: ${DEFAULT-VALUE}).")
        String labelCol;

        @Option(names = "--prob-prefix", defaultValue = "prob_", description = "Prefix of the per-class probability columns (default: ${DEFAULT-VALUE}).")
        String probPrefix;

        @Option(names = "--score-col", defaultValue = "score", description = "Binary score column (default: ${DEFAULT-VALUE}).")
        String scoreCol;

        @Option(names = "--pred-col", defaultValue = "pred", description = "Predicted-class column, optional (default: ${DEFAULT-VALUE}).")
        String predCol;

        @Option(names = "--weight-col", defaultValue = "weight", description = "Sample-weight column, optional (default: ${DEFAULT-VALUE}).")
        String weightCol;

        @Option(names = "--positive-label", paramLabel = "CLASS", description = "Positive class of a binary problem (required with a score column).")
        String positiveLabel;

        @Option(names = "--negative-label", paramLabel = "CLASS", description = "Negative class with a score column (default: the other label found).")
        String negativeLabel;

        @Option(names = "--threshold", defaultValue = "0.5", description = "Binary decision threshold without a pred column (default: ${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--renormalize", description = "Divide each row's probabilities by their sum instead of rejecting rows that don't sum to 1.")
        boolean renormalize;

        @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "N", description = "Poisson-bootstrap replicates for the 95%% intervals; 0 turns them off (and saves the pass that numbers the rows; default: ${DEFAULT-VALUE}).")
        int bootstrap;

        @Option(names = "--seed", defaultValue = "0", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--bins", defaultValue = "0", paramLabel = "N", description = "0 = exact curves and AUC (binary without intervals: 40 bytes per distinct score reach the driver; with intervals or 3+ classes every score: 8 bytes per class and 24 per row); N = constant-memory curves over N score bins, ROC AUC within the reported bound (default: ${DEFAULT-VALUE}).")
        int bins;

        @Option(names = "--calibration-bins", defaultValue = "15", paramLabel = "N", description = "Reliability-diagram bins for ECE/MCE (default: ${DEFAULT-VALUE}).")
        int calibrationBins;

        @Option(names = "--slice-by", split = ",", paramLabel = "COL[,COL...]", description = "Also evaluate each value of these columns alone (grouped aggregation).")
        List<String> sliceBy = new ArrayList<>();

        @Option(names = "--json", paramLabel = "OUT", description = "Write the full results as JSON (the same document as 'loupe evaluate --json') to a local file OUT.")
        Path json;

        @Option(names = "--curve-points", defaultValue = "1000", paramLabel = "N", description = "Most points per curve in the JSON; 0 = all (default: ${DEFAULT-VALUE}).")
        int curvePoints;

        @Option(names = "--store", paramLabel = "URL|FILE", description = "Run store on the driver: jdbc:postgresql://... (for teams), jdbc:sqlite:... or a SQLite file (default: $LOUPE_STORE, else $LOUPE_HOME/loupe.db).")
        String store;

        @Option(names = "--no-store", description = "Do not record the run.")
        boolean noStore;

        @Option(names = "--experiment", paramLabel = "E", description = "Experiment to record the run in (default: default).")
        String experiment;

        @Option(names = "--name", paramLabel = "NAME", description = "Run name (default: 'evaluate <input name>').")
        String runName;

        @Option(names = {"-q", "--quiet"}, description = "No progress output.")
        boolean quiet;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (curvePoints < 0) {
                throw InvalidInputException.parameter("--curve-points", "0 (all) or a positive number", curvePoints);
            }
            if (json != null && json.toAbsolutePath().getParent() != null && !Files.isDirectory(json.toAbsolutePath().getParent())) {
                throw new InvalidInputException("NO_SUCH_DIRECTORY", "Cannot write --json " + json + ": directory "
                        + json.toAbsolutePath().getParent() + " does not exist. Create it or choose another path.");
            }
            boolean scoring = model != null || probe != null;
            if ((predictions == null) == !scoring) {
                throw new InvalidInputException("BAD_PARAMETER", "Pass either --predictions PATH or --model DIR (or --probe RUN)"
                        + " --data PATH, not " + (predictions == null ? "neither" : "both") + ".");
            }
            if (scoring && data == null) {
                throw new InvalidInputException("BAD_PARAMETER", (probe != null ? "--probe" : "--model")
                        + " needs --data PATH: the labelled texts to score.");
            }
            ProbeArtifact stored = probe == null ? null : loadProbe(probe, store);
            String input = scoring ? data : predictions;
            SparkOptions o = SparkOptions.defaults().labelCol(labelCol).probPrefix(probPrefix).scoreCol(scoreCol)
                    .predCol(predCol).weightCol(weightCol).positiveLabel(positiveLabel).negativeLabel(negativeLabel)
                    .threshold(threshold).renormalize(renormalize).bootstrap(bootstrap, seed).bins(bins)
                    .calibrationBins(calibrationBins).sliceBy(sliceBy);
            boolean ours = SparkSession.getDefaultSession().isEmpty();
            SparkSession spark = session(master);
            try {
                Dataset<Row> df = read(spark, input, format, scoring);
                if (!quiet) {
                    err.println((scoring ? "scoring and evaluating " : "evaluating ") + input + " on "
                            + spark.sparkContext().master() + " (" + df.rdd().getNumPartitions() + " partitions)");
                }
                SparkScoring.Scoring scored = stored != null ? SparkScoring.scoreWithProbe(df, model, stored, textCol, batchSize, maxLength)
                        : model != null ? SparkScoring.score(df, model, textCol, batchSize, maxLength) : null;
                Dataset<Row> preds = scored != null ? scored.scored() : df;
                LoupeSpark.Evaluation ev = LoupeSpark.evaluateWithSlices(preds, o, input);
                String what = stored != null ? (model != null ? model : stored.encoder()) + " + probe " + probe + " on " + data
                        : model != null ? model + " on " + data : predictions;
                out.print(EvaluationOutputs.table(what, ev.result(), ev.slices()));
                out.flush();
                if (json != null) {
                    try (OutputStream os = Files.newOutputStream(json)) {
                        new MetricsJson(curvePoints).write(ev.result(), ev.slices(), os);
                    }
                    err.println("wrote " + json);
                }
                if (!noStore) {
                    record(ev, datasetHash(df), scored == null ? null : scored.modelSha256(), input, err);
                }
                return 0;
            } finally {
                if (ours) {
                    spark.stop(); // a session the caller made (a test's, a notebook's) is theirs to stop
                }
            }
        }

        private void record(LoupeSpark.Evaluation ev, String datasetHash, String modelSha256, String input, PrintWriter err) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("predictions", predictions);
            params.put("model", model);
            params.put("probe", probe);
            params.put("data", data);
            params.put("text_col", data == null ? null : textCol);
            params.put("max_length", data == null ? null : maxLength);
            params.put("format", format);
            params.put("engine", "spark");
            params.put("label_col", labelCol);
            params.put("prob_prefix", probPrefix);
            params.put("score_col", scoreCol);
            params.put("pred_col", predCol);
            params.put("weight_col", weightCol);
            params.put("positive_label", positiveLabel);
            params.put("negative_label", negativeLabel);
            params.put("threshold", threshold);
            params.put("renormalize", renormalize);
            params.put("bootstrap", bootstrap);
            params.put("seed", seed);
            params.put("bins", bins);
            params.put("calibration_bins", calibrationBins);
            params.put("slice_by", sliceBy.isEmpty() ? null : String.join(",", sliceBy));
            String name = runName != null ? runName : "evaluate " + Path.of(input).getFileName();
            try (RunStore s = RunStore.open(StoreLocation.resolve(store))) {
                RunInfo run = EvaluationOutputs.record(s, experiment, name, datasetHash, modelSha256,
                        EvaluationOutputs.commandLine("loupe-spark", spec.commandLine().getParseResult().originalArgs()),
                        params, ev.result(), ev.slices(), curvePoints);
                if (!quiet) {
                    err.println("recorded run " + run.id() + " in " + s.location().redacted() + " (loupe runs show " + run.id() + ")");
                }
            }
        }
    }

    /** {@code --probe}: a probe.json file, else a run of the store (read on the driver). */
    static ProbeArtifact loadProbe(String probe, String store) {
        Path file = Path.of(probe);
        if (Files.isRegularFile(file)) {
            return ProbeArtifact.read(file);
        }
        try (RunStore s = RunStore.openReadOnly(StoreLocation.resolve(store))) {
            return ProbeArtifact.load(s, s.run(probe).id());
        }
    }

    /**
     * The session: spark-submit's master, else {@code --master}, else local[*]; a local master binds the driver to
     * 127.0.0.1 and runs without the web UI.
     */
    static SparkSession session(String master) {
        SparkSession.Builder b = SparkSession.builder().appName("loupe-spark evaluate");
        String given = System.getProperty("spark.master");
        String m = master != null ? master : given != null ? given : "local[*]";
        b.master(m);
        if (m.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        return b.getOrCreate();
    }

    /** Spark's reader for the format: Parquet, CSV (header, numbers inferred) or JSON Lines; {@code texts}: --data. */
    static Dataset<Row> read(SparkSession spark, String path, String format, boolean texts) {
        String f = format != null ? format.toLowerCase(Locale.ROOT) : formatOf(path);
        DataFrameReader r = spark.read();
        try {
            return switch (f) {
                case "parquet" -> r.parquet(path);
                // RFC 4180 quoting ("" inside quotes); texts may hold line breaks inside quotes (multiLine: a file is
                // then read whole by one task, so predictions files are not read that way)
                case "csv" -> r.option("header", "true").option("inferSchema", "true").option("mode", "FAILFAST")
                        .option("escape", "\"").option("multiLine", texts).csv(path);
                case "json", "jsonl" -> r.option("mode", "FAILFAST").json(path);
                default -> throw InvalidInputException.parameter("--format", "parquet, csv or json", format);
            };
        } catch (LoupeException e) {
            throw e;
        } catch (Exception e) { // Spark's AnalysisException (a checked exception thrown from Scala): no such path, no schema
            if (!(e instanceof org.apache.spark.sql.AnalysisException)) {
                throw e;
            }
            throw new InvalidInputException("CANNOT_READ", "Cannot read --predictions " + path + ": "
                    + e.getMessage().lines().findFirst().orElse("") + ". Check the path and --format.");
        }
    }

    private static String formatOf(String path) {
        String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        for (String ext : new String[] {".gz", ".bz2", ".snappy", ".zst"}) {
            if (p.endsWith(ext)) {
                p = p.substring(0, p.length() - ext.length());
            }
        }
        if (p.endsWith(".csv")) {
            return "csv";
        }
        if (p.endsWith(".json") || p.endsWith(".jsonl") || p.endsWith(".ndjson")) {
            return "json";
        }
        return "parquet";
    }

    /**
     * The input's hash for the run's provenance: one local file is hashed as a local run hashes it (so the two runs
     * show the same dataset); several files or remote ones by their names, sizes and modification times
     * ({@code files-sha256:}), without reading them again.
     */
    static String datasetHash(Dataset<Row> df) {
        String[] files = df.inputFiles();
        if (files.length == 1 && files[0].startsWith("file:")) {
            Path p = Path.of(java.net.URI.create(files[0]));
            if (Files.isRegularFile(p)) {
                return EvaluationOutputs.sha256(p);
            }
        }
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            List<String> sorted = new ArrayList<>(List.of(files));
            sorted.sort(null);
            org.apache.hadoop.conf.Configuration conf = df.sparkSession().sparkContext().hadoopConfiguration();
            for (String f : sorted) {
                org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(f);
                org.apache.hadoop.fs.FileStatus st = hp.getFileSystem(conf).getFileStatus(hp);
                md.update((f + "\t" + st.getLen() + "\t" + st.getModificationTime() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            return "files-sha256:" + java.util.HexFormat.of().formatHex(md.digest());
        } catch (IOException | java.security.NoSuchAlgorithmException e) {
            return null;
        }
    }
}
