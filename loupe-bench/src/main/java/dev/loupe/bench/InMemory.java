package dev.loupe.bench;

import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.BootstrapState;
import dev.loupe.metrics.ConfusionState;
import dev.loupe.metrics.Curves;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import dev.loupe.metrics.ExactRankingState;
import dev.loupe.metrics.ProbabilityState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The in-memory counterpart of {@code bench/sklearn_side.py}'s (a): loads the benchmark arrays, cuts them into
 * prebuilt {@link PredictionBatch}es and times {@code EvaluationState} update + result with bootstrap 0 (best of
 * {@code --repeat} after a warm-up run); then (c), 1,000 Poisson-bootstrap replicates on the first 1M binary rows.
 * With {@code --breakdown} it also times each sub-state on its own to show where the time goes.
 *
 * <pre>
 * java -Xmx8g -cp loupe-bench/target/loupe-bench.jar dev.loupe.bench.InMemory \
 *     --dir bench/out --binary binary_10m --multi multi10_1m --json bench/out/loupe_inmemory.json
 * </pre>
 */
public final class InMemory {
    /** Before each timed run, wait up to this many seconds for idle CPUs (0: don't). */
    private static int WAIT_IDLE;

    private InMemory() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("bench/out");
        String binary = "binary_10m";
        String multi = "multi10_1m";
        int repeat = 3;
        int batchRows = 65_536;
        int bootRows = 1_000_000;
        int bootReps = 1000;
        int bootRepeat = 2;
        boolean breakdown = false;
        Path json = null;
        int waitIdle = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--binary" -> binary = args[++i];
                case "--multi" -> multi = args[++i];
                case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                case "--batch" -> batchRows = Integer.parseInt(args[++i]);
                case "--boot-rows" -> bootRows = Integer.parseInt(args[++i]);
                case "--boot-reps" -> bootReps = Integer.parseInt(args[++i]);
                case "--boot-repeat" -> bootRepeat = Integer.parseInt(args[++i]);
                case "--breakdown" -> breakdown = true;
                case "--json" -> json = Path.of(args[++i]);
                case "--wait-idle" -> waitIdle = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: InMemory [--dir D] [--binary NAME|none] [--multi NAME|none] [--repeat N] "
                            + "[--batch ROWS] [--boot-rows N] [--boot-reps R|0] [--boot-repeat N] [--breakdown] [--json OUT] [--wait-idle SECONDS]");
                    System.exit(2);
                }
            }
        }
        WAIT_IDLE = waitIdle;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cores", Runtime.getRuntime().availableProcessors());
        out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        out.put("batch_rows", batchRows);
        BenchData bin = null;
        if (!binary.equals("none")) {
            bin = BenchData.load(dir, binary);
            out.put("binary", evaluate(bin, repeat, batchRows, breakdown));
        }
        if (!multi.equals("none")) {
            BenchData mc = BenchData.load(dir, multi);
            out.put("multi", evaluate(mc, repeat, batchRows, breakdown));
        }
        if (bootReps > 0) {
            if (bin == null) {
                bin = BenchData.synthesize(2, bootRows, 42);
            }
            out.put("bootstrap", bootstrap(bin, bootRows, bootReps, bootRepeat, batchRows, breakdown));
        }
        String text = Json.write(out);
        System.out.println(text);
        if (json != null) {
            Files.writeString(json, text + "\n");
        }
    }

    /** CPU time of the whole JVM process (all threads, JIT and GC included), in ns; −1 when unavailable. */
    static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    /** Bytes allocated so far by the calling thread (the update / result thread), −1 when unavailable. */
    static long allocatedBytes() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        return t instanceof com.sun.management.ThreadMXBean sun ? sun.getCurrentThreadAllocatedBytes() : -1;
    }

    /** ns[0] = update wall, ns[1] = result wall, ns[2] = process CPU over both, ns[3] = bytes allocated by result(). */
    private static EvaluationResult run(EvaluationConfig cfg, List<PredictionBatch> batches, List<String> classes, long[] ns) {
        long c0 = processCpuNanos();
        long t0 = System.nanoTime();
        EvaluationState state = new EvaluationState(cfg);
        for (PredictionBatch b : batches) {
            state.update(b);
        }
        long t1 = System.nanoTime();
        long a1 = allocatedBytes();
        EvaluationResult r = state.result(classes);
        long t2 = System.nanoTime();
        ns[3] = allocatedBytes() - a1;
        ns[0] = t1 - t0;
        ns[1] = t2 - t1;
        ns[2] = processCpuNanos() - c0;
        return r;
    }

    private static Map<String, Object> evaluate(BenchData d, int repeat, int batchRows, boolean breakdown) {
        List<PredictionBatch> batches = d.batches(d.n, batchRows);
        EvaluationConfig cfg = EvaluationConfig.defaults(d.k, d.positive()).withBootstrap(0, 0);
        List<String> classes = d.classes();
        long[] ns = new long[4];
        run(cfg, batches, classes, ns); // warm-up
        log("%s warm-up: %.3f s", d.name, (ns[0] + ns[1]) / 1e9);
        List<Double> runs = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        double best = Double.MAX_VALUE;
        double bestUpdate = 0;
        double bestResult = 0;
        double bestCpu = 0;
        EvaluationResult r = null;
        for (int i = 0; i < repeat; i++) {
            Idle.await(WAIT_IDLE);
            r = run(cfg, batches, classes, ns);
            double total = (ns[0] + ns[1]) / 1e9;
            runs.add(total);
            cpus.add(ns[2] / 1e9);
            log("%s run %d: %.3f s (update %.3f s, result %.3f s; cpu %.3f s)", d.name, i + 1, total, ns[0] / 1e9,
                    ns[1] / 1e9, ns[2] / 1e9);
            if (total < best) {
                best = total;
                bestUpdate = ns[0] / 1e9;
                bestResult = ns[1] / 1e9;
                bestCpu = ns[2] / 1e9;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name);
        m.put("rows", d.n);
        m.put("classes", d.k);
        m.put("seconds", best);
        m.put("update_s", bestUpdate);
        m.put("result_s", bestResult);
        m.put("cpu_s", bestCpu);
        m.put("runs_s", runs);
        m.put("runs_cpu_s", cpus);
        m.put("result_allocated_mb", ns[3] >> 20);
        m.put("values", values(r));
        if (breakdown) {
            m.put("breakdown_s", breakdown(d, batches, cfg));
        }
        return m;
    }

    private static Map<String, Object> values(EvaluationResult r) {
        Map<String, Object> v = new LinkedHashMap<>();
        for (String key : List.of("accuracy", "balanced_accuracy", "f1_macro", "f1_micro", "f1_weighted", "f1", "mcc",
                "cohen_kappa", "top_2_accuracy", "roc_auc", "roc_auc_ovr_weighted", "average_precision", "log_loss", "brier")) {
            MetricValue mv = r.metric(key);
            if (mv != null) {
                v.put(key, mv.value());
            }
        }
        return v;
    }

    /** Each sub-state alone, best of 2, to show where update + result time goes. */
    private static Map<String, Object> breakdown(BenchData d, List<PredictionBatch> batches, EvaluationConfig cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        int k = d.k;
        m.put("confusion_update", best(() -> {
            ConfusionState s = new ConfusionState(k);
            batches.forEach(s::update);
        }));
        m.put("probability_update", best(() -> {
            ProbabilityState s = new ProbabilityState(k, cfg.topK(), cfg.calibrationBins(), cfg.histogramBins());
            batches.forEach(s::update);
        }));
        m.put("ranking_update", best(() -> {
            ExactRankingState s = new ExactRankingState(k);
            batches.forEach(s::update);
        }));
        ExactRankingState ranking = new ExactRankingState(k);
        batches.forEach(ranking::update);
        m.put("ranking_counts_all_classes", best(() -> {
            for (int c = 0; c < k; c++) {
                ranking.counts(c);
            }
        }));
        List<Curves.ThresholdCounts> counts = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            counts.add(ranking.counts(c));
        }
        m.put("thresholds_last_class", counts.get(k - 1).size());
        m.put("roc_pr_from_counts_all_classes", best(() -> {
            for (Curves.ThresholdCounts tc : counts) {
                Curves.roc(tc);
                Curves.pr(tc);
            }
        }));
        m.put("equal_mass_calibration", best(() -> ranking.equalMass(cfg.calibrationBins())));
        return m;
    }

    private static double best(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            r.run();
            double s = (System.nanoTime() - t) / 1e9;
            if (i > 0) { // first call is the warm-up
                best = Math.min(best, s);
            }
        }
        return best;
    }

    private static Map<String, Object> bootstrap(BenchData d, int rows, int reps, int repeat, int batchRows, boolean breakdown) {
        List<PredictionBatch> batches = d.batches(rows, batchRows);
        int n = batches.stream().mapToInt(PredictionBatch::size).sum();
        EvaluationConfig cfg = EvaluationConfig.defaults(d.k, d.positive()).withBootstrap(reps, 0);
        List<String> classes = d.classes();
        long[] ns = new long[4];
        // warm-up on a tenth of the rows
        run(cfg, batches.subList(0, Math.max(1, batches.size() / 10)), classes, ns);
        log("bootstrap warm-up (%d batches): %.3f s", Math.max(1, batches.size() / 10), (ns[0] + ns[1]) / 1e9);
        double best = Double.MAX_VALUE;
        double bestUpdate = 0;
        double bestResult = 0;
        double bestCpu = 0;
        List<Double> runs = new ArrayList<>();
        List<Double> cpus = new ArrayList<>();
        EvaluationResult r = null;
        for (int i = 0; i < repeat; i++) {
            Idle.await(WAIT_IDLE);
            r = run(cfg, batches, classes, ns);
            double total = (ns[0] + ns[1]) / 1e9;
            runs.add(total);
            cpus.add(ns[2] / 1e9);
            log("bootstrap %d x %d rows run %d: %.3f s (update %.3f s, result %.3f s; cpu %.3f s)", reps, n, i + 1,
                    total, ns[0] / 1e9, ns[1] / 1e9, ns[2] / 1e9);
            if (total < best) {
                best = total;
                bestUpdate = ns[0] / 1e9;
                bestResult = ns[1] / 1e9;
                bestCpu = ns[2] / 1e9;
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", d.name);
        m.put("rows", n);
        m.put("replicates", reps);
        m.put("seconds", best);
        m.put("update_s", bestUpdate);
        m.put("result_s", bestResult);
        m.put("cpu_s", bestCpu);
        m.put("runs_s", runs);
        m.put("runs_cpu_s", cpus);
        MetricValue auc = r.metric("roc_auc");
        m.put("roc_auc_ci", List.of(auc.ciLow(), auc.ciHigh()));
        if (breakdown) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("bootstrap_state_update", best(() -> {
                BootstrapState s = new BootstrapState(d.k, reps, 0, cfg.topK(), cfg.calibrationBins());
                batches.forEach(s::update);
            }));
            ExactRankingState ranking = new ExactRankingState(d.k);
            batches.forEach(ranking::update);
            b.put("ranking_bootstrap_auc_ap", best(() -> ranking.bootstrapAucAp(1, reps, 0)));
            m.put("breakdown_s", b);
        }
        return m;
    }

    private static void log(String fmt, Object... args) {
        System.err.println("  loupe " + String.format(Locale.ROOT, fmt, args));
    }
}
