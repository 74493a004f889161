package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricId;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoredMetric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code loupe check RUN}: quality gates over a stored run's metrics, for CI. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge a recorded run against quality gates and exit non-zero when one fails (a CI gate).",
            "",
            "Each gate prints its value, 95%% interval, the number judged and its verdict. Metric names are those of the "
                + "run store (loupe runs show RUN), such as accuracy, f1_macro, log_loss, demographic_parity_difference "
                + "(evaluate --group-col) or accuracy[source=spam-1] (evaluate --slice-by)."},
        footer = {"", "Examples:",
            "  loupe check RUN --require 'accuracy>=0.9' --require 'log_loss<=0.3'",
            "  loupe check RUN --baseline OLD --max-drop 'f1_macro=0.01' --max-gap 'demographic_parity_difference<=0.1' --junit gates.xml",
            "", "Exit codes: 0 every gate holds, " + CheckCommand.GATE_FAILED + " a gate failed, 2 bad input (a bad gate, an unknown"
                + " run or metric), 1 internal error."})
public final class CheckCommand implements Callable<Integer> {
    /** Exit code when at least one gate fails. */
    static final int GATE_FAILED = 3;

    /** A stored metric's name: {@code accuracy}, or per slice {@code accuracy[source=spam-1]} (the brackets may hold '='). */
    private static final String METRIC = "([^<>=\\s\\[]+(?:\\[[^\\]]*\\])?)";
    static final Pattern BOUND = Pattern.compile("^\\s*" + METRIC + "\\s*(>=|<=|>|<)\\s*(\\S+)\\s*$");
    static final Pattern DROP = Pattern.compile("^\\s*" + METRIC + "\\s*=\\s*(\\S+)\\s*$");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN", description = "The run to judge (id or unique prefix).")
    String runId;

    @Option(names = "--baseline", paramLabel = "RUN", description = "Run to compare with, for --max-drop.")
    String baselineId;

    @Option(names = "--require", paramLabel = "METRIC OP X", description = "METRIC>=X, >X, <=X or <X on the run's value. Repeatable.")
    List<String> require = new ArrayList<>();

    @Option(names = "--max-drop", paramLabel = "METRIC=D", description = "The run may be worse than --baseline by at most D "
            + "(for a higher-is-better metric: baseline − run ≤ D; for a lower-is-better one: run − baseline ≤ D). Repeatable.")
    List<String> maxDrop = new ArrayList<>();

    @Option(names = "--max-gap", paramLabel = "GAP OP X", description = "A fairness gap bound, as --require: "
            + "demographic_parity_difference<=0.1, equalized_odds_ratio>=0.8, ... (evaluate --group-col). Repeatable.")
    List<String> maxGap = new ArrayList<>();

    @Option(names = "--conservative", description = "Judge on the pessimistic end of the 95%% interval instead of the value "
            + "(the lower end where larger must pass, the upper end where smaller must); a gate without an interval fails.")
    boolean conservative;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the verdicts as JUnit XML (one test case per gate).")
    Path junit;

    @Mixin
    StoreOption store;

    /** One judged gate. */
    record Verdict(String gate, String metric, double value, double ciLow, double ciHigh, double judged, String threshold,
                   boolean pass, String note) {
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (require.isEmpty() && maxDrop.isEmpty() && maxGap.isEmpty()) {
            throw new InvalidInputException("BAD_PARAMETER", "Give at least one gate: --require 'accuracy>=0.9', "
                    + "--max-drop 'f1_macro=0.01' (with --baseline RUN) or --max-gap 'demographic_parity_difference<=0.1'.");
        }
        if (!maxDrop.isEmpty() && baselineId == null) {
            throw new InvalidInputException("BAD_PARAMETER", "--max-drop compares with a baseline: pass --baseline RUN.");
        }
        List<Verdict> verdicts = new ArrayList<>();
        String shownRun;
        try (RunStore s = store.open()) {
            RunInfo run = s.run(runId);
            shownRun = run.id();
            Map<String, StoredMetric> metrics = byName(s.metrics(run.id()));
            Map<String, StoredMetric> base = null;
            if (baselineId != null) {
                base = byName(s.metrics(s.run(baselineId).id()));
            }
            for (String g : require) {
                verdicts.add(bound("--require", g, metrics, run.id()));
            }
            for (String g : maxGap) {
                verdicts.add(bound("--max-gap", g, metrics, run.id()));
            }
            for (String g : maxDrop) {
                verdicts.add(drop(g, metrics, base));
            }
        }
        out.print(table(shownRun, verdicts));
        out.flush();
        if (junit != null) {
            writeJunit(shownRun, verdicts);
        }
        return verdicts.stream().allMatch(Verdict::pass) ? 0 : GATE_FAILED;
    }

