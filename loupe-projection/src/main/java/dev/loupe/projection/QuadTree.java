package dev.loupe.projection;

import java.util.Arrays;

/**
 * A point-region quadtree over 2-D points with each cell's centre of mass, for the Barnes-Hut sums. Built by
 * recursive partitioning of an index permutation (no per-node objects, no empty cells); a node's centre of mass,
 * side and count sit together in one array. Cells deeper than 50 levels (coincident points) stay leaves holding
 * several points. {@link #order()} is the points in tree order: visiting them in it keeps consecutive traversals in
 * the same part of the tree (and of the cache).
 */
final class QuadTree {
    private static final int MAX_DEPTH = 50;
    private final double[] y;
    private final int[] perm;
    /** per node: centre of mass x, y, side, count */
    private double[] node = new double[4 * 64];
    /** per node: first point in perm (leaves), then its up to four children's ids, −1 for none; kids[5·id] < 0 … */
    private int[] kids = new int[4 * 64];
    private int[] from = new int[64];
    private boolean[] leaf = new boolean[64];
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
        double[] b = bounds(y, n);
        double s = Math.max(b[2] - b[0], b[3] - b[1]) * (1 + 1e-9) + 1e-12;
        t.node(0, n, b[0], b[1], s, 0, new int[n]);
        return t;
    }

    /** {min x, min y, max x, max y} of n 2-D points, row-major. */
    static double[] bounds(double[] y, int n) {
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
        return new double[] {minX, minY, maxX, maxY};
    }

    /** The points in tree order. */
    int[] order() {
        return perm;
    }

    private int node(int lo, int hi, double x0, double y0, double s, int depth, int[] tmp) {
        int id = nodes++;
        if (id == from.length) {
            int m = from.length * 2;
            node = Arrays.copyOf(node, 4 * m);
            kids = Arrays.copyOf(kids, 4 * m);
            from = Arrays.copyOf(from, m);
            leaf = Arrays.copyOf(leaf, m);
        }
        double sx = 0;
        double sy = 0;
        for (int q = lo; q < hi; q++) {
            sx += y[2 * perm[q]];
            sy += y[2 * perm[q] + 1];
        }
        int c = hi - lo;
        node[4 * id] = sx / c;
        node[4 * id + 1] = sy / c;
        node[4 * id + 2] = s;
        node[4 * id + 3] = c;
        from[id] = lo;
        leaf[id] = c <= 1 || depth >= MAX_DEPTH;
        if (leaf[id]) {
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
        int[] ids = {-1, -1, -1, -1};
        for (int a = 0; a < 4; a++) {
            if (qc[a + 1] > qc[a]) {
                double cx = (a & 1) == 0 ? x0 : mx;
                double cy = (a & 2) == 0 ? y0 : my;
                ids[a] = node(lo + qc[a], lo + qc[a + 1], cx, cy, h, depth + 1, tmp);
            }
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
        double fx = 0;
        double fy = 0;
        double z = 0;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int nd = stack[--top];
            int o = 4 * nd;
            if (leaf[nd]) {
                int c = (int) node[o + 3];
                for (int q = from[nd]; q < from[nd] + c; q++) {
                    int j = perm[q];
                    if (j == i) {
                        continue;
                    }
                    double dx = xi - y[2 * j];
                    double dy = yi - y[2 * j + 1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    z += w;
                    w *= w;
                    fx += w * dx;
                    fy += w * dy;
                }
                continue;
            }
            double dx = xi - node[o];
            double dy = yi - node[o + 1];
            double d2 = dx * dx + dy * dy;
            double s = node[o + 2];
            if (s * s < theta2 * d2) {
                double c = node[o + 3];
                double w = 1 / (1 + d2);
                z += c * w;
                w = c * w * w;
                fx += w * dx;
                fy += w * dy;
            } else {
                for (int a = 0; a < 4; a++) {
                    int k = kids[o + a];
                    if (k >= 0) {
                        stack[top++] = k;
                    }
                }
            }
        }
        f[0] += fx;
        f[1] += fy;
        f[2] += z;
    }
}
