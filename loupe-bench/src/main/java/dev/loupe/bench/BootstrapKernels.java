package dev.loupe.bench;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.BootstrapState;
import dev.loupe.metrics.ExactRankingState;
import dev.loupe.metrics.Poisson;

import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Diagnostics for target (c): times the pieces of the Poisson bootstrap on the first {@code rows} binary rows
 * with {@code reps} replicates, next to alternative formulations of the same kernels (with the draw of before issue 11), to show where the time goes and what a change would buy. Not a JMH benchmark on purpose: each
 * piece runs once after a warm-up, single-threaded and on all cores.
 *
 * <pre>java -cp loupe-bench/target/loupe-bench.jar dev.loupe.bench.BootstrapKernels [rows] [reps]</pre>
 */
public final class BootstrapKernels {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    /** Poisson(1) CDF scaled to 2^53, as {@link Poisson}. */
    private static final long[] CDF = new long[20];
    /** For the top 16 bits of u: the draw when the whole bucket lies within one CDF step, else −1. */
    private static final byte[] TABLE = new byte[1 << 16];

    static {
        double p = Math.exp(-1);
        double s = 0;
        for (int k = 0; k < CDF.length; k++) {
            s += p;
            CDF[k] = (long) Math.min(s * 0x1p53, 0x1p53);
            p /= (k + 1);
        }
        CDF[CDF.length - 1] = 1L << 53;
        for (int t = 0; t < TABLE.length; t++) {
            long lo = (long) t << 37;
            long hi = lo + (1L << 37) - 1;
            int a = slow(lo);
            TABLE[t] = (byte) (a == slow(hi) ? a : -1);
        }
    }

    private BootstrapKernels() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static int slow(long u) {
        int k = 0;
        while (u >= CDF[k]) {
            k++;
        }
        return k;
    }

    /**
     * The per-replicate draw that shipped before issue 11 (one mix per row and replicate; a 64K-entry table on the
     * top 16 bits, the CDF walk only in the ~20 straddling buckets): the copies of the kernels below use it, so they
     * show the old cost next to {@link Poisson#draws4}'s (a different stream with the same distribution).
     */
    static int drawTable(long rowHash, int replicate) {
        long u = mix(rowHash + (replicate + 1L) * GOLDEN) >>> 11;
        int d = TABLE[(int) (u >>> 37)];
        return d >= 0 ? d : slow(u);
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        BenchData d = BenchData.exists(java.nio.file.Path.of("bench/out"), "binary_10m")
                ? BenchData.load(java.nio.file.Path.of("bench/out"), "binary_10m") : BenchData.synthesize(2, rows, 42);
        List<PredictionBatch> batches = d.batches(rows, 65_536);
        int n = Math.min(rows, d.n);
        long[] h = new long[n];
        for (int i = 0; i < n; i++) {
            h[i] = Poisson.rowHash(0, i);
        }
        double cells = (double) n * reps;
        System.out.printf(Locale.ROOT, "%d rows x %d replicates = %.2e row-replicates; %d cores%n", n, reps, cells,
                Runtime.getRuntime().availableProcessors());
        // 1. the draw alone
        time("Poisson.draw alone, 1 thread", cells, () -> {
            long sum = 0;
            for (int b = 0; b < reps; b++) {
                for (int i = 0; i < n; i++) {
                    sum += Poisson.draw(h[i], b);
                }
            }
            return sum;
        });
        time("mix only (no CDF walk), 1 thread", cells, () -> {
            long sum = 0;
            for (int b = 0; b < reps; b++) {
                for (int i = 0; i < n; i++) {
                    sum += mix(h[i] + (b + 1L) * GOLDEN) >>> 62;
                }
            }
            return sum;
        });
        time("table draw, 1 thread", cells, () -> {
            long sum = 0;
            for (int b = 0; b < reps; b++) {
                for (int i = 0; i < n; i++) {
                    sum += drawTable(h[i], b);
                }
            }
            return sum;
        });
        // 2. BootstrapState.update as it is
        time("BootstrapState.update (all cores)", cells, () -> {
            BootstrapState s = new BootstrapState(2, reps, 0, 0, 15);
            batches.forEach(s::update);
            return s.replicates();
        });
        // 3. its inner loop, replicated, with the table draw and with row blocking
        Prep p = new Prep(d, n);
        time("update loop as is (copy), all cores", cells, () -> p.update(reps, false, n));
        time("update loop, table draw, all cores", cells, () -> p.update(reps, true, n));
        time("update loop, table draw, 4096-row blocks, all cores", cells, () -> p.update(reps, true, 4096));
        time("update loop, table draw, header sums in locals, all cores", cells, () -> p.updateLocals(reps, true));
        time("  same, no skip of zero draws (branch-free)", cells, () -> p.updateLocals(reps, false));
        time("update, 4 replicates per row pass, table draw, all cores", cells, () -> p.updateInterleaved(reps));
        // 4. the ranking bootstrap pass
        ExactRankingState ranking = new ExactRankingState(2);
        batches.forEach(ranking::update);
        time("ExactRankingState.bootstrapAucAp (all cores)", cells, () -> ranking.bootstrapAucAp(1, reps, 0)[0][0]);
        time("AUC/AP pass as is (copy), table draw, all cores", cells, () -> p.aucApAsIs(reps));
        time("AUC/AP pass, groups precomputed, table draw, all cores", cells, () -> p.aucAp(reps));
    }

