package dev.loupe.projection;

import java.util.Arrays;

/**
 * The Barnes-Hut sums of t-SNE's repulsion over a point-region quadtree, decided for groups of nearby points at once.
 *
 * <p><b>Tree.</b> The points are sorted by their Morton code (the bits of their cell at each of 31 levels) with a
 * radix sort that starts from the previous call's order, so every node (a cell holding points) is a range of that
 * order: no per-node objects, no empty cells, a node's children numbered consecutively. Per node, together in one
 * array: centre of mass, side², count. Cells at the last level stay leaves holding several points.
 *
 * <p><b>Sums.</b> Point i takes a cell whole when side² &lt; θ²·d² (d the distance from i to the cell's centre of
 * mass), else opens it; leaves are summed point by point (scikit-learn's and the reference Barnes-Hut's rule). Rather
 * than each point testing each cell: a group (a node of at most {@link #GROUP} points) tests a cell once against its
 * points' bounding box. A cell that passes at the box's nearest point passes for every point and goes on the group's
 * list; one that fails at its farthest point fails for every point and is opened; a leaf goes on the list as its
 * points. Cells where the points disagree go down to the node's children, and below {@link #WALK} points to each
 * point's own walk (level by level, without data-dependent branches). A single point always decides, so every point
 * takes exactly the cells it takes alone, and the list is summed for all of a node's points in a loop the JIT
 * vectorises. Groups are summed in fixed chunks, so the sums do not depend on the thread count.
 */
final class QuadTree {
    /** Morton bits per axis: the deepest level. */
    static final int LEVELS = 31;
    /** Points per group at most. */
    static final int GROUP = 128;
    /** Nodes of at most this many points leave the cells they cannot decide to each point's own walk. */
    static final int WALK = 32;
    private static final int GROUPS_PER_CHUNK = 2;

    private int n;
    /** sorted position → point; its coordinates in sorted order */
    private int[] perm = new int[0];
    private double[] px = new double[0];
    private double[] py = new double[0];
    private long[] key = new long[0];
    private long[] keyTmp = new long[0];
    private int[] permTmp = new int[0];

    private int nodes;
    /** per node, together (one cache line serves a test): centre of mass x, y, side², count */
    private double[] cell = new double[0];
    /** per node: its range of sorted positions [lo, hi), its first child (−1 for a leaf) and number of children */
    private int[] link = new int[0];
    private int groups;
    private int[] group = new int[0];
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

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

    /**
     * Fills rep (2n, row-major) with Σ_{j≠i} q_ij²·(y_i − y_j) and returns Z = Σ_{i≠j} q_ij, q = 1/(1 + d²), by
     * Barnes-Hut with angle θ: {@link #build} then {@link #sums}.
     */
    double repulsion(double[] y, int n, double theta, double[] rep, Parallel par) {
        build(y, n);
        return sums(theta, rep, par);
    }

    /** The sums of {@link #repulsion} over the tree last built. */
    double sums(double theta, double[] rep, Parallel par) {
        double theta2 = theta * theta;
        int chunks = (groups + GROUPS_PER_CHUNK - 1) / GROUPS_PER_CHUNK;
        double[] zPart = new double[chunks];
        par.forRange(groups, GROUPS_PER_CHUNK, (from, to) -> {
            Scratch s = scratch.get();
            double z = 0;
            for (int g = from; g < to; g++) {
                z += group(group[g], theta2, rep, s);
            }
            zPart[from / GROUPS_PER_CHUNK] = z;
        });
        double z = 0;
        for (double v : zPart) {
            z += v;
        }
        return z;
    }

    /** Builds the tree over n 2-D points (row-major), reusing the arrays (and the order) of the last build. */
    void build(double[] y, int n) {
        if (this.n != n) {
            this.n = n;
            perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            px = new double[n];
            py = new double[n];
            key = new long[n];
            keyTmp = new long[n];
            permTmp = new int[n];
        }
        double[] b = bounds(y, n);
        double side = Math.max(b[2] - b[0], b[3] - b[1]) * (1 + 1e-9) + 1e-12;
        double scale = (1L << LEVELS) / side;
        long max = (1L << LEVELS) - 1;
        for (int q = 0; q < n; q++) {
            int i = perm[q];
            // (long) of a NaN is 0, of a value past the top the top; the last cell takes the right edge
            long gx = (long) ((y[2 * i] - b[0]) * scale);
            long gy = (long) ((y[2 * i + 1] - b[1]) * scale);
            gx = gx > max ? max : gx < 0 ? 0 : gx;
            gy = gy > max ? max : gy < 0 ? 0 : gy;
            key[q] = spread(gx) | spread(gy) << 1;
        }
        radixSort();
        for (int q = 0; q < n; q++) {
            px[q] = y[2 * perm[q]];
            py[q] = y[2 * perm[q] + 1];
        }
        nodes = 1;
        groups = 0;
        ensureNodes(1);
        node(0, 0, n, 0, side, false);
    }

