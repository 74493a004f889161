package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;
import dev.loupe.store.StoredMetric;

import java.util.ArrayList;
import java.util.List;

/**
 * ROC or precision-recall curves per class (the positive class for binary runs), AUC / AP ± CI in the legend: the
 * run-level interval for binary runs, each class's one-vs-rest interval ({@code per_class} of the metrics JSON) for
 * multi-class runs, which also get a macro-average ROC curve ("macro", legend: the run's macro {@code roc_auc}).
 */
public final class CurvePanel implements Panel {
    private final boolean roc;

    private CurvePanel(boolean roc) {
        this.roc = roc;
    }

    public static CurvePanel roc() {
        return new CurvePanel(true);
    }

    public static CurvePanel pr() {
        return new CurvePanel(false);
    }

    @Override
    public String id() {
        return roc ? "roc" : "pr";
    }

    @Override
    public String title() {
        return roc ? "ROC curve" : "Precision–recall curve";
    }

    @Override
    public boolean isActive(RunData run) {
        JsonNode c = run.json("curves", id());
        return c != null && c.size() > 0;
    }

    @Override
    public String emptyMessage() {
        return "This run has no " + (roc ? "ROC" : "precision–recall") + " curves (no class probabilities stored).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode curves = run.json("curves", id());
        List<Object> series = new ArrayList<>();
        List<String> classes = Views.curveClasses(run, curves);
        boolean binary = run.positive() != null;
        String stat = roc ? "auc" : "average_precision";
        String perClassKey = roc ? "roc_auc" : "average_precision";
        String short_ = roc ? "AUC" : "AP";
        List<double[][]> rocs = new ArrayList<>();
        for (String cls : classes) {
            JsonNode c = curves.get(cls);
            JsonNode v = c.get(stat);
            double value = v == null || !v.isNumber() ? Double.NaN : v.asDouble();
            String legend;
            if (binary) {
                // the run-level metric (with its interval) is the positive class's for binary runs
                legend = cls + " — " + Views.withCi(short_, run.metric(perClassKey), value);
            } else {
                // one-vs-rest, with the per-class interval the metrics JSON keeps in per_class
                JsonNode pc = run.json("per_class", cls);
                legend = cls + " — " + Views.withCi(short_, value, number(pc, perClassKey + "_ci_low"), number(pc, perClassKey + "_ci_high"));
            }
            List<Double> x = Json.doubles(c.get(roc ? "fpr" : "recall"));
            List<Double> y = Json.doubles(c.get(roc ? "tpr" : "precision"));
            series.add(Views.line(legend, x, y, c.has("thresholds") ? Json.doubles(c.get("thresholds")) : null));
            if (roc) {
                rocs.add(new double[][] {toArray(x), toArray(y)});
            }
        }
        if (roc && !binary && classes.size() > 2) {
            double[][] macro = macroRoc(rocs, RunData.MAX_POINTS);
            if (macro != null) {
                StoredMetric m = run.metric("roc_auc");
                series.add(Views.line("macro — " + Views.withCi("AUC", m, Double.NaN), boxed(macro[0]), boxed(macro[1])));
            }
        }
        StoredMetric overall = run.metric(roc ? "roc_auc" : "average_precision");
        return Json.obj("xLabel", roc ? "false positive rate" : "recall",
                "yLabel", roc ? "true positive rate" : "precision",
                "diagonal", roc, "series", series,
                "summary", overall == null ? null : Views.metric(roc ? "roc_auc" : "average_precision", overall));
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static double[] toArray(List<Double> v) {
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            Double d = v.get(i);
            out[i] = d == null ? Double.NaN : d;
        }
        return out;
    }

    private static List<Double> boxed(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double d : v) {
            out.add(d);
        }
        return out;
    }

    /**
     * The macro-average ROC curve as in scikit-learn's multi-class ROC example: every class's TPR linearly
     * interpolated ({@code np.interp}) on one FPR grid of {@code points} evenly spaced values in [0, 1], then averaged.
     * Classes whose curve is undefined (absent or the only class: NaN rates) are left out; {@code null} when fewer
     * than two remain. Computed from the stored (possibly thinned) curves.
     */
    static double[][] macroRoc(List<double[][]> rocs, int points) {
        List<double[][]> usable = new ArrayList<>();
        for (double[][] r : rocs) {
            boolean ok = r[0].length > 0 && r[0].length == r[1].length;
            for (int i = 0; ok && i < r[0].length; i++) {
                ok = Double.isFinite(r[0][i]) && Double.isFinite(r[1][i]);
            }
            if (ok) {
                usable.add(r);
            }
        }
        if (usable.size() < 2) {
            return null;
        }
        double[] grid = new double[points];
        double[] mean = new double[points];
        for (int g = 0; g < points; g++) {
            grid[g] = (double) g / (points - 1);
        }
        for (double[][] r : usable) {
            for (int g = 0; g < points; g++) {
                mean[g] += interp(grid[g], r[0], r[1]) / usable.size();
            }
        }
        return new double[][] {grid, mean};
    }

    /**
     * numpy's {@code interp} over a non-decreasing x: the value at the last point with {@code x ≤ at} (the top of a
     * vertical ROC segment), linear towards the next point, clamped at both ends.
     */
    static double interp(double at, double[] x, double[] y) {
        if (at < x[0]) {
            return y[0];
        }
        int lo = 0;
        int hi = x.length - 1;
        while (lo < hi) { // last index with x <= at
            int mid = (lo + hi + 1) >>> 1;
            if (x[mid] <= at) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo == x.length - 1 || x[lo + 1] == x[lo]) {
            return y[lo];
        }
        return y[lo] + (y[lo + 1] - y[lo]) * (at - x[lo]) / (x[lo + 1] - x[lo]);
    }
}
