package dev.loupe.projection;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.decomposition.QRDecomposition;

import java.util.Arrays;

/**
 * Principal component analysis. Exact (the covariance matrix's symmetric eigendecomposition, EJML) up to
 * {@link #EXACT_MAX_DIM} dimensions; beyond, randomized SVD (Halko, Martinsson and Tropp: a Gaussian sketch, four
 * power iterations with re-orthonormalisation, then the small SVD). Each component's sign is fixed so that its
 * largest-magnitude loading is positive.
 */
public final class Pca {
    public static final int EXACT_MAX_DIM = 2_048;

    /**
     * @param coords             row-major n × components, (x − mean) · components
     * @param components         row-major components × d, unit vectors
     * @param explainedVariance  per component, the variance along it (denominator n − 1, as scikit-learn)
     * @param explainedRatio     per component, its share of the total variance
     * @param exact              false when the randomized solver was used
     */
    public record Result(int components, double[] coords, double[] mean, double[] loadings, double[] explainedVariance,
                         double[] explainedRatio, boolean exact) {
        /** Projects one point (d values) onto the components. */
        public double[] project(double[] x) {
            int d = mean.length;
            double[] out = new double[components];
            for (int c = 0; c < components; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (x[j] - mean[j]) * loadings[c * d + j];
                }
                out[c] = s;
            }
            return out;
        }
    }

    private Pca() {
    }

    public static Result fit(Points p, int components, long seed, int threads) {
        try (Parallel par = new Parallel(threads)) {
            return fit(p, components, seed, par);
        }
    }

    static Result fit(Points p, int components, long seed, Parallel par) {
        return fit(p, components, seed, par, p.d() > EXACT_MAX_DIM);
    }

    /** With {@code randomized}, the randomized solver whatever the dimension (tests compare it with the exact one). */
    static Result fit(Points p, int components, long seed, Parallel par, boolean randomized) {
        int n = p.n();
        int d = p.d();
        if (n < 2) {
            throw new IllegalArgumentException("PCA needs at least 2 points, got " + n);
        }
        components = Math.min(components, Math.min(d, n));
        double[] mean = mean(p, par);
        double[] loadings;
        double[] variance;
        double total;
        boolean exact = !randomized;
        if (exact) {
            DMatrixRMaj cov = covariance(p, mean, par);
            total = 0;
            for (int j = 0; j < d; j++) {
                total += cov.get(j, j);
            }
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
            if (!eig.decompose(cov)) {
                throw new IllegalStateException("the covariance eigendecomposition did not converge");
            }
            Integer[] order = new Integer[d];
            double[] values = new double[d];
            for (int j = 0; j < d; j++) {
                order[j] = j;
                values[j] = eig.getEigenvalue(j).getReal();
            }
            Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
            loadings = new double[components * d];
            variance = new double[components];
            for (int c = 0; c < components; c++) {
                DMatrixRMaj v = eig.getEigenVector(order[c]);
                double norm = 0;
                for (int j = 0; j < d; j++) {
                    norm += v.get(j) * v.get(j);
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < d; j++) {
                    loadings[c * d + j] = v.get(j) / norm;
                }
                variance[c] = Math.max(0, values[order[c]]);
            }
        } else {
            double[][] r = randomized(p, mean, components, seed, par);
            loadings = r[0];
            variance = r[1];
            total = r[2][0];
        }
        fixSigns(loadings, components, d);
        double[] ratio = new double[components];
        for (int c = 0; c < components; c++) {
            ratio[c] = total > 0 ? variance[c] / total : Double.NaN;
        }
        double[] coords = transform(p, mean, loadings, components, par);
        return new Result(components, coords, mean, loadings, variance, ratio, exact);
    }

    static double[] mean(Points p, Parallel par) {
        int n = p.n();
        int d = p.d();
        int chunk = 4096;
        int chunks = (n + chunk - 1) / chunk;
        double[][] partial = new double[chunks][d];
        par.forRange(n, chunk, (from, to) -> {
            double[] s = partial[from / chunk];
            double[] row = new double[d];
            for (int i = from; i < to; i++) {
                p.row(i, row);
                for (int j = 0; j < d; j++) {
                    s[j] += row[j];
                }
            }
        });
        double[] mean = new double[d];
        for (double[] s : partial) {
            for (int j = 0; j < d; j++) {
                mean[j] += s[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        return mean;
    }

    /** The d × d covariance (n − 1 denominator): per fixed chunk of rows an upper triangle, summed in chunk order. */
    private static DMatrixRMaj covariance(Points p, double[] mean, Parallel par) {
        int n = p.n();
        int d = p.d();
        // at most ~256 MB of partial triangles; the chunking depends on n and d only, never on the thread count
        int maxChunks = Math.max(1, Math.min(16, 32_000_000 / (d * d)));
        int chunk = Math.max(2048, (n + maxChunks - 1) / maxChunks);
        int chunks = (n + chunk - 1) / chunk;
        double[][] partial = new double[chunks][];
        par.forRange(n, chunk, (from, to) -> {
            // the full square, a row of it per array: loops over arrays indexed alike, which the JIT vectorises
            // blocks of rows: a row of the square stays in the cache while a block adds to it
            double[][] c = new double[d][d];
            int block = 32;
            double[][] rows = new double[block][d];
            for (int b0 = from; b0 < to; b0 += block) {
                int b1 = Math.min(to, b0 + block);
                for (int i = b0; i < b1; i++) {
                    double[] r = rows[i - b0];
                    p.row(i, r);
                    for (int j = 0; j < d; j++) {
                        r[j] -= mean[j];
                    }
                }
                for (int a = 0; a < d; a++) {
                    double[] ca = c[a];
                    for (int i = 0; i < b1 - b0; i++) {
                        double[] r = rows[i];
                        double xa = r[a];
                        for (int b = 0; b < d; b++) {
                            ca[b] += xa * r[b];
                        }
                    }
                }
            }
            double[] flat = new double[d * d];
            for (int a = 0; a < d; a++) {
                System.arraycopy(c[a], 0, flat, a * d, d);
            }
            partial[from / chunk] = flat;
        });
        DMatrixRMaj cov = new DMatrixRMaj(d, d);
        double[] out = cov.data;
        for (double[] c : partial) {
            for (int t = 0; t < c.length; t++) {
                out[t] += c[t];
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                // the two halves were summed alike; one of them, mirrored, keeps the matrix exactly symmetric
                double v = out[a * d + b] / (n - 1);
                out[a * d + b] = v;
                out[b * d + a] = v;
            }
        }
        return cov;
    }

    /** Randomized SVD of the centred data: {loadings, variances, {total variance}}. */
    private static double[][] randomized(Points p, double[] mean, int components, long seed, Parallel par) {
        int n = p.n();
        int d = p.d();
        int l = Math.min(d, components + 10);
        DMatrixRMaj omega = new DMatrixRMaj(d, l);
        Rng rng = new Rng(seed, 202, 0);
        for (int t = 0; t < omega.data.length; t++) {
            omega.data[t] = rng.nextGaussian();
        }
        DMatrixRMaj y = times(p, mean, omega, par); // n × l
        for (int it = 0; it < 4; it++) {
            y = orthonormal(y);
            DMatrixRMaj z = orthonormal(timesT(p, mean, y, par)); // d × l
            y = times(p, mean, z, par);
        }
        DMatrixRMaj q = orthonormal(y); // n × l
        DMatrixRMaj b = timesT(p, mean, q, par); // d × l  (= (Qᵀ X)ᵀ)
        DMatrixRMaj btb = new DMatrixRMaj(l, l);
        CommonOps_DDRM.multTransA(b, b, btb); // (QᵀX)(QᵀX)ᵀ, l × l
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(l, true, true);
        if (!eig.decompose(btb)) {
            throw new IllegalStateException("the randomized SVD did not converge");
        }
        Integer[] order = new Integer[l];
        double[] values = new double[l];
        for (int j = 0; j < l; j++) {
            order[j] = j;
            values[j] = eig.getEigenvalue(j).getReal();
        }
        Arrays.sort(order, (a1, b1) -> Double.compare(values[b1], values[a1]));
        double[] loadings = new double[components * d];
        double[] variance = new double[components];
        for (int c = 0; c < components; c++) {
            DMatrixRMaj u = eig.getEigenVector(order[c]); // l, left singular vector of QᵀX
            double s2 = Math.max(0, values[order[c]]);
            double norm = 0;
            double[] v = new double[d];
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int t = 0; t < l; t++) {
                    s += b.get(j, t) * u.get(t);
                }
                v[j] = s;
                norm += s * s;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                loadings[c * d + j] = norm == 0 ? 0 : v[j] / norm;
            }
            variance[c] = s2 / (n - 1);
        }
        double total = 0;
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            p.row(i, row);
            for (int j = 0; j < d; j++) {
                double t = row[j] - mean[j];
                total += t * t;
            }
        }
        return new double[][] {loadings, variance, {total / (n - 1)}};
    }

    /** (X − mean) · m, for m d × l. */
    private static DMatrixRMaj times(Points p, double[] mean, DMatrixRMaj m, Parallel par) {
        int n = p.n();
        int d = p.d();
        int l = m.numCols;
        DMatrixRMaj out = new DMatrixRMaj(n, l);
        par.forRange(n, 1024, (from, to) -> {
            double[] row = new double[d];
            for (int i = from; i < to; i++) {
                p.row(i, row);
                for (int j = 0; j < d; j++) {
                    double x = row[j] - mean[j];
                    int o = j * l;
                    for (int t = 0; t < l; t++) {
                        out.data[i * l + t] += x * m.data[o + t];
                    }
                }
            }
        });
        return out;
    }

    /** (X − mean)ᵀ · m, for m n × l; partial sums per fixed chunk, added in chunk order. */
    private static DMatrixRMaj timesT(Points p, double[] mean, DMatrixRMaj m, Parallel par) {
        int n = p.n();
        int d = p.d();
        int l = m.numCols;
        int chunk = Math.max(4096, (n + 15) / 16);
        double[][] partial = new double[(n + chunk - 1) / chunk][];
        par.forRange(n, chunk, (from, to) -> {
            double[] acc = new double[d * l];
            double[] row = new double[d];
            for (int i = from; i < to; i++) {
                p.row(i, row);
                for (int j = 0; j < d; j++) {
                    double x = row[j] - mean[j];
                    for (int t = 0; t < l; t++) {
                        acc[j * l + t] += x * m.data[i * l + t];
                    }
                }
            }
            partial[from / chunk] = acc;
        });
        DMatrixRMaj out = new DMatrixRMaj(d, l);
        for (double[] a : partial) {
            for (int t = 0; t < a.length; t++) {
                out.data[t] += a[t];
            }
        }
        return out;
    }

    private static DMatrixRMaj orthonormal(DMatrixRMaj a) {
        QRDecomposition<DMatrixRMaj> qr = DecompositionFactory_DDRM.qr(a.numRows, a.numCols);
        if (!qr.decompose(a.copy())) {
            throw new IllegalStateException("QR failed");
        }
        return qr.getQ(null, true);
    }

    private static void fixSigns(double[] loadings, int components, int d) {
        for (int c = 0; c < components; c++) {
            int best = 0;
            for (int j = 1; j < d; j++) {
                if (Math.abs(loadings[c * d + j]) > Math.abs(loadings[c * d + best])) {
                    best = j;
                }
            }
            if (loadings[c * d + best] < 0) {
                for (int j = 0; j < d; j++) {
                    loadings[c * d + j] = -loadings[c * d + j];
                }
            }
        }
    }

    private static double[] transform(Points p, double[] mean, double[] loadings, int components, Parallel par) {
        int n = p.n();
        int d = p.d();
        // the loadings by dimension: out_i += (x_ij − mean_j)·loadings[j][·], a loop the JIT vectorises
        double[][] byDim = new double[d][components];
        for (int c = 0; c < components; c++) {
            for (int j = 0; j < d; j++) {
                byDim[j][c] = loadings[c * d + j];
            }
        }
        double[] out = new double[n * components];
        par.forRange(n, 2048, (from, to) -> {
            double[] row = new double[d];
            double[] acc = new double[components];
            for (int i = from; i < to; i++) {
                p.row(i, row);
                Arrays.fill(acc, 0);
                for (int j = 0; j < d; j++) {
                    double x = row[j] - mean[j];
                    double[] l = byDim[j];
                    for (int c = 0; c < components; c++) {
                        acc[c] += x * l[c];
                    }
                }
                System.arraycopy(acc, 0, out, i * components, components);
            }
        });
        return out;
    }
}
