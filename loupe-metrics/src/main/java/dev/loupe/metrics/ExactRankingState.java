package dev.loupe.metrics;

import dev.loupe.api.PredictionBatch;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Every kept row's scores, label, prediction, weight and key in growable primitive arrays: 8 bytes per score
 * per class (binary problems keep only the positive class's score, class 0's being 1 − s), plus 16–24 bytes
 * per row for label, prediction, key and weight. Curves are sorted at result time; merge concatenates.
 */
public final class ExactRankingState implements RankingState<ExactRankingState> {
    private final int k;
    /** Stored score columns: 1 for binary (class 1), else k. */
    private final int cols;
    private int n;
    private double[] scores;
    private int[] labels;
    private int[] preds;
    private long[] keys;
    private double[] weights;
    /** Sort orders per stored score column, valid while {@code orderCacheSize == n}. */
    private int[][] orderCache;
    private int orderCacheSize = -1;
    /** {@link #microOrder}, valid while its length is n·k. */
    private int[] microOrderCache;
    /**
     * The one-vs-one Mann-Whitney sums, gathered class by class as a by-product of the passes that already walk each
     * class's sorted order ({@link #counts} for the point estimate, {@link #bootstrapAucAp} for the replicates), so
     * that {@link #ovoAuc} and {@link #bootstrapOvoAuc} need no pass of their own; see {@link OvoSums}.
     */
    private OvoSums ovoPoint;
    private OvoSums ovoReplicates;

    public ExactRankingState(int numClasses) {
        this.k = numClasses;
        this.cols = numClasses == 2 ? 1 : numClasses;
        int cap = 1024;
        scores = new double[cap * cols];
        labels = new int[cap];
        preds = new int[cap];
        keys = new long[cap];
    }

    private void ensure(int more) {
        int need = n + more;
        if (need <= labels.length) {
            return;
        }
        int cap = Math.max(need, (int) Math.min(Integer.MAX_VALUE - 8, labels.length * 3L / 2));
        scores = Arrays.copyOf(scores, cap * cols);
        labels = Arrays.copyOf(labels, cap);
        preds = Arrays.copyOf(preds, cap);
        keys = Arrays.copyOf(keys, cap);
        if (weights != null) {
            weights = Arrays.copyOf(weights, cap);
        }
    }

    private void materializeWeights() {
        if (weights == null) {
            weights = new double[labels.length];
            Arrays.fill(weights, 0, n, 1.0);
        }
    }

    @Override
    public void update(PredictionBatch b) {
        int m = b.size();
        ensure(m);
        if (b.isWeighted()) {
            materializeWeights();
        }
        double[] probs = b.probs();
        for (int i = 0; i < m; i++) {
            if (!RankingState.keep(b, i)) {
                continue;
            }
            if (cols == 1) {
                scores[n] = probs[i * 2 + 1];
            } else {
                System.arraycopy(probs, i * k, scores, n * k, k);
            }
            labels[n] = b.label(i);
            preds[n] = b.pred(i);
            keys[n] = b.key(i);
            if (weights != null) {
                weights[n] = b.weight(i);
            }
            n++;
        }
    }

    @Override
    public ExactRankingState merge(ExactRankingState o) {
        ensure(o.n);
        if (o.weights != null) {
            materializeWeights();
        }
        System.arraycopy(o.scores, 0, scores, n * cols, o.n * cols);
        System.arraycopy(o.labels, 0, labels, n, o.n);
        System.arraycopy(o.preds, 0, preds, n, o.n);
        System.arraycopy(o.keys, 0, keys, n, o.n);
        if (weights != null) {
            if (o.weights != null) {
                System.arraycopy(o.weights, 0, weights, n, o.n);
            } else {
                Arrays.fill(weights, n, n + o.n, 1.0);
            }
        }
        n += o.n;
        return this;
    }

    @Override
    public ExactRankingState emptyCopy() {
        return new ExactRankingState(k);
    }

    @Override
    public long size() {
        return n;
    }

    private double score(int row, int cls) {
        if (cols == 1) {
            return cls == 1 ? scores[row] : 1.0 - scores[row];
        }
        return scores[row * k + cls];
    }

    private double weight(int row) {
        return weights == null ? 1.0 : weights[row];
    }

