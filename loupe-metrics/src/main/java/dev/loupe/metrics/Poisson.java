package dev.loupe.metrics;

/**
 * Counter-based Poisson(1) draws for the Poisson bootstrap: the weight of a row in replicate {@code b} is a
 * pure function of (seed, row key, b), so any batching, any partitioning and any merge order give the same
 * replicates — which is what lets the bootstrap run in one streaming pass and, later, distributed.
 */
public final class Poisson {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** P(X <= k) for X ~ Poisson(1), scaled to 2^53, k = 0..; the tail beyond is below 2^-53. */
    private static final long[] CDF;
    /** u (53 bits) is looked up by its top 16 bits. */
    private static final int TABLE_SHIFT = 53 - 16;
    /**
     * The draw for each value of u's top 16 bits when the whole bucket lies within one CDF step (the CDF is
     * monotone, so equal draws at both ends mean that draw throughout), else −1: only the ~20 buckets that straddle
     * a step walk the CDF. 64 KiB, so it stays in L2 and mostly in L1.
     */
    private static final byte[] TABLE = new byte[1 << 16];

    static {
        double[] cdf = new double[20];
        double p = Math.exp(-1);
        double s = 0;
        for (int k = 0; k < cdf.length; k++) {
            s += p;
            cdf[k] = s;
            p /= (k + 1);
        }
        CDF = new long[cdf.length];
        for (int k = 0; k < cdf.length; k++) {
            CDF[k] = (long) Math.min(cdf[k] * 0x1p53, 0x1p53);
        }
        CDF[cdf.length - 1] = 1L << 53;
        // one sweep: the draws at a bucket's two ends, each found by advancing over the monotone CDF
        int k = 0;
        for (int t = 0; t < TABLE.length; t++) {
            long start = (long) t << TABLE_SHIFT;
            while (start >= CDF[k]) {
                k++;
            }
            int first = k;
            long end = start + (1L << TABLE_SHIFT) - 1;
            while (end >= CDF[k]) {
                k++;
            }
            TABLE[t] = (byte) (first == k ? k : -1);
        }
    }

    private Poisson() {
    }

    /** SplitMix64's finaliser: a bijective 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Per-row hash; compute once per row, then call {@link #draw(long, int)} per replicate. */
    public static long rowHash(long seed, long key) {
        return mix(mix(key + GOLDEN) ^ seed);
    }

    /** The Poisson(1) weight of the row with hash {@code rowHash} in replicate {@code replicate}. */
    public static int draw(long rowHash, int replicate) {
        return drawOfU(mix(rowHash + (replicate + 1L) * GOLDEN) >>> 11);
    }

    /** The draw for a uniform 53-bit {@code u}. */
    static int drawOfU(long u) {
        int d = TABLE[(int) (u >>> TABLE_SHIFT)];
        return d >= 0 ? d : walk(u);
    }

    /** The inverse CDF by a walk over the steps: the reference that {@link #TABLE} reproduces. */
    static int walk(long u) {
        int k = 0;
        while (u >= CDF[k]) {
            k++;
        }
        return k;
    }

    /** {@link #draw} through the CDF walk alone (tests check the table against it). */
    static int drawByWalk(long rowHash, int replicate) {
        return walk(mix(rowHash + (replicate + 1L) * GOLDEN) >>> 11);
    }
}
