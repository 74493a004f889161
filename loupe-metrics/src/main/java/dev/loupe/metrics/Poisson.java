package dev.loupe.metrics;

/**
 * Counter-based Poisson(1) draws for the Poisson bootstrap: the weight of a row in replicate {@code b} is a
 * pure function of (seed, row key, b), so any batching, any partitioning and any merge order give the same
 * replicates — which is what lets the bootstrap run in one streaming pass and, later, distributed.
 *
 * <p>Replicates come in quads (4q..4q+3): one 64-bit mix of (row hash, q) gives four 12-bit chunks, the top bits
 * of four uniform 53-bit numbers u, one per replicate. The draw is the inverse Poisson(1) CDF at u. For almost every
 * chunk (all but 7 of the 4,096 values, 0.17 %) every u with those top bits has the same draw, read from a 4 KiB
 * table; only for those 7 does a second mix of (row hash, replicate) supply u's other 41 bits and the CDF is
 * walked. So the draws are exact Poisson(1) (to 2^-53), and a quad costs one mix instead of four. (Up to issue 11,
 * each replicate had a mix of its own: the definition changed then, and with it every interval's value, not their
 * distribution.)
 */
public final class Poisson {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Another odd constant (R2 sequence) for the refinement stream, so it shares no counter with the quads'. */
    private static final long REFINE = 0xD1B54A32D192ED03L;
    /** P(X <= k) for X ~ Poisson(1), scaled to 2^53, k = 0..; the tail beyond is below 2^-53. */
    private static final long[] CDF;
    /** Bits of u read from the quad's mix; the other {@link #LOW_BITS} come from the refinement mix. */
    private static final int CHUNK_BITS = 12;
    private static final int LOW_BITS = 53 - CHUNK_BITS;
    private static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;
    /**
     * The draw for each chunk when the whole bucket of u it heads lies within one CDF step (the CDF is monotone, so
     * equal draws at both ends mean that draw throughout), else −1: only the buckets that straddle a step walk.
     */
    private static final byte[] TABLE = new byte[1 << CHUNK_BITS];
    /** {@link #TABLE} as floats, NaN where it holds −1: the hot loops read draws ready to multiply (16 KiB). */
    private static final float[] FLOATS = new float[1 << CHUNK_BITS];

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
        for (int t = 0; t < TABLE.length; t++) {
            long start = (long) t << LOW_BITS;
            int first = walk(start);
            TABLE[t] = (byte) (first == walk(start + (1L << LOW_BITS) - 1) ? first : -1);
            FLOATS[t] = TABLE[t] >= 0 ? TABLE[t] : Float.NaN;
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

    /** Per-row hash; compute once per row, then call {@link #draws4} per quad of replicates. */
    public static long rowHash(long seed, long key) {
        return mix(mix(key + GOLDEN) ^ seed);
    }

    /**
     * The Poisson(1) weights of the row with hash {@code rowHash} in replicates 4·quad … 4·quad + 3, one per byte:
     * replicate 4·quad + j in bits 8j … 8j + 7 (a draw is below 20).
     */
    public static int draws4(long rowHash, int quad) {
        long m = quadBits(rowHash, quad);
        int d0 = TABLE[(int) (m >>> 52)];
        int d1 = TABLE[(int) (m >>> 40) & CHUNK_MASK];
        int d2 = TABLE[(int) (m >>> 28) & CHUNK_MASK];
        int d3 = TABLE[(int) (m >>> 16) & CHUNK_MASK];
        if ((d0 | d1 | d2 | d3) < 0) {
            return refined(rowHash, quad, m);
        }
        return d0 | d1 << 8 | d2 << 16 | d3 << 24;
    }

    /**
     * The random bits of a quad, for loops that read the draws one at a time with {@link #draw0} … {@link #draw3}
     * (floats, no packing): {@code NaN} from any of them (rare: test the sum) means that quad needs
     * {@link #draws4}.
     */
    public static long quadBits(long rowHash, int quad) {
        return mix(rowHash + (quad + 1L) * GOLDEN);
    }

    /** Replicate 4q's draw from {@link #quadBits quadBits(h, q)}, or NaN when it needs {@link #draws4}. */
    public static float draw0(long bits) {
        return FLOATS[(int) (bits >>> 52)];
    }

    /** Replicate 4q + 1's draw from {@link #quadBits}, or NaN. */
    public static float draw1(long bits) {
        return FLOATS[(int) (bits >>> 40) & CHUNK_MASK];
    }

    /** Replicate 4q + 2's draw from {@link #quadBits}, or NaN. */
    public static float draw2(long bits) {
        return FLOATS[(int) (bits >>> 28) & CHUNK_MASK];
    }

    /** Replicate 4q + 3's draw from {@link #quadBits}, or NaN. */
    public static float draw3(long bits) {
        return FLOATS[(int) (bits >>> 16) & CHUNK_MASK];
    }

    /** The Poisson(1) weight of the row with hash {@code rowHash} in replicate {@code replicate}. */
    public static int draw(long rowHash, int replicate) {
        return draws4(rowHash, replicate >>> 2) >>> ((replicate & 3) << 3) & 0xFF;
    }

    /** {@link #draws4} when a chunk straddles a step: those replicates walk the CDF at their full u. */
    private static int refined(long rowHash, int quad, long m) {
        int out = 0;
        for (int j = 0; j < 4; j++) {
            int chunk = chunk(m, j);
            int d = TABLE[chunk];
            out |= (d >= 0 ? d : walk(u(rowHash, 4 * quad + j, chunk))) << (8 * j);
        }
        return out;
    }

    /** Chunk j (0..3, from the top) of a quad's mix. */
    private static int chunk(long m, int j) {
        return (int) (m >>> (64 - CHUNK_BITS * (j + 1))) & CHUNK_MASK;
    }

    /** The full 53-bit uniform of a replicate whose top bits are {@code chunk}. */
    private static long u(long rowHash, int replicate, int chunk) {
        return (long) chunk << LOW_BITS | mix(rowHash ^ (replicate + 1L) * REFINE) >>> (64 - LOW_BITS);
    }

    /** Whether a quad's draws take the refined path (for tests). */
    static boolean needsRefinement(long rowHash, int quad) {
        long m = quadBits(rowHash, quad);
        for (int j = 0; j < 4; j++) {
            if (TABLE[chunk(m, j)] < 0) {
                return true;
            }
        }
        return false;
    }

    /** The draw for a uniform 53-bit {@code u} by the table, walking only in straddling buckets. */
    static int drawOfU(long u) {
        int d = TABLE[(int) (u >>> LOW_BITS)];
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

    /** {@link #draw} through the CDF walk alone, always at the full u (tests check the table against it). */
    static int drawByWalk(long rowHash, int replicate) {
        long m = quadBits(rowHash, replicate >>> 2);
        return walk(u(rowHash, replicate, chunk(m, replicate & 3)));
    }
}
