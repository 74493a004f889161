package dev.loupe.cli;

import com.fasterxml.jackson.core.io.NumberOutput;
import dev.loupe.api.PredictionBatch;
import dev.loupe.store.PredictionRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first {@code limit} rows of a predictions file as the evaluation read them (true class, decision, class
 * probabilities), kept for the run store's per-example table: the dashboard's samples panel and confusion-matrix
 * clicks. A file has no text or metadata the fast reader keeps, so rows are named by their position (0-based).
 */
final class KeptRows {
    private final int limit;
    private final int k;
    private long seen;
    private int n;
    private long[] keys = new long[1024];
    private int[] labels = new int[1024];
    private int[] preds = new int[1024];
    private double[] probs;

    KeptRows(int limit, int numClasses) {
        this.limit = limit;
        this.k = numClasses;
        this.probs = new double[1024 * numClasses];
    }

    void add(PredictionBatch batch) {
        seen += batch.size();
        for (int r = 0; r < batch.size() && n < limit; r++) {
            if (n == keys.length) {
                int cap = (int) Math.min((long) limit, 2L * n);
                keys = Arrays.copyOf(keys, cap);
                labels = Arrays.copyOf(labels, cap);
                preds = Arrays.copyOf(preds, cap);
                probs = Arrays.copyOf(probs, cap * k);
            }
            keys[n] = batch.key(r);
            labels[n] = batch.label(r);
            preds[n] = batch.pred(r);
            for (int c = 0; c < k; c++) {
                probs[n * k + c] = batch.prob(r, c);
            }
            n++;
        }
    }

    /** Rows read in all (kept or not). */
    long seen() {
        return seen;
    }

    int kept() {
        return n;
    }

    /** The kept rows for the store; loss is the log loss of the true class, as for model runs. */
    List<PredictionRow> rows(List<String> classes) {
        List<PredictionRow> out = new ArrayList<>(n);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.setLength(0);
            sb.append('[');
            for (int c = 0; c < k; c++) {
                double p = probs[i * k + c];
                sb.append(c == 0 ? "" : ",").append(Double.isFinite(p) ? NumberOutput.toString(p, true) : "null");
            }
            sb.append(']');
            int y = labels[i];
            double loss = EvaluationRecorder.exampleLoss(y >= 0 && y < k ? probs[i * k + y] : Double.NaN);
            boolean predicted = preds[i] >= 0 && preds[i] < classes.size();
            out.add(new PredictionRow(keys[i], null, y >= 0 && y < classes.size() ? classes.get(y) : null, sb.toString(),
                    predicted ? classes.get(preds[i]) : null, loss, null, null, predicted ? probs[i * k + preds[i]] : Double.NaN));
        }
        return out;
    }
}
