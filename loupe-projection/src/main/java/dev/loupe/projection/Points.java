package dev.loupe.projection;

import dev.loupe.api.InvalidInputException;

/**
 * n points of d dimensions, row-major, held as float32 (embeddings) or float64 (exact comparisons). Immutable by
 * convention: nothing in this package writes to the arrays it is given.
 */
public final class Points {
    private final int n;
    private final int d;
    private final float[] f;
    private final double[] x;

    private Points(int n, int d, float[] f, double[] x) {
        this.n = n;
        this.d = d;
        this.f = f;
        this.x = x;
    }

    public static Points of(int n, int d, float[] data) {
        check(n, d, data.length);
        return new Points(n, d, data, null);
    }

    public static Points of(int n, int d, double[] data) {
        check(n, d, data.length);
        return new Points(n, d, null, data);
    }

    public static Points of(float[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        float[] a = new float[n * d];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new InvalidInputException("RAGGED_ROWS", "row " + (i + 1) + " has " + rows[i].length
                        + " values where row 1 has " + d + ": every embedding needs the same dimension.");
            }
            System.arraycopy(rows[i], 0, a, i * d, d);
        }
        return of(n, d, a);
    }

    public static Points of(double[][] rows) {
        int n = rows.length;
        int d = n == 0 ? 0 : rows[0].length;
        double[] a = new double[n * d];
        for (int i = 0; i < n; i++) {
            if (rows[i].length != d) {
                throw new InvalidInputException("RAGGED_ROWS", "row " + (i + 1) + " has " + rows[i].length
                        + " values where row 1 has " + d + ": every embedding needs the same dimension.");
            }
            System.arraycopy(rows[i], 0, a, i * d, d);
        }
        return of(n, d, a);
    }

    private static void check(int n, int d, long length) {
        if ((long) n * d != length) {
            throw new IllegalArgumentException("data has " + length + " values, not " + n + " × " + d);
        }
    }

    /** The float32 values, row-major, or null when the points are held as float64. */
    float[] floats() {
        return f;
    }

    public int n() {
        return n;
    }

    public int d() {
        return d;
    }

    public double get(int i, int j) {
        return f != null ? f[i * d + j] : x[i * d + j];
    }

    /** Copies row i into {@code out} (length ≥ d). */
    public void row(int i, double[] out) {
        int o = i * d;
        if (f != null) {
            for (int j = 0; j < d; j++) {
                out[j] = f[o + j];
            }
        } else {
            System.arraycopy(x, o, out, 0, d);
        }
    }

    /** Squared Euclidean distance between rows i and j (float accumulation for float32 points, four lanes). */
    public double dist2(int i, int j) {
        int a = i * d;
        int b = j * d;
        if (f != null) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int k = 0;
            for (; k + 3 < d; k += 4) {
                float t0 = f[a + k] - f[b + k];
                float t1 = f[a + k + 1] - f[b + k + 1];
                float t2 = f[a + k + 2] - f[b + k + 2];
                float t3 = f[a + k + 3] - f[b + k + 3];
                s0 += t0 * t0;
                s1 += t1 * t1;
                s2 += t2 * t2;
                s3 += t3 * t3;
            }
            for (; k < d; k++) {
                float t = f[a + k] - f[b + k];
                s0 += t * t;
            }
            return (s0 + s1) + (s2 + s3);
        }
        double s = 0;
        for (int k = 0; k < d; k++) {
            double t = x[a + k] - x[b + k];
            s += t * t;
        }
        return s;
    }

    /** Squared distance, always accumulated in double (for the quality measures' exact ranks). */
    public double dist2Exact(int i, int j) {
        int a = i * d;
        int b = j * d;
        double s = 0;
        for (int k = 0; k < d; k++) {
            double t = get(i, k) - get(j, k);
            s += t * t;
        }
        return s;
    }

    /** The row-major 2-D points of a projection. */
    public static Points plane(double[] xy) {
        return of(xy.length / 2, 2, xy);
    }
}