    /** The bits of v (below 2³¹) spread to the even bit positions. */
    private static long spread(long v) {
        v = (v | v << 16) & 0x0000FFFF0000FFFFL;
        v = (v | v << 8) & 0x00FF00FF00FF00FFL;
        v = (v | v << 4) & 0x0F0F0F0F0F0F0F0FL;
        v = (v | v << 2) & 0x3333333333333333L;
        v = (v | v << 1) & 0x5555555555555555L;
        return v;
    }

    /** Stable LSD radix sort of (key, perm) by key, one byte at a time, skipping bytes all keys share. */
    private void radixSort() {
        int[][] hist = new int[8][256];
        for (int q = 0; q < n; q++) {
            long k = key[q];
            for (int d = 0; d < 8; d++) {
                hist[d][(int) (k >>> (8 * d)) & 0xFF]++;
            }
        }
        for (int d = 0; d < 8; d++) {
            int[] h = hist[d];
            if (h[(int) (key[0] >>> (8 * d)) & 0xFF] == n) {
                continue;
            }
            int sum = 0;
            for (int v = 0; v < 256; v++) {
                int c = h[v];
                h[v] = sum;
                sum += c;
            }
            for (int q = 0; q < n; q++) {
                long k = key[q];
                int at = h[(int) (k >>> (8 * d)) & 0xFF]++;
                keyTmp[at] = k;
                permTmp[at] = perm[q];
            }
            long[] tk = key;
            key = keyTmp;
            keyTmp = tk;
            int[] tp = perm;
            perm = permTmp;
            permTmp = tp;
        }
    }

    private void ensureNodes(int m) {
        if (4 * m > link.length) {
            int c = Math.max(m, Math.max(64, link.length / 2));
            cell = Arrays.copyOf(cell, 4 * c);
            link = Arrays.copyOf(link, 4 * c);
        }
    }

    /**
     * Fills node id, the cell of side s at the given level holding the sorted points [a, b), and its subtree; the
     * maximal nodes of at most {@link #GROUP} points become groups.
     */
    private void node(int id, int a, int b, int level, double s, boolean inGroup) {
        int o = 4 * id;
        link[o] = a;
        link[o + 1] = b;
        cell[o + 2] = s * s;
        cell[o + 3] = b - a;
        if (!inGroup && b - a <= GROUP) {
            if (groups == group.length) {
                group = Arrays.copyOf(group, Math.max(64, 2 * groups));
            }
            group[groups++] = id;
            inGroup = true;
        }
        double sx = 0;
        double sy = 0;
        if (b - a == 1 || level == LEVELS) {
            link[o + 2] = -1;
            link[o + 3] = 0;
            if (b - a == 1) {
                cell[o + 2] = 0; // a single point passes the test unless it is the point itself: its term is exact
            }
            for (int q = a; q < b; q++) {
                sx += px[q];
                sy += py[q];
            }
        } else {
            // the keys of [a, b) share their bits above this level's two, and those two are sorted
            int shift = 2 * (LEVELS - 1 - level);
            int c1 = cut(a, b, shift, 0);
            int c2 = cut(c1, b, shift, 1);
            int c3 = cut(c2, b, shift, 2);
            int first = nodes;
            int c = (c1 > a ? 1 : 0) + (c2 > c1 ? 1 : 0) + (c3 > c2 ? 1 : 0) + (b > c3 ? 1 : 0);
            nodes += c;
            ensureNodes(nodes);
            link[o + 2] = first;
            link[o + 3] = c;
            int k = child(first, a, c1, level, s, inGroup);
            k = child(k, c1, c2, level, s, inGroup);
            k = child(k, c2, c3, level, s, inGroup);
            child(k, c3, b, level, s, inGroup);
            for (k = first; k < first + c; k++) {
                sx += cell[4 * k] * cell[4 * k + 3];
                sy += cell[4 * k + 1] * cell[4 * k + 3];
            }
        }
        cell[o] = sx / (b - a);
        cell[o + 1] = sy / (b - a);
    }

    /** The first sorted position in [l, b) whose two bits at shift exceed d. */
    private int cut(int l, int b, int shift, int d) {
        int h = b;
        while (h - l > 16) {
            int m = (l + h) >>> 1;
            if ((int) (key[m] >>> shift & 3) <= d) {
                l = m + 1;
            } else {
                h = m;
            }
        }
        // a short range: count, without branches
        int c = l;
        for (int q = l; q < h; q++) {
            c += (d - (int) (key[q] >>> shift & 3)) >>> 31 ^ 1;
        }
        return c;
    }