    /**
     * Rows of the data ordered by decreasing score of {@code cls}; cached, binary problems sort once. The first call
     * sorts every class's column at once, in parallel when the heap allows (each pass over the classes asks for all).
     */
    private int[] order(int cls) {
        int col = cols == 1 ? 0 : cls;
        if (orderCache == null || orderCacheSize != n) {
            orderCache = new int[cols][];
            orderCacheSize = n;
        }
        if (orderCache[col] == null) {
            int[][] cache = orderCache;
            // a sort holds about 32 bytes a row while it runs: in parallel only while that is a small part of the heap
            long concurrent = Math.min(cols, java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1);
            IntStream columns = IntStream.range(0, cols).filter(c -> cache[c] == null);
            if (40L * n * concurrent < Runtime.getRuntime().maxMemory() / 4) {
                columns = columns.parallel();
            }
            columns.forEach(c -> {
                double[] s = new double[n];
                for (int i = 0; i < n; i++) {
                    s[i] = cols == 1 ? scores[i] : scores[i * k + c];
                }
                cache[c] = Sorting.descending(s, n);
            });
        }
        int[] perm = orderCache[col];
        if (cols == 1 && cls == 0) {
            // 1 − s is non-increasing in s: the reverse of class 1's order sorts class 0's scores
            int[] rev = new int[n];
            for (int j = 0; j < n; j++) {
                rev[j] = perm[n - 1 - j];
            }
            return rev;
        }
        return perm;
    }

    @Override
    public Curves.ThresholdCounts counts(int cls) {
        int[] perm = order(cls);
        double[] s = new double[n];
        boolean[] pos = new boolean[n];
        double[] w = weights == null ? null : new double[n];
        boolean ovo = ovoDefined();
        if (ovo) {
            if (ovoPoint == null || !ovoPoint.isFor(1, 0, n)) {
                ovoPoint = new OvoSums(1, 0, n, k);
            }
            ovo = !ovoPoint.isDone(cls); // a class's one-vs-one terms are added once, however often its counts are asked for
        }
        int[] lab = ovo ? new int[n] : null;
        for (int j = 0; j < n; j++) {
            int i = perm[j];
            s[j] = score(i, cls);
            pos[j] = labels[i] == cls;
            if (w != null) {
                w[j] = weights[i];
            }
            if (ovo) {
                lab[j] = labels[i];
            }
        }
        if (ovo) {
            ovoRow(s, lab, n, cls, k, ovoPoint.sums[0]);
            ovoPoint.done(cls);
        }
        return Curves.thresholdCounts(s, pos, w, n);
    }

    /** The one-vs-one AUCs are defined for 3 or more classes without sample weights (scikit-learn refuses weights). */
    private boolean ovoDefined() {
        return cols > 1 && weights == null;
    }

    /**
     * Row {@code a} of the one-vs-one Mann-Whitney sums from class a's sorted order: for each row of another class c,
     * the rows of class a scored above it, plus half of those tied with it, added to {@code out[a * k + c]}; and the
     * size of class a in {@code out[k * k + a]}.
     */
    private static void ovoRow(double[] sorted, int[] lab, int n, int a, int k, double[] out) {
        Arrays.fill(out, a * k, a * k + k, 0.0); // idempotent: counts(a) may be asked for again
        double aAbove = 0;
        int start = 0;
        for (int j = 0; j < n; j++) {
            if (j == n - 1 || sorted[j] != sorted[j + 1]) {
                double aInGroup = 0;
                for (int g = start; g <= j; g++) {
                    aInGroup += lab[g] == a ? 1 : 0;
                }
                double credit = aAbove + 0.5 * aInGroup;
                for (int g = start; g <= j; g++) {
                    if (lab[g] != a) {
                        out[a * k + lab[g]] += credit;
                    }
                }
                aAbove += aInGroup;
                start = j + 1;
            }
        }
        out[k * k + a] = aAbove;
    }

    /**
     * One-vs-one sums in the layout of {@link #ovoAuc} ({@code [b][a * k + c]}, then the class sizes), one row a
     * class as its pass fills them, for {@code replicates} replicates of {@code seed} over {@code n} rows. Every
     * term is a whole or half number (Poisson draws times counts of rows), so the sums are exact in doubles and
     * equal whichever order the passes add them in.
     */
    private static final class OvoSums {
        final int replicates;
        final long seed;
        final int rows;
        final double[][] sums;
        private final boolean[] done;
        private int left;

