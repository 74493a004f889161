package dev.loupe.report;

import dev.loupe.api.MetricValue;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.StoreLocation;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A store with one binary run (ham/spam) holding everything the panels read, and one bare run. */
public final class Fixtures {
    public static final String HOSTILE = "</script><script>window.__pwned=1</script>";
    public static final List<String> TEXTS = List.of(
            "Hello " + HOSTILE,
            "<img src=x onerror=\"window.__pwned=2\">",
            "<a href=\"javascript:window.__pwned=3\">click</a>",
            "plain text & more \u2028 line separator",
            "<!-- <script> comment trick");

    private Fixtures() {
    }

    public record Store(RunStore store, String fullRun, String bareRun) {
    }

    public static Store create(Path dir) {
        RunStore store = RunStore.open(StoreLocation.sqlite(dir.resolve("loupe.db")));
        RunInfo run = store.createRun(new RunSpec("exp<b>", "probe:<i>x</i>",
                Provenance.EMPTY.withCommand("loupe evaluate").withDatasetHash("sha256:abc"), null));
        String id = run.id();
        store.putParams(id, Map.of("model", "m1", "dataset", "spam"));
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", new MetricValue(0.9, 0.85, 0.95));
        metrics.put("roc_auc", new MetricValue(0.97, 0.96, 0.98));
        metrics.put("average_precision", new MetricValue(0.94, Double.NaN, Double.NaN));
        metrics.put("log_loss", MetricValue.of(0.25));
        metrics.put("mcc", MetricValue.UNDEFINED);
        metrics.put("accuracy[source=hard-ham]", new MetricValue(0.6, 0.4, 0.8));
        metrics.put("accuracy[source=spam-1]", new MetricValue(0.95, 0.9, 1.0));
        metrics.put("f1[source=spam-1]", MetricValue.of(0.93));
        store.putMetrics(id, metrics);
        store.putArtifact(id, "metrics.json", "application/json",
                new ByteArrayInputStream(Json.write(metricsJson()).getBytes(StandardCharsets.UTF_8)));
        String efficiency = "{\"encode_texts_per_second\": 27.8, \"profile\": {\"model\": \"minilm-q\", \"modelFileBytes\": 22972370,"
                + " \"parameters\": 22607366, \"peakRssBytes\": 2162782208, \"batchInvarianceMaxAbsDiff\": 0.0455,"
                + " \"cells\": [{\"batchSize\": 1, \"seqLen\": 128, \"p50Ms\": 40.1, \"p99Ms\": null},"
                + " {\"batchSize\": 8, \"seqLen\": 128, \"p50Ms\": 221.0}]}}";
        store.putArtifact(id, "efficiency.json", "application/json", new ByteArrayInputStream(efficiency.getBytes(StandardCharsets.UTF_8)));
        String dataset = "{\"cleaning\": {\"dataset\": \"spam " + HOSTILE.replace("\"", "\\\"") + "\", \"input\": 70, \"kept\": 62,"
                + " \"empty\": 3, \"empty_removed\": 3, \"duplicates\": 5, \"duplicates_removed\": 5, \"conflicting_duplicates\": 1,"
                + " \"max_chars\": 20000, \"over_long\": 2}}";
        store.putArtifact(id, "dataset.json", "application/json", new ByteArrayInputStream(dataset.getBytes(StandardCharsets.UTF_8)));
        store.putArtifact(id, "robustness.json", "application/json",
                new ByteArrayInputStream(robustnessJson().getBytes(StandardCharsets.UTF_8)));
        List<PredictionRow> rows = new ArrayList<>();
        // row i: label, pred, p(spam)
        String[][] spec = {{"ham", "spam", "0.95"}, {"spam", "spam", "0.8"}, {"ham", "ham", "0.1"}, {"spam", "ham", "0.3"},
                {"ham", "ham", "0.4"}};
        for (int i = 0; i < spec.length; i++) {
            double ps = Double.parseDouble(spec[i][2]);
            double pTrue = spec[i][0].equals("spam") ? ps : 1 - ps;
            rows.add(new PredictionRow(i, "ex-" + i, spec[i][0], "[" + (1 - ps) + "," + ps + "]", spec[i][1], -Math.log(pTrue),
                    "{\"source\":\"" + (i % 2 == 0 ? "hard-ham" : "spam-1") + "\"}", TEXTS.get(i)));
        }
        store.putPredictions(id, rows);
        // row 3's explanation (docs/explain-json.md), its text and words hostile
        String t3 = TEXTS.get(3).replace("\\", "\\\\").replace("\"", "\\\"");
        String explanations = "{\"format\": \"loupe-explain/1\", \"model\": {\"name\": \"fixture\"}, \"examples\": {\"3\": {\"key\": \"3\","
                + " \"row\": 3, \"id\": \"ex-3\", \"label\": \"spam\", \"text\": \"" + t3 + "\", \"labels\": [\"ham\", \"spam\"],"
                + " \"probabilities\": [0.7, 0.3], \"predicted\": \"ham\", \"target\": \"ham\", \"truncated_words\": 0,"
                + " \"units\": [{\"text\": \"" + t3.substring(0, 1) + "\", \"start\": 0, \"end\": 1}],"
                + " \"methods\": {\"occlusion\": {\"scores\": [0.25], \"value\": 0.7, \"base_value\": 0.45, \"evaluations\": 3,"
                + " \"note\": \"leave one word out\"}}}}}";
        store.putArtifact(id, "explanations.json", "application/json", new ByteArrayInputStream(explanations.getBytes(StandardCharsets.UTF_8)));
        List<SeriesPoint> pts = new ArrayList<>();
        for (int s = 1; s <= 50; s++) {
            pts.add(new SeriesPoint("train/loss", s, 0, 1.0 / s));
        }
        store.appendPoints(id, pts);
        store.finish(id, RunStatus.FINISHED);
        RunInfo bare = store.createRun(RunSpec.of("bare"));
        store.finish(bare.id(), RunStatus.FINISHED);
        return new Store(store, id, bare.id());
    }

