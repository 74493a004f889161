package dev.loupe.cli;

import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.text.TextDataset;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.SlicedEvaluation;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs for the browser tests, computed by the real metrics engine and recorded the way the demo records its runs:
 * a binary run of 100,000 examples (slices, curves, efficiency, per-example rows whose texts, metadata and names are
 * hostile), a three-class run, and nothing else. The live run is made by the test itself.
 */
final class BrowserFixture {
    /** Each one sets {@code window.__pwned} if it ever runs. */
    static final List<String> HOSTILE = List.of(
            "Hello </script><script>window.__pwned=1</script>",
            "<img src=x onerror=\"window.__pwned=2\">",
            "<a href=\"javascript:window.__pwned=3\">click me</a> javascript:window.__pwned=3",
            "<script>window.__pwned=4</script>",
            "<svg onload=\"window.__pwned=5\"></svg> <!-- <script>window.__pwned=6</script>");
    static final String HOSTILE_NAME = "<img src=x onerror=\"window.__pwned=7\">";
    static final String HOSTILE_SOURCE = "<b onmouseover=\"window.__pwned=8\">hard-ham</b>";

    private BrowserFixture() {
    }

    /** The binary run: ham/spam, 30% spam, scores from two overlapping logistic-normal distributions. */
    static String binary(RunStore store, int n, long seed) {
        Random rnd = new Random(seed);
        List<String> ids = new ArrayList<>(n);
        List<String> texts = new ArrayList<>(n);
        List<String> labels = new ArrayList<>(n);
        List<String> source = new ArrayList<>(n);
        double[][] probs = new double[n][];
        String[] sources = {"easy-ham-1", "easy-ham-2", HOSTILE_SOURCE, "spam-1", "spam-2"};
        for (int i = 0; i < n; i++) {
            boolean spam = rnd.nextDouble() < 0.3;
            // the hostile texts are confident errors: first in the dashboard's samples (sorted by loss) and in the report
            double p = i < HOSTILE.size() ? 0.002 + 0.001 * i : sigmoid((spam ? 1.6 : -1.6) + 1.4 * rnd.nextGaussian());
            boolean hostile = i < HOSTILE.size();
            ids.add("msg-" + i);
            labels.add(hostile || spam ? "spam" : "ham");
            texts.add(hostile ? HOSTILE.get(i) : "Message " + i + (spam ? ": cheap meds, act now" : ": minutes of the weekly meeting"));
            source.add(hostile ? HOSTILE_SOURCE : spam ? sources[3 + rnd.nextInt(2)] : sources[rnd.nextInt(3)]);
            probs[i] = new double[]{1 - p, p};
        }
        TextDataset data = new TextDataset("browser-spam", ids, texts, labels, Map.of("source", source));
        List<String> classes = List.of("ham", "spam");
        EvaluationConfig cfg = new EvaluationConfig(2, 1, 200, seed, 0.95, 15, 20, 0);
        String id = record(store, "browser", HOSTILE_NAME + " probe:minilm-q", data, classes, probs, cfg, "source");
        explanations(store, id, HOSTILE, classes);
        // embeddings as the demo keeps them (row i = stored prediction i), so the projector panel draws its PCA view
        float[][] embeddings = new float[n][8];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 8; j++) {
                embeddings[i][j] = (float) ((j < 2 ? 3 * probs[i][1] : 0) + rnd.nextGaussian());
            }
        }
        store.putArtifact(id, "embeddings.f32", "application/octet-stream",
                new ByteArrayInputStream(dev.loupe.report.Float32Matrix.of(embeddings).toBytes()));
        List<SeriesPoint> points = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int e = 1; e <= 30; e++) {
            points.add(new SeriesPoint("train/loss", e, now, 0.2 + 0.5 * Math.exp(-e / 6.0)));
            points.add(new SeriesPoint("val/loss", e, now, 0.25 + 0.5 * Math.exp(-e / 7.0)));
            points.add(new SeriesPoint("val/accuracy", e, now, 0.95 - 0.4 * Math.exp(-e / 5.0)));
        }
        store.appendPoints(id, points);
        String efficiency = "{\"encode_texts_per_second\": 101.2, \"encode_tokens_per_second\": 9012.0, \"profile\": {"
                + "\"model\": \"minilm-q\", \"modelFileBytes\": 22972370, \"parameters\": 22607366, \"flopsPerSequence128\": 2.87e9,"
                + " \"peakRssBytes\": 812782208, \"batchInvarianceMaxAbsDiff\": 0.0031, \"cells\": ["
                + "{\"batchSize\": 1, \"seqLen\": 32, \"p50Ms\": 2.9, \"p95Ms\": 3.4, \"p99Ms\": 4.0, \"sequencesPerSecond\": 344.8, \"tokensPerSecond\": 11034},"
                + "{\"batchSize\": 8, \"seqLen\": 128, \"p50Ms\": 71.3, \"p95Ms\": 80.2, \"p99Ms\": 90.5, \"sequencesPerSecond\": 112.2, \"tokensPerSecond\": 14361},"
                + "{\"batchSize\": 32, \"seqLen\": 512, \"p50Ms\": 1490.0, \"p95Ms\": 1530.1, \"p99Ms\": 1544.9, \"sequencesPerSecond\": 21.5, \"tokensPerSecond\": 11000}]}}";
        store.putArtifact(id, "efficiency.json", "application/json", new ByteArrayInputStream(efficiency.getBytes(StandardCharsets.UTF_8)));
        store.finish(id, RunStatus.FINISHED);
        return id;
    }

    /** A three-class run (negative / neutral / positive) where neutral is the hard class. */
    static String multiClass(RunStore store, int n, long seed) {
        Random rnd = new Random(seed);
        List<String> classes = List.of("negative", "neutral", "positive");
        List<String> ids = new ArrayList<>(n);
        List<String> texts = new ArrayList<>(n);
        List<String> labels = new ArrayList<>(n);
        double[][] probs = new double[n][];
        for (int i = 0; i < n; i++) {
            int y = rnd.nextInt(3);
            double[] logits = new double[3];
            for (int k = 0; k < 3; k++) {
                logits[k] = (k == y ? (y == 1 ? 0.8 : 2.0) : 0) + rnd.nextGaussian();
            }
            double max = Math.max(logits[0], Math.max(logits[1], logits[2]));
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                logits[k] = Math.exp(logits[k] - max);
                sum += logits[k];
            }
            for (int k = 0; k < 3; k++) {
                logits[k] /= sum;
            }
            probs[i] = logits;
            ids.add("review-" + i);
            labels.add(classes.get(y));
            texts.add("Review " + i + " rated " + classes.get(y));
        }
        TextDataset data = new TextDataset("reviews", ids, texts, labels, Map.of());
        EvaluationConfig cfg = new EvaluationConfig(3, -1, 200, seed, 0.95, 15, 20, 0);
        String id = record(store, "browser", "sentiment probe", data, classes, probs, cfg, null);
        store.finish(id, RunStatus.FINISHED);
        return id;
    }

    /**
     * Explanations of the first rows (the hostile texts), as {@code loupe explain RUN --examples} stores them
     * (docs/explain-json.md): one occlusion score per whitespace word, the word's index over the word count.
     */
    static void explanations(RunStore store, String runId, List<String> texts, List<String> classes) {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode root = om.createObjectNode();
        root.put("format", "loupe-explain/1");
        root.putObject("model").put("name", HOSTILE_NAME);
        com.fasterxml.jackson.databind.node.ObjectNode ex = root.putObject("examples");
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            List<dev.loupe.explain.Unit> units = dev.loupe.explain.Words.split(text);
            com.fasterxml.jackson.databind.node.ObjectNode e = ex.putObject(String.valueOf(i));
            e.put("key", String.valueOf(i)).put("row", i).put("id", "ex-" + i).put("label", classes.get(1)).put("text", text)
                    .put("predicted", classes.get(0)).put("target", classes.get(0)).put("truncated_words", 0);
            e.set("labels", om.valueToTree(classes));
            e.set("probabilities", om.valueToTree(List.of(0.99, 0.01)));
            com.fasterxml.jackson.databind.node.ArrayNode us = e.putArray("units");
            com.fasterxml.jackson.databind.node.ArrayNode scores = om.createArrayNode();
            for (int u = 0; u < units.size(); u++) {
                us.addObject().put("text", units.get(u).text()).put("start", units.get(u).start()).put("end", units.get(u).end());
                scores.add((u + 1.0) / units.size() - 0.5);
            }
            e.putObject("methods").putObject("occlusion").put("value", 0.99).put("base_value", 0.5)
                    .put("evaluations", units.size() + 2).put("note", HOSTILE_SOURCE).set("scores", scores);
        }
        try {
            store.putArtifact(runId, "explanations.json", "application/json", new java.io.ByteArrayInputStream(om.writeValueAsBytes(root)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String record(RunStore store, String experiment, String name, TextDataset data, List<String> classes,
                                 double[][] probs, EvaluationConfig cfg, String sliceColumn) {
        int k = classes.size();
        PredictionBatch batch = new PredictionBatch(k, data.size(), false);
        int[] sliceOf = new int[data.size()];
        SlicedEvaluation sliced = sliceColumn == null ? null : new SlicedEvaluation(cfg, sliceColumn);
        for (int i = 0; i < data.size(); i++) {
            batch.add(i, classes.indexOf(data.label(i)), PredictionBatch.argMax(probs[i], 0, k), 1.0, probs[i], 0);
            if (sliced != null) {
                sliceOf[i] = sliced.sliceId(data.metadata(sliceColumn, i));
            }
        }
        EvaluationState state = new EvaluationState(cfg);
        state.update(batch);
        EvaluationResult result = state.result(classes);
        Map<String, EvaluationResult> slices = Map.of();
        if (sliced != null) {
            sliced.update(batch, sliceOf);
            slices = sliced.results(classes);
        }
        Map<String, MetricValue> metrics = EvaluationRecorder.metrics(result, sliceColumn, slices);
        // the binary run's groups are its slices (fairness panel; one group's name is hostile)
        dev.loupe.metrics.GroupFairness fairness = sliced != null && k == 2
                ? dev.loupe.metrics.GroupFairness.of(sliced.states(), cfg.positive(), cfg.level()) : null;
        if (fairness != null) {
            fairness.gaps().forEach((gap, v) -> metrics.put(gap.toString(), v));
            slices.forEach((value, r) -> metrics.put("recall[" + sliceColumn + "=" + value + "]", r.metric("recall")));
        }
        Provenance prov = Provenance.EMPTY.withDatasetHash(data.sha256()).withCommand("BrowserTest fixture")
                .withLoupeVersion(Main.version());
        RunInfo run = store.createRun(new RunSpec(experiment, name, prov, null));
        store.putParams(run.id(), Map.of("model", "fixture", "dataset", data.name(), "bootstrap", cfg.bootstrap()));
        store.putMetrics(run.id(), metrics);
        store.putPredictions(run.id(), EvaluationRecorder.rows(data, classes, probs));
        EvaluationRecorder.putMetricsJson(store, run.id(), result, sliceColumn == null ? Map.of() : Map.of(sliceColumn, slices),
                sliceColumn, fairness, sliced == null ? dev.loupe.data.results.MetricsJson.Extras.NONE
                        : extras(state, result, batch, sliced, sliceOf, classes), 1000);
        if (sliced != null) {
            store.putArtifact(run.id(), "robustness.json", "application/json", new ByteArrayInputStream(robustness(result)));
        }
        return run.id();
    }

    /**
     * What a binary sliced run adds: an out-of-distribution copy of its rows (each P(spam) halved and raised by 0.3, so
     * calibration and the decisions shift) with the gaps, and the weak slices among its slice column's values.
     */
    private static dev.loupe.data.results.MetricsJson.Extras extras(EvaluationState in, EvaluationResult inResult, PredictionBatch batch,
                                                                   SlicedEvaluation sliced, int[] sliceOf, List<String> classes) {
        int k = classes.size();
        PredictionBatch shifted = new PredictionBatch(k, batch.size(), false);
        java.util.BitSet errors = new java.util.BitSet();
        for (int i = 0; i < batch.size(); i++) {
            double spam = 0.5 * batch.prob(i, 1) + 0.3; // binary: pulled toward, and past, 0.5
            double[] p = {1 - spam, spam};
            shifted.add(i, batch.label(i), PredictionBatch.argMax(p, 0, k), 1.0, p, 0);
            if (batch.label(i) != batch.pred(i)) {
                errors.set(i);
            }
        }
        EvaluationState ood = new EvaluationState(dev.loupe.metrics.DistributionShift.oodConfig(in.config()));
        ood.update(shifted);
        dev.loupe.metrics.DistributionShift shift = dev.loupe.metrics.DistributionShift.of(in, inResult, ood, classes);
        dev.loupe.metrics.WeakSlices.Settings d = dev.loupe.metrics.WeakSlices.Settings.defaults();
        dev.loupe.metrics.WeakSlices.Result weak = dev.loupe.metrics.WeakSlices.find(List.of("source"),
                new int[][] {java.util.Arrays.copyOf(sliceOf, batch.size())}, List.of(sliced.sliceNames()), errors, batch.size(),
                new dev.loupe.metrics.WeakSlices.Settings(5, d.maxLevel(), d.top(), d.alpha()));
        // a heatmap over the slice column and the rows' parity: one cross slice per pair
        SlicedEvaluation cross = new SlicedEvaluation(in.config(), "source x half");
        List<String> sources = sliced.sliceNames();
        List<String> halves = List.of("even", "odd");
        int[] pair = new int[batch.size()];
        List<int[]> pairs = new ArrayList<>();
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            int[] p = {sliceOf[i], i % 2};
            pair[i] = ids.computeIfAbsent(p[0] + "/" + p[1], x -> {
                pairs.add(p);
                return cross.sliceId(x);
            });
        }
        cross.update(batch, pair);
        Map<String, EvaluationResult> results = cross.results(classes);
        Map<String, Map<String, EvaluationResult>> cells = new java.util.LinkedHashMap<>();
        for (int[] p : pairs) {
            cells.computeIfAbsent(sources.get(p[0]), x -> new java.util.LinkedHashMap<>()).put(halves.get(p[1]), results.get(p[0] + "/" + p[1]));
        }
        dev.loupe.metrics.SliceHeatmap heat = new dev.loupe.metrics.SliceHeatmap("source", "half", sources, halves, cells);
        return new dev.loupe.data.results.MetricsJson.Extras(shift, "later " + HOSTILE_NAME + ".csv", weak, heat);
    }

    /** A robustness document (as loupe robustness stores it) whose flipped examples are the hostile texts. */
    private static byte[] robustness(EvaluationResult clean) {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode doc = om.createObjectNode();
        doc.put("model", HOSTILE_NAME).put("rows", clean.rows());
        doc.putObject("clean").set("metrics", metricsNode(om, clean.metric("accuracy").value(), 0));
        com.fasterxml.jackson.databind.node.ArrayNode list = doc.putArray("perturbations");
        double[] severities = {0.05, 0.1, 0.2};
        for (String kind : List.of("typo", "homoglyph")) {
            for (int s = 0; s < severities.length; s++) {
                double drop = (kind.equals("typo") ? 0.1 : 0.04) * (s + 1);
                com.fasterxml.jackson.databind.node.ObjectNode p = list.addObject();
                p.put("name", kind + ":" + severities[s]).put("kind", kind).put("severity", severities[s]).put("flips", HOSTILE.size());
                p.set("metrics", metricsNode(om, clean.metric("accuracy").value() - drop, 0));
                p.set("deltas", metricsNode(om, -drop, 0.01));
                p.putObject("flip_rate").put("value", drop).put("ci_low", drop - 0.01).put("ci_high", drop + 0.01);
                com.fasterxml.jackson.databind.node.ArrayNode ex = p.putArray("examples");
                for (int i = 0; i < HOSTILE.size(); i++) {
                    String text = HOSTILE.get(i);
                    ex.addObject().put("row", i).put("id", HOSTILE_NAME + i).put("clean_text", text)
                            .put("perturbed_text", "free " + text.replace("window", "wndow")).put("clean_pred", "ham")
                            .put("perturbed_pred", HOSTILE_SOURCE).put("clean_prob", 0.9).put("perturbed_prob", 0.2);
                }
            }
        }
        try {
            return om.writeValueAsBytes(doc);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode metricsNode(com.fasterxml.jackson.databind.ObjectMapper om,
                                                                             double accuracy, double width) {
        com.fasterxml.jackson.databind.node.ObjectNode m = om.createObjectNode();
        m.putObject("accuracy").put("value", accuracy).put("ci_low", accuracy - 0.02 - width).put("ci_high", accuracy + 0.02 + width);
        return m;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