        OvoSums(int replicates, long seed, int rows, int k) {
            this.replicates = replicates;
            this.seed = seed;
            this.rows = rows;
            this.sums = new double[replicates][k * k + k];
            this.done = new boolean[k];
            this.left = k;
        }

        boolean isFor(int replicates, long seed, int rows) {
            return this.replicates == replicates && this.seed == seed && this.rows == rows;
        }

        boolean isDone(int cls) {
            return done[cls];
        }

        void done(int cls) {
            if (!done[cls]) {
                done[cls] = true;
                left--;
            }
        }

        boolean complete() {
            return left == 0;
        }
    }

    /**
     * AUC and AP of each replicate from one sort: per sorted row its weight as a positive and as a negative (one of
     * them 0) and its hash, per group of equal scores its end; four replicates share each pass over the rows.
     */
    @Override
    public double[][] bootstrapAucAp(int cls, int replicates, long seed) {
        // the one-vs-one replicates ride along (the same sort, the same draws): see bootstrapOvoAuc
        boolean ovo = ovoDefined() && (long) replicates * k * (k + 1) <= MAX_OVO_CELLS;
        if (ovo && (ovoReplicates == null || !ovoReplicates.isFor(replicates, seed, n))) {
            ovoReplicates = new OvoSums(replicates, seed, n, k);
        }
        Ranked r = ranked(cls, seed, ovo);
        double[][] out = replicateAucAp(r, replicates, cls, k, ovo ? ovoReplicates.sums : null);
        if (ovo) {
            ovoReplicates.done(cls);
        }
        return out;
    }

    /**
     * Rows sorted by decreasing score: weight as a positive and as a negative, bootstrap hash, and (for the
     * one-vs-one sums, else null) the label; each group's end.
     */
    private record Ranked(double[] wPos, double[] wNeg, long[] h, int[] lab, int[] groupEnd) {
    }

    private Ranked ranked(int cls, long seed) {
        return ranked(cls, seed, false);
    }

    private Ranked ranked(int cls, long seed, boolean withLabels) {
        int[] perm = order(cls);
        double[] wPos = new double[n];
        double[] wNeg = new double[n];
        long[] h = new long[n];
        int[] lab = withLabels ? new int[n] : null;
        int[] ends = new int[n];
        int groups = 0;
        for (int j = 0; j < n; j++) {
            int i = perm[j];
            if (labels[i] == cls) {
                wPos[j] = weight(i);
            } else {
                wNeg[j] = weight(i);
            }
            if (lab != null) {
                lab[j] = labels[i];
            }
            h[j] = Poisson.rowHash(seed, keys[i]);
            if (j == n - 1 || score(i, cls) != score(perm[j + 1], cls)) {
                ends[groups++] = j + 1;
            }
        }
        return new Ranked(wPos, wNeg, h, lab, Arrays.copyOf(ends, groups));
    }

    private static double[][] replicateAucAp(Ranked r, int replicates) {
        return replicateAucAp(r, replicates, -1, 0, null);
    }

    /** Rows per cache block of the replicate passes: each task runs all its replicates over a block before the next. */
    static final int BLOCK_ROWS = 1 << 13;

    /**
     * With {@code ovo} (and {@code r.lab}), also adds row {@code cls} of the one-vs-one sums of each replicate to it.
     * The sorted rows are cut into blocks of whole groups (about {@link #BLOCK_ROWS} rows, 24 bytes each, so a block
     * stays in the core's cache); the replicates, four per {@link AucApQuad}, are split among a few tasks, and each
     * task walks the blocks in order, running each of its quads over a block before the next: the rows are read from
     * memory once per task instead of once per four replicates. A quad's sums carry over from block to block, so the
     * result does not depend on the blocking.
     */
    private static double[][] replicateAucAp(Ranked r, int replicates, int cls, int k, double[][] ovo) {
        double[][] out = new double[2][replicates];
        int quads = (replicates + 3) / 4;
        int[] blockEnd = blocks(r.groupEnd);
        int tasks = Math.min(quads, 4 * Runtime.getRuntime().availableProcessors());
        IntStream.range(0, tasks).parallel().forEach(t -> {
            int q0 = (int) ((long) quads * t / tasks), q1 = (int) ((long) quads * (t + 1) / tasks);
            AucApQuad[] mine = new AucApQuad[q1 - q0];
            for (int q = q0; q < q1; q++) {
                mine[q - q0] = new AucApQuad(q, ovo == null ? null : r.lab, k);
            }
            int g = 0;
            for (int end : blockEnd) {
                for (AucApQuad quad : mine) {
                    quad.run(r, g, end);
                }
                g = end;
            }
            for (AucApQuad quad : mine) {
                quad.finish(replicates, out, cls, ovo);
            }
        });
        return out;
    }

