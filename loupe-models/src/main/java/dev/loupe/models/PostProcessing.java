package dev.loupe.models;

/** The <b>post</b> step: pure functions over row-major primitive arrays. */
public final class PostProcessing {
    private PostProcessing() {}

    /** Row-wise softmax of {@code logits[n*k]}, in double precision after subtracting each row's maximum. */
    public static double[] softmax(float[] logits, int n, int k) {
        double[] out = new double[n * k];
        for (int i = 0; i < n; i++) {
            int off = i * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[off + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double e = Math.exp(logits[off + j] - max);
                out[off + j] = e;
                sum += e;
            }
            for (int j = 0; j < k; j++) {
                out[off + j] /= sum;
            }
        }
        return out;
    }

    /**
     * Masked mean pooling of {@code hidden[n*seqLen*dim]} (positions where {@code mask[i*seqLen+t] == 0} are
     * left out), then L2 normalisation of each row. Sums are accumulated in double. A row with no unmasked
     * position or a zero vector gives a zero vector.
     */
    public static float[] meanPoolNormalize(float[] hidden, int n, int seqLen, int dim, long[] mask) {
        return meanPoolNormalize(java.nio.FloatBuffer.wrap(hidden), n, seqLen, dim, mask);
    }

    /**
     * {@link #meanPoolNormalize(float[], int, int, int, long[])} reading {@code hidden} from a (direct) buffer,
     * position 0: each unmasked row is bulk-copied into a scratch row, then summed in the same order.
     */
    public static float[] meanPoolNormalize(java.nio.FloatBuffer hidden, int n, int seqLen, int dim, long[] mask) {
        float[] out = new float[n * dim];
        double[] acc = new double[dim];
        float[] row = new float[dim];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(acc, 0);
            long count = 0;
            for (int t = 0; t < seqLen; t++) {
                if (mask[i * seqLen + t] == 0) {
                    continue;
                }
                count++;
                hidden.get((i * seqLen + t) * dim, row, 0, dim);
                for (int d = 0; d < dim; d++) {
                    acc[d] += row[d];
                }
            }
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                acc[d] /= Math.max(count, 1);
                norm += acc[d] * acc[d];
            }
            norm = Math.sqrt(norm);
            double scale = norm > 0 ? 1 / norm : 0;
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] = (float) (acc[d] * scale);
            }
        }
        return out;
    }
}
