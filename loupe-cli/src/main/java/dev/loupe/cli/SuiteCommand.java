package dev.loupe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.loupe.api.MetricValue;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoredMetric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code loupe suite --config suite.toml}: evaluate, slices, fairness, robustness and generalization as one suite run
 * with child runs. The suite run is created first (running, with a heartbeat); each part runs as the command a user
 * would type ({@code evaluate} with the slices, fairness and {@code --ood} of the file; {@code robustness}), recorded
 * as a child run whose {@code parent_run} param names the suite run; then the suite run takes the children's metrics
 * (so {@code loupe check} gates a whole suite), keeps the configuration and {@code suite.json} (its parts and their
 * runs) as artifacts, and the file's [gates] are judged as {@code loupe check} would.
 */
@Command(name = "suite", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a suite of evaluations described in a file as one run with child runs.",
            "The file (TOML, YAML or JSON; see docs/suite.md and examples/suite.toml) names a predictions file or a model"
                + " and its data, and the parts to run: [slices], [fairness], [robustness], [generalization] and [gates]."
                + " Every part is recorded as a child run of the suite run; the suite run holds every child's metrics,"
                + " so 'loupe check SUITE_RUN' gates the whole suite."},
        footer = {"", "Example:", "  loupe suite --config examples/suite.toml",
            "", "Exit codes: 0 every part ran (and every gate holds), " + CheckCommand.GATE_FAILED + " a gate failed,"
                + " 2 bad input (the message names the file, line and key), 1 internal error."})