    /** Ends (exclusive group indexes) of runs of whole groups of at least {@link #BLOCK_ROWS} rows each (the last may be shorter). */
    private static int[] blocks(int[] groupEnd) {
        int[] ends = new int[groupEnd.length];
        int blocks = 0;
        int rowsAtStart = 0;
        for (int g = 0; g < groupEnd.length; g++) {
            if (groupEnd[g] - rowsAtStart >= BLOCK_ROWS || g == groupEnd.length - 1) {
                ends[blocks++] = g + 1;
                rowsAtStart = groupEnd[g];
            }
        }
        return Arrays.copyOf(ends, blocks);
    }

    /**
     * Replicates 4·quad … 4·quad + 3 (those below {@code replicates}) of {@link #bootstrapAucAp}: their running sums,
     * in registers while it advances over the groups of one block. With {@code lab}, each negative row of class c
     * also adds its draw times the positives above its group to the one-vs-one sum (cls, c) of its replicate, and a
     * group holding both classes adds half its positives for each of its negatives (a second look at that group's
     * rows; rare, ties across classes): the Mann-Whitney credit of {@link #ovoRow}, from the same draws.
     */
    private static final class AucApQuad {
        private final int quad;
        private final int[] lab;
        private final double[][] o;
        private double tp0, tp1, tp2, tp3, fp0, fp1, fp2, fp3;
        private double area0, area1, area2, area3, ap0, ap1, ap2, ap3;
        /** tp and fp at the start of the group {@link #fast} stopped in. */
        private double prevTp0, prevTp1, prevTp2, prevTp3, prevFp0, prevFp1, prevFp2, prevFp3;
        /** {@link #fast}: every group done. */
        private static final long DONE = -1;

        AucApQuad(int quad, int[] lab, int k) {
            this.quad = quad;
            this.lab = lab;
            this.o = lab == null ? null : new double[4][k];
        }

        /**
         * Groups {@code gFrom..gTo-1}. The loop ({@link #fast}) holds no call: a row whose draws need
         * {@link Poisson#draws4}'s refinement (0.7 % of quads) stops it, {@link #refinedRow} adds that row, and the
         * loop resumes after it (a call inside the loop kept its sums in memory and cost a third of its speed).
         */
        void run(Ranked r, int gFrom, int gTo) {
            int g = gFrom;
            int resume = -1;
            while (true) {
                long stop = fast(r, g, gTo, resume);
                if (stop == DONE) {
                    return;
                }
                g = (int) (stop >>> 32);
                int j = (int) stop;
                refinedRow(r, j);
                resume = j + 1;
            }
        }

