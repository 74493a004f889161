package dev.loupe.explain;

import java.util.List;

/**
 * A word attribution of one text (SHAP's {@code Explanation}: values, base value, data). Drawn by the terminal
 * table, the dashboard's sample view and the report; written as JSON by docs/explain-json.md.
 *
 * @param method      {@code occlusion}, {@code shap} or {@code lime}
 * @param units       the words explained, in text order
 * @param target      index of the explained class
 * @param targetLabel its name
 * @param scores      one score per unit: how much the unit raises the target class's probability
 * @param value       f(text): the target probability of the whole text
 * @param baseValue   the method's reference: f(all words masked) for occlusion and SHAP (SHAP's scores sum to
 *                    {@code value - baseValue}), the surrogate's intercept for LIME
 * @param evaluations model evaluations (coalitions) the method used
 * @param note        how it was computed (e.g. "exact: all 1,024 coalitions"), for display
 */
public record Explanation(String method, List<Unit> units, int target, String targetLabel, double[] scores,
                          double value, double baseValue, int evaluations, String note) {
    public Explanation {
        units = List.copyOf(units);
        if (scores.length != units.size()) {
            throw new IllegalArgumentException(scores.length + " scores for " + units.size() + " units");
        }
    }

    /** Sum of the scores. */
    public double sum() {
        double s = 0;
        for (double v : scores) {
            s += v;
        }
        return s;
    }
}
