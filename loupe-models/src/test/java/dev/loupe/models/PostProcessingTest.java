package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PostProcessingTest {

    @Test
    void softmaxRowsSumToOneAndSurviveLargeLogits() {
        double[] p = PostProcessing.softmax(new float[] {1, 2, 3, 1000, 1000, -1000}, 2, 3);
        assertEquals(1.0, p[0] + p[1] + p[2], 1e-15);
        assertEquals(Math.exp(1) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), p[0], 1e-15);
        assertArrayEquals(new double[] {0.5, 0.5, 0}, new double[] {p[3], p[4], p[5]}, 1e-15);
    }

    @Test
    void meanPoolingIgnoresMaskedPositionsAndNormalises() {
        // 2 rows, 3 positions, dim 2; row 0 has a padded last position holding garbage
        float[] hidden = {1, 0, 3, 4, 100, 100, /* row 1 */ 0, 2, 0, 2, 0, 2};
        long[] mask = {1, 1, 0, 1, 1, 1};
        float[] e = PostProcessing.meanPoolNormalize(hidden, 2, 3, 2, mask);
        // row 0 mean = (2, 2) -> (0.7071, 0.7071); row 1 mean = (0, 2) -> (0, 1)
        assertArrayEquals(new float[] {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5), 0, 1}, e, 1e-7f);
    }

    @Test
    void fullyMaskedRowGivesZeroVector() {
        float[] e = PostProcessing.meanPoolNormalize(new float[] {5, 5}, 1, 1, 2, new long[] {0});
        assertArrayEquals(new float[] {0, 0}, e);
    }

    @Test
    void poolingFromADirectBufferEqualsPoolingFromAnArray() {
        java.util.Random r = new java.util.Random(7);
        int n = 3;
        int seq = 5;
        int dim = 4;
        float[] hidden = new float[n * seq * dim];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = (float) r.nextGaussian();
        }
        long[] mask = {1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0};
        java.nio.FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(hidden.length * 4)
                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().put(hidden);
        direct.flip();
        assertArrayEquals(PostProcessing.meanPoolNormalize(hidden, n, seq, dim, mask),
                PostProcessing.meanPoolNormalize(direct, n, seq, dim, mask));
    }
}