        /**
         * Groups {@code gFrom..gTo-1}, the first from row {@code resume} on when it is not −1 (its tp and fp at the
         * group's start in the prev fields); returns {@link #DONE}, or the group and row whose draws need refinement,
         * with every sum stored, before that row is added. A group of one row (the common case: distinct scores)
         * takes a short path with the same arithmetic: a positive row moves only tp (its trapezoid is 0, its
         * precision step (tp − prevTp) · tp / (tp + fp)), a negative row only fp (its precision step is 0).
         */
        private long fast(Ranked r, int gFrom, int gTo, int resume) {
            double[] wPos = r.wPos, wNeg = r.wNeg;
            long[] h = r.h;
            int[] groupEnd = r.groupEnd;
            int quad = this.quad;
            double[][] o = this.o;
            double tp0 = this.tp0, tp1 = this.tp1, tp2 = this.tp2, tp3 = this.tp3;
            double fp0 = this.fp0, fp1 = this.fp1, fp2 = this.fp2, fp3 = this.fp3;
            double area0 = this.area0, area1 = this.area1, area2 = this.area2, area3 = this.area3;
            double ap0 = this.ap0, ap1 = this.ap1, ap2 = this.ap2, ap3 = this.ap3;
            int from = gFrom == 0 ? 0 : groupEnd[gFrom - 1];
            for (int g = gFrom; g < gTo; g++) {
                int end = groupEnd[g];
                double prevTp0, prevTp1, prevTp2, prevTp3, prevFp0, prevFp1, prevFp2, prevFp3;
                int first = from;
                if (resume >= 0) {
                    prevTp0 = this.prevTp0; prevTp1 = this.prevTp1; prevTp2 = this.prevTp2; prevTp3 = this.prevTp3;
                    prevFp0 = this.prevFp0; prevFp1 = this.prevFp1; prevFp2 = this.prevFp2; prevFp3 = this.prevFp3;
                    first = resume;
                    resume = -1;
                } else if (end - from == 1) {
                    double wp = wPos[from], wn = wNeg[from];
                    if (wn == 0 && wp == 0) {
                        from = end;
                        continue;
                    }
                    long hj = h[from];
                    long m = Poisson.quadBits(hj, quad);
                    double d0 = Poisson.draw0(m), d1 = Poisson.draw1(m), d2 = Poisson.draw2(m), d3 = Poisson.draw3(m);
                    if (!Double.isNaN(d0 + d1 + d2 + d3)) {
                        if (wn != 0) {
                            double p0 = fp0, p1 = fp1, p2 = fp2, p3 = fp3;
                            fp0 += d0 * wn; fp1 += d1 * wn; fp2 += d2 * wn; fp3 += d3 * wn;
                            area0 += trapezoid(tp0, fp0, tp0, p0); area1 += trapezoid(tp1, fp1, tp1, p1);
                            area2 += trapezoid(tp2, fp2, tp2, p2); area3 += trapezoid(tp3, fp3, tp3, p3);
                            if (o != null) {
                                int c = lab[from];
                                o[0][c] += d0 * tp0; o[1][c] += d1 * tp1; o[2][c] += d2 * tp2; o[3][c] += d3 * tp3;
                            }
                        } else {
                            double p0 = tp0, p1 = tp1, p2 = tp2, p3 = tp3;
                            tp0 += d0 * wp; tp1 += d1 * wp; tp2 += d2 * wp; tp3 += d3 * wp;
                            ap0 += precisionStep(tp0, fp0, p0); ap1 += precisionStep(tp1, fp1, p1);
                            ap2 += precisionStep(tp2, fp2, p2); ap3 += precisionStep(tp3, fp3, p3);
                        }
                        from = end;
                        continue;
                    }
                    // its draws need the refinement: the loop over the group's rows below stops at it
                    prevTp0 = tp0; prevTp1 = tp1; prevTp2 = tp2; prevTp3 = tp3;
                    prevFp0 = fp0; prevFp1 = fp1; prevFp2 = fp2; prevFp3 = fp3;
                } else {
                    prevTp0 = tp0; prevTp1 = tp1; prevTp2 = tp2; prevTp3 = tp3;
                    prevFp0 = fp0; prevFp1 = fp1; prevFp2 = fp2; prevFp3 = fp3;
                }
                for (int j = first; j < end; j++) {
                    long hj = h[j];
                    long m = Poisson.quadBits(hj, quad);
                    double d0 = Poisson.draw0(m), d1 = Poisson.draw1(m), d2 = Poisson.draw2(m), d3 = Poisson.draw3(m);
                    if (Double.isNaN(d0 + d1 + d2 + d3)) {
                        this.tp0 = tp0; this.tp1 = tp1; this.tp2 = tp2; this.tp3 = tp3;
                        this.fp0 = fp0; this.fp1 = fp1; this.fp2 = fp2; this.fp3 = fp3;
                        this.area0 = area0; this.area1 = area1; this.area2 = area2; this.area3 = area3;
                        this.ap0 = ap0; this.ap1 = ap1; this.ap2 = ap2; this.ap3 = ap3;
                        this.prevTp0 = prevTp0; this.prevTp1 = prevTp1; this.prevTp2 = prevTp2; this.prevTp3 = prevTp3;
                        this.prevFp0 = prevFp0; this.prevFp1 = prevFp1; this.prevFp2 = prevFp2; this.prevFp3 = prevFp3;
                        return (long) g << 32 | j;
                    }
                    double wp = wPos[j], wn = wNeg[j];
                    tp0 += d0 * wp; tp1 += d1 * wp; tp2 += d2 * wp; tp3 += d3 * wp;
                    fp0 += d0 * wn; fp1 += d1 * wn; fp2 += d2 * wn; fp3 += d3 * wn;
                    if (o != null && wn != 0) {
                        int c = lab[j];
                        o[0][c] += d0 * prevTp0; o[1][c] += d1 * prevTp1; o[2][c] += d2 * prevTp2; o[3][c] += d3 * prevTp3;
                    }
                }
                if (o != null && end - from > 1 && (tp0 != prevTp0 || tp1 != prevTp1 || tp2 != prevTp2 || tp3 != prevTp3)) {
                    double[] half = {0.5 * (tp0 - prevTp0), 0.5 * (tp1 - prevTp1), 0.5 * (tp2 - prevTp2), 0.5 * (tp3 - prevTp3)};
                    for (int j = from; j < end; j++) {
                        if (wNeg[j] != 0) {
                            int d = Poisson.draws4(h[j], quad);
                            for (int q = 0; q < 4; q++) {
                                o[q][lab[j]] += (d >>> (8 * q) & 0xFF) * half[q];
                            }
                        }
                    }
                }
                from = end;
                area0 += trapezoid(tp0, fp0, prevTp0, prevFp0);
                area1 += trapezoid(tp1, fp1, prevTp1, prevFp1);
                area2 += trapezoid(tp2, fp2, prevTp2, prevFp2);
                area3 += trapezoid(tp3, fp3, prevTp3, prevFp3);
                ap0 += precisionStep(tp0, fp0, prevTp0);
                ap1 += precisionStep(tp1, fp1, prevTp1);
                ap2 += precisionStep(tp2, fp2, prevTp2);
                ap3 += precisionStep(tp3, fp3, prevTp3);
            }
            this.tp0 = tp0; this.tp1 = tp1; this.tp2 = tp2; this.tp3 = tp3;
            this.fp0 = fp0; this.fp1 = fp1; this.fp2 = fp2; this.fp3 = fp3;
            this.area0 = area0; this.area1 = area1; this.area2 = area2; this.area3 = area3;
            this.ap0 = ap0; this.ap1 = ap1; this.ap2 = ap2; this.ap3 = ap3;
            return DONE;
        }

