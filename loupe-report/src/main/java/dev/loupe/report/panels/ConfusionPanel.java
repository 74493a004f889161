package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Confusion matrix, rows = true class, columns = predicted (scikit-learn's), with the three normalisations.
 * From the metrics JSON, else counted from the stored predictions.
 */
public final class ConfusionPanel implements Panel {
    @Override
    public String id() {
        return "confusion";
    }

    @Override
    public String title() {
        return "Confusion matrix";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.json("confusion_matrix") != null || !outcomes(run).isEmpty();
    }

    @Override
    public String emptyMessage() {
        return "This run has no confusion matrix (no evaluation or predictions stored).";
    }

    @Override
    public Object viewModel(RunData run) {
        JsonNode cm = run.json("confusion_matrix");
        List<String> labels = new ArrayList<>();
        double[][] m;
        if (cm != null) {
            cm.get("labels").forEach(l -> labels.add(l.asText()));
            JsonNode rows = cm.get("matrix");
            m = new double[labels.size()][labels.size()];
            for (int i = 0; i < labels.size(); i++) {
                for (int j = 0; j < labels.size(); j++) {
                    m[i][j] = rows.get(i).get(j).asDouble();
                }
            }
        } else {
            Map<List<String>, Long> outcomes = outcomes(run);
            TreeSet<String> set = new TreeSet<>();
            outcomes.keySet().forEach(set::addAll);
            labels.addAll(set);
            m = new double[labels.size()][labels.size()];
            outcomes.forEach((lp, n) -> m[labels.indexOf(lp.get(0))][labels.indexOf(lp.get(1))] += n);
        }
        Map<String, Object> v = view(labels, m);
        v.put("weighted", weighted(run));
        return v;
    }

    /**
     * Whether the counts are sums of sample weights: the metrics JSON's total weight is not its row count. (Not the
     * {@code weight_col} parameter: evaluate records its default, "weight", whether or not the file has that column.)
     */
    static boolean weighted(RunData run) {
        JsonNode n = run.json("n");
        JsonNode w = run.json("total_weight");
        return n != null && w != null && w.isNumber() && Math.abs(w.asDouble() - n.asDouble()) > 1e-9;
    }

    /** Rows per (true class, predicted class), both known: counted by the store, or over the rows in memory. */
    private static Map<List<String>, Long> outcomes(RunData run) {
        Map<List<String>, Long> all = run.outcomeCounts();
        Map<List<String>, Long> known = new java.util.LinkedHashMap<>();
        all.forEach((lp, n) -> {
            if (lp.get(0) != null && lp.get(1) != null) {
                known.put(lp, n);
            }
        });
        return known;
    }

    static Map<String, Object> view(List<String> labels, double[][] m) {
        int k = labels.size();
        double total = 0;
        double[] rowSum = new double[k];
        double[] colSum = new double[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                rowSum[i] += m[i][j];
                colSum[j] += m[i][j];
                total += m[i][j];
            }
        }
        List<List<Double>> counts = new ArrayList<>();
        List<List<Double>> byTrue = new ArrayList<>();
        List<List<Double>> byPred = new ArrayList<>();
        List<List<Double>> byAll = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            List<Double> c = new ArrayList<>();
            List<Double> t = new ArrayList<>();
            List<Double> p = new ArrayList<>();
            List<Double> a = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                c.add(m[i][j]);
                t.add(rowSum[i] > 0 ? m[i][j] / rowSum[i] : null);
                p.add(colSum[j] > 0 ? m[i][j] / colSum[j] : null);
                a.add(total > 0 ? m[i][j] / total : null);
            }
            counts.add(c);
            byTrue.add(t);
            byPred.add(p);
            byAll.add(a);
        }
        return Json.obj("labels", labels, "axes", "rows = true class, columns = predicted class", "counts", counts,
                "normalized", Json.obj("true", byTrue, "pred", byPred, "all", byAll));
    }
}
