package dev.loupe.projection;

import java.util.Arrays;

/**
 * t-SNE (van der Maaten and Hinton 2008) with the Barnes-Hut gradient (van der Maaten 2014) or FFT-accelerated
 * interpolation ({@link FftRepulsion}, Linderman et al. 2019) for the repulsion, following
 * scikit-learn's {@code TSNE(method="barnes_hut")}: affinities on the ⌊3·perplexity⌋ nearest neighbours calibrated
 * by binary search to the perplexity, symmetrised and normalised; PCA initialisation scaled to a first-axis standard
 * deviation of 1e-4; early exaggeration 12 for 250 iterations with momentum 0.5, then momentum 0.8; learning rate
 * "auto" (max(n / exaggeration / 4, 50)); per-parameter gains (+0.2 / ×0.8, floor 0.01).
 */
public final class Tsne {
    /** Options; {@link #defaults()} are scikit-learn's. learningRate ≤ 0 means "auto". */
    public record Options(double perplexity, double earlyExaggeration, int exaggerationIterations, int iterations,
                          double learningRate, double theta, long seed, int threads, int pcaDims, Gradient gradient) {
        public static Options defaults() {
            return new Options(30, 12, 250, 1000, 0, 0.5, 0, 0, PCA_DIMS, Gradient.AUTO);
        }

        /** How the repulsive forces are summed. */
        public Options withGradient(Gradient v) {
            return new Options(perplexity, earlyExaggeration, exaggerationIterations, iterations, learningRate, theta, seed, threads, pcaDims, v);
        }

        /** Neighbours searched in the first {@code v} principal components when there are more dimensions; 0: never. */
        public Options withPcaDims(int v) {
            return new Options(perplexity, earlyExaggeration, exaggerationIterations, iterations, learningRate, theta, seed, threads, v, gradient);
        }

        public Options withPerplexity(double v) {
            return new Options(v, earlyExaggeration, exaggerationIterations, iterations, learningRate, theta, seed, threads, pcaDims, gradient);
        }

        public Options withIterations(int v) {
            return new Options(perplexity, earlyExaggeration, exaggerationIterations, v, learningRate, theta, seed, threads, pcaDims, gradient);
        }

        public Options withTheta(double v) {
            return new Options(perplexity, earlyExaggeration, exaggerationIterations, iterations, learningRate, v, seed, threads, pcaDims, gradient);
        }

        public Options withSeed(long v) {
            return new Options(perplexity, earlyExaggeration, exaggerationIterations, iterations, learningRate, theta, v, threads, pcaDims, gradient);
        }

        public Options withThreads(int v) {
            return new Options(perplexity, earlyExaggeration, exaggerationIterations, iterations, learningRate, theta, seed, v, pcaDims, gradient);
        }
    }

    /**
     * The repulsive sums: Barnes-Hut (θ), FFT-accelerated interpolation ({@link FftRepulsion}), or AUTO: Barnes-Hut
     * below {@link #FFT_FROM} points, FFT from there (measured, docs/BENCHMARKS.md).
     */
    public enum Gradient { AUTO, BARNES_HUT, FFT }

    /**
     * AUTO's switch to the FFT gradient. At 10,000 points Barnes-Hut costs less (26 against 36 s of CPU for the whole
     * run, docs/BENCHMARKS.md): the FFT's grid grows with the embedding's span, not with n.
     */
    public static final int FFT_FROM = 100_000;

    /** Whether a run of n points with these options sums the repulsion by FFT interpolation. */
    public static boolean usesFft(Options o, int n) {
        return o.gradient() == Gradient.FFT || o.gradient() == Gradient.AUTO && n >= FFT_FROM;
    }

    /** The joint affinities P as a symmetric CSR matrix (rows sum over all to 1). */
    public record Affinities(int n, int[] start, int[] col, double[] val) {
    }

    /** The embedding, the final KL divergence (Barnes-Hut estimate) and the time of each stage in seconds. */
    public record Result(double[] coords, double klDivergence, double knnSeconds, double affinitySeconds,
                         double initSeconds, double optimizeSeconds) {
    }

    /** Default {@link Options#pcaDims()}: Rtsne's (and FIt-SNE's) 50. */
    public static final int PCA_DIMS = 50;

    private Tsne() {
    }