        /**
         * Adds row {@code j} (of the group {@link #fast} stopped in) with its refined draws, as the loop over a
         * group's rows does; a row alone in its group gets the same values as by the short path.
         */
        private void refinedRow(Ranked r, int j) {
            int d = Poisson.draws4(r.h[j], quad);
            double d0 = d & 0xFF, d1 = d >>> 8 & 0xFF, d2 = d >>> 16 & 0xFF, d3 = d >>> 24;
            double wp = r.wPos[j], wn = r.wNeg[j];
            tp0 += d0 * wp; tp1 += d1 * wp; tp2 += d2 * wp; tp3 += d3 * wp;
            fp0 += d0 * wn; fp1 += d1 * wn; fp2 += d2 * wn; fp3 += d3 * wn;
            if (o != null && wn != 0) {
                int c = lab[j];
                o[0][c] += d0 * prevTp0; o[1][c] += d1 * prevTp1; o[2][c] += d2 * prevTp2; o[3][c] += d3 * prevTp3;
            }
        }

        /** Writes AUC and AP (and, with {@code ovo}, row {@code cls} of the one-vs-one sums) of each replicate. */
        void finish(int replicates, double[][] out, int cls, double[][] ovo) {
            double[] tp = {tp0, tp1, tp2, tp3}, fp = {fp0, fp1, fp2, fp3};
            double[] area = {area0, area1, area2, area3}, apSum = {ap0, ap1, ap2, ap3};
            for (int j = 0, b = 4 * quad; j < 4 && b < replicates; j++, b++) {
                out[0][b] = tp[j] > 0 && fp[j] > 0 ? area[j] / (tp[j] * fp[j]) : Double.NaN;
                out[1][b] = tp[j] > 0 ? apSum[j] / tp[j] : 0.0;
                if (o != null) {
                    int k = o[j].length;
                    double[] row = ovo[b];
                    for (int c = 0; c < k; c++) {
                        if (c != cls) {
                            row[cls * k + c] = o[j][c];
                        }
                    }
                    row[k * k + cls] = tp[j];
                }
            }
        }
    }

    /** The trapezoid a group of equal scores adds in one replicate. */
    private static double trapezoid(double tp, double fp, double prevTp, double prevFp) {
        return (fp - prevFp) * (tp + prevTp) / 2.0;
    }

