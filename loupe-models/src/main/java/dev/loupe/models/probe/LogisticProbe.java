package dev.loupe.models.probe;

import dev.loupe.api.InvalidInputException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multinomial logistic regression on fixed features, trained with full-batch L-BFGS (memory 10, Armijo
 * backtracking). Weights are kept from the epoch with the lowest validation loss (early stopping).
 */
public final class LogisticProbe {
    private final int k;
    private final int d;
    /** Row-major [k][d + 1], the last column is the bias. */
    private final double[] w;

    private LogisticProbe(int k, int d, double[] w) {
        this.k = k;
        this.d = d;
        this.w = w;
    }

    /**
     * A probe from stored weights: row-major {@code [k][d + 1]}, the last column of each row the bias (what
     * {@link #weights()} gives).
     */
    public static LogisticProbe of(int k, int d, double[] weights) {
        if (k < 2 || d < 1 || weights == null || weights.length != (long) k * (d + 1)) {
            throw new InvalidInputException("PROBE_WEIGHTS", "A probe's weights must be k × (d + 1) numbers with k ≥ 2"
                    + " classes and d ≥ 1 features; got k=" + k + ", d=" + d + " and "
                    + (weights == null ? "none" : weights.length + " numbers") + ".");
        }
        for (double v : weights) {
            if (!Double.isFinite(v)) {
                throw new InvalidInputException("PROBE_WEIGHTS", "A probe's weights must be finite numbers; got " + v + ".");
            }
        }
        return new LogisticProbe(k, d, weights.clone());
    }

    /** The weights, row-major {@code [k][d + 1]} with the bias last in each row (a copy). */
    public double[] weights() {
        return w.clone();
    }

    public int numClasses() {
        return k;
    }

    public int dimension() {
        return d;
    }

    /** Class probabilities for one feature vector. */
    public double[] predictProba(float[] x) {
        double[] p = new double[k];
        logits(w, x, p);
        softmax(p);
        return p;
    }

    /** The trained probe and its curves. */
    public record Trained(LogisticProbe probe, TrainingCurves curves) {
    }

    /**
     * @param x      training features, n × d
     * @param y      training labels in [0, k)
     * @param xv     validation features (may be empty)
     * @param yv     validation labels
     */
    public static Trained train(float[][] x, int[] y, float[][] xv, int[] yv, int k, ProbeConfig cfg) {
        return train(x, y, xv, yv, k, cfg, Map.of());
    }

