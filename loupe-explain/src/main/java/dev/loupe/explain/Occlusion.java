package dev.loupe.explain;

import java.util.List;

/** Leave-one-word-out: a word's score is f(text) − f(text without that word). M + 1 evaluations. */
public final class Occlusion {
    private Occlusion() {}

    public static Explanation explain(CoalitionModel f, List<Unit> units, int target, String targetLabel) {
        int m = f.size();
        boolean[][] rows = new boolean[m + 2][];
        rows[0] = f.all();
        rows[1] = new boolean[m];
        for (int i = 0; i < m; i++) {
            rows[i + 2] = f.all();
            rows[i + 2][i] = false;
        }
        double[] v = f.values(rows, target);
        double[] scores = new double[m];
        for (int i = 0; i < m; i++) {
            scores[i] = v[0] - v[i + 2];
        }
        return new Explanation("occlusion", units, target, targetLabel, scores, v[0], v[1], m + 2,
                "leave one word out (" + m + " texts)");
    }
}
