package dev.loupe.projection;

import java.util.Arrays;

/**
 * UMAP (McInnes, Healy and Melville 2018), following umap-learn: the fuzzy simplicial set of the
 * {@code nNeighbors}-nearest-neighbour graph (the point itself counted, as umap-learn counts it; ρ_i the distance to
 * the nearest neighbour, σ_i by binary search so that Σ exp(−(d − ρ)/σ) = log₂ k), its fuzzy union P + Pᵀ − P∘Pᵀ,
 * edges below max/epochs dropped, each edge sampled every max(w)/w epochs; curve parameters a, b fitted to
 * {@code minDist} and {@code spread} by least squares as umap-learn's {@code find_ab_params}; PCA initialisation
 * scaled to [−10, 10] with 1e-4 noise; SGD with learning rate 1 decaying linearly to 0 and 5 negative samples per
 * positive one (500 epochs up to 10,000 points, 200 beyond).
 *
 * <p>Determinism with threads: in each epoch every point moves only itself, reading the other points' positions as
 * they were at the start of the epoch, with its draws from (seed, epoch, point). umap-learn also moves the other end
 * of each edge; here every edge is present in both directions, so the attraction is applied twice to the head
 * instead, keeping the balance of attraction to repulsion umap-learn has.
 */
public final class Umap {
    /** Options; {@link #defaults()} are umap-learn's. epochs ≤ 0 means its default for n. */
    public record Options(int nNeighbors, double minDist, double spread, int epochs, int negativeSampleRate,
                          long seed, int threads) {
        public static Options defaults() {
            return new Options(15, 0.1, 1.0, 0, 5, 0, 0);
        }

        public Options withNeighbors(int v) {
            return new Options(v, minDist, spread, epochs, negativeSampleRate, seed, threads);
        }

        public Options withMinDist(double v) {
            return new Options(nNeighbors, v, spread, epochs, negativeSampleRate, seed, threads);
        }

        public Options withEpochs(int v) {
            return new Options(nNeighbors, minDist, spread, v, negativeSampleRate, seed, threads);
        }

        public Options withSeed(long v) {
            return new Options(nNeighbors, minDist, spread, epochs, negativeSampleRate, v, threads);
        }

        public Options withThreads(int v) {
            return new Options(nNeighbors, minDist, spread, epochs, negativeSampleRate, seed, v);
        }
    }

    /** The fuzzy graph as symmetric CSR. */
    public record Graph(int n, int[] start, int[] col, double[] val) {
    }

    public record Result(double[] coords, double a, double b, int epochs, double knnSeconds, double graphSeconds,
                         double initSeconds, double optimizeSeconds) {
    }

    private Umap() {
    }

    public static Result run(Points p, Options o, ProjectionListener listener) {
        int n = p.n();
        if (n < 3) {
            throw new IllegalArgumentException("UMAP needs at least 3 points, got " + n);
        }
        int k = Math.min(o.nNeighbors(), n) - 1;
        if (k < 1) {
            throw new IllegalArgumentException("n_neighbors must be at least 2, got " + o.nNeighbors());
        }
        try (Parallel par = new Parallel(o.threads())) {
            long t0 = System.nanoTime();
            Knn.Graph g = Knn.compute(p, k, o.seed(), par, listener);
            long t1 = System.nanoTime();
            listener.stage("fuzzy simplicial set");
            Graph fuzzy = fuzzySet(g, par);
            long t2 = System.nanoTime();
            listener.stage("PCA initialisation");
            double[] y = Pca.fit(p, 2, o.seed(), par).coords();
            noisyScale(y, o.seed());
            long t3 = System.nanoTime();
            int epochs = o.epochs() > 0 ? o.epochs() : (n <= 10_000 ? 500 : 200);
            double[] ab = findAB(o.spread(), o.minDist());
            optimize(fuzzy, y, ab[0], ab[1], epochs, o.negativeSampleRate(), o.seed(), par, listener);
            long t4 = System.nanoTime();
            return new Result(y, ab[0], ab[1], epochs, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9);
        }
    }