    /**
     * Adds a finished three-class run (a, b, c; no positive class) whose metrics JSON has per-class curves and
     * per-class AUC / AP intervals (class c has none: as with an undefined replicate set); returns its id.
     */
    public static String multiClassRun(RunStore store) {
        RunInfo run = store.createRun(new RunSpec("exp", "three classes", Provenance.EMPTY, null));
        String id = run.id();
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", new MetricValue(0.8, 0.75, 0.85));
        metrics.put("roc_auc", new MetricValue(0.9, 0.87, 0.93));
        metrics.put("average_precision", new MetricValue(0.85, 0.8, 0.9));
        store.putMetrics(id, metrics);
        Map<String, Object> roc = new LinkedHashMap<>();
        Map<String, Object> pr = new LinkedHashMap<>();
        // a: TPR 1 from FPR 0 on; b: the diagonal; c: a vertical jump to 0.5 at FPR 0.5 (two points at x = 0.5)
        roc.put("a", Json.obj("fpr", List.of(0.0, 0.0, 1.0), "tpr", List.of(0.0, 1.0, 1.0), "auc", 1.0));
        roc.put("b", Json.obj("fpr", List.of(0.0, 1.0), "tpr", List.of(0.0, 1.0), "auc", 0.5));
        roc.put("c", Json.obj("fpr", List.of(0.0, 0.5, 0.5, 1.0), "tpr", List.of(0.0, 0.0, 0.5, 1.0), "auc", 0.375));
        for (String c : List.of("a", "b", "c")) {
            pr.put(c, Json.obj("precision", List.of(0.5, 1.0), "recall", List.of(1.0, 0.0), "average_precision", 0.75));
        }
        Map<String, Object> json = Json.obj("n", 90, "classes", List.of("a", "b", "c"), "positive", null,
                "metrics", Json.obj(),
                "per_class", Json.obj(
                        "a", Json.obj("support", 30.0, "roc_auc", 1.0, "average_precision", 0.75, "roc_auc_ci_low", 0.98,
                                "roc_auc_ci_high", 1.0, "average_precision_ci_low", 0.7, "average_precision_ci_high", 0.8),
                        "b", Json.obj("support", 30.0, "roc_auc", 0.5, "average_precision", 0.75, "roc_auc_ci_low", 0.41,
                                "roc_auc_ci_high", 0.59, "average_precision_ci_low", 0.65, "average_precision_ci_high", 0.85),
                        "c", Json.obj("support", 30.0, "roc_auc", 0.375, "average_precision", 0.75, "roc_auc_ci_low", null,
                                "roc_auc_ci_high", null)),
                "curves", Json.obj("roc", roc, "pr", pr));
        store.putArtifact(id, "metrics.json", "application/json",
                new ByteArrayInputStream(Json.write(json).getBytes(StandardCharsets.UTF_8)));
        store.finish(id, RunStatus.FINISHED);
        return id;
    }

