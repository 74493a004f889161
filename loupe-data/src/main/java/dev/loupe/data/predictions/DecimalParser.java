package dev.loupe.data.predictions;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Parses a plain decimal number from ASCII bytes without allocating, giving exactly the double that
 * {@link Double#parseDouble} gives for the same text.
 *
 * <p>Accepted syntax (after trimming ASCII spaces): {@code [+-]? digits? ('.' digits?)? ([eE] [+-]? digits)?}
 * with at least one mantissa digit. Anything else returns {@code NaN}, which callers treat as "not a
 * number" (the literals {@code nan}, {@code inf}, {@code infinity} in any case, optionally signed, also
 * parse, to NaN and ±Infinity, so that callers can tell the user the value is not finite).
 *
 * <p>Algorithm: the significand is accumulated into an unsigned 64-bit integer {@code w} (at most 19
 * significant digits; further digits that are all zero are dropped exactly) and a decimal exponent
 * {@code q}. Then
 * <ol>
 *   <li>Clinger's fast path: {@code w < 2^53} and {@code |q| <= 22} ⇒ {@code w * 10^q} or {@code w / 10^-q},
 *       one correctly rounded IEEE operation on exact operands;</li>
 *   <li>otherwise the Eisel–Lemire algorithm (as in Lemire's fast_float): a 64×128-bit product with a
 *       truncated power of five, correctly rounded for every 19-digit significand (Mushtak & Lemire, 2023);
 *       a conservative guard still falls back in the rare ambiguous case;</li>
 *   <li>fallback (more than 19 significant digits, or the guard): {@link Double#parseDouble} on the text.</li>
 * </ol>
 */
final class DecimalParser {
    private DecimalParser() {
    }

    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    static final int SMALLEST_POWER_OF_FIVE = -342;
    static final int LARGEST_POWER_OF_FIVE = 308;
    /** 128-bit truncated powers of five 5^q, q in [-342, 308], as (high, low) pairs; see fast_float. */
    static final long[] POW5_128 = powersOfFive();

    /** Parses {@code b[s, e)}; NaN when the text is not a plain decimal number (or is a NaN literal). */
    static double parse(byte[] b, int s, int e) {
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        if (s >= e) {
            return Double.NaN;
        }
        int p = s;
        boolean neg = false;
        byte c = b[p];
        if (c == '-') {
            neg = true;
            p++;
        } else if (c == '+') {
            p++;
        }
        long w = 0;
        int nd = 0;
        int q = 0;
        boolean digits = false;
        boolean truncated = false;
        while (p < e) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            digits = true;
            if (nd < 19) {
                w = w * 10 + d;
                if (w != 0) {
                    nd++;
                }
            } else {
                q++;
                truncated |= d != 0;
            }
            p++;
        }
        if (p < e && b[p] == '.') {
            p++;
            while (p < e) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                digits = true;
                if (nd < 19) {
                    w = w * 10 + d;
                    if (w != 0) {
                        nd++;
                    }
                    q--;
                } else {
                    truncated |= d != 0;
                }
                p++;
            }
        }
        if (!digits) {
            return special(b, s, e);
        }
        if (p < e && (b[p] | 0x20) == 'e') {
            p++;
            boolean eneg = false;
            if (p < e && (b[p] == '-' || b[p] == '+')) {
                eneg = b[p] == '-';
                p++;
            }
            int es = p;
            int ev = 0;
            while (p < e) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (ev < 100_000) {
                    ev = ev * 10 + d;
                }
                p++;
            }
            if (p == es) {
                return Double.NaN;
            }
            q += eneg ? -ev : ev;
        }
        if (p != e) {
            return Double.NaN;
        }
        if (truncated) {
            return slow(b, s, e);
        }
        if (w == 0) {
            return neg ? -0.0 : 0.0;
        }
        if ((w >>> 53) == 0 && q >= -22 && q <= 22) {
            double v = (double) w;
            v = q >= 0 ? v * POW10[q] : v / POW10[-q];
            return neg ? -v : v;
        }
        long bits = eiselLemire(w, q);
        if (bits < 0) {
            return slow(b, s, e);
        }
        return Double.longBitsToDouble(neg ? bits | Long.MIN_VALUE : bits);
    }

    /** True when {@code b[s, e)} (trimmed) is a NaN or infinity literal such as {@code nan}, {@code -inf}. */
    static boolean isNonFiniteLiteral(byte[] b, int s, int e) {
        while (s < e && b[s] == ' ') {
            s++;
        }
        while (e > s && b[e - 1] == ' ') {
            e--;
        }
        return s < e && !Double.isFinite(special(b, s, e)) && !isSyntaxError(b, s, e);
    }

    private static boolean isSyntaxError(byte[] b, int s, int e) {
        int p = s;
        if (p < e && (b[p] == '-' || b[p] == '+')) {
            p++;
        }
        String t = new String(b, p, e - p, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        return !(t.equals("nan") || t.equals("inf") || t.equals("infinity"));
    }

    private static double special(byte[] b, int s, int e) {
        int p = s;
        boolean neg = false;
        if (p < e && (b[p] == '-' || b[p] == '+')) {
            neg = b[p] == '-';
            p++;
        }
        int n = e - p;
        if (n == 3 && lower(b, p, "nan")) {
            return Double.NaN;
        }
        if ((n == 3 && lower(b, p, "inf")) || (n == 8 && lower(b, p, "infinity"))) {
            return neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.NaN;
    }

    private static boolean lower(byte[] b, int p, String word) {
        for (int i = 0; i < word.length(); i++) {
            if ((b[p + i] | 0x20) != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static double slow(byte[] b, int s, int e) {
        return Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
    }

    /**
     * The bits of the positive double nearest {@code w * 10^q} (w != 0, unsigned), or -1 when the product is
     * too close to call with 128 bits (never observed; kept as a guard).
     */
    static long eiselLemire(long w, int q) {
        if (q < SMALLEST_POWER_OF_FIVE) {
            return 0L;
        }
        if (q > LARGEST_POWER_OF_FIVE) {
            return 0x7FFL << 52;
        }
        int lz = Long.numberOfLeadingZeros(w);
        w <<= lz;
        int index = 2 * (q - SMALLEST_POWER_OF_FIVE);
        long t = POW5_128[index];
        long hi = unsignedMultiplyHigh(w, t);
        long lo = w * t;
        final long mask = 0x1FFL; // 2^64-1 >>> (52 + 3)
        if ((hi & mask) == mask) {
            long t2 = POW5_128[index + 1];
            long hi2 = unsignedMultiplyHigh(w, t2);
            lo += hi2;
            if (Long.compareUnsigned(hi2, lo) > 0) {
                hi++;
            }
            if (lo == -1L && (q < -27 || q > 55)) {
                return -1L;
            }
        }
        int upperbit = (int) (hi >>> 63);
        int shift = upperbit + 64 - 52 - 3;
        long mantissa = hi >>> shift;
        int power2 = (((152170 + 65536) * q) >> 16) + 63 + upperbit - lz + 1023;
        if (power2 <= 0) {
            if (-power2 + 1 >= 64) {
                return 0L;
            }
            mantissa >>>= -power2 + 1;
            mantissa += mantissa & 1;
            mantissa >>>= 1;
            power2 = mantissa < (1L << 52) ? 0 : 1;
            return mantissa | ((long) power2 << 52);
        }
        if (Long.compareUnsigned(lo, 1) <= 0 && q >= -4 && q <= 23 && (mantissa & 3) == 1) {
            if ((mantissa << shift) == hi) {
                mantissa &= ~1L;
            }
        }
        mantissa += mantissa & 1;
        mantissa >>>= 1;
        if (mantissa >= (2L << 52)) {
            mantissa = 1L << 52;
            power2++;
        }
        mantissa &= ~(1L << 52);
        if (power2 >= 0x7FF) {
            return 0x7FFL << 52;
        }
        return mantissa | ((long) power2 << 52);
    }

    static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    private static long[] powersOfFive() {
        int n = LARGEST_POWER_OF_FIVE - SMALLEST_POWER_OF_FIVE + 1;
        long[] table = new long[2 * n];
        BigInteger two128 = BigInteger.ONE.shiftLeft(128);
        BigInteger two127 = BigInteger.ONE.shiftLeft(127);
        for (int q = SMALLEST_POWER_OF_FIVE; q <= LARGEST_POWER_OF_FIVE; q++) {
            BigInteger c;
            if (q < 0) {
                BigInteger power5 = BigInteger.valueOf(5).pow(-q);
                int z = power5.bitLength(); // smallest z with 2^z >= 5^-q (5^k is never a power of two)
                int bexp = q >= -27 ? z + 127 : 2 * z + 128;
                c = BigInteger.ONE.shiftLeft(bexp).divide(power5).add(BigInteger.ONE);
                if (c.compareTo(two128) >= 0) {
                    c = c.shiftRight(c.bitLength() - 128);
                }
            } else {
                c = BigInteger.valueOf(5).pow(q);
                if (c.compareTo(two127) < 0) {
                    c = c.shiftLeft(128 - c.bitLength());
                } else if (c.compareTo(two128) >= 0) {
                    c = c.shiftRight(c.bitLength() - 128);
                }
            }
            int i = 2 * (q - SMALLEST_POWER_OF_FIVE);
            table[i] = c.shiftRight(64).longValue();
            table[i + 1] = c.longValue();
        }
        return table;
    }
}
