package dev.loupe.metrics;

/** Stable LSD radix sort of doubles returning a permutation; linear time, no boxing. */
final class Sorting {
    private Sorting() {
    }

    /** Maps a double to a long whose unsigned order is the numeric order (−0.0 and 0.0 equal). */
    static long sortable(double d) {
        long bits = Double.doubleToLongBits(d + 0.0);
        return bits ^ ((bits >> 63) | Long.MIN_VALUE);
    }

    /** Indices of {@code values[0..n)} ordered by descending value; equal values keep their input order. */
    static int[] descending(double[] values, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = ~sortable(values[i]);
        }
        return sort(keys, n);
    }

    /** Indices of {@code values[0..n)} ordered by ascending value; equal values keep their input order. */
    static int[] ascending(double[] values, int n) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = sortable(values[i]);
        }
        return sort(keys, n);
    }

    private static int[] sort(long[] keys, int n) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        long[] k2 = new long[n];
        int[] p2 = new int[n];
        int[] count = new int[1 << 16];
        for (int shift = 0; shift < 64; shift += 16) {
            java.util.Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[(int) ((keys[i] >>> shift) & 0xFFFF)]++;
            }
            boolean single = false;
            for (int c : count) {
                if (c == n) {
                    single = true;
                    break;
                }
                if (c != 0) {
                    break;
                }
            }
            if (single || n == 0) {
                continue;
            }
            int sum = 0;
            for (int d = 0; d < count.length; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int d = (int) ((keys[i] >>> shift) & 0xFFFF);
                int pos = count[d]++;
                k2[pos] = keys[i];
                p2[pos] = perm[i];
            }
            long[] tk = keys;
            keys = k2;
            k2 = tk;
            int[] tp = perm;
            perm = p2;
            p2 = tp;
        }
        return perm;
    }
}
