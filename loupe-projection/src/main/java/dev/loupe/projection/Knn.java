package dev.loupe.projection;

import java.util.Arrays;

/**
 * The k nearest neighbours of every point (itself excluded), Euclidean. Exact by brute force for small sets (for
 * float32 points while n²·d ≤ {@link #EXACT_WORK}, vectorised); otherwise approximate, as pynndescent does it: a forest of random-projection trees gives each point candidates
 * from its leaves, then rounds of NN-descent ("a neighbour of a neighbour is likely a neighbour") refine them until
 * fewer than {@code delta·n·k} entries change.
 *
 * <p>NN-descent here is written in "pull" form so that it is deterministic and lock-free: each round builds, for
 * every point u, its new and old neighbour lists (forward and reverse, capped), and then every point i, in parallel,
 * gathers candidates from the lists it belongs to and updates only its own neighbour list.
 */
public final class Knn {
    /** Below this many points the graph is exact (brute force). */
    public static final int EXACT_BELOW = 4_000;
    /**
     * Float32 points are searched exactly (vectorised brute force) while n²·d is at most this: at 10,000 × 50 (t-SNE's
     * neighbours in 50 principal components, k = 91) brute force costs 0.6 s of CPU against NN-descent's 2.6 s; at
     * 10,000 × 384 (UMAP's, k = 15) 4.6 s against 2.5 s (docs/BENCHMARKS.md).
     */
    static final double EXACT_WORK = 2e10;

    /**
     * @param k    neighbours per point
     * @param idx  row-major n × k neighbour indices, nearest first
     * @param dist row-major n × k Euclidean distances (not squared), ascending
     */
    public record Graph(int n, int k, int[] idx, float[] dist) {
        public int neighbor(int i, int j) {
            return idx[i * k + j];
        }

        public float distance(int i, int j) {
            return dist[i * k + j];
        }
    }

    private Knn() {
    }

    public static Graph compute(Points p, int k, long seed, int threads, ProjectionListener listener) {
        try (Parallel par = new Parallel(threads)) {
            return compute(p, k, seed, par, listener);
        }
    }

    static Graph compute(Points p, int k, long seed, Parallel par, ProjectionListener listener) {
        int n = p.n();
        if (k >= n) {
            throw new IllegalArgumentException("k = " + k + " needs more than " + k + " points, got " + n);
        }
        if (n < EXACT_BELOW || p.floats() != null && (double) n * n * p.d() <= EXACT_WORK) {
            listener.stage("exact nearest neighbours");
            return exact(p, k, par);
        }
        return approximate(p, k, seed, par, listener);
    }

    /** Approximate neighbours (random-projection forest, NN-descent) whatever the size. */
    static Graph approximate(Points p, int k, long seed, int threads) {
        try (Parallel par = new Parallel(threads)) {
            return approximate(p, k, seed, par, ProjectionListener.NONE);
        }
    }

    private static Graph approximate(Points p, int k, long seed, Parallel par, ProjectionListener listener) {
        int n = p.n();
        listener.stage("nearest neighbours: random-projection forest");
        Heaps h = new Heaps(n, k);
        forest(p, h, seed, par);
        int maxCandidates = Math.min(k, 30);
        for (int round = 0; round < 12; round++) {
            listener.stage("nearest neighbours: NN-descent round " + (round + 1));
            long changes = descend(p, h, maxCandidates, par);
            if (changes <= 0.001 * n * k) {
                break;
            }
        }
        return h.toGraph();
    }

    /** Exact k nearest neighbours by brute force. */
    public static Graph exact(Points p, int k, int threads) {
        try (Parallel par = new Parallel(threads)) {
            return exact(p, k, par);
        }
    }

