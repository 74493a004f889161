package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.List;

/**
 * Detection error tradeoff for binary runs: false negative rate against false positive rate, both on the normal
 * deviate (probit) scale, from the stored DET curve of the positive class ({@code curves.det}, scikit-learn's
 * {@code det_curve}); runs recorded before the metrics carried it fall back to their ROC curve (fnr = 1 - tpr). Points
 * where a rate is 0 or 1 (infinite deviate) are left out. Ticks are given as deviates with their percentage labels ({@link #TICKS}): the one
 * definition of the probit axis, drawn by the dashboard's panel ({@code det.js}) and by {@code loupe plot det}.
 */
public final class DetPanel implements Panel {
    /** The probit axis, for the dashboard's panel and the plot command alike: its ticks (as rates)... */
    public static final double[] TICKS = {0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 0.95, 0.99, 0.999};
    /** ...and a margin (in deviates) beyond the outer ticks, so that the two axes' first labels do not meet in the corner. */
    static final double MARGIN = 0.25;

    @Override
    public String id() {
        return "det";
    }

    @Override
    public String title() {
        return "DET curve";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.positive() != null && (isObject(run.json("curves", "det", run.positive()))
                || run.json("curves", "roc", run.positive()) != null);
    }

    @Override
    public String emptyMessage() {
        return "The DET curve needs a binary run with scores.";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode det = run.json("curves", "det", run.positive());
        List<Double> fpr;
        List<Double> fnrs;
        if (isObject(det)) {
            fpr = Json.doubles(det.get("fpr"));
            fnrs = Json.doubles(det.get("fnr"));
        } else {
            JsonNode roc = run.json("curves", "roc", run.positive());
            fpr = Json.doubles(roc.get("fpr"));
            fnrs = new ArrayList<>();
            for (Double t : Json.doubles(roc.get("tpr"))) {
                fnrs.add(t == null ? null : 1 - t);
            }
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (int i = 0; i < Math.min(fpr.size(), fnrs.size()); i++) {
            Double a = fpr.get(i);
            Double fnr = fnrs.get(i);
            if (a == null || fnr == null) {
                continue;
            }
            if (a > 0 && a < 1 && fnr > 0 && fnr < 1) {
                x.add(probit(a));
                y.add(probit(fnr));
            }
        }
        int[] idx = Json.thin(x.size(), RunData.MAX_POINTS);
        List<Object> ticks = new ArrayList<>();
        for (double t : TICKS) {
            String pct = String.format(java.util.Locale.ROOT, "%.1f", t * 100);
            ticks.add(Json.obj("value", probit(t), "label", (pct.endsWith(".0") ? pct.substring(0, pct.length() - 2) : pct) + "%"));
        }
        return Json.obj("positive", run.positive(), "x", Json.pick(x, idx), "y", Json.pick(y, idx), "ticks", ticks,
                "min", probit(TICKS[0]) - MARGIN, "max", probit(TICKS[TICKS.length - 1]) + MARGIN);
    }

    private static boolean isObject(JsonNode n) {
        return n != null && n.isObject();
    }

    /** Inverse of the standard normal CDF (Acklam's rational approximation, relative error below 1.2e-9). */
    public static double probit(double p) {
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("p must be in (0, 1): " + p);
        }
        final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        final double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double q;
        if (p < 0.02425) {
            q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - 0.02425) {
            q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
