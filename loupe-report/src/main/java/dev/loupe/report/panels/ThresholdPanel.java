package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.List;

/**
 * Binary threshold sweep (thresholds decreasing; a row is positive when score ≥ threshold) thinned to at most
 * {@link RunData#MAX_POINTS} thresholds, with the totals so that the front end can fill the confusion matrix at any
 * threshold, and the best-F1 and Youden's J markers; {@code threshold} is the one the run's metrics use (its
 * {@code --threshold}, else 0.5), where the explorer opens, and {@code negative} names the other class.
 */
public final class ThresholdPanel implements Panel {
    @Override
    public String id() {
        return "threshold";
    }

    @Override
    public String title() {
        return "Threshold explorer";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.json("curves", "threshold_sweep", "thresholds") != null;
    }

    @Override
    public String emptyMessage() {
        return "The threshold explorer needs a binary run with scores.";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode s = run.json("curves", "threshold_sweep");
        List<Double> thresholds = Json.doubles(s.get("thresholds"));
        List<Double> tp = Json.doubles(s.get("tp"));
        List<Double> fp = Json.doubles(s.get("fp"));
        int n = thresholds.size();
        // the lowest threshold predicts every row positive: its tp / fp are the class totals
        Double positives = n == 0 ? null : tp.get(n - 1);
        Double negatives = n == 0 ? null : fp.get(n - 1);
        // the explorer opens at the threshold the overview's metrics use: the run's --threshold, else 0.5; thinning keeps
        // the sweep's point that predicts as it does (the lowest threshold at or above it), so the matrix there is the overview's
        Object given = run.params().get("threshold");
        double at = given instanceof Number g && Double.isFinite(g.doubleValue()) ? g.doubleValue() : 0.5;
        int[] idx = keep(Json.thin(n, RunData.MAX_POINTS), atOrAbove(thresholds, at));
        List<String> others = new java.util.ArrayList<>(run.classes());
        others.remove(run.positive());
        return Json.obj("positive", run.positive(), "negative", others.size() == 1 ? others.get(0) : null,
                "threshold", at, "positives", positives, "negatives", negatives,
                "thresholds", Json.pick(thresholds, idx), "tp", Json.pick(tp, idx), "fp", Json.pick(fp, idx),
                "precision", Json.pick(Json.doubles(s.get("precision")), idx),
                "recall", Json.pick(Json.doubles(s.get("recall")), idx),
                "f1", Json.pick(Json.doubles(s.get("f1")), idx),
                "fpr", Json.pick(Json.doubles(s.get("fpr")), idx),
                "bestF1", Json.obj("threshold", number(s.get("best_f1_threshold")), "value", number(s.get("best_f1"))),
                "youden", Json.obj("threshold", number(s.get("youden_threshold")), "value", number(s.get("youden_j"))));
    }

    /** The index of the lowest threshold at or above t (thresholds decrease), or -1 when none is. */
    static int atOrAbove(List<Double> thresholds, double t) {
        int found = -1;
        for (int i = 0; i < thresholds.size(); i++) {
            Double v = thresholds.get(i);
            if (v != null && v >= t) {
                found = i;
            }
        }
        return found;
    }

    /** idx (increasing) with i added in its place, when i is an index that idx lacks. */
    static int[] keep(int[] idx, int i) {
        if (i < 0 || java.util.Arrays.binarySearch(idx, i) >= 0) {
            return idx;
        }
        int at = -java.util.Arrays.binarySearch(idx, i) - 1;
        int[] out = new int[idx.length + 1];
        System.arraycopy(idx, 0, out, 0, at);
        out[at] = i;
        System.arraycopy(idx, at, out, at + 1, idx.length - at);
        return out;
    }

    private static Double number(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }
}