    static Graph exact(Points p, int k, Parallel par) {
        int n = p.n();
        if (p.floats() != null) {
            return exactFloat(p, k, par);
        }
        Heaps h = new Heaps(n, k);
        par.forRange(n, par.chunk(n, 16), (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        h.insert(i, j, (float) p.dist2(i, j));
                    }
                }
            }
        });
        return h.toGraph();
    }

    /** Points per block: the squared distances of {@link #ROWS} points to a block of others stay in the L1 cache. */
    private static final int BLOCK = 1024;
    /** Points whose distances are accumulated together, each column chunk read once for all of them. */
    private static final int ROWS = 8;

    /**
     * Exact neighbours of float32 points by brute force, vectorised and cache-blocked: the points are transposed to
     * columns; for {@link #ROWS} points at a time the squared distances to a block of others accumulate one dimension
     * at a time (loops over points the JIT turns into SIMD instructions); each point's k nearest are kept in a
     * max-heap of (distance, index) keys, ties to the lower index.
     */
    private static Graph exactFloat(Points p, int k, Parallel par) {
        int n = p.n();
        int d = p.d();
        float[] x = p.floats();
        float[] cols = new float[d * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                cols[j * n + i] = x[i * d + j];
            }
        }
        int[] idx = new int[n * k];
        float[] dist = new float[n * k];
        int chunk = ROWS * Math.max(1, par.chunk(n, 64) / ROWS);
        par.forRange(n, chunk, (from, to) -> {
            // arrays from index 0: the JIT (17) vectorises a loop only when its arrays are indexed alike
            float[][] acc = new float[ROWS][BLOCK];
            float[] col = new float[BLOCK];
            long[][] heap = new long[ROWS][k];
            int[] size = new int[ROWS];
            for (int i0 = from; i0 < to; i0 += ROWS) {
                int rows = Math.min(ROWS, to - i0);
                Arrays.fill(size, 0);
                for (int b = 0; b < n; b += BLOCK) {
                    int m = Math.min(BLOCK, n - b);
                    for (int r = 0; r < rows; r++) {
                        Arrays.fill(acc[r], 0f);
                    }
                    for (int j = 0; j < d; j++) {
                        System.arraycopy(cols, j * n + b, col, 0, m);
                        for (int r = 0; r < rows; r++) {
                            add(acc[r], col, x[(i0 + r) * d + j], m);
                        }
                    }
                    for (int r = 0; r < rows; r++) {
                        long[] h = heap[r];
                        int i = i0 + r;
                        float[] a = acc[r];
                        // the farthest kept (a float compare rejects most points)
                        float far = size[r] < k ? Float.POSITIVE_INFINITY : Float.intBitsToFloat((int) (h[0] >>> 32));
                        for (int t = 0; t < m; t++) {
                            if (a[t] <= far && b + t != i) {
                                // a non-negative float's bits order as the float does
                                long key = (long) Float.floatToRawIntBits(a[t]) << 32 | (b + t);
                                if (size[r] < k) {
                                    siftUp(h, size[r]++, key);
                                } else if (key < h[0]) {
                                    siftDown(h, k, key);
                                }
                                if (size[r] == k) {
                                    far = Float.intBitsToFloat((int) (h[0] >>> 32));
                                }
                            }
                        }
                    }
                }
                for (int r = 0; r < rows; r++) {
                    long[] h = heap[r];
                    int i = i0 + r;
                    Arrays.sort(h, 0, size[r]);
                    for (int t = 0; t < k; t++) {
                        // fewer than k others: the rest empty, as the heaps leave them
                        idx[i * k + t] = t < size[r] ? (int) h[t] : -1;
                        dist[i * k + t] = t < size[r] ? (float) Math.sqrt(Float.intBitsToFloat((int) (h[t] >>> 32)))
                                : Float.POSITIVE_INFINITY;
                    }
                }
            }
        });
        return new Graph(n, k, idx, dist);
    }

    /** acc[t] += (col[t] − xi)² for t &lt; m. */
    private static void add(float[] acc, float[] col, float xi, int m) {
        for (int t = 0; t < m; t++) {
            float v = col[t] - xi;
            acc[t] += v * v;
        }
    }

    /** Adds key to the max-heap heap[0, size). */
    private static void siftUp(long[] heap, int size, long key) {
        int c = size;
        while (c > 0) {
            int parent = (c - 1) >>> 1;
            if (heap[parent] >= key) {
                break;
            }
            heap[c] = heap[parent];
            c = parent;
        }
        heap[c] = key;
    }

    /** Replaces the top of the full max-heap heap[0, size) by a smaller key. */
    private static void siftDown(long[] heap, int size, long key) {
        int c = 0;
        while (true) {
            int l = 2 * c + 1;
            if (l >= size) {
                break;
            }
            int big = l + 1 < size && heap[l + 1] > heap[l] ? l + 1 : l;
            if (heap[big] <= key) {
                break;
            }
            heap[c] = heap[big];
            c = big;
        }
        heap[c] = key;
    }

    /** Per point a sorted list of k (index, squared distance, new?) entries. */
    static final class Heaps {
        final int n;
        final int k;
        final int[] idx;
        final float[] d2;
        final boolean[] fresh;

        Heaps(int n, int k) {
            this.n = n;
            this.k = k;
            idx = new int[n * k];
            d2 = new float[n * k];
            fresh = new boolean[n * k];
            Arrays.fill(idx, -1);
            Arrays.fill(d2, Float.POSITIVE_INFINITY);
        }

        /** Inserts j into i's list if closer than its farthest and not already there; true when inserted. */
        boolean insert(int i, int j, float dist) {
            int o = i * k;
            if (!(dist < d2[o + k - 1])) {
                return false;
            }
            for (int t = 0; t < k; t++) {
                if (idx[o + t] == j) {
                    return false;
                }
            }
            int pos = k - 1;
            while (pos > 0 && (d2[o + pos - 1] > dist || (d2[o + pos - 1] == dist && idx[o + pos - 1] > j))) {
                idx[o + pos] = idx[o + pos - 1];
                d2[o + pos] = d2[o + pos - 1];
                fresh[o + pos] = fresh[o + pos - 1];
                pos--;
            }
            idx[o + pos] = j;
            d2[o + pos] = dist;
            fresh[o + pos] = true;
            return true;
        }

        Graph toGraph() {
            float[] dist = new float[d2.length];
            for (int t = 0; t < d2.length; t++) {
                dist[t] = (float) Math.sqrt(d2[t]);
            }
            return new Graph(n, k, idx, dist);
        }
    }

    // ---- random-projection forest ----

    private static void forest(Points p, Heaps h, long seed, Parallel par) {
        int n = p.n();
        int trees = Math.max(4, Math.min(12, 5 + (int) Math.round(Math.pow(n, 0.25) / 2)));
        int leafSize = Math.max(10, Math.min(h.k + 1, 60));
        int[][] perm = new int[trees][];
        int[][] leafOf = new int[trees][];
        int[][] leafStart = new int[trees][];
        // each tree in its own task (deterministic: a tree depends only on (seed, tree))
        Parallel.Range build = (from, to) -> {
            for (int t = from; t < to; t++) {
                int[] order = new int[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                IntList starts = new IntList();
                split(p, order, 0, n, leafSize, new Rng(seed, 101, t), starts, 0);
                starts.add(n);
                int[] s = starts.toArray();
                int[] of = new int[n];
                for (int l = 0; l + 1 < s.length; l++) {
                    for (int q = s[l]; q < s[l + 1]; q++) {
                        of[order[q]] = l;
                    }
                }
                perm[t] = order;
                leafOf[t] = of;
                leafStart[t] = s;
            }
        };
        par.forRange(trees, 1, build);
        par.forRange(n, par.chunk(n, 64), (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int t = 0; t < trees; t++) {
                    int l = leafOf[t][i];
                    for (int q = leafStart[t][l]; q < leafStart[t][l + 1]; q++) {
                        int j = perm[t][q];
                        if (j != i) {
                            h.insert(i, j, (float) p.dist2(i, j));
                        }
                    }
                }
            }
        });
    }

    /** Splits order[from, to) by a random hyperplane between two of its points until leaves hold ≤ leafSize. */
    private static void split(Points p, int[] order, int from, int to, int leafSize, Rng rng, IntList starts, int depth) {
        if (to - from <= leafSize || depth > 60) {
            starts.add(from);
            return;
        }
        int d = p.d();
        int a = order[from + rng.nextInt(to - from)];
        int b = order[from + rng.nextInt(to - from)];
        double[] normal = new double[d];
        double offset = 0;
        for (int j = 0; j < d; j++) {
            double pa = p.get(a, j);
            double pb = p.get(b, j);
            normal[j] = pa - pb;
            offset += normal[j] * (pa + pb) / 2;
        }
        int lo = from;
        int hi = to - 1;
        while (lo <= hi) {
            int i = order[lo];
            double s = -offset;
            int o = i;
            for (int j = 0; j < d; j++) {
                s += normal[j] * p.get(o, j);
            }
            boolean left = s > 0 || (s == 0 && rng.nextInt(2) == 0);
            if (left) {
                lo++;
            } else {
                order[lo] = order[hi];
                order[hi] = i;
                hi--;
            }
        }
        int mid = lo;
        if (mid == from || mid == to) {
            mid = (from + to) >>> 1; // all on one side (duplicates): halve
        }
        split(p, order, from, mid, leafSize, rng, starts, depth + 1);
        split(p, order, mid, to, leafSize, rng, starts, depth + 1);
    }

    // ---- NN-descent (pull form) ----

    private static long descend(Points p, Heaps h, int maxCandidates, Parallel par) {
        int n = h.n;
        int k = h.k;
        // lists per u: forward new/old (first maxCandidates in distance order), then reverse entries
        int[] newCount = new int[n];
        int[] oldCount = new int[n];
        int[] fwdNew = new int[n * maxCandidates];
        int[] fwdOld = new int[n * maxCandidates];
        for (int u = 0; u < n; u++) {
            int o = u * k;
            for (int t = 0; t < k; t++) {
                int v = h.idx[o + t];
                if (v < 0) {
                    continue;
                }
                if (h.fresh[o + t]) {
                    if (newCount[u] < maxCandidates) {
                        fwdNew[u * maxCandidates + newCount[u]++] = v;
                        h.fresh[o + t] = false;
                    }
                } else if (oldCount[u] < maxCandidates) {
                    fwdOld[u * maxCandidates + oldCount[u]++] = v;
                }
            }
        }
        // full lists L(u) = forward ∪ reverse (reverse capped at maxCandidates), as CSR
        int[][] lists = lists(n, maxCandidates, fwdNew, newCount);
        int[][] olds = lists(n, maxCandidates, fwdOld, oldCount);
        int[] newStart = lists[0];
        int[] newList = lists[1];
        int[] oldStart = olds[0];
        int[] oldList = olds[1];
        // membership inverse: for i, the u whose new list holds i, and those whose old list holds i
        int[][] inNew = invert(n, newStart, newList);
        int[][] inOld = invert(n, oldStart, oldList);
        long[] changes = new long[(n + 255) / 256];
        par.forRange(n, 256, (from, to) -> {
            int[] seen = new int[n];
            Arrays.fill(seen, -1);
            long c = 0;
            for (int i = from; i < to; i++) {
                int o = i * k;
                for (int t = 0; t < k; t++) {
                    if (h.idx[o + t] >= 0) {
                        seen[h.idx[o + t]] = i;
                    }
                }
                seen[i] = i;
                for (int q = inNew[0][i]; q < inNew[0][i + 1]; q++) {
                    int u = inNew[1][q];
                    c += pull(p, h, i, newList, newStart[u], newStart[u + 1], seen);
                    c += pull(p, h, i, oldList, oldStart[u], oldStart[u + 1], seen);
                }
                for (int q = inOld[0][i]; q < inOld[0][i + 1]; q++) {
                    int u = inOld[1][q];
                    c += pull(p, h, i, newList, newStart[u], newStart[u + 1], seen);
                }
            }
            changes[from / 256] = c;
        });
        long total = 0;
        for (long c : changes) {
            total += c;
        }
        return total;
    }

    private static int pull(Points p, Heaps h, int i, int[] list, int from, int to, int[] seen) {
        int c = 0;
        for (int q = from; q < to; q++) {
            int j = list[q];
            if (seen[j] == i) {
                continue;
            }
            seen[j] = i;
            if (h.insert(i, j, (float) p.dist2(i, j))) {
                c++;
            }
        }
        return c;
    }

    /** CSR of forward entries plus reverse entries (each u's reverse part capped at {@code cap}, lowest v first). */
    private static int[][] lists(int n, int cap, int[] fwd, int[] count) {
        int[] rev = new int[n];
        for (int v = 0; v < n; v++) {
            for (int t = 0; t < count[v]; t++) {
                int u = fwd[v * cap + t];
                if (rev[u] < cap) {
                    rev[u]++;
                }
            }
        }
        int[] start = new int[n + 1];
        for (int u = 0; u < n; u++) {
            start[u + 1] = start[u] + count[u] + rev[u];
        }
        int[] list = new int[start[n]];
        int[] fill = new int[n];
        for (int u = 0; u < n; u++) {
            System.arraycopy(fwd, u * cap, list, start[u], count[u]);
            fill[u] = count[u];
        }
        for (int v = 0; v < n; v++) {
            for (int t = 0; t < count[v]; t++) {
                int u = fwd[v * cap + t];
                if (fill[u] < count[u] + rev[u]) {
                    list[start[u] + fill[u]++] = v;
                }
            }
        }
        return new int[][] {start, list};
    }

    private static int[][] invert(int n, int[] start, int[] list) {
        int[] cnt = new int[n + 1];
        for (int v : list) {
            cnt[v + 1]++;
        }
        for (int i = 0; i < n; i++) {
            cnt[i + 1] += cnt[i];
        }
        int[] out = new int[list.length];
        int[] fill = Arrays.copyOf(cnt, n);
        for (int u = 0; u < n; u++) {
            for (int q = start[u]; q < start[u + 1]; q++) {
                out[fill[list[q]]++] = u;
            }
        }
        return new int[][] {cnt, out};
    }

    /** A growable int array. */
    static final class IntList {
        int[] a = new int[16];
        int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