    /** The precision-weighted recall step a group of equal scores adds in one replicate. */
    private static double precisionStep(double tp, double fp, double prevTp) {
        double ps = tp + fp;
        return ps != 0 ? (tp - prevTp) * (tp / ps) : 0;
    }

    /** Most (row, class) pairs the micro average precision's replicates are computed over (about 25 bytes each). */
    static final long MAX_MICRO_PAIRS = 16L << 20;

    /**
     * Every (row, class) pair as one binary problem sorted by decreasing score: [perm over n*k] (k ≥ 3 only); cached
     * like {@link #order}, as the point estimate and the replicates both walk it.
     */
    private int[] microOrder() {
        if (microOrderCache == null || microOrderCache.length != n * k) {
            microOrderCache = Sorting.descending(Arrays.copyOf(scores, n * k), n * k);
        }
        return microOrderCache;
    }

    @Override
    public double[] bootstrapMicroAp(int replicates, long seed) {
        if (cols == 1 || (long) n * k > MAX_MICRO_PAIRS) {
            return null;
        }
        int[] perm = microOrder();
        int m = n * k;
        double[] wPos = new double[m];
        double[] wNeg = new double[m];
        long[] h = new long[m];
        int[] ends = new int[m];
        int groups = 0;
        for (int j = 0; j < m; j++) {
            int e = perm[j];
            int row = e / k;
            if (labels[row] == e % k) {
                wPos[j] = weight(row);
            } else {
                wNeg[j] = weight(row);
            }
            h[j] = Poisson.rowHash(seed, keys[row]);
            if (j == m - 1 || scores[e] != scores[perm[j + 1]]) {
                ends[groups++] = j + 1;
            }
        }
        return replicateAucAp(new Ranked(wPos, wNeg, h, null, Arrays.copyOf(ends, groups)), replicates)[1];
    }

    @Override
    public double[] bootstrapPartialAuc(int cls, int replicates, long seed, double maxFpr) {
        Ranked r = ranked(cls, seed);
        double[] wPos = r.wPos;
        double[] wNeg = r.wNeg;
        long[] h = r.h;
        double[] out = new double[replicates];
        IntStream.range(0, replicates).parallel().forEach(b -> {
            double pTot = 0, nTot = 0;
            for (int j = 0; j < n; j++) {
                int d = Poisson.draw(h[j], b);
                pTot += d * wPos[j];
                nTot += d * wNeg[j];
            }
            if (pTot <= 0 || nTot <= 0) {
                out[b] = Double.NaN;
                return;
            }
            double tp = 0, fp = 0, prevX = 0, prevY = 0, area = 0;
            int from = 0;
            for (int end : r.groupEnd) {
                for (int j = from; j < end; j++) {
                    int d = Poisson.draw(h[j], b);
                    tp += d * wPos[j];
                    fp += d * wNeg[j];
                }
                from = end;
                double x = fp / nTot;
                double y = tp / pTot;
                if (x > maxFpr) { // cut the segment at maxFpr, as scikit-learn interpolates
                    double yCut = prevY + (y - prevY) * (maxFpr - prevX) / (x - prevX);
                    area += (maxFpr - prevX) * (prevY + yCut) / 2.0;
                    break;
                }
                area += (x - prevX) * (y + prevY) / 2.0;
                prevX = x;
                prevY = y;
            }
            out[b] = maxFpr == 1 ? area : Curves.mcClish(area, maxFpr);
        });
        return out;
    }

    /**
     * One-vs-one ROC AUCs (Hand &amp; Till, scikit-learn's {@code multi_class="ovo"}): {@code [a * K + b]} is the AUC
     * of class a's score separating rows of class a from rows of class b, by the Mann-Whitney count (ties count ½);
     * {@code [K * K + c]} is the number of rows of class c. Null for weighted data (scikit-learn refuses sample
     * weights here) and for two classes.
     */
    @Override
    public double[] ovoAuc() {
        if (!ovoDefined()) {
            return null;
        }
        // counts(c) of every class (the ROC curves) has gathered the sums; else walk each class's order here
        if (ovoPoint == null || !ovoPoint.isFor(1, 0, n) || !ovoPoint.complete()) {
            ovoPoint = new OvoSums(1, 0, n, k);
            double[] s = new double[n];
            int[] lab = new int[n];
            for (int a = 0; a < k; a++) {
                int[] perm = order(a);
                for (int j = 0; j < n; j++) {
                    s[j] = scores[perm[j] * k + a];
                    lab[j] = labels[perm[j]];
                }
                ovoRow(s, lab, n, a, k, ovoPoint.sums[0]);
                ovoPoint.done(a);
            }
        }
        double[] out = ovoPoint.sums[0].clone();
        normalizeOvo(out, k);
        return out;
    }