    /** Builds node k for the points [l, h) one level down if there are any; returns the next free child id. */
    private int child(int k, int l, int h, int level, double s, boolean inGroup) {
        if (h == l) {
            return k;
        }
        node(k, l, h, level + 1, s / 2, inGroup);
        return k + 1;
    }

    /** Per-thread buffers. */
    private static final class Scratch {
        /** a group's points and their sums (fx, fy, Z), and whether a point's own leaf went on a list */
        final double[] gx = new double[GROUP];
        final double[] gy = new double[GROUP];
        final double[] fx = new double[GROUP];
        final double[] fy = new double[GROUP];
        final double[] fz = new double[GROUP];
        final boolean[] self = new boolean[GROUP];
        /** a node's list: x, y, count */
        double[] lx = new double[1024];
        double[] ly = new double[1024];
        double[] lc = new double[1024];
        /** the undecided cells of the nodes on the path from the group down, and the cells to test */
        int[] mixed = new int[1024];
        int[] stack = new int[1024];
        /** a walk's current and next level of cells, and its leaves to sum point by point */
        int[] cur = new int[1024];
        int[] next = new int[1024];
        int[] leaves = new int[256];

        void add(int at, double x, double y, double c) {
            if (at == lx.length) {
                lx = Arrays.copyOf(lx, 2 * at);
                ly = Arrays.copyOf(ly, 2 * at);
                lc = Arrays.copyOf(lc, 2 * at);
            }
            lx[at] = x;
            ly[at] = y;
            lc[at] = c;
        }

        void mix(int at, int nd) {
            if (at == mixed.length) {
                mixed = Arrays.copyOf(mixed, 2 * at);
            }
            mixed[at] = nd;
        }

        void push(int at, int nd) {
            if (at == stack.length) {
                stack = Arrays.copyOf(stack, 2 * at);
            }
            stack[at] = nd;
        }

        /** The current (0) or next (1) level's array, holding at least m. */
        int[] level(int which, int m) {
            if (which == 0 && cur.length < m) {
                cur = new int[Math.max(m, 2 * cur.length)];
            } else if (which == 1 && next.length < m) {
                next = new int[Math.max(m, 2 * next.length)];
            }
            return which == 0 ? cur : next;
        }

        void swap() {
            int[] t = cur;
            cur = next;
            next = t;
        }

        int[] leaves(int m) {
            if (leaves.length < m) {
                leaves = Arrays.copyOf(leaves, Math.max(m, 2 * leaves.length));
            }
            return leaves;
        }
    }

    /** The sums of one group's points into rep; returns their Z. */
    private double group(int g, double theta2, double[] rep, Scratch s) {
        int a = link[4 * g];
        int m = link[4 * g + 1] - a;
        for (int p = 0; p < m; p++) {
            s.gx[p] = px[a + p];
            s.gy[p] = py[a + p];
            s.fx[p] = 0;
            s.fy[p] = 0;
            s.fz[p] = 0;
            s.self[p] = false;
        }
        s.mix(0, 0);
        descend(g, a, 0, 1, theta2, s);
        double z = 0;
        for (int p = 0; p < m; p++) {
            int i = perm[a + p];
            rep[2 * i] = s.fx[p];
            rep[2 * i + 1] = s.fy[p];
            // a point met in its own leaf added q = 1 (and no force) for itself
            z += s.self[p] ? s.fz[p] - 1 : s.fz[p];
        }
        return z;
    }

