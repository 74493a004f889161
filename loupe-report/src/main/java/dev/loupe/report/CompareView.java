package dev.loupe.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.MetricId;
import dev.loupe.metrics.PairedComparison;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.StoredMetric;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Two or more runs side by side: every unsliced metric with its interval per run (headline metrics first, each with
 * its direction; micro averages equal to accuracy marked {@code sameAs}), the runs' data sets (hashes, so that the
 * page can warn when they differ), and overlaid ROC, precision-recall, calibration and training curves (one series per run; for
 * binary runs the positive class, otherwise the one-vs-rest curve of the first class), and, where runs stored their
 * examples, a paired comparison of each run with the first on the examples they share ({@link #paired}).
 */
public final class CompareView {
    private CompareView() {
    }

    /** Metrics shown first, in this order, when a run has them; the rest fold away under "more metrics". */
    static final List<String> HEADLINE = List.of("accuracy", "balanced_accuracy", "f1", "f1_macro", "mcc", "roc_auc",
            "average_precision", "log_loss", "brier", "ece");

    public static Map<String, Object> viewModel(List<RunData> runs) {
        return viewModel(runs, true);
    }

    /** As {@link #viewModel(List)}; without {@code withPaired} the paired comparison is null (a page fetches it later). */
    public static Map<String, Object> viewModel(List<RunData> runs, boolean withPaired) {
        List<Object> heads = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>((a, b) -> {
            int ia = HEADLINE.indexOf(a);
            int ib = HEADLINE.indexOf(b);
            return ia >= 0 || ib >= 0 ? Integer.compare(ia < 0 ? Integer.MAX_VALUE : ia, ib < 0 ? Integer.MAX_VALUE : ib) : a.compareTo(b);
        });
        for (RunData r : runs) {
            String hash = r.info().provenance() == null ? null : r.info().provenance().datasetHash();
            heads.add(Json.obj("id", r.id(), "name", r.info().name(), "label", label(r),
                    "dataset", RunsTable.dataset(r.params(), hash), "datasetHash", hash));
            for (StoredMetric m : r.metrics()) {
                if (!m.name().contains("[")) {
                    names.add(m.name());
                }
            }
        }
        List<Object> metrics = new ArrayList<>();
        for (String name : names) {
            List<Object> values = new ArrayList<>();
            StoredMetric base = runs.get(0).metric(name);
            for (RunData r : runs) {
                StoredMetric m = r.metric(name);
                Double delta = m == null || base == null ? null : Json.num(m.value() - base.value());
                values.add(Json.obj("value", m == null ? null : Json.num(m.value()),
                        "ciLow", m == null ? null : Json.num(m.ciLow()), "ciHigh", m == null ? null : Json.num(m.ciHigh()),
                        "delta", delta));
            }
            metrics.add(Json.obj("name", name, "values", values, "higherIsBetter", MetricId.of(name).higherIsBetter(),
                    "headline", HEADLINE.contains(name), "sameAs", sameAsAccuracy(runs, name) ? "accuracy" : null));
        }
        return Json.obj("runs", heads, "metrics", metrics, "paired", withPaired ? paired(runs) : null,
                "roc", overlay(runs, "roc", "fpr", "tpr", "auc"),
                "pr", overlay(runs, "pr", "recall", "precision", "average_precision"),
                "calibration", calibration(runs),
                "curves", trainingCurves(runs));
    }

    /** A micro average that equals accuracy in every run (single-label micro P/R/F1 always do): folded away. */
    static boolean sameAsAccuracy(List<RunData> runs, String name) {
        if (!name.endsWith("_micro")) {
            return false;
        }
        for (RunData r : runs) {
            StoredMetric m = r.metric(name);
            StoredMetric a = r.metric("accuracy");
            if (m != null && (a == null || !(Math.abs(m.value() - a.value()) <= 1e-12))) {
                return false;
            }
        }
        return true;
    }

    /** Replicates of the paired bootstrap on the compare page. */
    static final int PAIRED_REPLICATES = 1000;

    /**
     * Each later run against the first on the examples both stored (matched by example id, else by row position,
     * and only where both agree on the true class): accuracy difference with a paired bootstrap interval and
     * McNemar's exact test ({@link PairedComparison}). Runs without stored examples are left out.
     */
    public static List<Object> paired(List<RunData> runs) {
        List<Object> out = new ArrayList<>();
        Map<String, PredictionRow> base = byExample(runs.get(0));
        if (base.isEmpty()) {
            return out;
        }
        for (RunData r : runs.subList(1, runs.size())) {
            List<Boolean> a = new ArrayList<>();
            List<Boolean> b = new ArrayList<>();
            List<Long> keys = new ArrayList<>();
            for (Map.Entry<String, PredictionRow> e : byExample(r).entrySet()) {
                PredictionRow x = base.get(e.getKey());
                PredictionRow y = e.getValue();
                if (x == null || x.label() == null || !x.label().equals(y.label()) || x.pred() == null || y.pred() == null) {
                    continue;
                }
                a.add(x.label().equals(x.pred()));
                b.add(y.label().equals(y.pred()));
                keys.add(x.rowIndex());
            }
            if (a.isEmpty()) {
                continue;
            }
            boolean[] ca = new boolean[a.size()];
            boolean[] cb = new boolean[a.size()];
            long[] k = new long[a.size()];
            for (int i = 0; i < ca.length; i++) {
                ca[i] = a.get(i);
                cb[i] = b.get(i);
                k[i] = keys.get(i);
            }
            PairedComparison.Result p = PairedComparison.compare(ca, cb, k, PAIRED_REPLICATES, 0, 0.95);
            out.add(Json.obj("run", label(r), "n", p.n(), "accuracyA", Json.num(p.accuracyA()), "accuracyB", Json.num(p.accuracyB()),
                    "delta", Json.num(p.delta()), "ciLow", Json.num(p.ciLow()), "ciHigh", Json.num(p.ciHigh()),
                    "onlyA", p.onlyA(), "onlyB", p.onlyB(), "pValue", Json.num(p.pValue())));
        }
        return out;
    }

    private static Map<String, PredictionRow> byExample(RunData r) {
        Map<String, PredictionRow> m = new java.util.LinkedHashMap<>();
        if (!r.hasPredictions()) {
            return m;
        }
        for (PredictionRow p : r.predictions()) {
            m.put(p.exampleId() != null ? "id:" + p.exampleId() : "row:" + p.rowIndex(), p);
        }
        return m;
    }

    private static String label(RunData r) {
        return (r.info().name() == null ? r.id() : r.info().name()) + " (" + r.id().substring(0, Math.min(6, r.id().length())) + ")";
    }

    private static List<Object> overlay(List<RunData> runs, String kind, String xKey, String yKey, String stat) {
        List<Object> out = new ArrayList<>();
        for (RunData r : runs) {
            JsonNode curves = r.json("curves", kind);
            if (curves == null || curves.size() == 0) {
                continue;
            }
            String cls = r.positive() != null && curves.has(r.positive()) ? r.positive() : curves.fieldNames().next();
            JsonNode c = curves.get(cls);
            JsonNode v = c.get(stat);
            String name = label(r) + " " + cls + " " + (kind.equals("roc") ? "AUC " : "AP ")
                    + (v != null && v.isNumber() ? String.format(java.util.Locale.ROOT, "%.4f", v.asDouble()) : "—");
            int[] idx = Json.thin(c.get(xKey).size(), RunData.MAX_POINTS);
            out.add(Json.obj("name", name, "x", Json.pick(Json.doubles(c.get(xKey)), idx), "y", Json.pick(Json.doubles(c.get(yKey)), idx)));
        }
        return out;
    }

    private static List<Object> calibration(List<RunData> runs) {
        List<Object> out = new ArrayList<>();
        for (RunData r : runs) {
            JsonNode u = r.json("curves", "calibration", "uniform");
            if (u == null) {
                continue;
            }
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> conf = Json.doubles(u.get("confidence"));
            List<Double> acc = Json.doubles(u.get("accuracy"));
            for (int i = 0; i < conf.size(); i++) {
                if (conf.get(i) != null && acc.get(i) != null) {
                    x.add(conf.get(i));
                    y.add(acc.get(i));
                }
            }
            JsonNode ece = u.get("ece");
            out.add(Json.obj("name", label(r) + " ECE " + (ece != null && ece.isNumber() ? String.format(java.util.Locale.ROOT, "%.4f", ece.asDouble()) : "—"),
                    "x", x, "y", y));
        }
        return out;
    }

    private static List<Object> trainingCurves(List<RunData> runs) {
        List<Object> out = new ArrayList<>();
        for (RunData r : runs) {
            for (var s : r.series()) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (var p : r.seriesPoints(s.name())) {
                    x.add((double) p.step());
                    y.add(Json.num(p.value()));
                }
                out.add(Json.obj("name", label(r) + " " + s.name(), "run", label(r), "metric", s.name(), "x", x, "y", y));
            }
        }
        return out;
    }
}