    interface Work {
        Object run();
    }

    private static void time(String what, double cells, Work w) {
        w.run(); // warm-up
        long t = System.nanoTime();
        Object r = w.run();
        double s = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "  %-58s %8.3f s  %6.2f ns/row-replicate  (x1000 reps: %.1f s/1M rows)  [%s]%n",
                what, s, s * 1e9 / cells, s * 1e9 / cells * 1e9 / 1e9, r);
    }

    /** The per-row arrays BootstrapState.update builds, for the replicated loops. */
    private static final class Prep {
        final int n;
        final long[] hash;
        final double[] w;
        final double[] ll;
        final double[] br;
        final int[] cell;
        final int[] bin;
        final double[] conf;
        final double[] correct;
        // ranking: sorted by descending score, group ends
        final boolean[] pos;
        final int[] groupEnd;
        final long[] sortedHash;

        Prep(BenchData d, int n) {
            this.n = n;
            hash = new long[n];
            w = new double[n];
            ll = new double[n];
            br = new double[n];
            cell = new int[n];
            bin = new int[n];
            conf = new double[n];
            correct = new double[n];
            for (int i = 0; i < n; i++) {
                int t = d.labels[i];
                int p = d.preds[i];
                double s = d.probs[2 * i + 1];
                hash[i] = Poisson.rowHash(0, i);
                w[i] = 1;
                ll[i] = -Math.log(Math.max(d.probs[2 * i + t], Math.ulp(1.0)));
                br[i] = (s - t) * (s - t);
                cell[i] = 4 + t * 2 + p;
                conf[i] = d.probs[2 * i + p];
                bin[i] = 8 + Math.min(14, (int) (conf[i] * 15)) * 3;
                correct[i] = p == t ? 1 : 0;
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> Double.compare(d.probs[2 * b + 1], d.probs[2 * a + 1]));
            pos = new boolean[n];
            sortedHash = new long[n];
            int[] ends = new int[n];
            int g = 0;
            for (int j = 0; j < n; j++) {
                int i = order[j];
                pos[j] = d.labels[i] == 1;
                sortedHash[j] = hash[i];
                if (j == n - 1 || d.probs[2 * i + 1] != d.probs[2 * order[j + 1] + 1]) {
                    ends[g++] = j + 1;
                }
            }
            groupEnd = java.util.Arrays.copyOf(ends, g);
        }

        Object update(int reps, boolean table, int block) {
            int stride = 4 + 4 + 15 * 3;
            double[] acc = new double[reps * stride];
            int chunks = Math.min(reps, Runtime.getRuntime().availableProcessors() * 4);
            IntStream.range(0, chunks).parallel().forEach(ch -> {
                int from = (int) ((long) reps * ch / chunks);
                int to = (int) ((long) reps * (ch + 1) / chunks);
                for (int lo = 0; lo < n; lo += block) {
                    int hi = Math.min(n, lo + block);
                    for (int b = from; b < to; b++) {
                        int base = b * stride;
                        for (int i = lo; i < hi; i++) {
                            int dd = table ? drawTable(hash[i], b) : Poisson.draw(hash[i], b);
                            if (dd == 0) {
                                continue;
                            }
                            double ww = w[i] * dd;
                            acc[base] += ww;
                            acc[base + 1] += ww * ll[i];
                            acc[base + 2] += ww * br[i];
                            acc[base + 3] += ww * 0;
                            acc[base + cell[i]] += ww;
                            int cb = base + bin[i];
                            acc[cb] += ww;
                            acc[cb + 1] += ww * conf[i];
                            acc[cb + 2] += ww * correct[i];
                        }
                    }
                }
            });
            return acc[0];
        }

        Object updateInterleaved(int reps) {
            int stride = 4 + 4 + 15 * 3;
            double[] acc = new double[reps * stride];
            int groups = (reps + 3) / 4;
            IntStream.range(0, groups).parallel().forEach(gi -> {
                int b0 = gi * 4;
                if (b0 + 4 > reps) {
                    return; // a tail group would be done one by one; reps is a multiple of 4 here
                }
                int base0 = b0 * stride;
                int base1 = base0 + stride;
                int base2 = base1 + stride;
                int base3 = base2 + stride;
                double w0 = 0, w1 = 0, w2 = 0, w3 = 0, l0 = 0, l1 = 0, l2 = 0, l3 = 0, r0 = 0, r1 = 0, r2 = 0, r3 = 0;
                for (int i = 0; i < n; i++) {
                    long hh = hash[i];
                    double d0 = drawTable(hh, b0), d1 = drawTable(hh, b0 + 1), d2 = drawTable(hh, b0 + 2), d3 = drawTable(hh, b0 + 3);
                    double wi = w[i], lli = ll[i], bri = br[i], ci = conf[i], ki = correct[i];
                    int c = cell[i], bn = bin[i];
                    d0 *= wi; d1 *= wi; d2 *= wi; d3 *= wi;
                    w0 += d0; w1 += d1; w2 += d2; w3 += d3;
                    l0 += d0 * lli; l1 += d1 * lli; l2 += d2 * lli; l3 += d3 * lli;
                    r0 += d0 * bri; r1 += d1 * bri; r2 += d2 * bri; r3 += d3 * bri;
                    acc[base0 + c] += d0; acc[base1 + c] += d1; acc[base2 + c] += d2; acc[base3 + c] += d3;
                    acc[base0 + bn] += d0; acc[base1 + bn] += d1; acc[base2 + bn] += d2; acc[base3 + bn] += d3;
                    acc[base0 + bn + 1] += d0 * ci; acc[base1 + bn + 1] += d1 * ci;
                    acc[base2 + bn + 1] += d2 * ci; acc[base3 + bn + 1] += d3 * ci;
                    acc[base0 + bn + 2] += d0 * ki; acc[base1 + bn + 2] += d1 * ki;
                    acc[base2 + bn + 2] += d2 * ki; acc[base3 + bn + 2] += d3 * ki;
                }
                acc[base0] += w0; acc[base1] += w1; acc[base2] += w2; acc[base3] += w3;
                acc[base0 + 1] += l0; acc[base1 + 1] += l1; acc[base2 + 1] += l2; acc[base3 + 1] += l3;
                acc[base0 + 2] += r0; acc[base1 + 2] += r1; acc[base2 + 2] += r2; acc[base3 + 2] += r3;
            });
            return acc[0];
        }

        Object updateLocals(int reps, boolean skipZero) {
            int stride = 4 + 4 + 15 * 3;
            double[] acc = new double[reps * stride];
            IntStream.range(0, reps).parallel().forEach(b -> {
                int base = b * stride;
                double sw = 0, sll = 0, sbr = 0;
                for (int i = 0; i < n; i++) {
                    int dd = drawTable(hash[i], b);
                    if (skipZero && dd == 0) {
                        continue;
                    }
                    double ww = w[i] * dd;
                    sw += ww;
                    sll += ww * ll[i];
                    sbr += ww * br[i];
                    acc[base + cell[i]] += ww;
                    int cb = base + bin[i];
                    acc[cb] += ww;
                    acc[cb + 1] += ww * conf[i];
                    acc[cb + 2] += ww * correct[i];
                }
                acc[base] += sw;
                acc[base + 1] += sll;
                acc[base + 2] += sbr;
            });
            return acc[0];
        }

        Object aucApAsIs(int reps) {
            double[] out = new double[reps];
            IntStream.range(0, reps).parallel().forEach(b -> {
                double tp = 0, fp = 0, prevTp = 0, prevFp = 0, area = 0, apSum = 0;
                int g = 0;
                for (int j = 0; j < n; j++) {
                    int d = drawTable(sortedHash[j], b);
                    if (d != 0) {
                        if (pos[j]) {
                            tp += d;
                        } else {
                            fp += d;
                        }
                    }
                    if (j == groupEnd[g] - 1) {
                        g++;
                        area += (fp - prevFp) * (tp + prevTp) / 2.0;
                        double ps = tp + fp;
                        if (ps != 0) {
                            apSum += (tp - prevTp) * (tp / ps);
                        }
                        prevTp = tp;
                        prevFp = fp;
                    }
                }
                out[b] = area / (tp * fp);
            });
            return out[0];
        }

        Object aucAp(int reps) {
            double[] out = new double[reps];
            IntStream.range(0, reps).parallel().forEach(b -> {
                double tp = 0, fp = 0, prevTp = 0, prevFp = 0, area = 0, apSum = 0;
                int j = 0;
                for (int end : groupEnd) {
                    long ptot = 0;
                    long ntot = 0;
                    for (; j < end; j++) {
                        int dd = drawTable(sortedHash[j], b);
                        // branch-free: add the draw to one of two counters
                        long m = pos[j] ? -1L : 0L;
                        ptot += dd & m;
                        ntot += dd & ~m;
                    }
                    tp += ptot;
                    fp += ntot;
                    area += (fp - prevFp) * (tp + prevTp);
                    double ps = tp + fp;
                    if (ps != 0) {
                        apSum += (tp - prevTp) * (tp / ps);
                    }
                    prevTp = tp;
                    prevFp = fp;
                }
                out[b] = area / 2 / (tp * fp);
            });
            return out[0];
        }
    }
}