    /**
     * As {@link #train(float[][], int[], float[][], int[], int, ProbeConfig)}, also following the mean loss of named
     * parts of the training set ({@code parts}: name → row indices of {@code x}) epoch by epoch, in
     * {@link TrainingCurves#parts()}.
     */
    public static Trained train(float[][] x, int[] y, float[][] xv, int[] yv, int k, ProbeConfig cfg, Map<String, int[]> parts) {
        if (x.length == 0) {
            throw new InvalidInputException("EMPTY_TRAINING_SET", "The probe's training split is empty: use more data or a larger train fraction.");
        }
        if (x.length != y.length || xv.length != yv.length) {
            throw new InvalidInputException("SIZE_MISMATCH", "features and labels differ in length: " + x.length + " vs " + y.length
                    + " (train), " + xv.length + " vs " + yv.length + " (validation)");
        }
        int d = x[0].length;
        double[] sw = sampleWeights(y, k, cfg.balanced());
        Objective f = new Objective(x, y, sw, k, d, cfg.l2());
        int dim = k * (d + 1);
        double[] theta = new double[dim];
        double[] grad = new double[dim];
        double loss = f.value(theta, grad);

        int m = 10;
        double[][] s = new double[m][];
        double[][] yy = new double[m][];
        double[] rho = new double[m];
        int stored = 0;
        int head = 0;

        double[] trainLoss = new double[cfg.maxEpochs()];
        double[] valLoss = new double[cfg.maxEpochs()];
        double[] valAcc = new double[cfg.maxEpochs()];
        Map<String, double[]> partLoss = new LinkedHashMap<>();
        Map<String, float[][]> partX = new LinkedHashMap<>();
        Map<String, int[]> partY = new LinkedHashMap<>();
        parts.forEach((name, rows) -> {
            float[][] px = new float[rows.length][];
            int[] py = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                px[i] = x[rows[i]];
                py[i] = y[rows[i]];
            }
            partX.put(name, px);
            partY.put(name, py);
            partLoss.put(name, new double[cfg.maxEpochs()]);
        });
        double bestVal = Double.POSITIVE_INFINITY;
        double[] best = theta.clone();
        int bestEpoch = 0;
        int since = 0;
        String reason = "reached max epochs (" + cfg.maxEpochs() + ")";
        int epochs = 0;
        double[] dir = new double[dim];
        double[] next = new double[dim];
        double[] nextGrad = new double[dim];
        double[] alpha = new double[m];
        for (int epoch = 0; epoch < cfg.maxEpochs(); epoch++) {
            // two-loop recursion: dir = -H·grad
            System.arraycopy(grad, 0, dir, 0, dim);
            for (int j = 0; j < stored; j++) {
                int i = Math.floorMod(head - 1 - j, m);
                alpha[i] = rho[i] * dot(s[i], dir);
                axpy(-alpha[i], yy[i], dir);
            }
            if (stored > 0) {
                int last = Math.floorMod(head - 1, m);
                double gamma = dot(s[last], yy[last]) / dot(yy[last], yy[last]);
                scale(dir, gamma);
            } else {
                scale(dir, 1.0 / Math.max(1.0, maxAbs(grad)));
            }
            for (int j = stored - 1; j >= 0; j--) {
                int i = Math.floorMod(head - 1 - j, m);
                double beta = rho[i] * dot(yy[i], dir);
                axpy(alpha[i] - beta, s[i], dir);
            }
            scale(dir, -1);
            double slope = dot(grad, dir);
            if (slope >= 0) { // not a descent direction: reset to steepest descent
                for (int i = 0; i < dim; i++) {
                    dir[i] = -grad[i];
                }
                slope = dot(grad, dir);
                stored = 0;
            }
            double step = 1.0;
            double newLoss;
            int tries = 0;
            while (true) {
                for (int i = 0; i < dim; i++) {
                    next[i] = theta[i] + step * dir[i];
                }
                newLoss = f.value(next, nextGrad);
                if (newLoss <= loss + 1e-4 * step * slope || ++tries > 40) {
                    break;
                }
                step *= 0.5;
            }
            double[] sv = new double[dim];
            double[] yv2 = new double[dim];
            for (int i = 0; i < dim; i++) {
                sv[i] = next[i] - theta[i];
                yv2[i] = nextGrad[i] - grad[i];
            }
            double sy = dot(sv, yv2);
            if (sy > 1e-12) {
                s[head] = sv;
                yy[head] = yv2;
                rho[head] = 1 / sy;
                head = (head + 1) % m;
                stored = Math.min(stored + 1, m);
            }
            System.arraycopy(next, 0, theta, 0, dim);
            System.arraycopy(nextGrad, 0, grad, 0, dim);
            double improvement = loss - newLoss;
            loss = newLoss;
            epochs = epoch + 1;
            trainLoss[epoch] = f.crossEntropy(theta);
            LogisticProbe probe = new LogisticProbe(k, d, theta);
            valLoss[epoch] = xv.length == 0 ? Double.NaN : probe.meanLoss(xv, yv);
            valAcc[epoch] = xv.length == 0 ? Double.NaN : probe.accuracy(xv, yv);
            for (Map.Entry<String, double[]> e : partLoss.entrySet()) {
                float[][] px = partX.get(e.getKey());
                e.getValue()[epoch] = px.length == 0 ? Double.NaN : probe.meanLoss(px, partY.get(e.getKey()));
            }
            double monitored = xv.length == 0 ? loss : valLoss[epoch];
            if (monitored < bestVal - 1e-12) {
                bestVal = monitored;
                best = theta.clone();
                bestEpoch = epoch;
                since = 0;
            } else if (cfg.patience() > 0 && ++since >= cfg.patience()) {
                reason = "early stopping: validation loss did not improve for " + cfg.patience() + " epochs";
                break;
            }
            if (maxAbs(grad) < cfg.tolerance()) {
                reason = "converged (gradient below " + cfg.tolerance() + ")";
                break;
            }
            if (tries > 40 || Math.abs(improvement) < 1e-15 * Math.max(1, Math.abs(loss))) {
                reason = "converged (no further decrease of the loss)";
                break;
            }
        }
        Map<String, double[]> partCurves = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : partLoss.entrySet()) {
            partCurves.put(e.getKey(), Arrays.copyOf(e.getValue(), epochs));
        }
        TrainingCurves curves = new TrainingCurves(Arrays.copyOf(trainLoss, epochs), Arrays.copyOf(valLoss, epochs),
                Arrays.copyOf(valAcc, epochs), bestEpoch, reason, partCurves);
        return new Trained(new LogisticProbe(k, d, best), curves);
    }

    /** Mean cross-entropy (unweighted) on a data set. */
    public double meanLoss(float[][] x, int[] y) {
        double[] p = new double[k];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            logits(w, x[i], p);
            softmax(p);
            sum += -Math.log(Math.max(p[y[i]], Math.ulp(1.0)));
        }
        return sum / x.length;
    }

    /** Fraction of rows whose arg-max class is the label. */
    public double accuracy(float[][] x, int[] y) {
        double[] p = new double[k];
        int hits = 0;
        for (int i = 0; i < x.length; i++) {
            logits(w, x[i], p);
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            hits += best == y[i] ? 1 : 0;
        }
        return hits / (double) x.length;
    }

    static double[] sampleWeights(int[] y, int k, boolean balanced) {
        double[] sw = new double[y.length];
        Arrays.fill(sw, 1.0);
        if (balanced) {
            double[] counts = new double[k];
            for (int label : y) {
                counts[label]++;
            }
            int present = 0;
            for (double c : counts) {
                present += c > 0 ? 1 : 0;
            }
            for (int i = 0; i < y.length; i++) {
                sw[i] = y.length / (present * counts[y[i]]);
            }
        }
        return sw;
    }

    private static void logits(double[] w, float[] x, double[] out) {
        int k = out.length;
        int d = x.length;
        for (int c = 0; c < k; c++) {
            int off = c * (d + 1);
            double z = w[off + d];
            for (int j = 0; j < d; j++) {
                z += w[off + j] * x[j];
            }
            out[c] = z;
        }
    }

    private static void softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
    }

    /** Weighted mean cross-entropy + λ/2‖W‖² and its gradient. */
    private static final class Objective {
        final float[][] x;
        final int[] y;
        final double[] sw;
        final int k;
        final int d;
        final double l2;
        final double wsum;

        Objective(float[][] x, int[] y, double[] sw, int k, int d, double l2) {
            this.x = x;
            this.y = y;
            this.sw = sw;
            this.k = k;
            this.d = d;
            this.l2 = l2;
            double s = 0;
            for (double v : sw) {
                s += v;
            }
            this.wsum = s;
        }

        double crossEntropy(double[] w) {
            double[] p = new double[k];
            double loss = 0;
            for (int i = 0; i < x.length; i++) {
                logits(w, x[i], p);
                softmax(p);
                loss += sw[i] * -Math.log(Math.max(p[y[i]], Math.ulp(1.0)));
            }
            return loss / wsum;
        }

        double value(double[] w, double[] grad) {
            Arrays.fill(grad, 0);
            double[] p = new double[k];
            double loss = 0;
            for (int i = 0; i < x.length; i++) {
                float[] xi = x[i];
                logits(w, xi, p);
                softmax(p);
                loss += sw[i] * -Math.log(Math.max(p[y[i]], Math.ulp(1.0)));
                for (int c = 0; c < k; c++) {
                    double g = sw[i] * (p[c] - (c == y[i] ? 1 : 0)) / wsum;
                    int off = c * (d + 1);
                    for (int j = 0; j < d; j++) {
                        grad[off + j] += g * xi[j];
                    }
                    grad[off + d] += g;
                }
            }
            loss /= wsum;
            double reg = 0;
            for (int c = 0; c < k; c++) {
                int off = c * (d + 1);
                for (int j = 0; j < d; j++) {
                    reg += w[off + j] * w[off + j];
                    grad[off + j] += l2 * w[off + j];
                }
            }
            return loss + 0.5 * l2 * reg;
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static void scale(double[] v, double a) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= a;
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