    private static void noisyScale(double[] y, long seed) {
        double max = 0;
        for (double v : y) {
            max = Math.max(max, Math.abs(v));
        }
        double e = max > 0 ? 10 / max : 1;
        Rng rng = new Rng(seed, 303, 0);
        for (int t = 0; t < y.length; t++) {
            y[t] = (float) (y[t] * e) + 1e-4 * rng.nextGaussian();
        }
    }

    /** umap-learn's {@code smooth_knn_dist} and {@code compute_membership_strengths}, then the fuzzy union. */
    public static Graph fuzzySet(Knn.Graph g, int threads) {
        try (Parallel par = new Parallel(threads)) {
            return fuzzySet(g, par);
        }
    }

    static Graph fuzzySet(Knn.Graph g, Parallel par) {
        int n = g.n();
        int k = g.k();
        double target = Math.log(k + 1) / Math.log(2);
        double meanAll = 0;
        for (float d : g.dist()) {
            meanAll += d;
        }
        meanAll /= (double) n * (k + 1);
        double meanAllDistances = meanAll;
        double[] w = new double[n * k];
        par.forRange(n, par.chunk(n, 256), (from, to) -> {
            for (int i = from; i < to; i++) {
                double rho = 0;
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    double d = g.distance(i, j);
                    sum += d;
                    if (rho == 0 && d > 0) {
                        rho = d;
                    }
                }
                double lo = 0;
                double hi = Double.POSITIVE_INFINITY;
                double mid = 1;
                for (int it = 0; it < 64; it++) {
                    double psum = 0;
                    for (int j = 0; j < k; j++) {
                        double d = g.distance(i, j) - rho;
                        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
                    }
                    if (Math.abs(psum - target) < 1e-5) {
                        break;
                    }
                    if (psum > target) {
                        hi = mid;
                        mid = (lo + hi) / 2;
                    } else {
                        lo = mid;
                        mid = hi == Double.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
                    }
                }
                double sigma = mid;
                double floor = 1e-3 * (rho > 0 ? sum / (k + 1) : meanAllDistances);
                if (sigma < floor) {
                    sigma = floor;
                }
                for (int j = 0; j < k; j++) {
                    double d = g.distance(i, j) - rho;
                    w[i * k + j] = d <= 0 || sigma == 0 ? 1 : Math.exp(-(d / sigma));
                }
            }
        });
        // fuzzy union w_ij + w_ji − w_ij·w_ji over the union of both directions (the CSR pattern of P + Pᵀ)
        Tsne.Affinities pattern = Tsne.symmetrize(g, w);
        int[] start = pattern.start();
        int[] col = pattern.col();
        double[] val = new double[col.length];
        double[] fwd = new double[col.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                fwd[find(start, col, i, g.neighbor(i, j))] = w[i * k + j];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int t = start[i]; t < start[i + 1]; t++) {
                double a = fwd[t];
                double b = fwd[find(start, col, col[t], i)];
                val[t] = a + b - a * b;
            }
        }
        return new Graph(n, start, col, val);
    }

    private static int find(int[] start, int[] col, int i, int j) {
        int t = Arrays.binarySearch(col, start[i], start[i + 1], j);
        if (t < 0) {
            throw new IllegalStateException("edge " + i + "→" + j + " missing");
        }
        return t;
    }

    /**
     * Fits 1 / (1 + a·x^(2b)) to the curve 1 for x < minDist, exp(−(x − minDist)/spread) beyond, over 300 points of
     * [0, 3·spread], by Levenberg-Marquardt from (1, 1) (scipy's {@code curve_fit}, as umap-learn).
     */
    public static double[] findAB(double spread, double minDist) {
        int m = 300;
        double[] x = new double[m];
        double[] yv = new double[m];
        for (int t = 0; t < m; t++) {
            x[t] = 3 * spread * t / (m - 1);
            yv[t] = x[t] < minDist ? 1 : Math.exp(-(x[t] - minDist) / spread);
        }
        double a = 1;
        double b = 1;
        double lambda = 1e-3;
        double cost = abCost(x, yv, a, b);
        for (int it = 0; it < 500; it++) {
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (int t = 0; t < m; t++) {
                if (x[t] == 0) {
                    continue;
                }
                double x2b = Math.pow(x[t], 2 * b);
                double den = 1 + a * x2b;
                double f = 1 / den;
                double r = f - yv[t];
                double da = -x2b / (den * den);
                double db = -a * x2b * 2 * Math.log(x[t]) / (den * den);
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * r;
                gb += db * r;
            }
            boolean improved = false;
            while (lambda < 1e12) {
                double aa = jaa * (1 + lambda);
                double bb = jbb * (1 + lambda);
                double det = aa * bb - jab * jab;
                double stepA = -(bb * ga - jab * gb) / det;
                double stepB = -(aa * gb - jab * ga) / det;
                double c = abCost(x, yv, a + stepA, b + stepB);
                if (c < cost) {
                    a += stepA;
                    b += stepB;
                    boolean done = cost - c < 1e-15 * Math.max(1, cost);
                    cost = c;
                    lambda = Math.max(lambda / 10, 1e-12);
                    improved = !done;
                    break;
                }
                lambda *= 10;
            }
            if (!improved) {
                break;
            }
        }
        return new double[] {a, b};
    }

    private static double abCost(double[] x, double[] y, double a, double b) {
        double s = 0;
        for (int t = 0; t < x.length; t++) {
            double f = x[t] == 0 ? 1 : 1 / (1 + a * Math.pow(x[t], 2 * b));
            s += (f - y[t]) * (f - y[t]);
        }
        return s;
    }

    /** umap-learn's {@code optimize_layout_euclidean}, head-only and epoch-synchronous (see the class comment). */
    static void optimize(Graph g, double[] y, double a, double b, int epochs, int negativeRate, long seed, Parallel par,
                         ProjectionListener listener) {
        int n = g.n();
        double max = 0;
        for (double v : g.val()) {
            max = Math.max(max, v);
        }
        int edges = g.col().length;
        double[] eps = new double[edges];
        double[] next = new double[edges];
        double[] nextNeg = new double[edges];
        for (int t = 0; t < edges; t++) {
            double w = g.val()[t];
            eps[t] = w < max / epochs || w <= 0 ? -1 : max / w;
            next[t] = eps[t];
            nextNeg[t] = eps[t] / negativeRate;
        }
        double[] snap = new double[y.length];
        listener.stage("optimising");
        int chunk = 512;
        for (int e = 0; e < epochs; e++) {
            System.arraycopy(y, 0, snap, 0, y.length);
            double alpha = 1.0 - (double) e / epochs;
            int epoch = e;
            par.forRange(n, chunk, (from, to) -> {
                for (int i = from; i < to; i++) {
                    Rng rng = new Rng(seed, 404 + epoch, i);
                    double yi0 = y[2 * i];
                    double yi1 = y[2 * i + 1];
                    for (int t = g.start()[i]; t < g.start()[i + 1]; t++) {
                        if (eps[t] < 0 || next[t] > epoch) {
                            continue;
                        }
                        int j = g.col()[t];
                        double dx = yi0 - snap[2 * j];
                        double dy = yi1 - snap[2 * j + 1];
                        double d2 = dx * dx + dy * dy;
                        if (d2 > 0) {
                            double c = -2 * a * b * Math.pow(d2, b - 1) / (a * Math.pow(d2, b) + 1);
                            yi0 += 2 * clip(c * dx) * alpha;
                            yi1 += 2 * clip(c * dy) * alpha;
                        }
                        next[t] += eps[t];
                        double epn = eps[t] / negativeRate;
                        int neg = (int) ((epoch - nextNeg[t]) / epn);
                        for (int s = 0; s < neg; s++) {
                            int m = rng.nextInt(n);
                            if (m == i) {
                                continue;
                            }
                            dx = yi0 - snap[2 * m];
                            dy = yi1 - snap[2 * m + 1];
                            d2 = dx * dx + dy * dy;
                            if (d2 > 0) {
                                double c = 2 * b / ((0.001 + d2) * (a * Math.pow(d2, b) + 1));
                                yi0 += clip(c * dx) * alpha;
                                yi1 += clip(c * dy) * alpha;
                            }
                        }
                        nextNeg[t] += neg * epn;
                    }
                    y[2 * i] = yi0;
                    y[2 * i + 1] = yi1;
                }
            });
            listener.step(e + 1, epochs, Double.NaN);
        }
    }

    private static double clip(double v) {
        return v > 4 ? 4 : (v < -4 ? -4 : v);
    }
}
