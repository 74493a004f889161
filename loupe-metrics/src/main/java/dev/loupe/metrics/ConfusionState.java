package dev.loupe.metrics;

import dev.loupe.api.MetricState;
import dev.loupe.api.PredictionBatch;

/**
 * Weighted confusion counts, {@code counts[t * K + p]} = total weight of rows with true class {@code t}
 * predicted as {@code p} (rows = true, columns = predicted). The one statistic behind accuracy,
 * precision/recall/F1, MCC and Cohen's kappa.
 */
public final class ConfusionState implements MetricState<ConfusionState> {
    private final int k;
    private final double[] counts;
    /** Rows seen of each true class, whatever their weight (to tell a class with only zero-weight rows). */
    private final long[] classRows;
    private long rows;

    public ConfusionState(int numClasses) {
        this.k = numClasses;
        this.counts = new double[numClasses * numClasses];
        this.classRows = new long[numClasses];
    }

    @Override
    public void update(PredictionBatch b) {
        int n = b.size();
        int[] labels = b.labels();
        int[] preds = b.preds();
        double[] w = b.weights();
        for (int i = 0; i < n; i++) {
            classRows[labels[i]]++;
        }
        if (w == null) {
            for (int i = 0; i < n; i++) {
                counts[labels[i] * k + preds[i]] += 1.0;
            }
        } else {
            for (int i = 0; i < n; i++) {
                counts[labels[i] * k + preds[i]] += w[i];
            }
        }
        rows += n;
    }

    @Override
    public ConfusionState merge(ConfusionState other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        for (int i = 0; i < k; i++) {
            classRows[i] += other.classRows[i];
        }
        rows += other.rows;
        return this;
    }

    @Override
    public ConfusionState emptyCopy() {
        return new ConfusionState(k);
    }

    public int numClasses() {
        return k;
    }

    /** Number of rows seen (unweighted). */
    public long rows() {
        return rows;
    }

    /** Rows seen of each true class, zero-weight rows included. */
    public long[] classRows() {
        return classRows.clone();
    }

    /** A copy of the row-major {@code [true][pred]} weighted counts. */
    public double[] counts() {
        return counts.clone();
    }
}
