package dev.loupe.cli;

import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;
import dev.loupe.metrics.EvaluationResult;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The human-readable evaluation table. Undefined numbers print as "—"; labels are stripped of control characters. */
final class TableReport {
    String render(String source, EvaluationResult r) {
        StringBuilder sb = new StringBuilder();
        List<String> classes = r.classes().stream().map(TableReport::safe).toList();
        sb.append("Loupe evaluation of ").append(safe(source)).append('\n');
        sb.append(String.format(Locale.ROOT, "%,d rows", r.rows()));
        if (r.totalWeight() != r.rows()) {
            sb.append(" (total weight ").append(num(r.totalWeight())).append(')');
        }
        sb.append(", ").append(classes.size()).append(" classes");
        if (r.positive() >= 0) {
            sb.append(" (positive: ").append(classes.get(r.positive())).append(')');
        }
        sb.append(r.bootstrap() > 0
                ? String.format(Locale.ROOT, "; 95%% intervals from %d Poisson-bootstrap replicates (seed %d)", r.bootstrap(), r.seed())
                : "; no intervals (--bootstrap 0)");
        sb.append("\n\n");

        int kw = r.metrics().keySet().stream().mapToInt(id -> id.key().length()).max().orElse(6);
        String row = "%-" + kw + "s %8s   %s";
        sb.append(String.format(Locale.ROOT, row, "metric", "value", r.bootstrap() > 0 ? "95% CI" : "").strip()).append('\n');
        for (Group group : Group.values()) {
            boolean first = true;
            for (Map.Entry<MetricId, MetricValue> e : r.metrics().entrySet()) {
                if (Group.of(e.getKey().key(), r.positive() >= 0) != group) {
                    continue;
                }
                if (first && group != Group.HEADLINE) {
                    sb.append('\n').append(group.title).append('\n');
                }
                first = false;
                MetricValue v = e.getValue();
                String ci = Double.isNaN(v.ciLow()) ? "" : "[" + num(v.ciLow()) + ", " + num(v.ciHigh()) + "]";
                sb.append(String.format(Locale.ROOT, row, e.getKey().key(), num(v.value()), ci).stripTrailing()).append('\n');
            }
        }

        int w = Math.max(8, classes.stream().mapToInt(String::length).max().orElse(5) + 1);
        sb.append("\nper class\n");
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %9s %8s %8s %10s %8s %9s%n",
                "class", "precision", "recall", "f1", "support", "roc_auc", "avg_prec"));
        for (int c = 0; c < classes.size(); c++) {
            EvaluationResult.PerClassResult pc = r.perClass().get(c);
            sb.append(String.format(Locale.ROOT, "%-" + w + "s %9s %8s %8s %10s %8s %9s%n", classes.get(c),
                    num(pc.precision()), num(pc.recall()), num(pc.f1()), count(pc.support()), num(pc.rocAuc()),
                    num(pc.averagePrecision())));
        }

        sb.append("\nconfusion matrix (rows = true class, columns = predicted)\n");
        int cw = Math.max(8, w);
        sb.append(String.format(Locale.ROOT, "%-" + w + "s", ""));
        for (String c : classes) {
            sb.append(String.format(Locale.ROOT, " %" + cw + "s", c));
        }
        sb.append('\n');
        for (int t = 0; t < classes.size(); t++) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", classes.get(t)));
            for (int p = 0; p < classes.size(); p++) {
                sb.append(String.format(Locale.ROOT, " %" + cw + "s", count(r.confusion()[t][p])));
            }
            sb.append('\n');
        }
        if (r.sweep() != null && r.sweep().bestF1() >= 0) {
            sb.append(String.format(Locale.ROOT, "%nthresholds: best F1 %s at %s; best Youden's J at %s%n",
                    num(r.sweep().f1()[r.sweep().bestF1()]), num(r.sweep().bestF1Threshold()), num(r.sweep().youdenThreshold())));
        }
        if (!r.warnings().isEmpty()) {
            sb.append("\nwarnings\n");
            for (String warning : r.warnings()) {
                sb.append("  - ").append(safe(warning)).append('\n');
            }
        }
        return sb.toString();
    }

    /** Slices shown per slice value and column. */
    private static final int SLICES_PER_BLOCK = 4;

    /**
     * Per slice dimension, a table with a column per slice value (in blocks of {@value #SLICES_PER_BLOCK}): its rows
     * and weight, then every metric with its interval ("—" where undefined), then each slice's warnings; "" without slices.
     */
    static String slices(Map<String, Map<String, EvaluationResult>> slices) {
        StringBuilder sb = new StringBuilder();
        slices.forEach((dim, values) -> {
            List<String> names = List.copyOf(values.keySet());
            for (int from = 0; from < names.size(); from += SLICES_PER_BLOCK) {
                List<String> block = names.subList(from, Math.min(names.size(), from + SLICES_PER_BLOCK));
                sb.append(String.format(Locale.ROOT, "%nslices by %s%s (value [95%% CI])%n", safe(dim),
                        names.size() > SLICES_PER_BLOCK ? ", " + (from + 1) + "-" + (from + block.size()) + " of " + names.size() : ""));
                int cw = Math.max(24, block.stream().mapToInt(v -> safe(v).length()).max().orElse(0) + 1);
                // the name column fits the longest metric name, so long names never push their row's cells right
                String key = "%-" + Math.max(22, values.get(block.get(0)).metrics().keySet().stream()
                        .mapToInt(id -> id.key().length()).max().orElse(0)) + "s";
                sb.append(String.format(Locale.ROOT, key, ""));
                block.forEach(v -> sb.append(String.format(Locale.ROOT, " %" + cw + "s", clip(safe(v), cw))));
                sb.append('\n').append(String.format(Locale.ROOT, key, "rows"));
                block.forEach(v -> sb.append(String.format(Locale.ROOT, " %" + cw + "s", count(values.get(v).rows()))));
                sb.append('\n').append(String.format(Locale.ROOT, key, "support (weight)"));
                block.forEach(v -> sb.append(String.format(Locale.ROOT, " %" + cw + "s", count(values.get(v).totalWeight()))));
                sb.append('\n');
                for (MetricId id : values.get(block.get(0)).metrics().keySet()) {
                    sb.append(String.format(Locale.ROOT, key, id.key()));
                    for (String v : block) {
                        MetricValue m = values.get(v).metrics().get(id);
                        String cell = m == null ? "—" : num(m.value())
                                + (Double.isNaN(m.ciLow()) ? "" : " [" + num(m.ciLow()) + ", " + num(m.ciHigh()) + "]");
                        sb.append(String.format(Locale.ROOT, " %" + cw + "s", cell));
                    }
                    sb.append('\n');
                }
            }
            StringBuilder warned = new StringBuilder();
            values.forEach((v, r) -> r.warnings().forEach(w -> warned.append("  - ").append(safe(v)).append(": ").append(safe(w)).append('\n')));
            if (!warned.isEmpty()) {
                sb.append(String.format(Locale.ROOT, "%nwarnings of the slices by %s%n", safe(dim))).append(warned);
            }
        });
        return sb.toString();
    }

    /** The weak slices found by {@code --weak-slices}: each with rows, errors, error rate and its adjusted interval. */
    /** The heatmap's {@code metric} per pair of slices, with each cell's rows; "—" where undefined or empty. */
    static String heatmap(dev.loupe.metrics.SliceHeatmap h, String metric) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%n%s by %s (rows) and %s (columns); (n) = rows in both slices; intervals in --json%n",
                metric, safe(h.rowDimension()), safe(h.columnDimension())));
        int w = Math.max(safe(h.rowDimension()).length(), h.rowValues().stream().mapToInt(v -> safe(v).length()).max().orElse(0));
        int cw = Math.max(16, h.columnValues().stream().mapToInt(v -> safe(v).length()).max().orElse(0) + 1);
        sb.append(String.format(Locale.ROOT, "%-" + w + "s", safe(h.rowDimension())));
        h.columnValues().forEach(c -> sb.append(String.format(Locale.ROOT, " %" + cw + "s", safe(c))));
        sb.append('\n');
        for (String r : h.rowValues()) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s", safe(r)));
            for (String c : h.columnValues()) {
                EvaluationResult cell = h.cell(r, c);
                MetricValue v = cell == null ? null : cell.metric(metric);
                String text = cell == null ? "—" : (v == null ? "—" : num(v.value())) + " (" + cell.rows() + ")";
                sb.append(String.format(Locale.ROOT, " %" + cw + "s", text));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    static String weakSlices(dev.loupe.metrics.WeakSlices.Result w) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nweak slices: error rate above the overall %s (%,d rows); %,d slices of at least"
                + " %,d rows tested (conjunctions of up to %d), so each interval is at the %.4f%% level and together they hold"
                + " at 95%% (Bonferroni); \"worse\" = the whole interval lies above the overall rate%n",
                num(w.errorRate()), w.rows(), w.tested(), w.minSupport(), w.maxLevel(), 100 * w.pointLevel()));
        if (w.slices().isEmpty()) {
            return sb.append("  none: no slice with enough rows has a higher error rate\n").toString();
        }
        int nw = Math.max(5, w.slices().stream().mapToInt(s -> safe(s.name()).length()).max().orElse(0));
        String row = "%-" + nw + "s %9s %8s %10s %20s %9s %6s%n";
        sb.append(String.format(Locale.ROOT, row, "slice", "rows", "errors", "error rate", "adjusted interval", "score", "worse"));
        for (dev.loupe.metrics.WeakSlices.Slice s : w.slices()) {
            sb.append(String.format(Locale.ROOT, row, safe(s.name()), count(s.rows()), count(s.errors()), num(s.errorRate()),
                    "[" + num(s.ciLow()) + ", " + num(s.ciHigh()) + "]", num(s.score()), s.worse() ? "yes" : "no"));
        }
        return sb.toString();
    }

    /** "value [low, high]", "value" without an interval, "—" when undefined or missing. */
    static String withInterval(MetricValue v) {
        if (v == null || Double.isNaN(v.value())) {
            return "—";
        }
        return num(v.value()) + (Double.isNaN(v.ciLow()) ? "" : " [" + num(v.ciLow()) + ", " + num(v.ciHigh()) + "]");
    }

    /** As {@link #withInterval}, each number with its sign (a change: +0.0100 [-0.0020, +0.0230]). */
    static String signedWithInterval(MetricValue v) {
        if (v == null || Double.isNaN(v.value())) {
            return "—";
        }
        return signed(v.value()) + (Double.isNaN(v.ciLow()) ? "" : " [" + signed(v.ciLow()) + ", " + signed(v.ciHigh()) + "]");
    }

    private static String signed(double x) {
        return (x >= 0 ? "+" : "") + num(x);
    }

    /** Each group's rows and rates, then every gap with its interval and the warnings; "" without fairness. */
    static String fairness(String groupCol, dev.loupe.metrics.GroupFairness f) {
        if (f == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nfairness by %s (Fairlearn's definitions; per-group metrics under 'slices by %s')%n",
                safe(groupCol), safe(groupCol)));
        int w = Math.max(8, f.groups().stream().mapToInt(g -> safe(g.name()).length()).max().orElse(5) + 1);
        sb.append(String.format(Locale.ROOT, "%-" + w + "s %10s %15s %9s %9s%n", "group", "rows", "selection_rate", "tpr", "fpr"));
        for (dev.loupe.metrics.GroupFairness.Group g : f.groups()) {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s %10s %15s %9s %9s%n", safe(g.name()), count(g.rows()),
                    num(g.selectionRate()), num(g.truePositiveRate()), num(g.falsePositiveRate())));
        }
        sb.append('\n');
        f.gaps().forEach((id, v) -> sb.append(String.format(Locale.ROOT, "%-30s %8s   %s%n", id.key(), num(v.value()),
                Double.isNaN(v.ciLow()) ? "" : "[" + num(v.ciLow()) + ", " + num(v.ciHigh()) + "]")));
        for (String warning : f.warnings()) {
            sb.append("  - ").append(safe(warning)).append('\n');
        }
        return sb.toString();
    }

    private static String clip(String s, int w) {
        return s.length() <= w ? s : s.substring(0, w - 1) + "…";
    }

    /** The table's metric groups, headline first; metrics keep the result's order inside a group. */
    enum Group {
        HEADLINE(""),
        LABEL("precision, recall, F-scores, Jaccard"),
        AGREEMENT("agreement and error rates"),
        RANKING("ranking"),
        PROBABILITY("probabilities and calibration");

        final String title;

        Group(String title) {
            this.title = title;
        }

        static Group of(String key, boolean binary) {
            if (List.of("accuracy", "balanced_accuracy", binary ? "f1" : "f1_macro", "roc_auc", "average_precision",
                    "log_loss", "brier", "ece").contains(key)) {
                return HEADLINE;
            }
            if (key.matches("(precision|recall|f\\d[\\d_]*|jaccard)(_macro|_micro|_weighted)?")) {
                return LABEL;
            }
            if (key.startsWith("top_") || key.startsWith("roc_auc") || key.startsWith("average_precision")
                    || key.equals("partial_roc_auc")) {
                return RANKING;
            }
            if (key.startsWith("d2_") || key.equals("mce") || key.equals("log_loss") || key.equals("brier")) {
                return PROBABILITY;
            }
            return AGREEMENT;
        }
    }

    static String num(double v) {
        return dev.loupe.report.Numbers.fixed(v, 4); // the dashboard's rounding rule
    }

    static String count(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.2f", v);
    }

    /** Terminal-safe text: control characters (escape sequences from hostile data) become '?'. */
    static String safe(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return b.toString();
    }
}