    static Map<String, Object> metricsJson() {
        int n = 3000;
        List<Double> fpr = new ArrayList<>();
        List<Double> tpr = new ArrayList<>();
        List<Double> thr = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fpr.add((double) i / (n - 1));
            tpr.add(Math.sqrt((double) i / (n - 1)));
            thr.add(i == 0 ? null : 1.0 - (double) i / (n - 1));
        }
        List<Double> sweepT = new ArrayList<>();
        List<Double> tp = new ArrayList<>();
        List<Double> fp = new ArrayList<>();
        List<Double> prec = new ArrayList<>();
        List<Double> rec = new ArrayList<>();
        List<Double> f1 = new ArrayList<>();
        List<Double> fprs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sweepT.add(0.9 - 0.2 * i);
            tp.add(10.0 + 5 * i);
            fp.add(2.0 * i * i);
            prec.add(tp.get(i) / (tp.get(i) + fp.get(i)));
            rec.add(tp.get(i) / 30.0);
            f1.add(2 * prec.get(i) * rec.get(i) / (prec.get(i) + rec.get(i)));
            fprs.add(fp.get(i) / 32.0);
        }
        Map<String, Object> doc = Json.obj("n", 62, "classes", List.of("ham", "spam"), "positive", "spam",
                "metrics", Json.obj(),
                "per_class", Json.obj("ham", Json.obj("support", 32.0), "spam", Json.obj("support", 30.0)),
                "confusion_matrix", Json.obj("labels", List.of("ham", "spam"), "matrix", List.of(List.of(30, 2), List.of(10, 20))),
                "curves", Json.obj(
                        "roc", Json.obj("spam", Json.obj("fpr", fpr, "tpr", tpr, "thresholds", thr, "auc", 0.97)),
                        "pr", Json.obj("spam", Json.obj("precision", List.of(0.5, 0.8, 1.0), "recall", List.of(1.0, 0.5, 0.0),
                                "thresholds", List.of(0.1, 0.6), "average_precision", 0.94)),
                        "calibration", Json.obj("uniform", Json.obj("n_bins", 2, "ece", 0.05, "mce", 0.1,
                                "bin_lower", List.of(0.5, 0.75), "bin_upper", List.of(0.75, 1.0), "weight", List.of(20.0, 42.0),
                                "confidence", List.of(0.6, 0.9), "accuracy", java.util.Arrays.asList(null, 0.85))),
                        "threshold_sweep", Json.obj("thresholds", sweepT, "tp", tp, "fp", fp, "precision", prec,
                                "recall", rec, "f1", f1, "fpr", fprs, "best_f1_threshold", 0.5, "best_f1", f1.get(2),
                                "youden_threshold", 0.3, "youden_j", 0.5),
                        "score_histograms", Json.obj("n_bins", 4, "counts", Json.obj(
                                "ham", Json.obj("ham", List.of(1, 2, 3, 4), "spam", List.of(4, 3, 2, 1)),
                                "spam", Json.obj("ham", List.of(4, 3, 2, 1), "spam", List.of(1, 2, 3, 4))))),
                "fairness", Json.obj("group_column", "source",
                        "groups", Json.obj("hard-ham", Json.obj("n", 31, "total_weight", 31.0, "selection_rate", 0.2,
                                        "true_positive_rate", 0.0, "false_positive_rate", 0.2),
                                "spam-1", Json.obj("n", 30, "total_weight", 30.0, "selection_rate", 0.7,
                                        "true_positive_rate", 0.7, "false_positive_rate", 0.0),
                                HOSTILE, Json.obj("n", 1, "total_weight", 1.0, "selection_rate", 1.0,
                                        "true_positive_rate", 1.0, "false_positive_rate", 0.0)),
                        "gaps", Json.obj("demographic_parity_difference", Json.obj("value", 0.8, "ci_low", 0.6, "ci_high", 0.9,
                                        "higher_is_better", false),
                                "demographic_parity_ratio", Json.obj("value", 0.2, "ci_low", null, "ci_high", null,
                                        "higher_is_better", true)),
                        "warnings", List.of("Group '" + HOSTILE + "' has only 1 row")),
                "warnings", List.of("a class <script>alert(1)</script> was never predicted"));
        doc.put("metrics", Json.obj("accuracy", Json.obj("value", 0.9, "ci_low", 0.85, "ci_high", 0.95),
                "ece", Json.obj("value", 0.05, "ci_low", 0.02, "ci_high", 0.08)));
        doc.put("ood", Json.obj("file", "later " + HOSTILE + ".csv", "n", 40,
                "metrics", Json.obj("accuracy", Json.obj("value", 0.7, "ci_low", 0.55, "ci_high", 0.82),
                        "ece", Json.obj("value", 0.2, "ci_low", null, "ci_high", null)),
                "gaps", Json.obj("accuracy", Json.obj("value", -0.2, "ci_low", -0.35, "ci_high", -0.06),
                        "ece", Json.obj("value", 0.15, "ci_low", 0.05, "ci_high", 0.25)),
                "calibration", Json.obj("uniform", Json.obj("n_bins", 2, "ece", 0.2, "mce", 0.3,
                        "bin_lower", List.of(0.5, 0.75), "bin_upper", List.of(0.75, 1.0), "weight", List.of(10.0, 30.0),
                        "confidence", List.of(0.65, 0.9), "accuracy", List.of(0.5, 0.7)))));
        doc.put("weak_slices", Json.obj("n", 62, "errors", 12, "error_rate", 12 / 62.0, "tested", 4, "interval_level", 0.9875,
                "min_support", 5, "max_level", 2, "slices", List.of(Json.obj("name", "source=" + HOSTILE + " AND len=<50",
                        "predicates", Json.obj("source", HOSTILE, "len", "<50"), "n", 20, "errors", 9, "error_rate", 0.45,
                        "ci_low", 0.2, "ci_high", 0.7, "score", 0.3, "worse", false))));
        return doc;
    }

    /** {@code loupe robustness}'s document: two typo severities, a severity-less name swap, a flipped hostile text. */
    static String robustnessJson() {
        Map<String, Object> flipped = Json.obj("row", 3, "id", "ex-3", "clean_text", "free money " + HOSTILE,
                "perturbed_text", "fere money " + HOSTILE, "clean_pred", "spam", "perturbed_pred", "ham",
                "clean_prob", 0.95, "perturbed_prob", 0.05);
        return Json.write(Json.obj("model", "keyword", "data", "d.csv", "rows", 5, "classes", List.of("ham", "spam"), "positive", "spam",
                "clean", Json.obj("metrics", Json.obj("accuracy", Json.obj("value", 0.8, "ci_low", 0.6, "ci_high", 1.0))),
                "perturbations", List.of(
                        perturbation("typo:0.2", "typo", 0.2, 0.6, -0.2, List.of(flipped)),
                        perturbation("typo:0.05", "typo", 0.05, 0.7, -0.1, List.of()),
                        perturbation("name_swap", "name_swap", null, 0.8, 0.0, List.of()))));
    }

    private static Map<String, Object> perturbation(String name, String kind, Double severity, double acc, double delta, List<Object> examples) {
        return Json.obj("name", name, "kind", kind, "severity", severity, "changed_rows", 2,
                "metrics", Json.obj("accuracy", Json.obj("value", acc, "ci_low", acc - 0.2, "ci_high", acc + 0.1)),
                "deltas", Json.obj("accuracy", Json.obj("value", delta, "ci_low", delta - 0.1, "ci_high", Math.min(0, delta + 0.05))),
                "flip_rate", Json.obj("value", -delta, "ci_low", 0.0, "ci_high", -delta + 0.1), "flips", examples.size(),
                "examples", examples);
    }
}
