package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.RunData;
import dev.loupe.store.StoredMetric;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Small helpers shared by panels. */
final class Views {
    private Views() {
    }

    static Map<String, Object> metric(String name, StoredMetric m) {
        return Json.obj("name", name,
                "value", m == null ? null : Json.num(m.value()),
                "ciLow", m == null ? null : Json.num(m.ciLow()),
                "ciHigh", m == null ? null : Json.num(m.ciHigh()));
    }

    /** A JSON field's number, or null when it is missing or not a number. */
    static Double num(com.fasterxml.jackson.databind.JsonNode n, String field) {
        com.fasterxml.jackson.databind.JsonNode v = n.get(field);
        return v != null && v.isNumber() ? Json.num(v.asDouble()) : null;
    }

    /** "0.9845 [0.9729, 0.9934]", "0.9845" or "—". */
    static String fmt(Double v) {
        return v == null ? "—" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String withCi(String name, StoredMetric m, double fallback) {
        return m == null ? withCi(name, fallback, Double.NaN, Double.NaN) : withCi(name, m.value(), m.ciLow(), m.ciHigh());
    }

    /** "AUC 0.9845 [0.9729, 0.9934]", without the interval when either end is not finite. */
    static String withCi(String name, double value, double ciLow, double ciHigh) {
        String s = name + " " + fmt(Json.num(value));
        if (Double.isFinite(ciLow) && Double.isFinite(ciHigh)) {
            s += " [" + fmt(ciLow) + ", " + fmt(ciHigh) + "]";
        }
        return s;
    }

    /** Classes whose curve a chart shows: the positive class for binary runs, every class otherwise. */
    static List<String> curveClasses(RunData run, JsonNode curves) {
        List<String> out = new ArrayList<>();
        String pos = run.positive();
        if (pos != null && curves.has(pos)) {
            out.add(pos);
            return out;
        }
        curves.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** A line series thinned to at most {@link RunData#MAX_POINTS} points. */
    static Map<String, Object> line(String name, List<Double> x, List<Double> y) {
        return line(name, x, y, null);
    }

    /**
     * A curve with the score threshold of each point ({@code t}; {@code null} where there is none: ROC's first
     * point, the last precision-recall point), thinned together.
     */
    static Map<String, Object> line(String name, List<Double> x, List<Double> y, List<Double> thresholds) {
        int[] idx = Json.thin(Math.min(x.size(), y.size()), RunData.MAX_POINTS);
        List<Double> t = null;
        if (thresholds != null) {
            t = new java.util.ArrayList<>(idx.length);
            for (int i : idx) {
                t.add(i < thresholds.size() ? thresholds.get(i) : null);
            }
        }
        return Json.obj("name", name, "x", Json.pick(x, idx), "y", Json.pick(y, idx), "t", t);
    }
}
