package dev.loupe.spark;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationState;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;

/**
 * The exact ranking state of a binary evaluation without intervals, in the size of its distinct scores: per distinct
 * score, the summed weight of its rows in each of the four (true class, predicted class) cells. A primitive
 * open-addressing table (no object per row or per score), merged by score, so that equal scores from different
 * partitions become one entry however the rows were split (the ties across partition boundaries).
 *
 * <p>It is everything the exact curves, ROC AUC, average precision, the threshold sweep and the equal-mass calibration
 * read of the rows: those group rows by equal score (or equal top-label confidence, a function of the score and the
 * prediction) and sum their weights. The driver {@link #feed feeds} each non-empty cell once, weighted by its sum, to
 * the evaluation's exact ranking state, which sorts those entries only: MLlib's {@code BinaryClassificationMetrics}
 * combines by score the same way before it sorts. Unit weights sum to whole numbers, so the curves are the local
 * engine's to the last bit; other weights to within rounding (about 1e-16 relative).
 */
final class ScoreTies implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final int CELLS = 4;

    private transient long[] keys;
    private transient double[] weights;
    private transient boolean[] used;
    private transient int size;

    ScoreTies() {
        allocate(16);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        weights = new double[capacity * CELLS];
        used = new boolean[capacity];
        size = 0;
    }

    int size() {
        return size;
    }

    /** Adds a row of weight {@code w} (the caller skips weight 0, which ranking metrics drop) scored {@code score}. */
    void add(double score, int label, int pred, double w) {
        addBits(Double.doubleToLongBits(score + 0.0), label * 2 + pred, w); // + 0.0: −0.0 ties with 0.0, as == does
    }

    private void addBits(long bits, int cell, double w) {
        int slot = slot(bits);
        if (!used[slot]) {
            used[slot] = true;
            keys[slot] = bits;
            if (++size * 2 > keys.length) {
                grow();
                slot = slot(bits);
            }
        }
        weights[slot * CELLS + cell] += w;
    }

    /** The slot holding {@code bits}, or the free slot where it belongs. */
    private int slot(long bits) {
        int mask = keys.length - 1;
        long h = bits * 0x9E3779B97F4A7C15L;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (used[i] && keys[i] != bits) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        long[] k = keys;
        double[] w = weights;
        boolean[] u = used;
        allocate(k.length * 2);
        for (int i = 0; i < k.length; i++) {
            if (u[i]) {
                int s = slot(k[i]);
                used[s] = true;
                keys[s] = k[i];
                System.arraycopy(w, i * CELLS, weights, s * CELLS, CELLS);
                size++;
            }
        }
    }

    ScoreTies merge(ScoreTies other) {
        for (int i = 0; i < other.keys.length; i++) {
            if (other.used[i]) {
                for (int c = 0; c < CELLS; c++) {
                    double w = other.weights[i * CELLS + c];
                    if (w != 0) {
                        addBits(other.keys[i], c, w);
                    }
                }
            }
        }
        return this;
    }

    /** Adds every non-empty cell to {@code state}'s ranking state as one row weighted by the cell's sum. */
    void feed(EvaluationState state) {
        PredictionBatch batch = new PredictionBatch(2, 4096, true);
        double[] p = new double[2];
        for (int i = 0; i < keys.length; i++) {
            if (!used[i]) {
                continue;
            }
            double s = Double.longBitsToDouble(keys[i]);
            p[0] = 1.0 - s;
            p[1] = s;
            for (int c = 0; c < CELLS; c++) {
                double w = weights[i * CELLS + c];
                if (w != 0) {
                    batch.add(0, c / 2, c % 2, w, p, 0);
                    if (batch.size() == 4096) {
                        state.updateRanking(batch);
                        batch.clear();
                    }
                }
            }
        }
        if (batch.size() > 0) {
            state.updateRanking(batch);
        }
    }

    /** Only the entries travel (a table is at most half full): score bits and the four cells. */
    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < keys.length; i++) {
            if (used[i]) {
                out.writeLong(keys[i]);
                for (int c = 0; c < CELLS; c++) {
                    out.writeDouble(weights[i * CELLS + c]);
                }
            }
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException {
        int n = in.readInt();
        allocate(Integer.highestOneBit(Math.max(8, n) * 2) * 2);
        for (int e = 0; e < n; e++) {
            long bits = in.readLong();
            for (int c = 0; c < CELLS; c++) {
                double w = in.readDouble();
                if (w != 0) {
                    addBits(bits, c, w);
                }
            }
        }
    }
}
