package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesSummary;
import dev.loupe.store.StoredMetric;
import dev.loupe.store.export.RunExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code loupe runs list|show|delete|export}: the runs kept in the store. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = "List, show, delete and export the runs kept in the run store.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Delete.class, RunsCommand.Export.class},
        footer = {"", "Exit codes: 0 ok, 2 bad input or unknown run, 1 internal error."})
final class RunsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: list, show, delete or export.");
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static String time(long millis) {
        return TIME.format(Instant.ofEpochMilli(millis));
    }

    static String num(double v) {
        return dev.loupe.report.Numbers.fixed(v, 4); // the dashboard's rounding rule
    }

    /** Removes control characters so that stored names cannot move the terminal's cursor. */
    static String safe(String s) {
        return s == null ? "—" : s.replaceAll("\\p{Cntrl}", "?");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = {"List runs, newest first.",
        "Each run's key metrics: accuracy, F1 (of the positive class, else the macro average) and ROC AUC; '—' where the"
            + " run has none. Experiment names longer than " + ListRuns.MAX_EXPERIMENT + " characters are shortened with"
            + " '…' (--json has them whole)."})
    static final class ListRuns implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOption store;
        @Option(names = "--experiment", paramLabel = "E", description = "Only runs of experiment E.")
        String experiment;
        @Option(names = "--json", description = "Print a JSON array instead of a table.")
        boolean json;

        static final int MAX_EXPERIMENT = 32;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (RunStore s = store.open()) {
                List<RunInfo> runs = s.listRuns(experiment);
                if (json) {
                    RunExport.writeRunList(runs, out);
                    return 0;
                }
                if (runs.isEmpty()) {
                    out.println(experiment == null ? "No runs in " + s.location().redacted() + " yet."
                            : "No runs in experiment '" + safe(experiment) + "'.");
                    out.flush();
                    return 0;
                }
                List<String[]> rows = new java.util.ArrayList<>();
                rows.add(new String[] {"id", "experiment", "status", "started (UTC)", "accuracy", "f1", "roc_auc", "name"});
                for (RunInfo r : runs) {
                    Map<String, Double> m = new java.util.HashMap<>();
                    for (StoredMetric sm : s.metrics(r.id())) {
                        m.put(sm.name(), sm.value());
                    }
                    double f1 = m.getOrDefault("f1", m.getOrDefault("f1_macro", Double.NaN));
                    rows.add(new String[] {r.id(), shorten(safe(r.experiment()), MAX_EXPERIMENT), r.status().dbName(),
                        time(r.startedAt()), num(m.getOrDefault("accuracy", Double.NaN)), num(f1),
                        num(m.getOrDefault("roc_auc", Double.NaN)), safe(r.name())});
                }
                printAligned(out, rows, 4, 6);
                out.flush();
            }
            return 0;
        }
    }

    /**
     * Prints rows as columns two spaces apart, each as wide as its widest cell (counted in code points); columns
     * {@code rightFrom}..{@code rightTo} (numbers) are right-aligned, and the last column is not padded.
     */
    static void printAligned(PrintWriter out, List<String[]> rows, int rightFrom, int rightTo) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].codePointCount(0, row[c].length()));
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String pad = " ".repeat(width[c] - row[c].codePointCount(0, row[c].length()));
                if (c == cols - 1) {
                    line.append(row[c]);
                } else if (c >= rightFrom && c <= rightTo) {
                    line.append(pad).append(row[c]).append("  ");
                } else {
                    line.append(row[c]).append(pad).append("  ");
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** {@code s} cut to {@code max} code points, the last one an ellipsis, when longer. */
    static String shorten(String s, int max) {
        return s.codePointCount(0, s.length()) <= max ? s : s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show a run: provenance, parameters, metrics with their intervals, series names and lengths.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOption store;
        @Parameters(paramLabel = "RUN", description = "Run id (or a unique prefix of at least 4 characters).")
        String runId;
        @Option(names = "--json", description = "Print the run document as JSON (series as [[step, value], ...]).")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (RunStore s = store.open()) {
                RunInfo r = s.run(runId);
                if (json) {
                    RunExport.writeDocument(s, r, false, out);
                    return 0;
                }
                out.println("run " + r.id() + "  " + safe(r.name()));
                out.println("experiment    " + safe(r.experiment()));
                out.println("status        " + r.status().dbName());
                out.println("started       " + time(r.startedAt()) + " UTC");
                out.println("ended         " + (r.endedAt() == null ? "—" : time(r.endedAt()) + " UTC"));
                var p = r.provenance();
                out.println("command       " + safe(p.command()));
                out.println("host          " + safe(p.host()));
                out.println("loupe         " + safe(p.loupeVersion()));
                out.println("model sha256  " + safe(p.modelSha256()));
                out.println("dataset hash  " + safe(p.datasetHash()));
                out.println("split seed    " + (p.splitSeed() == null ? "—" : p.splitSeed()));
                Map<String, Object> params = s.params(r.id());
                if (!params.isEmpty()) {
                    out.println();
                    out.println("params");
                    params.forEach((k, v) -> out.printf(Locale.ROOT, "  %-28s %s%n", safe(k), safe(String.valueOf(v))));
                }
                List<StoredMetric> metrics = s.metrics(r.id());
                if (!metrics.isEmpty()) {
                    out.println();
                    out.printf(Locale.ROOT, "%-30s %8s   %s%n", "metric", "value", "95% CI");
                    for (StoredMetric m : metrics) {
                        String ci = Double.isNaN(m.ciLow()) ? "" : "[" + num(m.ciLow()) + ", " + num(m.ciHigh()) + "]";
                        out.printf(Locale.ROOT, "%-30s %8s   %s%n", safe(m.name()), num(m.value()), ci);
                    }
                }
                List<SeriesSummary> series = s.seriesSummaries(r.id());
                if (!series.isEmpty()) {
                    out.println();
                    out.printf(Locale.ROOT, "%-30s %10s   %s%n", "series", "points", "steps");
                    for (SeriesSummary ss : series) {
                        out.printf(Locale.ROOT, "%-30s %10d   %d..%d%n", safe(ss.name()), ss.points(), ss.firstStep(), ss.lastStep());
                    }
                }
                var arts = s.artifacts(r.id());
                if (!arts.isEmpty()) {
                    out.println();
                    out.println("artifacts");
                    arts.forEach(a -> out.printf(Locale.ROOT, "  %-28s %10d bytes  sha256 %s%n", safe(a.name()), a.sizeBytes(), a.sha256()));
                }
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a run and everything it holds.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOption store;
        @Parameters(paramLabel = "RUN", description = "Run id (or a unique prefix of at least 4 characters).")
        String runId;

        @Override
        public Integer call() {
            try (RunStore s = store.open()) {
                RunInfo r = s.run(runId);
                s.deleteRun(r.id());
                spec.commandLine().getErr().println("deleted run " + r.id() + " (" + safe(r.name()) + ")");
            }
            return 0;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Export a run as JSON or CSV.",
                "JSON: the run document plus its predictions. CSV: kind,name,step,wall_time,value,ci_low,ci_high, one row"
                    + " per param, metric and series point."})
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOption store;
        @Parameters(paramLabel = "RUN", description = "Run id (or a unique prefix of at least 4 characters).")
        String runId;
        @Option(names = "--format", required = true, paramLabel = "FMT", description = "json or csv.")
        String format;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of stdout.")
        Path output;

        @Override
        public Integer call() {
            String f = format.toLowerCase(Locale.ROOT);
            if (!f.equals("json") && !f.equals("csv")) {
                throw InvalidInputException.parameter("--format", "json or csv", "'" + format + "'");
            }
            try (RunStore s = store.open()) {
                RunInfo r = s.run(runId);
                if (output == null) {
                    write(s, r, f, spec.commandLine().getOut());
                    return 0;
                }
                Path target = output.toAbsolutePath();
                Path dir = target.getParent();
                if (dir != null && !Files.isDirectory(dir)) {
                    throw new InvalidInputException("NO_SUCH_DIRECTORY", "Cannot write --output " + output + ": directory "
                            + dir + " does not exist. Create it or choose another path.");
                }
                try {
                    OutputFiles.write(target, os -> {
                        Writer w = new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8);
                        write(s, r, f, w);
                        w.flush();
                    });
                } catch (IOException e) {
                    throw new UncheckedIOException("writing " + output, e);
                }
                spec.commandLine().getErr().println("wrote " + output);
            }
            return 0;
        }

        private static void write(RunStore s, RunInfo r, String f, Writer w) {
            if (f.equals("json")) {
                RunExport.writeDocument(s, r, true, w);
            } else {
                RunExport.writeCsv(s, r, w);
            }
        }
    }
}