    /** Mann-Whitney counts to AUCs: divided by both classes' sizes (NaN on the diagonal and for an empty class). */
    private static void normalizeOvo(double[] v, int k) {
        for (int a = 0; a < k; a++) {
            for (int c = 0; c < k; c++) {
                double na = v[k * k + a];
                double nc = v[k * k + c];
                v[a * k + c] = a == c || na == 0 || nc == 0 ? Double.NaN : v[a * k + c] / (na * nc);
            }
        }
    }

    /** Most replicate × class × class cells the one-vs-one AUC replicates keep. */
    static final long MAX_OVO_CELLS = 16L << 20;

    /**
     * {@link #ovoAuc()} in each Poisson bootstrap replicate ({@code [b]}, same layout); null when {@link #ovoAuc()}
     * is or the replicates would be too big.
     */
    @Override
    public double[][] bootstrapOvoAuc(int replicates, long seed) {
        if (!ovoDefined() || (long) replicates * k * (k + 1) > MAX_OVO_CELLS) {
            return null;
        }
        if (ovoReplicates != null && ovoReplicates.isFor(replicates, seed, n) && ovoReplicates.complete()) {
            // bootstrapAucAp of every class has gathered them, from the same draws
            double[][] sums = ovoReplicates.sums;
            ovoReplicates = null;
            for (double[] rep : sums) {
                normalizeOvo(rep, k);
            }
            return sums;
        }
        double[][] out = new double[replicates][k * k + k];
        for (int a = 0; a < k; a++) {
            int[] perm = order(a);
            int[] lab = new int[n];
            long[] h = new long[n];
            int[] groupEnd = new int[n]; // for a group's first row, the index after its last; else 0
            int start = 0;
            for (int j = 0; j < n; j++) {
                int i = perm[j];
                lab[j] = labels[i];
                h[j] = Poisson.rowHash(seed, keys[i]);
                if (j == n - 1 || scores[i * k + a] != scores[perm[j + 1] * k + a]) {
                    groupEnd[start] = j + 1;
                    start = j + 1;
                }
            }
            final int cls = a;
            IntStream.range(0, replicates).parallel().forEach(b -> {
                double[] rep = out[b];
                double aAbove = 0;
                for (int g = 0; g < n; g = groupEnd[g]) {
                    int end = groupEnd[g];
                    double aInGroup = 0;
                    for (int j = g; j < end; j++) {
                        if (lab[j] == cls) {
                            aInGroup += Poisson.draw(h[j], b);
                        }
                    }
                    double credit = aAbove + 0.5 * aInGroup;
                    for (int j = g; j < end; j++) {
                        if (lab[j] != cls) {
                            rep[cls * k + lab[j]] += Poisson.draw(h[j], b) * credit;
                        }
                    }
                    aAbove += aInGroup;
                }
                if (cls == 0) {
                    for (int j = 0; j < n; j++) {
                        rep[k * k + lab[j]] += Poisson.draw(h[j], b);
                    }
                }
            });
        }
        for (double[] rep : out) {
            normalizeOvo(rep, k);
        }
        return out;
    }

    @Override
    public Calibration.Reliability equalMass(int bins) {
        double[] conf = new double[n];
        for (int i = 0; i < n; i++) {
            conf[i] = score(i, preds[i]);
        }
        int[] perm = Sorting.ascending(conf, n);
        // one group per distinct confidence, so that ties never straddle two bins
        double[] groups = new double[n * 3];
        double[] values = new double[n];
        int g = -1;
        for (int j = 0; j < n; j++) {
            int i = perm[j];
            if (g < 0 || conf[i] != values[g]) {
                values[++g] = conf[i];
            }
            double w = weight(i);
            groups[g * 3] += w;
            groups[g * 3 + 1] += w * conf[i];
            groups[g * 3 + 2] += preds[i] == labels[i] ? w : 0;
        }
        return Calibration.equalMass(groups, values, values, g + 1, bins);
    }

    @Override
    public double aucErrorBound(int cls) {
        return 0;
    }
}
