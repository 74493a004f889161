package dev.loupe.projection;

import java.util.Arrays;

/**
 * Decision regions drawn under a projection. For a linear model (the probe) in the PCA plane through the data mean,
 * the exact regions: on the plane x = mean + u·e₁ + v·e₂ every class's logit is affine in (u, v), so the region of
 * class k is where c_k + a_k·u + b_k·v is largest. For a non-linear projection (t-SNE, UMAP), where no inverse map
 * exists, a kNN map: each cell of a grid takes the majority predicted class of its k nearest projected points, shaded
 * by their mean confidence; cells far from every point stay empty.
 */
public final class DecisionRegions {
    /** Per class the logit on the plane: c_k + a_k·u + b_k·v. */
    public record LinearPlane(double[] c, double[] a, double[] b) {
        public int argmax(double u, double v) {
            int best = 0;
            double bv = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < c.length; k++) {
                double z = c[k] + a[k] * u + b[k] * v;
                if (z > bv) {
                    bv = z;
                    best = k;
                }
            }
            return best;
        }
    }

    /**
     * A gx × gy grid over [x0, x1] × [y0, y1], row-major from (x0, y0): per cell the class (−1: no point near) and
     * the strength (the voters' mean confidence in it, 0–1).
     */
    public record KnnMap(int gx, int gy, double x0, double y0, double x1, double y1, int[] cls, float[] strength) {
    }

    private DecisionRegions() {
    }

    /**
     * @param weights row-major k × (d + 1), the bias last (a multinomial logistic model's logits)
     * @param mean    the plane's origin (d values)
     * @param e1      first direction (d values)
     * @param e2      second direction (d values)
     */
    public static LinearPlane linearInPlane(double[] weights, int k, int d, double[] mean, double[] e1, double[] e2) {
        if (weights.length != k * (d + 1)) {
            throw new IllegalArgumentException("weights: " + weights.length + " values, not " + k + " × " + (d + 1));
        }
        double[] c = new double[k];
        double[] a = new double[k];
        double[] b = new double[k];
        for (int j = 0; j < k; j++) {
            int o = j * (d + 1);
            double s = weights[o + d];
            double sa = 0;
            double sb = 0;
            for (int t = 0; t < d; t++) {
                s += weights[o + t] * mean[t];
                sa += weights[o + t] * e1[t];
                sb += weights[o + t] * e2[t];
            }
            c[j] = s;
            a[j] = sa;
            b[j] = sb;
        }
        return new LinearPlane(c, a, b);
    }

    /** The median distance from a point to its k-th nearest neighbour, over a fixed sample of 200 points. */
    static double typicalKthDistance(double[] xy, int k) {
        int n = xy.length / 2;
        if (n <= k) {
            return 0;
        }
        int samples = Math.min(200, n);
        double[] kth = new double[samples];
        double[] best = new double[k];
        for (int s = 0; s < samples; s++) {
            int i = (int) ((long) s * n / samples);
            java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double dx = xy[2 * i] - xy[2 * j];
                double dy = xy[2 * i + 1] - xy[2 * j + 1];
                double d = dx * dx + dy * dy;
                if (d < best[k - 1]) {
                    int pos = k - 1;
                    while (pos > 0 && best[pos - 1] > d) {
                        best[pos] = best[pos - 1];
                        pos--;
                    }
                    best[pos] = d;
                }
            }
            kth[s] = Math.sqrt(best[k - 1]);
        }
        java.util.Arrays.sort(kth);
        return kth[samples / 2];
    }

    /**
     * @param xy    row-major 2-D points
     * @param pred  per point its predicted class (≥ 0; −1 skips the point)
     * @param conf  per point the confidence of its prediction (0–1)
     */
    public static KnnMap knnMap(double[] xy, int[] pred, double[] conf, int classes, int gx, int gy, int k) {
        int n = xy.length / 2;
        double x0 = Double.POSITIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            x0 = Math.min(x0, xy[2 * i]);
            x1 = Math.max(x1, xy[2 * i]);
            y0 = Math.min(y0, xy[2 * i + 1]);
            y1 = Math.max(y1, xy[2 * i + 1]);
        }
        double w = Math.max(x1 - x0, 1e-12) / gx;
        double h = Math.max(y1 - y0, 1e-12) / gy;
        // bucket the points by cell
        int[] count = new int[gx * gy + 1];
        int[] cellOf = new int[n];
        for (int i = 0; i < n; i++) {
            int cx = Math.min(gx - 1, (int) ((xy[2 * i] - x0) / w));
            int cy = Math.min(gy - 1, (int) ((xy[2 * i + 1] - y0) / h));
            cellOf[i] = cy * gx + cx;
            count[cellOf[i] + 1]++;
        }
        for (int c = 0; c < gx * gy; c++) {
            count[c + 1] += count[c];
        }
        int[] members = new int[n];
        int[] fill = Arrays.copyOf(count, gx * gy);
        for (int i = 0; i < n; i++) {
            members[fill[cellOf[i]]++] = i;
        }
        int[] cls = new int[gx * gy];
        float[] strength = new float[gx * gy];
        // a cell farther than this from its k-th neighbour is left empty: 2.5 cells, or twice the typical distance of a
        // point to its k-th neighbour where points are sparse
        double reach = Math.max(2.5 * Math.max(w, h), 2 * typicalKthDistance(xy, k));
        int[] best = new int[k];
        double[] bestD = new double[k];
        double[] votes = new double[classes];
        int[] voters = new int[classes];
        for (int cy = 0; cy < gy; cy++) {
            for (int cx = 0; cx < gx; cx++) {
                double px = x0 + (cx + 0.5) * w;
                double py = y0 + (cy + 0.5) * h;
                Arrays.fill(bestD, Double.POSITIVE_INFINITY);
                int found = 0;
                for (int r = 0; r <= Math.max(gx, gy); r++) {
                    for (int yy = cy - r; yy <= cy + r; yy++) {
                        for (int xx = cx - r; xx <= cx + r; xx++) {
                            if (yy < 0 || xx < 0 || yy >= gy || xx >= gx || (Math.abs(yy - cy) != r && Math.abs(xx - cx) != r)) {
                                continue;
                            }
                            int c = yy * gx + xx;
                            for (int q = count[c]; q < count[c + 1]; q++) {
                                int i = members[q];
                                if (pred[i] < 0) {
                                    continue;
                                }
                                double dx = xy[2 * i] - px;
                                double dy = xy[2 * i + 1] - py;
                                double d = dx * dx + dy * dy;
                                if (d < bestD[k - 1]) {
                                    int pos = k - 1;
                                    while (pos > 0 && bestD[pos - 1] > d) {
                                        bestD[pos] = bestD[pos - 1];
                                        best[pos] = best[pos - 1];
                                        pos--;
                                    }
                                    bestD[pos] = d;
                                    best[pos] = i;
                                    found++;
                                }
                            }
                        }
                    }
                    // ring r covers every point within r·min(w, h) of the centre's cell
                    double covered = r * Math.min(w, h);
                    if (found >= k && covered * covered >= bestD[k - 1]) {
                        break;
                    }
                    if (covered > reach && (found < k || bestD[k - 1] > reach * reach)) {
                        break;
                    }
                }
                int cell = cy * gx + cx;
                if (found < k || bestD[k - 1] > reach * reach) {
                    cls[cell] = -1;
                    continue;
                }
                Arrays.fill(votes, 0);
                Arrays.fill(voters, 0);
                for (int j = 0; j < k; j++) {
                    votes[pred[best[j]]] += 1;
                    voters[pred[best[j]]]++;
                }
                int top = 0;
                for (int c = 1; c < classes; c++) {
                    if (votes[c] > votes[top]) {
                        top = c;
                    }
                }
                double s = 0;
                for (int j = 0; j < k; j++) {
                    if (pred[best[j]] == top) {
                        s += conf[best[j]];
                    }
                }
                cls[cell] = top;
                // agreement × mean confidence of the agreeing neighbours
                strength[cell] = (float) (voters[top] / (double) k * s / voters[top]);
            }
        }
        return new KnnMap(gx, gy, x0, y0, x1, y1, cls, strength);
    }
}
