package dev.loupe.projection;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * t-SNE's repulsive sums by FFT-accelerated interpolation (FIt-SNE, Linderman et al. 2019; openTSNE's
 * {@code estimate_negative_gradient_fft_2d}). The square around the points is cut into boxes of side ≤ 1 (at least 50
 * boxes a side, as openTSNE's defaults: {@code n_interpolation_points=3, min_num_intervals=50, ints_in_interval=1});
 * each box holds 3 × 3 equispaced nodes. Four charges per point (1, y₁, y₂, |y|²) are spread onto the nodes with
 * Lagrange weights, convolved with the kernel 1/(1+d²)² by FFT (zero-padded to twice the grid), and interpolated back,
 * which gives per point Σ_j w²_ij, Σ_j w²_ij·y_j and Σ_j w²_ij·|y_j|² (w = 1/(1+d²)), hence the repulsion
 * Σ_j w²_ij·(y_i − y_j) and Z = Σ_{i≠j} w_ij. O(n + G² log G) per iteration instead of Barnes-Hut's O(n log n).
 *
 * <p>Box sides are quantised (1, or 2^(k/8) below 1) so the kernel's transform is reused across iterations while
 * the grid side stays the same; the two pairs of real charges travel as one complex grid each; the transform of a
 * grid column, the kernel product and the inverse transform run in one pass. Determinism: points are spread per box
 * row in index order, each row, column and point chunk writes only its own cells, and Z is reduced over fixed chunks.
 */
final class FftRepulsion {
    /** Interpolation nodes per box side. */
    static final int NODES = 3;
    /** Fewest boxes per side. */
    static final int MIN_BOXES = 50;
    private static final int CHUNK = 512;

    static {
        // the rows and columns are spread over Loupe's own threads; JTransforms' threads (above 8,192 points a
        // transform) would make the arithmetic depend on the machine, so it runs single-threaded
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1);
    }

    private int side = -1;        // FFT side N ≥ 2 · grid side
    private double spacing = Double.NaN;
    private double[] kernelHat;   // real transform of the circulant kernel, N × N
    private double[] gridA;       // (charge 1) + i·(charge y₁), grid side × N complex, rows = second coordinate
    private double[] gridB;       // (charge y₂) + i·(charge |y|²)
    private final ThreadLocal<DoubleFFT_1D> fft = new ThreadLocal<>();
    private final ThreadLocal<Integer> fftSize = ThreadLocal.withInitial(() -> -1);

    /** The box side for a coordinate range: 1, or the next 2^(k/8) above range / MIN_BOXES when that is below 1. */
    static double boxWidth(double range) {
        double target = range / MIN_BOXES;
        if (!(target < 1)) {
            return 1;
        }
        double w = Math.pow(2, Math.ceil(8 * Math.log(Math.max(target, 1e-12)) / Math.log(2)) / 8);
        return Math.min(1, w);
    }

    /**
     * The FFT side for at least {@code min} points: the next power of two (split-radix, measured about 1.6× faster
     * per n·log n than JTransforms' mixed radix) when that costs less than the next multiple of 2·NODES with no prime
     * factor above 5.
     */
    static int fftSide(int min) {
        int pow2 = Integer.highestOneBit(Math.max(1, min - 1)) << 1;
        int step = 2 * NODES;
        int mixed = step * smooth((min + step - 1) / step);
        double costPow2 = (double) pow2 * pow2 * Math.log(pow2);
        double costMixed = 1.6 * mixed * mixed * Math.log(mixed);
        return costPow2 <= costMixed ? pow2 : mixed;
    }

    /** The smallest m' ≥ m with no prime factor above 5 (fast FFT lengths). */
    static int smooth(int m) {
        for (int c = Math.max(1, m); ; c++) {
            int r = c;
            for (int f : new int[] {2, 3, 5}) {
                while (r % f == 0) {
                    r /= f;
                }
            }
            if (r == 1) {
                return c;
            }
        }
    }

    private DoubleFFT_1D fft(int n) {
        DoubleFFT_1D f = fft.get();
        if (f == null || fftSize.get() != n) {
            f = new DoubleFFT_1D(n);
            fft.set(f);
            fftSize.set(n);
        }
        return f;
    }

    /** Fills rep (2n) with Σ_j w²_ij·(y_i − y_j) and returns Z = Σ_{i≠j} w_ij. */
    double repulsion(double[] y, int n, double[] rep, Parallel par) {
        double[] bounds = QuadTree.bounds(y, n);
        double minX = bounds[0];
        double minY = bounds[1];
        double maxX = bounds[2];
        double maxY = bounds[3];
        double range = Math.max(Math.max(maxX - minX, maxY - minY), 1e-9);
        double width = boxWidth(range);
        int bigN = fftSide(2 * NODES * ((int) Math.ceil(range / width) + 1));
        int boxes = bigN / (2 * NODES);
        int m = boxes * NODES;        // grid nodes per side; bigN ≥ 2m: the zero padding that keeps the convolution linear
        double h = width / NODES;     // node spacing
        // the grid's centre at the points' centre: the |y|² charges stay small
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        double x0 = cx - boxes * width / 2;
        double y0 = cy - boxes * width / 2;
        prepare(bigN, m, h, par);
        int rowLen = 2 * bigN;

        // each point's box and Lagrange weights
        int[] boxX = new int[n];
        int[] boxY = new int[n];
        double[] wx = new double[NODES * n];
        double[] wy = new double[NODES * n];
        par.forRange(n, CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) {
                double ux = (y[2 * i] - x0) / width;
                double uy = (y[2 * i + 1] - y0) / width;
                int bx = Math.min(boxes - 1, Math.max(0, (int) ux));
                int by = Math.min(boxes - 1, Math.max(0, (int) uy));
                boxX[i] = bx;
                boxY[i] = by;
                lagrange(ux - bx, wx, NODES * i);
                lagrange(uy - by, wy, NODES * i);
            }
        });
        // points grouped by box row, in index order within a row
        int[] rowStart = new int[boxes + 1];
        for (int i = 0; i < n; i++) {
            rowStart[boxY[i] + 1]++;
        }
        for (int b = 0; b < boxes; b++) {
            rowStart[b + 1] += rowStart[b];
        }
        int[] byRow = new int[n];
        int[] fill = Arrays.copyOf(rowStart, boxes);
        for (int i = 0; i < n; i++) {
            byRow[fill[boxY[i]]++] = i;
        }
        // spread the charges (centred coordinates) onto the nodes; box rows own disjoint node rows
        par.forRange(boxes, 4, (from, to) -> {
            Arrays.fill(gridA, from * NODES * rowLen, to * NODES * rowLen, 0);
            Arrays.fill(gridB, from * NODES * rowLen, to * NODES * rowLen, 0);
            for (int t = rowStart[from]; t < rowStart[to]; t++) {
                int i = byRow[t];
                double px = y[2 * i] - cx;
                double py = y[2 * i + 1] - cy;
                double sq = px * px + py * py;
                for (int a = 0; a < NODES; a++) {
                    int row = (boxY[i] * NODES + a) * rowLen + 2 * boxX[i] * NODES;
                    double wa = wy[NODES * i + a];
                    for (int b = 0; b < NODES; b++) {
                        double w = wa * wx[NODES * i + b];
                        int at = row + 2 * b;
                        gridA[at] += w;
                        gridA[at + 1] += w * px;
                        gridB[at] += w * py;
                        gridB[at + 1] += w * sq;
                    }
                }
            }
        });
        convolve(gridA, m, bigN, par);
        convolve(gridB, m, bigN, par);
        // interpolate the potentials back at the points
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] zPart = new double[chunks];
        par.forRange(n, CHUNK, (from, to) -> {
            double z = 0;
            for (int i = from; i < to; i++) {
                double phi1 = 0;
                double phiX = 0;
                double phiY = 0;
                double phiSq = 0;
                for (int a = 0; a < NODES; a++) {
                    int row = (boxY[i] * NODES + a) * rowLen + 2 * boxX[i] * NODES;
                    double wa = wy[NODES * i + a];
                    for (int b = 0; b < NODES; b++) {
                        double w = wa * wx[NODES * i + b];
                        int at = row + 2 * b;
                        phi1 += w * gridA[at];
                        phiX += w * gridA[at + 1];
                        phiY += w * gridB[at];
                        phiSq += w * gridB[at + 1];
                    }
                }
                double px = y[2 * i] - cx;
                double py = y[2 * i + 1] - cy;
                rep[2 * i] = px * phi1 - phiX;
                rep[2 * i + 1] = py * phi1 - phiY;
                z += (1 + px * px + py * py) * phi1 - 2 * (px * phiX + py * phiY) + phiSq;
            }
            zPart[from / CHUNK] = z;
        });
        double z = 0;
        for (double v : zPart) {
            z += v;
        }
        return z - n;
    }

    /** Lagrange weights of the nodes at (k + ½)/NODES, k < NODES, for a position u in [0, 1] of the box. */
    static void lagrange(double u, double[] w, int at) {
        for (int k = 0; k < NODES; k++) {
            double tk = (k + 0.5) / NODES;
            double v = 1;
            for (int l = 0; l < NODES; l++) {
                if (l != k) {
                    double tl = (l + 0.5) / NODES;
                    v *= (u - tl) / (tk - tl);
                }
            }
            w[at + k] = v;
        }
    }

    /** Allocates the grids and (re)computes the kernel's transform when the FFT side or node spacing changed. */
    private void prepare(int bigN, int m, double h, Parallel par) {
        if (bigN == side && h == spacing) {
            return;
        }
        side = bigN;
        spacing = h;
        gridA = new double[m * 2 * bigN];
        gridB = new double[m * 2 * bigN];
        double[] k = new double[bigN * 2 * bigN];
        for (int r = 0; r < bigN; r++) {
            int dr = r < m ? r : r - bigN; // offsets −(m−1) … m−1; the rest is padding
            for (int c = 0; c < bigN; c++) {
                int dc = c < m ? c : c - bigN;
                boolean off = -dr >= m || -dc >= m;
                double d2 = h * h * ((double) dr * dr + (double) dc * dc);
                double v = 1 / (1 + d2);
                k[(r * bigN + c) * 2] = off ? 0 : v * v;
            }
        }
        par.forRange(bigN, 8, (from, to) -> {
            DoubleFFT_1D f = fft(bigN);
            for (int r = from; r < to; r++) {
                f.complexForward(k, r * 2 * bigN);
            }
        });
        kernelHat = new double[bigN * bigN];
        par.forRange(bigN, 8, (from, to) -> {
            DoubleFFT_1D f = fft(bigN);
            double[] col = new double[2 * bigN];
            for (int c = from; c < to; c++) {
                for (int r = 0; r < bigN; r++) {
                    col[2 * r] = k[(r * bigN + c) * 2];
                    col[2 * r + 1] = k[(r * bigN + c) * 2 + 1];
                }
                f.complexForward(col);
                for (int r = 0; r < bigN; r++) {
                    kernelHat[r * bigN + c] = col[2 * r]; // real: the kernel is even in both axes
                }
            }
        });
    }

    /**
     * Circular convolution of a grid (its first m of N rows non-zero; N ≥ 2m) with the kernel; on return the first m
     * rows hold the result (complex, the two real charges' potentials as real and imaginary parts).
     */
    private void convolve(double[] g, int m, int bigN, Parallel par) {
        int rowLen = 2 * bigN;
        par.forRange(m, 8, (from, to) -> {
            DoubleFFT_1D f = fft(bigN);
            for (int r = from; r < to; r++) {
                f.complexForward(g, r * rowLen);
            }
        });
        par.forRange(bigN, 8, (from, to) -> {
            DoubleFFT_1D f = fft(bigN);
            double[] col = new double[rowLen];
            for (int c = from; c < to; c++) {
                Arrays.fill(col, 0);
                for (int r = 0; r < m; r++) {
                    col[2 * r] = g[r * rowLen + 2 * c];
                    col[2 * r + 1] = g[r * rowLen + 2 * c + 1];
                }
                f.complexForward(col);
                for (int r = 0; r < bigN; r++) {
                    double kh = kernelHat[r * bigN + c];
                    col[2 * r] *= kh;
                    col[2 * r + 1] *= kh;
                }
                f.complexInverse(col, true);
                for (int r = 0; r < m; r++) {
                    g[r * rowLen + 2 * c] = col[2 * r];
                    g[r * rowLen + 2 * c + 1] = col[2 * r + 1];
                }
            }
        });
        par.forRange(m, 8, (from, to) -> {
            DoubleFFT_1D f = fft(bigN);
            for (int r = from; r < to; r++) {
                f.complexInverse(g, r * rowLen, true);
            }
        });
    }
}
