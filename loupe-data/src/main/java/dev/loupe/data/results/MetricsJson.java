package dev.loupe.data.results;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;
import dev.loupe.metrics.Calibration;
import dev.loupe.metrics.Curves;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.MetricOptions;
import dev.loupe.metrics.ThresholdSweep;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * Writes an {@link EvaluationResult} as the metrics JSON. Curves longer than {@code maxCurvePoints} are thinned
 * to that many points (first and last kept, the rest evenly spaced by index); 0 keeps every point.
 */
public final class MetricsJson {
    /**
     * Doubles written with Jackson's Schubfach writer: the shortest decimal that reads back as the same double, like
     * {@code Double.toString}, at about twice its speed on JDK 17 (the curves of a 10-class run are 1.5 MB of them).
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

    private final int maxCurvePoints;

    public MetricsJson(int maxCurvePoints) {
        this.maxCurvePoints = maxCurvePoints;
    }

    public void write(EvaluationResult r, OutputStream out) throws IOException {
        write(r, Map.of(), null, null, out);
    }

    /**
     * As {@link #write(EvaluationResult, OutputStream)}, with a {@code slices} field when {@code slices} (per slice
     * dimension, per slice value, the slice's evaluation) is not empty: per dimension, per value, the rows, total
     * weight, every metric (as in {@code metrics}), the confusion matrix and the warnings.
     */
    public void write(EvaluationResult r, Map<String, Map<String, EvaluationResult>> slices, OutputStream out) throws IOException {
        write(r, slices, null, null, out);
    }

    /**
     * As above, with a {@code fairness} field when {@code fairness} (the gaps over the groups of column
     * {@code groupCol}) is not null.
     */
    public void write(EvaluationResult r, Map<String, Map<String, EvaluationResult>> slices, String groupCol,
                      dev.loupe.metrics.GroupFairness fairness, OutputStream out) throws IOException {
        write(r, slices, groupCol, fairness, Extras.NONE, out);
    }

    /**
     * What an evaluation may add: a second file evaluated the same way ({@code ood}, from {@code oodFile}) and the
     * weak slices found among the slices' conjunctions; each null when not asked for.
     */
    public record Extras(dev.loupe.metrics.DistributionShift ood, String oodFile, dev.loupe.metrics.WeakSlices.Result weakSlices,
                         dev.loupe.metrics.SliceHeatmap heatmap) {
        public static final Extras NONE = new Extras(null, null, null, null);

        public Extras(dev.loupe.metrics.DistributionShift ood, String oodFile, dev.loupe.metrics.WeakSlices.Result weakSlices) {
            this(ood, oodFile, weakSlices, null);
        }
    }

