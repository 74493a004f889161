package dev.loupe.api;

import java.util.Arrays;

/**
 * A reusable, columnar block of predictions: what readers and model adapters produce and what every
 * {@link MetricState} consumes. Row {@code i} has a true class index {@link #label(int)}, a predicted
 * class index {@link #pred(int)}, a probability per class ({@link #prob(int, int)}, row-major in
 * {@link #probs()}), a sample weight (1 when the batch is unweighted) and a {@link #key(int)}: the row's
 * 0-based position in the whole data set. Keys make the Poisson bootstrap independent of how rows are
 * batched or merged: a row's bootstrap weights are a function of (seed, key, replicate) only.
 *
 * <p>Batches are reused by producers: a state must copy what it keeps.
 */
public final class PredictionBatch {
    private final int numClasses;
    private final boolean weighted;
    private int size;
    private double[] probs;
    private int[] labels;
    private int[] preds;
    private double[] weights;
    private long[] keys;

    public PredictionBatch(int numClasses, int capacity, boolean weighted) {
        if (numClasses < 1) {
            throw InvalidInputException.parameter("numClasses", "at least 1", numClasses);
        }
        this.numClasses = numClasses;
        this.weighted = weighted;
        int cap = Math.max(1, capacity);
        probs = new double[cap * numClasses];
        labels = new int[cap];
        preds = new int[cap];
        keys = new long[cap];
        weights = weighted ? new double[cap] : null;
    }

    /**
     * Wraps whole arrays (copied) as one batch with keys 0..n-1; {@code preds} null means arg-max,
     * {@code weights} null means unweighted.
     */
    public static PredictionBatch of(int numClasses, double[] probs, int[] labels, int[] preds, double[] weights) {
        int n = labels.length;
        if (probs.length != (long) n * numClasses) {
            throw new InvalidInputException("SIZE_MISMATCH", "probs has " + probs.length
                    + " values but labels has " + n + " rows × " + numClasses + " classes = " + (long) n * numClasses);
        }
        if (preds != null && preds.length != n) {
            throw new InvalidInputException("SIZE_MISMATCH", "preds has " + preds.length + " rows but labels has " + n);
        }
        if (weights != null && weights.length != n) {
            throw new InvalidInputException("SIZE_MISMATCH", "weights has " + weights.length + " rows but labels has " + n);
        }
        PredictionBatch b = new PredictionBatch(numClasses, n, weights != null);
        for (int i = 0; i < n; i++) {
            int p = preds != null ? preds[i] : argMax(probs, i * numClasses, numClasses);
            b.add(i, labels[i], p, weights != null ? weights[i] : 1.0, probs, i * numClasses);
        }
        return b;
    }

    /** Index of the largest of {@code k} values starting at {@code off}; the first on ties (as numpy's argmax). */
    public static int argMax(double[] values, int off, int k) {
        int best = 0;
        double max = values[off];
        for (int j = 1; j < k; j++) {
            if (values[off + j] > max) {
                max = values[off + j];
                best = j;
            }
        }
        return best;
    }

    /** Appends a row, copying {@code numClasses} probabilities from {@code src} at {@code srcOff}. */
    public void add(long key, int label, int pred, double weight, double[] src, int srcOff) {
        ensureCapacity(size + 1);
        System.arraycopy(src, srcOff, probs, size * numClasses, numClasses);
        labels[size] = label;
        preds[size] = pred;
        keys[size] = key;
        if (weighted) {
            weights[size] = weight;
        } else if (weight != 1.0) {
            throw new IllegalStateException("weight " + weight + " given to an unweighted batch");
        }
        size++;
    }

    private void ensureCapacity(int n) {
        if (n <= labels.length) {
            return;
        }
        int cap = Math.max(n, labels.length * 2);
        probs = Arrays.copyOf(probs, cap * numClasses);
        labels = Arrays.copyOf(labels, cap);
        preds = Arrays.copyOf(preds, cap);
        keys = Arrays.copyOf(keys, cap);
        if (weighted) {
            weights = Arrays.copyOf(weights, cap);
        }
    }

    /** Empties the batch, keeping its buffers. */
    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean isWeighted() {
        return weighted;
    }

    public double prob(int row, int cls) {
        return probs[row * numClasses + cls];
    }

    public int label(int row) {
        return labels[row];
    }

    public int pred(int row) {
        return preds[row];
    }

    public double weight(int row) {
        return weighted ? weights[row] : 1.0;
    }

    public long key(int row) {
        return keys[row];
    }

    /** Backing row-major probabilities; only the first {@code size() * numClasses()} are valid. */
    public double[] probs() {
        return probs;
    }

    /** Backing labels; only the first {@code size()} are valid. */
    public int[] labels() {
        return labels;
    }

    /** Backing predictions; only the first {@code size()} are valid. */
    public int[] preds() {
        return preds;
    }

    /** Backing weights, or {@code null} when unweighted. */
    public double[] weights() {
        return weights;
    }

    /** Backing keys; only the first {@code size()} are valid. */
    public long[] keys() {
        return keys;
    }

    /** A copy of rows {@code [from, to)} with the same keys. */
    public PredictionBatch slice(int from, int to) {
        PredictionBatch b = new PredictionBatch(numClasses, to - from, weighted);
        for (int i = from; i < to; i++) {
            b.add(keys[i], labels[i], preds[i], weight(i), probs, i * numClasses);
        }
        return b;
    }
}
