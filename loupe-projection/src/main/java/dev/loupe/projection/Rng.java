package dev.loupe.projection;

/**
 * Counter-based randomness: a value is a hash of (seed, stream, index), so a draw does not depend on which thread
 * makes it or in which order (SplitMix64's finaliser).
 */
final class Rng {
    private long state;

    Rng(long seed, long stream, long index) {
        state = mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L + index));
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) * bound >>> 31);
    }

    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    double nextGaussian() {
        double u = Math.max(nextDouble(), 1e-300);
        double v = nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