    private static Map<String, StoredMetric> byName(List<StoredMetric> metrics) {
        Map<String, StoredMetric> m = new LinkedHashMap<>();
        metrics.forEach(x -> m.put(x.name(), x));
        return m;
    }

    private static StoredMetric metric(String option, String gate, String name, Map<String, StoredMetric> metrics, String run) {
        StoredMetric m = metrics.get(name);
        if (m == null) {
            List<String> names = new ArrayList<>(metrics.keySet());
            names.removeIf(n -> n.contains("["));
            throw new InvalidInputException("UNKNOWN_METRIC", option + " '" + gate + "': run " + run + " has no metric '"
                    + name + "'. Its metrics: " + String.join(", ", names) + " (and per-slice ones, see loupe runs show).");
        }
        return m;
    }

    private static double number(String option, String gate, String text) {
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidInputException("BAD_GATE", option + " '" + gate + "': '" + text + "' is not a finite number. "
                + "Write the threshold as a plain number, such as 0.9.");
    }

    private Verdict bound(String option, String gate, Map<String, StoredMetric> metrics, String run) {
        Matcher x = BOUND.matcher(gate);
        if (!x.matches()) {
            throw new InvalidInputException("BAD_GATE", option + " '" + gate + "': expected METRIC OP NUMBER with OP one of "
                    + ">=, >, <=, <, such as 'accuracy>=0.9'.");
        }
        String name = x.group(1);
        String op = x.group(2);
        double limit = number(option, gate, x.group(3));
        StoredMetric m = metric(option, gate, name, metrics, run);
        boolean larger = op.startsWith(">");
        double judged = conservative ? (larger ? m.ciLow() : m.ciHigh()) : m.value();
        String note = "";
        if (Double.isNaN(m.value())) {
            note = "undefined";
        } else if (Double.isNaN(judged)) {
            note = "no interval";
        }
        boolean pass = !Double.isNaN(judged) && switch (op) {
            case ">=" -> judged >= limit;
            case ">" -> judged > limit;
            case "<=" -> judged <= limit;
            default -> judged < limit;
        };
        return new Verdict(option + " " + gate.strip(), name, m.value(), m.ciLow(), m.ciHigh(), judged, op + " " + fmt(limit), pass, note);
    }

    private Verdict drop(String gate, Map<String, StoredMetric> metrics, Map<String, StoredMetric> base) {
        Matcher x = DROP.matcher(gate);
        if (!x.matches()) {
            throw new InvalidInputException("BAD_GATE", "--max-drop '" + gate + "': expected METRIC=NUMBER, the largest "
                    + "allowed drop from --baseline, such as 'f1_macro=0.01'.");
        }
        String name = x.group(1);
        double limit = number("--max-drop", gate, x.group(2));
        if (limit < 0) {
            throw new InvalidInputException("BAD_GATE", "--max-drop '" + gate + "': the allowed drop must be at least 0.");
        }
        StoredMetric m = metric("--max-drop", gate, name, metrics, runId);
        StoredMetric b = metric("--max-drop", gate, name, base, baselineId);
        boolean higher = MetricId.of(name.contains("[") ? name.substring(0, name.indexOf('[')) : name).higherIsBetter();
        // the run's pessimistic end with --conservative: lower end when higher is better
        double runSide = conservative ? (higher ? m.ciLow() : m.ciHigh()) : m.value();
        double dropped = higher ? b.value() - runSide : runSide - b.value();
        String note = Double.isNaN(dropped) ? (Double.isNaN(m.value()) || Double.isNaN(b.value()) ? "undefined" : "no interval")
                : String.format(Locale.ROOT, "baseline %s, drop %s", fmt(b.value()), fmt(dropped));
        boolean pass = !Double.isNaN(dropped) && dropped <= limit;
        return new Verdict("--max-drop " + gate.strip(), name, m.value(), m.ciLow(), m.ciHigh(), dropped,
                "drop <= " + fmt(limit), pass, note);
    }

