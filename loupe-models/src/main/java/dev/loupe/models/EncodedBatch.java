package dev.loupe.models;

/**
 * A tokenised batch, columnar and padded to the longest text: row {@code i}, position {@code j} is at
 * {@code i * seqLen + j}. Arrays may be longer than {@code size * seqLen} (they are reused); only that prefix
 * counts.
 */
public record EncodedBatch(int size, int seqLen, long[] inputIds, long[] attentionMask, long[] typeIds,
                           int[] lengths) {

    public int elements() {
        return size * seqLen;
    }

    /** The ids of one row without padding (a copy; for tests and display). */
    public long[] idsOf(int row) {
        return java.util.Arrays.copyOfRange(inputIds, row * seqLen, row * seqLen + lengths[row]);
    }
}
