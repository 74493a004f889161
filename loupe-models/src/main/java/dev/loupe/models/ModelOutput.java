package dev.loupe.models;

import java.util.Arrays;

/**
 * The result of one {@link ModelAdapter#predict} call, columnar: row {@code i} is the {@code i}-th text.
 *
 * @param size          number of texts
 * @param tokenCounts   tokens per text after truncation, special tokens included
 * @param numLabels     K, or 0 when there are no probabilities
 * @param probabilities row-major {@code [size * numLabels]} softmax probabilities, or {@code null}
 * @param embeddingDim  D, or 0 when there are no embeddings
 * @param embeddings    row-major {@code [size * embeddingDim]} L2-normalised embeddings, or {@code null}
 */
public record ModelOutput(int size, int[] tokenCounts, int numLabels, double[] probabilities, int embeddingDim,
                          float[] embeddings) {

    public double probability(int row, int k) {
        return probabilities[row * numLabels + k];
    }

    public double[] probabilitiesOf(int row) {
        return Arrays.copyOfRange(probabilities, row * numLabels, (row + 1) * numLabels);
    }

    public float[] embeddingOf(int row) {
        return Arrays.copyOfRange(embeddings, row * embeddingDim, (row + 1) * embeddingDim);
    }

    /** Index of the most probable class of a row (the lower index on ties). */
    public int argmax(int row) {
        int best = 0;
        int off = row * numLabels;
        for (int k = 1; k < numLabels; k++) {
            if (probabilities[off + k] > probabilities[off + best]) {
                best = k;
            }
        }
        return best;
    }

    public long totalTokens() {
        long t = 0;
        for (int c : tokenCounts) {
            t += c;
        }
        return t;
    }
}