    private String table(String run, List<Verdict> verdicts) {
        StringBuilder sb = new StringBuilder();
        sb.append("Loupe check of run ").append(run);
        if (baselineId != null) {
            sb.append(" against baseline ").append(TableReport.safe(baselineId));
        }
        sb.append(conservative ? " (conservative: judged on the interval's pessimistic end)" : "").append("\n\n");
        sb.append(String.format(Locale.ROOT, "%-6s %-44s %8s   %-18s %9s  %s%n", "", "gate", "value", "95% CI", "judged", "note"));
        for (Verdict v : verdicts) {
            String ci = Double.isNaN(v.ciLow()) ? "—" : "[" + fmt(v.ciLow()) + ", " + fmt(v.ciHigh()) + "]";
            sb.append(String.format(Locale.ROOT, "%-6s %-44s %8s   %-18s %9s  %s%n", v.pass() ? "PASS" : "FAIL",
                    TableReport.safe(v.gate()), fmt(v.value()), ci, fmt(v.judged()), v.note()));
        }
        long failed = verdicts.stream().filter(v -> !v.pass()).count();
        sb.append('\n').append(failed == 0 ? "all " + verdicts.size() + " gates hold"
                : failed + " of " + verdicts.size() + " gates failed (exit " + GATE_FAILED + ")").append('\n');
        return sb.toString();
    }

    private static String fmt(double v) {
        return TableReport.num(v);
    }

    private void writeJunit(String run, List<Verdict> verdicts) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        long failed = verdicts.stream().filter(v -> !v.pass()).count();
        x.append("<testsuite name=\"loupe check ").append(xml(run)).append("\" tests=\"").append(verdicts.size())
                .append("\" failures=\"").append(failed).append("\" errors=\"0\">\n");
        for (Verdict v : verdicts) {
            x.append("  <testcase classname=\"loupe.check\" name=\"").append(xml(v.gate())).append('"');
            String detail = "value " + fmt(v.value()) + (Double.isNaN(v.ciLow()) ? "" : " [" + fmt(v.ciLow()) + ", "
                    + fmt(v.ciHigh()) + "]") + ", judged " + fmt(v.judged()) + " against " + v.threshold()
                    + (v.note().isEmpty() ? "" : " (" + v.note() + ")");
            if (v.pass()) {
                x.append(">\n    <system-out>").append(xml(detail)).append("</system-out>\n  </testcase>\n");
            } else {
                x.append(">\n    <failure message=\"").append(xml(detail)).append("\"/>\n  </testcase>\n");
            }
        }
        x.append("</testsuite>\n");
        Path target = junit.toAbsolutePath();
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw new InvalidInputException("NO_SUCH_DIRECTORY", "Cannot write --junit " + junit + ": directory "
                    + target.getParent() + " does not exist. Create it or choose another path.");
        }
        try {
            OutputFiles.write(target, os -> os.write(x.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new InvalidInputException("CANNOT_WRITE", "Cannot write --junit " + junit + ": " + e.getMessage());
        }
    }

    private static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.appendCodePoint(cp < 0x20 && cp != '\n' && cp != '\t' ? '?' : cp);
            }
        });
        return b.toString();
    }
}
