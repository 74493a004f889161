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

    private static final long C0 = CDF[0], C1 = CDF[1], C2 = CDF[2], C3 = CDF[3], C4 = CDF[4], C5 = CDF[5];

    /** The Poisson(1) weight of the row with hash {@code rowHash} in replicate {@code replicate}. */
    public static int draw(long rowHash, int replicate) {
        long u = mix(rowHash + (replicate + 1L) * GOLDEN) >>> 11;
        // branch-free for the values that carry all but 0.06% of the mass, then the rare tail
        int k = (u >= C0 ? 1 : 0) + (u >= C1 ? 1 : 0) + (u >= C2 ? 1 : 0) + (u >= C3 ? 1 : 0) + (u >= C4 ? 1 : 0);
        if (u >= C4) {
            k = 5;
            while (u >= CDF[k]) {
                k++;
            }
        }
        return k;
    }
}