    public static Result run(Points p, Options o, ProjectionListener listener) {
        int n = p.n();
        if (n < 4) {
            throw new IllegalArgumentException("t-SNE needs at least 4 points, got " + n);
        }
        double perplexity = o.perplexity();
        if (!(perplexity > 0) || perplexity >= n) {
            throw new IllegalArgumentException("perplexity must be in (0, n) = (0, " + n + "), got " + perplexity);
        }
        try (Parallel par = new Parallel(o.threads())) {
            long t0 = System.nanoTime();
            // as Rtsne and FIt-SNE do: neighbours (and the initialisation) from the first principal components
            listener.stage("PCA initialisation");
            boolean reduce = o.pcaDims() > 0 && p.d() > o.pcaDims();
            Pca.Result pca = Pca.fit(p, reduce ? o.pcaDims() : 2, o.seed(), par);
            double[] y = scaledInit(pca);
            Points space = reduce ? Points.of(n, pca.components(), toFloat(pca.coords())) : p;
            long t1 = System.nanoTime();
            int k = Math.min(n - 1, (int) (3 * perplexity + 1));
            Knn.Graph g = Knn.compute(space, k, o.seed(), par, listener);
            long t2 = System.nanoTime();
            listener.stage("affinities (perplexity " + perplexity + ")");
            Affinities aff = affinities(g, perplexity, par);
            long t3 = System.nanoTime();
            double kl = optimize(aff, y, o, par, listener);
            long t4 = System.nanoTime();
            return new Result(y, kl, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t1 - t0) / 1e9, (t4 - t3) / 1e9);
        }
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int t = 0; t < v.length; t++) {
            f[t] = (float) v[t];
        }
        return f;
    }

    /** scikit-learn's initialisation: the first two principal components, scaled so the first has std 1e-4. */
    static double[] scaledInit(Pca.Result pca) {
        int c = pca.components();
        int n = pca.coords().length / c;
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            y[2 * i] = pca.coords()[i * c];
            y[2 * i + 1] = pca.coords()[i * c + 1];
        }
        double m = 0;
        for (int i = 0; i < n; i++) {
            m += y[2 * i];
        }
        m /= n;
        double v = 0;
        for (int i = 0; i < n; i++) {
            v += (y[2 * i] - m) * (y[2 * i] - m);
        }
        double sd = Math.sqrt(v / n);
        double scale = sd > 0 ? 1e-4 / sd : 1;
        for (int t = 0; t < y.length; t++) {
            y[t] *= scale;
        }
        return y;
    }

    /**
     * Conditional affinities p(j|i) ∝ exp(−β_i·d²_ij) over each point's neighbours, β_i found by binary search so that
     * the entropy is log(perplexity) (scikit-learn's {@code _binary_search_perplexity}: 100 steps, tolerance 1e-5),
     * then P = (P + Pᵀ) / sum.
     */
    public static Affinities affinities(Knn.Graph g, double perplexity, int threads) {
        try (Parallel par = new Parallel(threads)) {
            return affinities(g, perplexity, par);
        }
    }

    static Affinities affinities(Knn.Graph g, double perplexity, Parallel par) {
        int n = g.n();
        int k = g.k();
        double[] cond = new double[n * k];
        double desired = Math.log(perplexity);
        par.forRange(n, par.chunk(n, 256), (from, to) -> {
            double[] d2 = new double[k];
            for (int i = from; i < to; i++) {
                for (int j = 0; j < k; j++) {
                    double d = g.distance(i, j);
                    d2[j] = d * d;
                }
                double beta = 1;
                double lo = Double.NEGATIVE_INFINITY;
                double hi = Double.POSITIVE_INFINITY;
                double[] pi = new double[k];
                for (int step = 0; step < 100; step++) {
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        pi[j] = Math.exp(-d2[j] * beta);
                        sum += pi[j];
                    }
                    if (sum == 0) {
                        sum = 1e-8;
                    }
                    double sumDp = 0;
                    for (int j = 0; j < k; j++) {
                        pi[j] /= sum;
                        sumDp += d2[j] * pi[j];
                    }
                    double entropy = Math.log(sum) + beta * sumDp;
                    double diff = entropy - desired;
                    if (Math.abs(diff) <= 1e-5) {
                        break;
                    }
                    if (diff > 0) {
                        lo = beta;
                        beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
                    } else {
                        hi = beta;
                        beta = lo == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + lo) / 2;
                    }
                }
                System.arraycopy(pi, 0, cond, i * k, k);
            }
        });
        return symmetrize(g, cond);
    }

    /** P + Pᵀ (entries summed where both directions exist), divided by the total. */
    static Affinities symmetrize(Knn.Graph g, double[] cond) {
        int n = g.n();
        int k = g.k();
        int[] count = new int[n + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                count[i + 1]++;
                count[g.neighbor(i, j) + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            count[i + 1] += count[i];
        }
        int[] col = new int[count[n]];
        double[] val = new double[count[n]];
        int[] fill = Arrays.copyOf(count, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                int m = g.neighbor(i, j);
                double v = cond[i * k + j];
                col[fill[i]] = m;
                val[fill[i]++] = v;
                col[fill[m]] = i;
                val[fill[m]++] = v;
            }
        }
        // sort each row by column and merge duplicates
        int[] start = new int[n + 1];
        int w = 0;
        double total = 0;
        long[] keys = new long[0];
        for (int i = 0; i < n; i++) {
            int a = count[i];
            int b = count[i + 1];
            if (keys.length < b - a) {
                keys = new long[b - a];
            }
            for (int t = a; t < b; t++) {
                keys[t - a] = ((long) col[t] << 32) | (t - a);
            }
            Arrays.sort(keys, 0, b - a);
            double[] vals = Arrays.copyOfRange(val, a, b);
            start[i] = w;
            int last = -1;
            for (int t = 0; t < b - a; t++) {
                int c = (int) (keys[t] >>> 32);
                double v = vals[(int) keys[t]];
                if (c == last) {
                    val[w - 1] += v;
                } else {
                    col[w] = c;
                    val[w++] = v;
                    last = c;
                }
                total += v;
            }
        }
        start[n] = w;
        double norm = Math.max(total, Double.MIN_NORMAL);
        double[] v = Arrays.copyOf(val, w);
        for (int t = 0; t < w; t++) {
            v[t] /= norm;
        }
        return new Affinities(n, start, Arrays.copyOf(col, w), v);
    }

    /** Gradient descent with momentum and gains; y is updated in place. Returns the final KL divergence. */
    static double optimize(Affinities p, double[] y, Options o, Parallel par, ProjectionListener listener) {
        int n = p.n();
        double lr = o.learningRate() > 0 ? o.learningRate() : Math.max(n / o.earlyExaggeration() / 4, 50);
        double[] update = new double[2 * n];
        double[] gains = new double[2 * n];
        Arrays.fill(gains, 1);
        double[] attr = new double[2 * n];
        boolean fft = usesFft(o, n);
        FftRepulsion interpolation = fft ? new FftRepulsion() : null;
        QuadTree tree = fft ? null : new QuadTree();
        double[] rep = new double[2 * n];
        double kl = Double.NaN;
        int total = o.iterations();
        listener.stage("optimising");
        for (int it = 0; it < total; it++) {
            boolean exaggerated = it < o.exaggerationIterations();
            double exaggeration = exaggerated ? o.earlyExaggeration() : 1;
            double momentum = exaggerated ? 0.5 : 0.8;
            boolean wantKl = (it + 1) % 50 == 0 || it == total - 1;
            // the attractive forces need no tree: summed while one thread builds it
            par.alongside(fft ? () -> { } : () -> tree.build(y, n), n, ATTRACTION_CHUNK,
                    (from, to) -> attraction(p, y, attr, from, to));
            double z = fft ? interpolation.repulsion(y, n, rep, par) : tree.sums(o.theta(), rep, par);
            double sumQ = Math.max(z, Double.MIN_NORMAL);
            if (wantKl) {
                kl = klDivergence(p, y, sumQ, par);
            }
            for (int t = 0; t < 2 * n; t++) {
                double g = 4 * (exaggeration * attr[t] - rep[t] / sumQ);
                if (update[t] * g < 0) {
                    gains[t] += 0.2;
                } else {
                    gains[t] *= 0.8;
                }
                if (gains[t] < 0.01) {
                    gains[t] = 0.01;
                }
                update[t] = momentum * update[t] - lr * gains[t] * g;
                y[t] += update[t];
            }
            listener.step(it + 1, total, wantKl ? kl : Double.NaN);
        }
        return kl;
    }

    /** Barnes-Hut repulsion: fills rep (2n) with Σ_j w²_ij·(y_i − y_j) and returns Z = Σ_{i≠j} w_ij. */
    static double barnesHut(double[] y, int n, double theta, double[] rep, Parallel par) {
        return new QuadTree().repulsion(y, n, theta, rep, par);
    }

    private static final int ATTRACTION_CHUNK = 512;

    /** The attractive sums Σ_j p_ij·q_ij·(y_i − y_j), q = 1/(1 + d²), of the points [from, to) into attr. */
    static void attraction(Affinities p, double[] y, double[] attr, int from, int to) {
        int[] start = p.start();
        int[] col = p.col();
        double[] val = p.val();
        for (int i = from; i < to; i++) {
            double ax = 0;
            double ay = 0;
            double yi0 = y[2 * i];
            double yi1 = y[2 * i + 1];
            for (int t = start[i]; t < start[i + 1]; t++) {
                int j = col[t];
                double dx = yi0 - y[2 * j];
                double dy = yi1 - y[2 * j + 1];
                double pq = val[t] / (1 + dx * dx + dy * dy);
                ax += pq * dx;
                ay += pq * dy;
            }
            attr[2 * i] = ax;
            attr[2 * i + 1] = ay;
        }
    }

    /** The KL divergence of P from Q = w / sumQ over P's entries (the Barnes-Hut estimate scikit-learn reports). */
    static double klDivergence(Affinities p, double[] y, double sumQ, Parallel par) {
        int n = p.n();
        int chunk = ATTRACTION_CHUNK;
        double[] klPart = new double[(n + chunk - 1) / chunk];
        par.forRange(n, chunk, (from, to) -> {
            double kl = 0;
            for (int i = from; i < to; i++) {
                for (int t = p.start()[i]; t < p.start()[i + 1]; t++) {
                    int j = p.col()[t];
                    double dx = y[2 * i] - y[2 * j];
                    double dy = y[2 * i + 1] - y[2 * j + 1];
                    double v = p.val()[t];
                    if (v > 0) {
                        double qij = Math.max(1 / (1 + dx * dx + dy * dy) / sumQ, Double.MIN_NORMAL);
                        kl += v * Math.log(Math.max(v, Double.MIN_NORMAL) / qij);
                    }
                }
            }
            klPart[from / chunk] = kl;
        });
        double kl = 0;
        for (double v : klPart) {
            kl += v;
        }
        return kl;
    }
}
