package dev.loupe.projection;

import java.util.Arrays;

/**
 * A point-region quadtree over 2-D points with each cell's centre of mass, for the Barnes-Hut sums. Built by
 * recursive partitioning of an index permutation (no per-node objects); cells deeper than 50 levels (coincident
 * points) stay leaves holding several points.
 */
final class QuadTree {
    private static final int MAX_DEPTH = 50;
    private final double[] y;
    private final int[] perm;
    private double[] side = new double[64];
    private double[] comX = new double[64];
    private double[] comY = new double[64];
    private int[] count = new int[64];
    /** per node, its four children's ids (−1 for a leaf) */
    private int[] kids = new int[256];
    private int[] from = new int[64];
    private int nodes;

    private QuadTree(double[] y, int n) {
        this.y = y;
        perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
    }

    static QuadTree build(double[] y, int n) {
        QuadTree t = new QuadTree(y, n);
        double minX = Double.POSITIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        double s = Math.max(maxX - minX, maxY - minY) * (1 + 1e-9) + 1e-12;
        int[] tmp = new int[n];
        t.node(0, n, minX, minY, s, 0, tmp);
        return t;
    }

    private int node(int lo, int hi, double x0, double y0, double s, int depth, int[] tmp) {
        int id = nodes++;
        if (id == side.length) {
            int m = side.length * 2;
            side = Arrays.copyOf(side, m);
            comX = Arrays.copyOf(comX, m);
            comY = Arrays.copyOf(comY, m);
            count = Arrays.copyOf(count, m);
            kids = Arrays.copyOf(kids, 4 * m);
            from = Arrays.copyOf(from, m);
        }
        double sx = 0;
        double sy = 0;
        for (int q = lo; q < hi; q++) {
            sx += y[2 * perm[q]];
            sy += y[2 * perm[q] + 1];
        }
        int c = hi - lo;
        side[id] = s;
        comX[id] = c == 0 ? 0 : sx / c;
        comY[id] = c == 0 ? 0 : sy / c;
        count[id] = c;
        from[id] = lo;
        kids[4 * id] = -1;
        if (c <= 1 || depth >= MAX_DEPTH) {
            return id;
        }
        double h = s / 2;
        double mx = x0 + h;
        double my = y0 + h;
        int[] qc = new int[5];
        for (int q = lo; q < hi; q++) {
            int i = perm[q];
            qc[quadrant(y[2 * i], y[2 * i + 1], mx, my) + 1]++;
        }
        for (int a = 0; a < 4; a++) {
            qc[a + 1] += qc[a];
        }
        int[] fill = {lo + qc[0], lo + qc[1], lo + qc[2], lo + qc[3]};
        for (int q = lo; q < hi; q++) {
            int i = perm[q];
            tmp[fill[quadrant(y[2 * i], y[2 * i + 1], mx, my)]++] = i;
        }
        System.arraycopy(tmp, lo, perm, lo, c);
        int[] ids = new int[4];
        for (int a = 0; a < 4; a++) {
            double cx = (a & 1) == 0 ? x0 : mx;
            double cy = (a & 2) == 0 ? y0 : my;
            ids[a] = node(lo + qc[a], lo + qc[a + 1], cx, cy, h, depth + 1, tmp);
        }
        System.arraycopy(ids, 0, kids, 4 * id, 4);
        return id;
    }

    private static int quadrant(double px, double py, double mx, double my) {
        return (px < mx ? 0 : 1) | (py < my ? 0 : 2);
    }

    /**
     * Adds to f the repulsive sum Σ_j q_ij²·(y_i − y_j) (f[0], f[1]) and Z_i = Σ_j q_ij (f[2]), q = 1/(1 + d²), over
     * all j ≠ i, with cells of side s and distance d taken whole when s² < θ²·d².
     */
    void repulsion(int i, double xi, double yi, double theta2, double[] f, int[] stack) {
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int nd = stack[--top];
            int c = count[nd];
            if (c == 0) {
                continue;
            }
            if (kids[4 * nd] < 0) {
                for (int q = from[nd]; q < from[nd] + c; q++) {
                    int j = perm[q];
                    if (j == i) {
                        continue;
                    }
                    double dx = xi - y[2 * j];
                    double dy = yi - y[2 * j + 1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    f[2] += w;
                    w *= w;
                    f[0] += w * dx;
                    f[1] += w * dy;
                }
                continue;
            }
            double dx = xi - comX[nd];
            double dy = yi - comY[nd];
            double d2 = dx * dx + dy * dy;
            double s = side[nd];
            if (s * s < theta2 * d2) {
                double w = 1 / (1 + d2);
                f[2] += c * w;
                w = c * w * w;
                f[0] += w * dx;
                f[1] += w * dy;
            } else {
                int base = 4 * nd;
                stack[top++] = kids[base];
                stack[top++] = kids[base + 1];
                stack[top++] = kids[base + 2];
                stack[top++] = kids[base + 3];
            }
        }
    }
}