final class SuiteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The suite file: .toml, .yaml/.yml or .json.")
    Path config;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write the [gates] verdicts as JUnit XML (as loupe check --junit).")
    Path junit;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @Mixin
    StoreOption store;

    /** Seconds between heartbeats of the suite run while its parts run (the store marks silent runs crashed). */
    static final int HEARTBEAT_SECONDS = 20;

    /** One part of the suite: what it covers and the command that runs it. */
    record Part(String name, List<String> covers, java.util.function.Supplier<Outcome> command) {
    }

    /** A part's exit code and the run it recorded (null when it recorded none). */
    record Outcome(int exit, String run) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SuiteConfig cfg = SuiteConfig.read(config);
        List<Part> parts = parts(cfg, out, err);
        long start = System.nanoTime();
        RunInfo suite;
        try (RunStore s = store.open()) {
            suite = s.createRun(new RunSpec(cfg.experiment(), cfg.name(), provenance(cfg), null));
            s.putParams(suite.id(), params(cfg));
        }
        parentId = suite.id();
        List<Map<String, Object>> done = new ArrayList<>();
        int exit = 0;
        ScheduledExecutorService heart = heartbeat(suite.id());
        try {
            for (int i = 0; i < parts.size() && exit == 0; i++) {
                Part p = parts.get(i);
                if (!quiet) {
                    err.println(String.format(Locale.ROOT, "suite %s [%d/%d] %s%s  (%.1f s so far)", TableReport.safe(cfg.name()),
                            i + 1, parts.size(), bar(i, parts.size()), " " + p.name() + (p.covers().size() > 1
                                    ? " (" + String.join(", ", p.covers()) + ")" : ""), (System.nanoTime() - start) / 1e9));
                }
                Outcome o = p.command().get();
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("part", p.name());
                d.put("covers", p.covers());
                d.put("run", o.run());
                d.put("exit", o.exit());
                done.add(d);
                exit = o.exit();
            }
        } finally {
            heart.shutdownNow();
        }
        RunStatus status = exit == 0 ? RunStatus.FINISHED : RunStatus.FAILED;
        try (RunStore s = store.open()) {
            s.transaction(() -> {
                for (Map<String, Object> d : done) {
                    if (d.get("run") instanceof String child) {
                        s.putMetrics(suite.id(), inherited(s.metrics(child), "robustness".equals(d.get("part"))));
                    }
                }
                s.putArtifact(suite.id(), "suite.json", "application/json", new ByteArrayInputStream(document(cfg, done)));
                s.putArtifact(suite.id(), "suite" + extension(config), "text/plain", new ByteArrayInputStream(bytes(config)));
                s.finish(suite.id(), status);
                return null;
            });
        }
        if (!quiet) {
            err.println(String.format(Locale.ROOT, "suite %s [%d/%d] %s %s in %.1f s: run %s", TableReport.safe(cfg.name()),
                    done.size(), parts.size(), bar(exit == 0 ? parts.size() : done.size() - 1, parts.size()),
                    exit == 0 ? "finished" : "failed at " + done.get(done.size() - 1).get("part"),
                    (System.nanoTime() - start) / 1e9, suite.id()));
        }
        out.println("suite run " + suite.id() + " (" + (exit == 0 ? "finished" : "failed") + "): "
                + done.stream().map(d -> d.get("part") + " " + (d.get("run") == null ? "(not recorded)" : d.get("run")))
                        .reduce((a, b) -> a + ", " + b).orElse("no parts"));
        out.flush();
        if (exit != 0 || cfg.gates() == null) {
            return exit;
        }
        return Main.run(new CheckCommand(), checkArgs(cfg.gates(), suite.id()), out, err);
    }

    private static String bar(int done, int total) {
        int width = 20;
        int fill = total == 0 ? width : Math.round(width * (float) done / total);
        return "[" + "#".repeat(fill) + " ".repeat(width - fill) + "]";
    }

    /** The parts the file asks for, in order: evaluate (with slices, fairness, generalization), then robustness. */
    private List<Part> parts(SuiteConfig cfg, PrintWriter out, PrintWriter err) {
        List<Part> parts = new ArrayList<>();
        List<String> covers = new ArrayList<>(List.of("evaluate"));
        List<String> args = new ArrayList<>(List.of("evaluate"));
        if (cfg.predictions() != null) {
            args.addAll(List.of("--predictions", cfg.predictions().toString()));
        } else {
            args.addAll(List.of("--model", cfg.model(), "--data", cfg.data().toString()));
        }
        args.addAll(cfg.options());
        if (cfg.slices() != null) {
            covers.add("slices");
            if (!cfg.slices().by().isEmpty()) {
                args.addAll(List.of("--slice-by", String.join(",", cfg.slices().by())));
            }
            cfg.slices().derived().forEach(d -> args.addAll(List.of("--slice", d)));
            if (!cfg.slices().heatmap().isEmpty()) {
                args.addAll(List.of("--heatmap", String.join(",", cfg.slices().heatmap())));
            }
            if (cfg.slices().weak()) {
                args.addAll(List.of("--weak-slices", "--min-support", String.valueOf(cfg.slices().minSupport())));
            }
        }
        if (cfg.fairness() != null) {
            covers.add("fairness");
            args.addAll(List.of("--group-col", cfg.fairness()));
        }
        if (cfg.ood() != null) {
            covers.add("generalization");
            args.addAll(List.of("--ood", cfg.ood().toString()));
        }
        parts.add(new Part("evaluate", List.copyOf(covers), () -> {
            EvaluateCommand c = new EvaluateCommand();
            int code = Main.run(c, child(args, cfg, "evaluate"), out, err);
            return new Outcome(code, c.recorded);
        }));
        if (cfg.robustness() != null) {
            List<String> r = new ArrayList<>(List.of("robustness", "--model", cfg.model(), "--data", cfg.data().toString(),
                    "--perturb", String.join(",", cfg.robustness().perturb())));
            for (int i = 0; i < cfg.options().size(); i += 2) {
                if (!cfg.options().get(i).equals("--threshold")) { // robustness decides by arg-max
                    r.addAll(cfg.options().subList(i, i + 2));
                }
            }
            if (cfg.robustness().counterfactualNames()) {
                r.add("--counterfactual-names");
            }
            parts.add(new Part("robustness", List.of("robustness"), () -> {
                RobustnessCommand c = new RobustnessCommand();
                int code = Main.run(c, child(r, cfg, "robustness"), out, err);
                return new Outcome(code, c.recorded);
            }));
        }
        return parts;
    }

    /** A child's command line: the part's options plus the suite's seed, bootstrap, store and run naming. */
    private String[] child(List<String> args, SuiteConfig cfg, String part) {
        List<String> a = new ArrayList<>(args.subList(1, args.size()));
        a.addAll(List.of("--seed", String.valueOf(cfg.seed()), "--bootstrap", String.valueOf(cfg.bootstrap()),
                "--name", cfg.name() + " · " + part, "--parent-run", parentId));
        if (cfg.experiment() != null) {
            a.addAll(List.of("--experiment", cfg.experiment()));
        }
        if (store.store != null) {
            a.addAll(List.of("--store", store.store));
        }
        if (quiet) {
            a.add("-q");
        }
        return a.toArray(String[]::new);
    }

    /** The suite run's id, which each part records as its parent. */
    private String parentId;

    /** Beats the suite run's heart while its parts run, from its own connection. */
    private ScheduledExecutorService heartbeat(String id) {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loupe-suite-heartbeat");
            t.setDaemon(true);
            return t;
        });
        ex.scheduleWithFixedDelay(() -> {
            try (RunStore s = store.open()) {
                s.heartbeat(id);
            } catch (RuntimeException e) {
                // a busy store misses one beat; the next one comes HEARTBEAT_SECONDS later
            }
        }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        return ex;
    }

    /**
     * What the suite run keeps of a child's metrics: all of the evaluation's; of robustness, the perturbed metrics and
     * changes ({@code [perturb=...]}; its clean metrics are the evaluation's).
     */
    static Map<String, MetricValue> inherited(List<StoredMetric> metrics, boolean robustness) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        for (StoredMetric m : metrics) {
            if (!robustness || m.name().contains("[" + RobustnessCommand.DIMENSION + "=")) {
                out.put(m.name(), new MetricValue(m.value(), m.ciLow(), m.ciHigh()));
            }
        }
        return out;
    }

    private String[] checkArgs(SuiteConfig.Gates g, String run) {
        List<String> a = new ArrayList<>(List.of(run));
        g.require().forEach(x -> a.addAll(List.of("--require", x)));
        g.maxGap().forEach(x -> a.addAll(List.of("--max-gap", x)));
        g.maxDrop().forEach(x -> a.addAll(List.of("--max-drop", x)));
        if (g.baseline() != null) {
            a.addAll(List.of("--baseline", g.baseline()));
        }
        if (g.conservative()) {
            a.add("--conservative");
        }
        if (junit != null) {
            a.addAll(List.of("--junit", junit.toString()));
        }
        if (store.store != null) {
            a.addAll(List.of("--store", store.store));
        }
        return a.toArray(String[]::new);
    }

    private Provenance provenance(SuiteConfig cfg) {
        return Provenance.EMPTY.withDatasetHash(EvaluationRecorder.sha256(config))
                .withConfigJson(dev.loupe.store.tracking.Loupe.defaultProvenance(params(cfg)).configJson())
                .withLoupeVersion(Main.version())
                .withCommand(EvaluationRecorder.commandLine(spec.commandLine().getParseResult().originalArgs()))
                .withHost(Provenance.localHost());
    }

    private Map<String, Object> params(SuiteConfig cfg) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("suite_config", config.toString());
        p.put("predictions", cfg.predictions() == null ? null : cfg.predictions().toString());
        p.put("model", cfg.model());
        p.put("data", cfg.data() == null ? null : cfg.data().toString());
        p.put("seed", cfg.seed());
        p.put("bootstrap", cfg.bootstrap());
        p.put("slice_by", cfg.slices() == null || cfg.slices().by().isEmpty() ? null : String.join(",", cfg.slices().by()));
        p.put("slice", cfg.slices() == null || cfg.slices().derived().isEmpty() ? null : String.join(" ", cfg.slices().derived()));
        p.put("weak_slices", cfg.slices() != null && cfg.slices().weak() ? "min_support " + cfg.slices().minSupport() : null);
        p.put("heatmap", cfg.slices() == null || cfg.slices().heatmap().isEmpty() ? null : String.join(",", cfg.slices().heatmap()));
        p.put("group_col", cfg.fairness());
        p.put("perturb", cfg.robustness() == null ? null : String.join(",", cfg.robustness().perturb()));
        p.put("ood", cfg.ood() == null ? null : cfg.ood().toString());
        p.values().removeIf(java.util.Objects::isNull);
        return p;
    }

    private byte[] document(SuiteConfig cfg, List<Map<String, Object>> done) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", cfg.name());
        doc.put("config", config.toString());
        doc.put("parts", done);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        return n.substring(n.lastIndexOf('.')).toLowerCase(Locale.ROOT);
    }
}