    /**
     * For node h of a group starting at sorted position a: decides the cells s.mixed[from, to) (those h's parent could
     * not decide for all its points) for all of h's points at once, sums the cells h's points all take, and passes
     * the cells its points disagree on to h's children. A single point always decides, so every point ends up with
     * exactly its own Barnes-Hut cells.
     */
    private void descend(int h, int a, int from, int to, double theta2, Scratch s) {
        int hLo = link[4 * h];
        int hHi = link[4 * h + 1];
        double x0 = Double.POSITIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (int q = hLo; q < hHi; q++) {
            double x = px[q];
            double y = py[q];
            x0 = x < x0 ? x : x0;
            x1 = x > x1 ? x : x1;
            y0 = y < y0 ? y : y0;
            y1 = y > y1 ? y : y1;
        }
        int list = 0;
        int mixed = to;
        int top = 0;
        for (int t = to - 1; t >= from; t--) {
            s.push(top++, s.mixed[t]);
        }
        double[] cell = this.cell;
        int[] link = this.link;
        while (top > 0) {
            int nd = s.stack[--top];
            int o = 4 * nd;
            int first = link[o + 2];
            if (first < 0) {
                int l = link[o];
                int r = link[o + 1];
                for (int q = l; q < r; q++) {
                    s.add(list++, px[q], py[q], 1);
                }
                if (l >= hLo && r <= hHi) {
                    for (int q = l; q < r; q++) {
                        s.self[q - a] = true;
                    }
                }
                continue;
            }
            double x = cell[o];
            double y = cell[o + 1];
            double s2 = cell[o + 2];
            // the distances from the centre of mass to the nearest and the farthest point of h's box
            double lx = x0 - x;
            double hx = x - x1;
            double ly = y0 - y;
            double hy = y - y1;
            double nx = lx > 0 ? lx : hx > 0 ? hx : 0;
            double ny = ly > 0 ? ly : hy > 0 ? hy : 0;
            if (s2 < theta2 * (nx * nx + ny * ny)) {
                s.add(list++, x, y, cell[o + 3]);
                continue;
            }
            double fx = -lx > -hx ? -lx : -hx;
            double fy = -ly > -hy ? -ly : -hy;
            if (s2 >= theta2 * (fx * fx + fy * fy)) {
                for (int k = first + link[o + 3] - 1; k >= first; k--) {
                    s.push(top++, k);
                }
            } else {
                s.mix(mixed++, nd);
            }
        }
        sumList(s, hLo - a, hHi - a, list);
        if (mixed == to) {
            return;
        }
        int first = link[4 * h + 2];
        if (first >= 0 && hHi - hLo > WALK) {
            for (int k = first; k < first + link[4 * h + 3]; k++) {
                descend(k, a, to, mixed, theta2, s);
            }
            return;
        }
        // a small node (or a leaf of several points at the deepest level): each point walks on alone
        for (int q = hLo; q < hHi; q++) {
            walk(to, mixed, q, theta2, s, q - a);
        }
    }

    /** Adds every list entry's terms to the sums of the group points [from, to): one loop over the points per entry. */
    private static void sumList(Scratch s, int from, int to, int list) {
        double[] gx = s.gx;
        double[] gy = s.gy;
        double[] fx = s.fx;
        double[] fy = s.fy;
        double[] fz = s.fz;
        for (int t = 0; t < list; t++) {
            double x = s.lx[t];
            double y = s.ly[t];
            double c = s.lc[t];
            for (int p = from; p < to; p++) {
                double dx = gx[p] - x;
                double dy = gy[p] - y;
                double w = 1 / (1 + dx * dx + dy * dy);
                double cw = c * w;
                fz[p] += cw;
                cw *= w;
                fx[p] += cw * dx;
                fy[p] += cw * dy;
            }
        }
    }

    /**
     * The per-point walk from the cells s.mixed[from, to) for the point at sorted position q (group slot p), as
     * scikit-learn's, level by level and without data-dependent branches, so that the cells of a level are worked on
     * side by side: every cell met is summed with weight 1 if the test takes it and 0 if not, its children are always
     * written to the next level and the count moves by their number only if it is opened. Leaves the test does not
     * take (the point itself, θ = 0, several points at the deepest level) are summed point by point after.
     */
    private void walk(int from, int to, int q, double theta2, Scratch s, int p) {
        double xi = px[q];
        double yi = py[q];
        double fx = 0;
        double fy = 0;
        double z = 0;
        double[] cell = this.cell;
        int[] link = this.link;
        int[] cur = s.level(0, to - from);
        System.arraycopy(s.mixed, from, cur, 0, to - from);
        int size = to - from;
        int left = 0;
        while (size > 0) {
            int[] next = s.level(1, 4 * size + 4);
            int[] leaves = s.leaves(left + size);
            int nn = 0;
            for (int t = 0; t < size; t++) {
                int nd = cur[t];
                int o = 4 * nd;
                double dx = xi - cell[o];
                double dy = yi - cell[o + 1];
                double d2 = dx * dx + dy * dy;
                int take = cell[o + 2] < theta2 * d2 ? 1 : 0;
                int first = link[o + 2];
                double w = 1 / (1 + d2);
                double cw = cell[o + 3] * take * w;
                z += cw;
                cw *= w;
                fx += cw * dx;
                fy += cw * dy;
                next[nn] = first;
                next[nn + 1] = first + 1;
                next[nn + 2] = first + 2;
                next[nn + 3] = first + 3;
                nn += link[o + 3] & take - 1;
                leaves[left] = nd;
                left += (take | first >>> 31 ^ 1) ^ 1;
            }
            s.swap();
            cur = next;
            size = nn;
        }
        for (int t = 0; t < left; t++) {
            int o = 4 * s.leaves[t];
            for (int r = link[o]; r < link[o + 1]; r++) {
                if (r != q) {
                    double dx = xi - px[r];
                    double dy = yi - py[r];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    z += w;
                    w *= w;
                    fx += w * dx;
                    fy += w * dy;
                }
            }
        }
        s.fx[p] += fx;
        s.fy[p] += fy;
        s.fz[p] += z;
    }
}