    /**
     * As above, with an {@code ood} field when {@code extras.ood()} is not null (its rows, metrics, gaps with
     * intervals, confusion matrix and warnings), and a {@code weak_slices} field when {@code extras.weakSlices()} is.
     */
    public void write(EvaluationResult r, Map<String, Map<String, EvaluationResult>> slices, String groupCol,
                      dev.loupe.metrics.GroupFairness fairness, Extras extras, OutputStream out) throws IOException {
        dev.loupe.metrics.DistributionShift ood = extras.ood();
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeNumberField("n", r.rows());
            number(g, "total_weight", r.totalWeight());
            g.writeArrayFieldStart("classes");
            for (String c : r.classes()) {
                g.writeString(c);
            }
            g.writeEndArray();
            if (r.positive() >= 0) {
                g.writeStringField("positive", r.classes().get(r.positive()));
            } else {
                g.writeNullField("positive");
            }
            g.writeObjectFieldStart("bootstrap");
            g.writeNumberField("replicates", r.bootstrap());
            g.writeNumberField("seed", r.seed());
            g.writeStringField("method", "poisson");
            g.writeNumberField("level", 0.95);
            g.writeEndObject();
            options(g, r);

            metrics(g, r);

            g.writeObjectFieldStart("per_class");
            for (EvaluationResult.PerClassResult pc : r.perClass()) {
                g.writeObjectFieldStart(pc.label());
                number(g, "precision", pc.precision());
                number(g, "recall", pc.recall());
                number(g, "f1", pc.f1());
                number(g, "support", pc.support());
                number(g, "roc_auc", pc.rocAuc());
                number(g, "average_precision", pc.averagePrecision());
                number(g, "roc_auc_ci_low", pc.rocAucCiLow());
                number(g, "roc_auc_ci_high", pc.rocAucCiHigh());
                number(g, "average_precision_ci_low", pc.averagePrecisionCiLow());
                number(g, "average_precision_ci_high", pc.averagePrecisionCiHigh());
                g.writeEndObject();
            }
            g.writeEndObject();

            g.writeObjectFieldStart("confusion_matrix");
            g.writeArrayFieldStart("labels");
            for (String c : r.classes()) {
                g.writeString(c);
            }
            g.writeEndArray();
            g.writeStringField("axes", "rows = true class, columns = predicted class");
            matrix(g, "matrix", r.confusion());
            g.writeObjectFieldStart("normalized");
            for (String by : new String[] {"true", "pred", "all"}) {
                matrix(g, by, r.confusionNormalized(by));
            }
            g.writeEndObject();
            g.writeEndObject();

            g.writeObjectFieldStart("curves");
            g.writeNumberField("max_points", maxCurvePoints);
            g.writeStringField("mode", r.rankingBins() == 0 ? "exact" : "binned");
            if (r.rankingBins() > 0) {
                g.writeNumberField("bins", r.rankingBins());
                g.writeObjectFieldStart("roc_auc_error_bound");
                for (int c = 0; c < r.classes().size(); c++) {
                    number(g, r.classes().get(c), r.aucErrorBound()[c]);
                }
                g.writeEndObject();
            }
            g.writeObjectFieldStart("roc");
            for (int c = 0; c < r.classes().size(); c++) {
                Curves.Roc roc = r.roc().get(c);
                int[] idx = thin(roc.fpr().length);
                g.writeObjectFieldStart(r.classes().get(c));
                array(g, "fpr", roc.fpr(), idx);
                array(g, "tpr", roc.tpr(), idx);
                array(g, "thresholds", roc.thresholds(), idx);
                number(g, "auc", roc.auc());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("pr");
            for (int c = 0; c < r.classes().size(); c++) {
                Curves.Pr pr = r.pr().get(c);
                int[] idx = thin(pr.precision().length);
                g.writeObjectFieldStart(r.classes().get(c));
                array(g, "precision", pr.precision(), idx);
                array(g, "recall", pr.recall(), idx);
                // thresholds has one element fewer than precision/recall (scikit-learn's layout)
                int[] tIdx = thin(pr.thresholds().length);
                array(g, "thresholds", pr.thresholds(), tIdx);
                number(g, "average_precision", pr.averagePrecision());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("det");
            for (int c = 0; c < r.classes().size(); c++) {
                Curves.Det det = r.det().get(c);
                if (det == null) {
                    g.writeNullField(r.classes().get(c));
                    continue;
                }
                int[] idx = thin(det.fpr().length);
                g.writeObjectFieldStart(r.classes().get(c));
                array(g, "fpr", det.fpr(), idx);
                array(g, "fnr", det.fnr(), idx);
                array(g, "thresholds", det.thresholds(), idx);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("calibration");
            reliability(g, "uniform", r.calibration());
            if (r.calibrationMass() != null) {
                reliability(g, "quantile", r.calibrationMass());
            }
            g.writeEndObject();
            if (r.sweep() != null) {
                sweep(g, r.sweep(), r.classes().get(r.positive()));
            }
            g.writeObjectFieldStart("score_histograms");
            g.writeNumberField("n_bins", r.histogramBins());
            g.writeObjectFieldStart("counts");
            for (int c = 0; c < r.classes().size(); c++) {
                g.writeObjectFieldStart(r.classes().get(c));
                for (int t = 0; t < r.classes().size(); t++) {
                    array(g, r.classes().get(t), r.histograms()[c][t], null);
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();

            warnings(g, r);
            if (!slices.isEmpty()) {
                g.writeObjectFieldStart("slices");
                for (Map.Entry<String, Map<String, EvaluationResult>> dim : slices.entrySet()) {
                    g.writeObjectFieldStart(dim.getKey());
                    for (Map.Entry<String, EvaluationResult> slice : dim.getValue().entrySet()) {
                        EvaluationResult s = slice.getValue();
                        g.writeObjectFieldStart(slice.getKey());
                        g.writeNumberField("n", s.rows());
                        number(g, "total_weight", s.totalWeight());
                        metrics(g, s);
                        matrix(g, "confusion_matrix", s.confusion());
                        warnings(g, s);
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            if (fairness != null) {
                g.writeObjectFieldStart("fairness");
                g.writeStringField("group_column", groupCol);
                g.writeObjectFieldStart("groups");
                for (dev.loupe.metrics.GroupFairness.Group grp : fairness.groups()) {
                    g.writeObjectFieldStart(grp.name());
                    g.writeNumberField("n", grp.rows());
                    number(g, "total_weight", grp.weight());
                    number(g, "selection_rate", grp.selectionRate());
                    number(g, "true_positive_rate", grp.truePositiveRate());
                    number(g, "false_positive_rate", grp.falsePositiveRate());
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeObjectFieldStart("gaps");
                for (Map.Entry<MetricId, MetricValue> e : fairness.gaps().entrySet()) {
                    metric(g, e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeArrayFieldStart("warnings");
                for (String w : fairness.warnings()) {
                    g.writeString(w);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (ood != null) {
                g.writeObjectFieldStart("ood");
                g.writeStringField("file", extras.oodFile());
                g.writeNumberField("n", ood.ood().rows());
                number(g, "total_weight", ood.ood().totalWeight());
                metrics(g, ood.ood());
                g.writeObjectFieldStart("gaps");
                for (Map.Entry<MetricId, MetricValue> e : ood.gaps().entrySet()) {
                    metric(g, e.getKey(), e.getValue());
                }
                g.writeEndObject();
                matrix(g, "confusion_matrix", ood.ood().confusion());
                g.writeObjectFieldStart("calibration");
                reliability(g, "uniform", ood.ood().calibration());
                g.writeEndObject();
                warnings(g, ood.ood());
                g.writeEndObject();
            }
            if (extras.weakSlices() != null) {
                weakSlices(g, extras.weakSlices());
            }
            if (extras.heatmap() != null) {
                heatmap(g, extras.heatmap());
            }
            g.writeEndObject();
        }
    }

    private static void heatmap(JsonGenerator g, dev.loupe.metrics.SliceHeatmap h) throws IOException {
        g.writeObjectFieldStart("heatmap");
        g.writeStringField("rows", h.rowDimension());
        g.writeStringField("columns", h.columnDimension());
        strings(g, "row_values", h.rowValues());
        strings(g, "column_values", h.columnValues());
        g.writeArrayFieldStart("cells");
        for (Map.Entry<String, Map<String, EvaluationResult>> row : h.cells().entrySet()) {
            for (Map.Entry<String, EvaluationResult> cell : row.getValue().entrySet()) {
                g.writeStartObject();
                g.writeStringField("row", row.getKey());
                g.writeStringField("column", cell.getKey());
                g.writeNumberField("n", cell.getValue().rows());
                number(g, "total_weight", cell.getValue().totalWeight());
                metrics(g, cell.getValue());
                g.writeEndObject();
            }
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, java.util.List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void weakSlices(JsonGenerator g, dev.loupe.metrics.WeakSlices.Result w) throws IOException {
        g.writeObjectFieldStart("weak_slices");
        g.writeNumberField("n", w.rows());
        g.writeNumberField("errors", w.errors());
        number(g, "error_rate", w.errorRate());
        g.writeNumberField("tested", w.tested());
        g.writeNumberField("interval_level", w.pointLevel());
        g.writeNumberField("min_support", w.minSupport());
        g.writeNumberField("max_level", w.maxLevel());
        g.writeArrayFieldStart("slices");
        for (dev.loupe.metrics.WeakSlices.Slice s : w.slices()) {
            g.writeStartObject();
            g.writeStringField("name", s.name());
            g.writeObjectFieldStart("predicates");
            for (dev.loupe.metrics.WeakSlices.Predicate p : s.predicates()) {
                g.writeStringField(p.column(), p.value());
            }
            g.writeEndObject();
            g.writeNumberField("n", s.rows());
            g.writeNumberField("errors", s.errors());
            number(g, "error_rate", s.errorRate());
            number(g, "ci_low", s.ciLow());
            number(g, "ci_high", s.ciHigh());
            number(g, "score", s.score());
            g.writeBooleanField("worse", s.worse());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void metrics(JsonGenerator g, EvaluationResult r) throws IOException {
        g.writeObjectFieldStart("metrics");
        for (Map.Entry<MetricId, MetricValue> e : r.metrics().entrySet()) {
            metric(g, e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void metric(JsonGenerator g, MetricId id, MetricValue v) throws IOException {
        g.writeObjectFieldStart(id.key());
        number(g, "value", v.value());
        number(g, "ci_low", v.ciLow());
        number(g, "ci_high", v.ciHigh());
        g.writeBooleanField("higher_is_better", id.higherIsBetter());
        g.writeEndObject();
    }

    private static void warnings(JsonGenerator g, EvaluationResult r) throws IOException {
        g.writeArrayFieldStart("warnings");
        for (String w : r.warnings()) {
            g.writeString(w);
        }
        g.writeEndArray();
    }

    /** The metric options used: top-k values, F-β betas, zero division ("nan" as a string), max FPR (null if none). */
    private static void options(JsonGenerator g, EvaluationResult r) throws IOException {
        MetricOptions o = r.options();
        g.writeObjectFieldStart("options");
        g.writeArrayFieldStart("top_k");
        for (int k : o.topKFor(r.classes().size())) {
            g.writeNumber(k);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("beta");
        for (double b : o.extraBetas()) {
            value(g, b);
        }
        g.writeEndArray();
        if (Double.isNaN(o.zeroDivision())) {
            g.writeStringField("zero_division", "nan");
        } else {
            number(g, "zero_division", o.zeroDivision());
        }
        number(g, "max_fpr", o.maxFpr());
        g.writeEndObject();
    }

    private void sweep(JsonGenerator g, ThresholdSweep s, String positive) throws IOException {
        int[] idx = thin(s.thresholds().length);
        g.writeObjectFieldStart("threshold_sweep");
        g.writeStringField("positive", positive);
        array(g, "thresholds", s.thresholds(), idx);
        array(g, "tp", s.tp(), idx);
        array(g, "fp", s.fp(), idx);
        array(g, "precision", s.precision(), idx);
        array(g, "recall", s.recall(), idx);
        array(g, "f1", s.f1(), idx);
        array(g, "fpr", s.fpr(), idx);
        number(g, "best_f1_threshold", s.bestF1Threshold());
        number(g, "best_f1", s.bestF1() < 0 ? Double.NaN : s.f1()[s.bestF1()]);
        number(g, "youden_threshold", s.youdenThreshold());
        number(g, "youden_j", s.youden() < 0 ? Double.NaN : s.recall()[s.youden()] - s.fpr()[s.youden()]);
        g.writeEndObject();
    }

    private static void reliability(JsonGenerator g, String name, Calibration.Reliability r) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("n_bins", r.weight().length);
        number(g, "ece", r.ece());
        number(g, "mce", r.mce());
        array(g, "bin_lower", r.lower(), null);
        array(g, "bin_upper", r.upper(), null);
        array(g, "weight", r.weight(), null);
        array(g, "confidence", r.confidence(), null);
        array(g, "accuracy", r.accuracy(), null);
        g.writeEndObject();
    }

    /** Indices to keep: all when short enough, else maxCurvePoints evenly spaced including both ends. */
    int[] thin(int len) {
        int m = maxCurvePoints <= 0 || len <= maxCurvePoints ? len : Math.max(2, maxCurvePoints);
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) {
            idx[i] = m == len ? i : (int) Math.round((double) i * (len - 1) / (m - 1));
        }
        return idx;
    }

    private static void matrix(JsonGenerator g, String name, double[][] m) throws IOException {
        g.writeArrayFieldStart(name);
        for (double[] row : m) {
            g.writeStartArray();
            for (double v : row) {
                value(g, v);
            }
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    private static void array(JsonGenerator g, String name, double[] v, int[] idx) throws IOException {
        g.writeArrayFieldStart(name);
        if (idx == null) {
            for (double x : v) {
                value(g, x);
            }
        } else {
            for (int i : idx) {
                value(g, v[i]);
            }
        }
        g.writeEndArray();
    }

    private static void number(JsonGenerator g, String name, double v) throws IOException {
        g.writeFieldName(name);
        value(g, v);
    }

    /** NaN and ±∞ are not JSON: undefined values and the +∞ first ROC threshold are written as null. */
    private static void value(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeNull();
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            g.writeNumber((long) v);
        } else {
            g.writeNumber(v);
        }
    }
}
