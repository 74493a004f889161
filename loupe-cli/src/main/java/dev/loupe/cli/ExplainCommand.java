package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.explain.Explanation;
import dev.loupe.explain.Method;
import dev.loupe.explain.ProbabilityModel;
import dev.loupe.explain.TextExplainer;
import dev.loupe.explain.Unit;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.Models;
import dev.loupe.models.OnnxTextClassifier;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code loupe explain}: why a model gives a text its class — word attributions (and attention), as a table or JSON. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Explain predictions: which words move a model's probability, by occlusion, KernelSHAP or LIME.",
            "A word is removed by replacing all its tokens with the tokenizer's mask token ([UNK] where there is none), so"
                + " the text keeps its length. Prints each word with its scores (how much it raises the probability of the"
                + " explained class); --json writes everything (docs/explain-json.md).",
            "",
            "With RUN --examples, re-runs a stored run's model (its classifier directory, or its encoder and stored probe)"
                + " on some of its examples and stores the explanations with the run: the dashboard's sample view shows them."},
        footer = {"", "Examples:",
            "  loupe explain --model path/to/onnx-classifier --text \"free money, click now\" --method occlusion,shap",
            "  loupe explain --model minilm-q --probe RUN --text \"...\" --method occlusion,shap,lime --json out.json",
            "  loupe explain RUN --examples confident-errors:10",
            "", "Exit codes: 0 ok, 2 bad input (the message says where and how to fix it), 1 internal error."})
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "A stored run whose examples to explain (with --examples).")
    String run;

    @Option(names = "--examples", paramLabel = "SPEC", description = "With RUN: confident-errors:N (wrong, most confident first),"
            + " errors:N (wrong, highest loss first), top-loss:N, or ids:a,b,c (example ids or row numbers).")
    String examples;

    @Option(names = "--model", paramLabel = "DIR|NAME", description = "An ONNX text-classifier directory, or a bundled encoder"
            + " (minilm, minilm-q, bge-small-q, e5-small-q) with --probe.")
    String model;

    @Option(names = "--probe", paramLabel = "RUN", description = "A run whose stored probe (probe.json) classifies the encoder's embeddings"
            + " (runs of 'loupe demo' and of 'loupe evaluate --model ENCODER').")
    String probe;

    @Option(names = "--text", paramLabel = "TEXT", description = "The text to explain.")
    String text;

    @Option(names = "--data", paramLabel = "FILE", description = "Explain texts of a file instead (.csv, .tsv, .jsonl, .parquet).")
    Path data;

    @Option(names = "--text-col", defaultValue = "text", description = "Text column of --data (default: ${DEFAULT-VALUE}).")
    String textCol;

    @Option(names = "--label-col", defaultValue = "label", description = "Label column of --data (default: ${DEFAULT-VALUE}).")
    String labelCol;

    @Option(names = "--ids", split = ",", paramLabel = "ID", description = "With --data: the example ids (or row numbers) to explain; default: the first 10 rows.")
    List<String> ids;

    @Option(names = "--class", paramLabel = "CLASS", description = "The class whose probability is explained (default: the predicted one).")
    String target;

    @Option(names = "--method", split = ",", defaultValue = "occlusion,shap", paramLabel = "M",
            description = "Methods, comma-separated: attention (every layer's maps and their rollout), occlusion, shap"
                    + " (KernelSHAP), lime (default: ${DEFAULT-VALUE}).")
    List<String> methods;

    @Option(names = "--faithfulness", description = "Also measure each method's faithfulness over the texts (always with RUN"
            + " --examples): comprehensiveness and sufficiency at 10/20/50%% of the words, AOPC against random orders.")
    boolean faithfulness;

    @Option(names = "--samples", defaultValue = "2000", paramLabel = "N", description = "Coalitions for KernelSHAP and samples for LIME;"
            + " KernelSHAP enumerates all of them, exactly, when 2^words <= N (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of KernelSHAP's and LIME's sampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--max-length", defaultValue = "0", paramLabel = "N", description = "Tokens per text; 0 = the model's maximum, or the"
            + " probe run's length (default).")
    int maxLength;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N", description = "Perturbed texts per model call (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "ONNX Runtime intra-op threads; 0 = all cores (default).")
    int threads;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the explanations as JSON to OUT ('-' for stdout; docs/explain-json.md).")
    String json;

    @Option(names = "--no-color", description = "No colour in the table, even on a terminal.")
    boolean noColor;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** An example to explain: its key in the run (row number), id, true label and text. */
    record Example(String key, Long row, String id, String label, String text) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Method> ms = Method.parse(methods);
        if (samples < 1) {
            throw InvalidInputException.parameter("--samples", "at least 1", samples);
        }
        if (batchSize < 1) {
            throw InvalidInputException.parameter("--batch-size", "at least 1", batchSize);
        }
        if (run != null) {
            if (examples == null) {
                throw InvalidInputException.parameter("--examples", "given with RUN (e.g. confident-errors:10)", "nothing");
            }
            if (text != null || data != null || model != null || probe != null) {
                throw new InvalidInputException("CONFLICTING_OPTIONS", "With RUN, the model is the run's own: leave out --model,"
                        + " --probe, --text and --data.");
            }
            return explainRun(ms, out, err);
        }
        if (examples != null) {
            throw new InvalidInputException("CONFLICTING_OPTIONS", "--examples needs a stored RUN: loupe explain RUN --examples confident-errors:10.");
        }
        if ((text == null) == (data == null)) {
            throw new InvalidInputException("NO_TEXT", "Pass the text to explain with --text \"...\", or a file with --data FILE"
                    + " (or a stored run: loupe explain RUN --examples confident-errors:10).");
        }
        if (model == null && probe == null) {
            throw InvalidInputException.parameter("--model", "a classifier directory, or a bundled encoder with --probe RUN", "nothing");
        }
        List<Example> list = text != null ? List.of(new Example("text", null, null, null, text)) : fromData();
        try (Loaded m = probe != null ? withProbe(probe, model) : classifier(model)) {
            ExplainJson.Doc doc = explainAll(m, list, ms, faithfulness, err);
            print(doc, out);
            writeJson(doc, out);
        }
        return 0;
    }

    private List<Example> fromData() {
        dev.loupe.data.text.TextDataset d = dev.loupe.data.text.TextDatasetReader.read(data,
                dev.loupe.data.text.TextDatasetOptions.defaults().withTextColumn(textCol).withLabelColumn(labelCol));
        List<Example> out = new ArrayList<>();
        if (ids == null || ids.isEmpty()) {
            for (int i = 0; i < Math.min(10, d.size()); i++) {
                out.add(new Example(String.valueOf(i), (long) i, d.id(i), d.label(i), d.text(i)));
            }
        } else {
            for (String want : ids) {
                int hit = -1;
                for (int i = 0; i < d.size() && hit < 0; i++) {
                    if (want.equals(d.id(i)) || want.equals(String.valueOf(i))) {
                        hit = i;
                    }
                }
                if (hit < 0) {
                    throw new InvalidInputException("EXAMPLE_NOT_FOUND", data + " has no example with id or row number '" + want
                            + "'. Use an id of its id column or a 0-based row number.");
                }
                out.add(new Example(String.valueOf(hit), (long) hit, d.id(hit), d.label(hit), d.text(hit)));
            }
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("NO_ROWS", data + " has no rows to explain.");
        }
        return out;
    }

    /** An opened model with what explains it; closes the model. */
    record Loaded(ModelAdapter adapter, ProbabilityModel model, String name, String probeRun,
                  java.util.function.Supplier<byte[]> onnx) implements AutoCloseable {
        @Override
        public void close() {
            adapter.close();
        }
    }

    private ModelOptions options(int defaultMax) {
        return ModelOptions.defaults().withMaxLength(maxLength > 0 ? maxLength : defaultMax).withThreads(threads);
    }

    private Loaded classifier(String name) {
        ModelAdapter a = Models.open(name, options(0));
        if (a instanceof OnnxTextClassifier c) {
            return new Loaded(a, ProbabilityModel.classifier(c), a.spec().name(), null, () -> read(Path.of(name).resolve("model.onnx")));
        }
        a.close();
        throw new InvalidInputException("NOT_A_CLASSIFIER", "The model " + name + " is an encoder: it gives embeddings, not"
                + " class probabilities. Pass --probe RUN with a run that trained a probe on it (loupe demo, or loupe"
                + " evaluate --model " + name + " --data FILE).");
    }

    private Loaded withProbe(String probeRun, String modelName) {
        ProbeArtifact p;
        String runId;
        try (RunStore s = store.openReadOnly()) {
            runId = s.run(probeRun).id();
            p = ProbeArtifact.load(s, runId);
        }
        String enc = modelName == null ? p.encoder() : modelName;
        int max = p.maxLength() > 0 ? Math.min(p.maxLength(), BundledEncoder.MAX_LENGTH) : 0;
        OnnxTextEncoder e = BundledEncoder.isShortName(enc) ? OnnxTextEncoder.open(BundledEncoder.byName(enc), options(max))
                : OnnxTextEncoder.open(Path.of(enc), options(max));
        try {
            if (p.encoderSha256() != null && !p.encoderSha256().equals(e.spec().sha256())) {
                throw new InvalidInputException("PROBE_MISMATCH", "The probe of run " + runId + " was trained on the encoder "
                        + p.encoder() + " (SHA-256 " + p.encoderSha256().substring(0, 12) + "…), not on " + enc + " (SHA-256 "
                        + e.spec().sha256().substring(0, 12) + "…): pass --model " + p.encoder() + " or leave --model out.");
            }
            java.util.function.Supplier<byte[]> bytes = BundledEncoder.isShortName(enc) ? () -> BundledEncoder.byName(enc).onnxBytes()
                    : () -> read(Path.of(enc).resolve("model.onnx"));
            return new Loaded(e, ProbabilityModel.probe(e, p.probe(), p.classes()), e.spec().name() + " + probe of " + runId, runId, bytes);
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new InvalidInputException("MODEL_UNREADABLE", "Cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private ExplainJson.Doc explainAll(Loaded m, List<Example> list, List<Method> ms, boolean faith, PrintWriter err) {
        dev.loupe.explain.Attention attention = !ms.contains(Method.ATTENTION) ? null : dev.loupe.explain.Attention.of(
                m.onnx().get(), m.adapter().spec().source(), m.adapter().spec().sha256(),
                threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        TextExplainer ex = new TextExplainer(m.model(), new TextExplainer.Options(samples, seed, batchSize), attention);
        int t = target == null ? -1 : ex.classIndex(target);
        long planned = 0;
        for (Example e : list) {
            planned += TextExplainer.plannedRows(dev.loupe.explain.Words.split(e.text()).size(), ms, ex.options());
        }
        List<ExplainJson.Item> items = new ArrayList<>();
        try (Progress progress = new Progress(err, "explaining with " + m.name(), planned, quiet).unit("texts")) {
            long[] done = {0};
            for (Example e : list) {
                TextExplainer.Result r = ex.explain(e.text(), ms, t, n -> {
                    done[0] += n;
                    progress.update(done[0], done[0]);
                }, faith);
                items.add(new ExplainJson.Item(e.key(), e.row(), e.id(), e.label(), r));
            }
        }
        java.util.Map<String, dev.loupe.explain.Faithfulness.Summary> summary = new java.util.LinkedHashMap<>();
        if (faith) {
            for (Method meth : ms) {
                List<dev.loupe.explain.Faithfulness.Measures> rows = new ArrayList<>();
                items.forEach(it -> {
                    var f = it.result().faithfulness().get(meth.id());
                    if (f != null) {
                        rows.add(f);
                    }
                });
                if (!rows.isEmpty()) {
                    summary.put(meth.id(), dev.loupe.explain.Faithfulness.summarize(meth.id(), rows, 1000, 0.95, seed));
                }
            }
        }
        return new ExplainJson.Doc(m.name(), m.probeRun(), ms.stream().map(Method::id).toList(), samples, seed, items, summary);
    }

    private void writeJson(ExplainJson.Doc doc, PrintWriter out) throws java.io.IOException {
        if (json == null) {
            return;
        }
        byte[] bytes = ExplainJson.bytes(doc, true);
        if (json.equals("-")) {
            out.println(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } else {
            OutputFiles.write(Path.of(json), os -> os.write(bytes));
        }
    }

    // ----- RUN --examples

    private int explainRun(List<Method> ms, PrintWriter out, PrintWriter err) throws java.io.IOException {
        String runId;
        List<Example> picked;
        Map<String, Object> params;
        ProbeArtifact stored = null;
        try (RunStore s = store.openReadOnly()) {
            RunInfo info = s.run(run);
            runId = info.id();
            params = s.params(runId);
            picked = pick(s.predictions(runId), runId);
            try {
                stored = ProbeArtifact.load(s, runId);
            } catch (NotFoundException e) {
                stored = null;
            }
        }
        Loaded m;
        if (stored != null) {
            m = withProbe(runId, null);
        } else {
            Object mo = params.get("model");
            if (mo == null || !Files.isRegularFile(Path.of(String.valueOf(mo)).resolve("config.json"))) {
                throw new InvalidInputException("NO_MODEL_TO_RERUN", "The run " + runId + " has no model Loupe can re-run: it"
                        + (mo == null ? " was made from a predictions file" : " names the model '" + mo + "', which is not a"
                        + " classifier directory here, and has no stored probe")
                        + ". Explain texts with --model DIR --text ..., or record the run with 'loupe evaluate --model'.");
            }
            if (maxLength == 0 && params.get("max_length") instanceof Number n && n.intValue() > 0) {
                maxLength = n.intValue();
            }
            m = classifier(String.valueOf(mo));
        }
        ExplainJson.Doc doc;
        try (m) {
            doc = explainAll(m, picked, ms, true, err);
        }
        print(doc, out);
        writeJson(doc, out);
        try (RunStore s = store.open()) {
            ExplainJson.store(s, runId, doc);
        }
        if (!quiet) {
            err.println("stored " + picked.size() + " explanation" + (picked.size() == 1 ? "" : "s") + " with run " + runId
                    + " (loupe serve: the run's samples open them)");
        }
        return 0;
    }

    /** The examples {@code --examples} names among a run's stored predictions. */
    List<Example> pick(List<PredictionRow> rows, String runId) {
        if (rows.isEmpty()) {
            throw new InvalidInputException("NO_PREDICTIONS", "The run " + runId + " has no stored predictions to explain.");
        }
        String spec = examples.trim();
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String arg = colon < 0 ? "" : spec.substring(colon + 1);
        List<PredictionRow> chosen = new ArrayList<>();
        switch (kind) {
            case "confident-errors", "errors", "top-loss" -> {
                int n;
                try {
                    n = Integer.parseInt(arg.trim());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 1) {
                    throw InvalidInputException.parameter("--examples", kind + ":N with N a positive count", "'" + spec + "'");
                }
                List<PredictionRow> pool = new ArrayList<>();
                for (PredictionRow r : rows) {
                    boolean wrong = r.label() != null && r.pred() != null && !r.label().equals(r.pred());
                    if (kind.equals("top-loss") || wrong) {
                        pool.add(r);
                    }
                }
                Comparator<PredictionRow> order = kind.equals("confident-errors")
                        ? Comparator.comparingDouble((PredictionRow r) -> Double.isNaN(r.confidence()) ? -1 : r.confidence()).reversed()
                        : Comparator.comparingDouble((PredictionRow r) -> Double.isNaN(r.loss()) ? -1 : r.loss()).reversed();
                pool.sort(order.thenComparingLong(PredictionRow::rowIndex));
                chosen.addAll(pool.subList(0, Math.min(n, pool.size())));
                if (chosen.isEmpty()) {
                    throw new InvalidInputException("NO_EXAMPLES", "The run " + runId + " has no wrong predictions to explain;"
                            + " use --examples top-loss:N or ids:....");
                }
            }
            case "ids" -> {
                LinkedHashSet<String> want = new LinkedHashSet<>();
                for (String w : arg.split(",")) {
                    if (!w.isBlank()) {
                        want.add(w.trim());
                    }
                }
                if (want.isEmpty()) {
                    throw InvalidInputException.parameter("--examples", "ids:a,b,c with at least one id", "'" + spec + "'");
                }
                for (String w : want) {
                    PredictionRow hit = null;
                    for (PredictionRow r : rows) {
                        if (w.equals(r.exampleId()) || w.equals(String.valueOf(r.rowIndex()))) {
                            hit = r;
                            break;
                        }
                    }
                    if (hit == null) {
                        throw new InvalidInputException("EXAMPLE_NOT_FOUND", "The run " + runId + " has no example with id or"
                                + " row number '" + w + "' (loupe serve lists them in the run's samples).");
                    }
                    chosen.add(hit);
                }
            }
            default -> throw InvalidInputException.parameter("--examples",
                    "confident-errors:N, errors:N, top-loss:N or ids:a,b,c", "'" + spec + "'");
        }
        List<Example> out = new ArrayList<>();
        for (PredictionRow r : chosen) {
            if (r.text() == null || r.text().isBlank()) {
                throw new InvalidInputException("NO_TEXT", "Example " + (r.exampleId() == null ? "row " + r.rowIndex() : r.exampleId())
                        + " of run " + runId + " has no stored text to explain.");
            }
            out.add(new Example(String.valueOf(r.rowIndex()), r.rowIndex(), r.exampleId(), r.label(), r.text()));
        }
        return out;
    }

    // ----- the table

    private void print(ExplainJson.Doc doc, PrintWriter out) {
        if ("-".equals(json)) {
            return;
        }
        boolean color = !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
        for (ExplainJson.Item it : doc.items()) {
            TextExplainer.Result r = it.result();
            out.println(TableReport.safe("example " + (it.id() != null ? it.id() : it.key()) + (it.label() == null ? "" : " (true: " + it.label() + ")")
                    + ": " + ExplainJson.snippet(r.text(), 100)));
            StringBuilder probs = new StringBuilder();
            for (int k = 0; k < r.labels().size(); k++) {
                probs.append(k == 0 ? "" : ", ").append(r.labels().get(k)).append(' ').append(fixed(r.probabilities()[k]));
            }
            out.println(TableReport.safe("  " + doc.model() + ": " + probs + "; explaining '" + r.labels().get(r.target()) + "'"
                    + (r.target() == r.predicted() ? " (predicted)" : "")));
            if (r.truncatedWords() > 0) {
                out.printf(Locale.ROOT, "  %d words past the max length are not explained%n", r.truncatedWords());
            }
            StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %4s  %-24s", "#", "word"));
            for (Explanation e : r.explanations()) {
                head.append(String.format(Locale.ROOT, " %10s", e.method()));
            }
            out.println(head);
            double[] scale = new double[r.explanations().size()];
            for (int j = 0; j < scale.length; j++) {
                for (double v : r.explanations().get(j).scores()) {
                    scale[j] = Math.max(scale[j], Math.abs(v));
                }
            }
            List<Unit> units = r.units();
            for (int i = 0; i < units.size(); i++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %4d  %-24s", i + 1,
                        TableReport.safe(ExplainJson.snippet(units.get(i).text(), 24))));
                for (int j = 0; j < r.explanations().size(); j++) {
                    double v = r.explanations().get(j).scores()[i];
                    String cell = String.format(Locale.ROOT, " %+10.4f", v);
                    if (color && scale[j] > 0 && Math.abs(v) >= 0.25 * scale[j]) {
                        cell = (v > 0 ? "\u001b[32m" : "\u001b[31m") + (Math.abs(v) >= 0.75 * scale[j] ? "\u001b[1m" : "") + cell + "\u001b[0m";
                    }
                    line.append(cell);
                }
                out.println(line);
            }
            for (Explanation e : r.explanations()) {
                out.println(TableReport.safe(String.format(Locale.ROOT, "  %s: %s; f(text) %s, %s %s, sum of scores %+.4f", e.method(), e.note(),
                        fixed(e.value()), e.method().equals("lime") ? "intercept" : "f(all masked)", fixed(e.baseValue()), e.sum())));
            }
            if (r.attention() != null) {
                out.printf(Locale.ROOT, "  attention: %d layers × %d heads over %d tokens (all maps in --json)%n", r.attention().layers(),
                        r.attention().heads(), r.attention().tokens().length);
            }
            out.println();
        }
        if (!doc.faithfulness().isEmpty()) {
            out.printf(Locale.ROOT, "faithfulness over %d text%s (mean [95%% bootstrap interval]; comprehensiveness and AOPC: higher is"
                    + " better, sufficiency: lower is better)%n", doc.items().size(), doc.items().size() == 1 ? "" : "s");
            out.printf(Locale.ROOT, "  %-10s %-26s %-26s %-26s %-26s%n", "method", "comprehensiveness", "sufficiency", "AOPC", "AOPC, random order");
            doc.faithfulness().forEach((k, f) -> out.printf(Locale.ROOT, "  %-10s %-26s %-26s %-26s %-26s%n", k, ci(f.comprehensiveness()),
                    ci(f.sufficiency()), ci(f.aopc()), ci(f.aopcRandom())));
        }
        out.flush();
    }

    private static String ci(dev.loupe.explain.Faithfulness.Interval i) {
        return Double.isNaN(i.ciLow()) ? fixed(i.value()) : fixed(i.value()) + " [" + fixed(i.ciLow()) + ", " + fixed(i.ciHigh()) + "]";
    }

    private static String fixed(double v) {
        return dev.loupe.report.Numbers.fixed(v, 4);
    }
}
