package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.SlicedEvaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The slices of one evaluation ({@code --slice-by} columns, {@code --slice NAME=length:…} text-length bins and
 * {@code --slice NAME=regex:…} text matches): one {@link SlicedEvaluation} per dimension, fed from the same batches
 * as the overall state, so a slice's metrics and intervals are those of its rows evaluated alone. A row's value
 * per dimension comes from {@link #values}: the strings of the source columns ({@link #sources()}) for that row.
 */
final class Slicing {
    /** A row without a value in a sliced column. */
    static final String NONE = "(none)";
    /** Text-length bin edges of {@code NAME=length} without edges. */
    static final int[] DEFAULT_LENGTH_EDGES = {50, 200, 1000};

    private sealed interface Rule permits ColumnRule, LengthRule, RegexRule {
        /** The column the rule reads. */
        String source();
    }

    /** A slice per value of a column, asked for by {@code option} ({@code --slice-by} or {@code --group-col}). */
    private record ColumnRule(String source, String option) implements Rule {
    }

    private record LengthRule(String source, int[] edges, List<String> labels) implements Rule {
        String bin(String text) {
            int n = text.codePointCount(0, text.length());
            int b = 0;
            while (b < edges.length && n >= edges[b]) {
                b++;
            }
            return labels.get(b);
        }
    }

    private record RegexRule(String source, Pattern pattern, String spec) implements Rule {
    }

    private record Dimension(String name, Rule rule, SlicedEvaluation eval) {
    }

    static final String MATCH = "match";
    static final String NO_MATCH = "no match";

    private final List<Dimension> dims = new ArrayList<>();
    /** With {@link #keepRows()}: each row's slice id per dimension, and whether the model erred on it. */
    private int[][] codes;
    private final java.util.BitSet errors = new java.util.BitSet();
    private int kept;
    private final List<String> sources;
    private int[] sliceOf = new int[0];
    private final EvaluationConfig config;
    /** With {@link #heatmap(String, String)}: the two dimensions crossed, and each cross slice's pair of slice ids. */
    private int heatRow = -1;
    private int heatColumn = -1;
    private SlicedEvaluation cross;
    private final Map<Long, Integer> crossIds = new java.util.HashMap<>();
    private final List<int[]> crossPairs = new ArrayList<>();
    private int[] rowOf = new int[0];
    private int[] columnOf = new int[0];

    /**
     * @param sliceBy  {@code --slice-by} values (each a comma-separated list of columns)
     * @param slices   {@code --slice} values, {@code NAME=length[:E1,E2,…]} or {@code NAME=regex:PATTERN}
     * @param textCol  the column length and regex slices read
     */
    Slicing(List<String> sliceBy, List<String> slices, String textCol, EvaluationConfig config) {
        this(sliceBy, slices, textCol, null, config);
    }

    /** As above, plus {@code groupCol} ({@code --group-col}) as a column dimension unless {@code sliceBy} has it. */
    Slicing(List<String> sliceBy, List<String> slices, String textCol, String groupCol, EvaluationConfig config) {
        this.config = config;
        Set<String> names = new LinkedHashSet<>();
        for (String list : sliceBy) {
            for (String col : list.split(",")) {
                String c = col.strip();
                if (c.isEmpty()) {
                    throw InvalidInputException.parameter("--slice-by", "a comma-separated list of column names", "'" + list + "'");
                }
                add(names, c, new ColumnRule(c, "--slice-by"), config, "--slice-by");
            }
        }
        if (groupCol != null && !names.contains(groupCol)) {
            add(names, groupCol, new ColumnRule(groupCol, "--group-col"), config, "--group-col");
        }
        for (String spec : slices) {
            int eq = spec.indexOf('=');
            String name = eq > 0 ? spec.substring(0, eq).strip() : "";
            String def = eq > 0 ? spec.substring(eq + 1) : "";
            Rule rule;
            if (def.equals("length") || def.startsWith("length:")) {
                rule = lengthRule(spec, textCol, def.equals("length") ? null : def.substring("length:".length()));
            } else if (def.startsWith("regex:")) {
                try {
                    rule = new RegexRule(textCol, Pattern.compile(def.substring("regex:".length())), spec);
                } catch (PatternSyntaxException e) {
                    throw new InvalidInputException("BAD_REGEX", "--slice '" + spec + "': the regular expression does not "
                            + "compile: " + e.getDescription() + " near index " + e.getIndex() + ". Fix the pattern "
                            + "(Java regex syntax; quote it for the shell).");
                }
            } else {
                throw InvalidInputException.parameter("--slice", "NAME=regex:PATTERN or NAME=length[:E1,E2,...]", "'" + spec + "'");
            }
            if (name.isEmpty()) {
                throw InvalidInputException.parameter("--slice", "a name before '=' (NAME=regex:PATTERN)", "'" + spec + "'");
            }
            add(names, name, rule, config, "--slice");
        }
        Set<String> src = new LinkedHashSet<>();
        dims.forEach(d -> src.add(d.rule().source()));
        sources = List.copyOf(src);
    }

    private void add(Set<String> names, String name, Rule rule, EvaluationConfig config, String option) {
        if (name.contains("=") || name.contains("[") || name.contains("]")) {
            throw InvalidInputException.parameter(option, "a slice name without '=', '[' or ']'", "'" + name + "'");
        }
        if (!names.add(name)) {
            throw InvalidInputException.parameter(option, "each slice name once", "'" + name + "' twice");
        }
        SlicedEvaluation eval = new SlicedEvaluation(config, name);
        if (rule instanceof LengthRule l) {
            l.labels().forEach(eval::sliceId); // bins in length order
        }
        dims.add(new Dimension(name, rule, eval));
    }

    private static LengthRule lengthRule(String spec, String textCol, String edgesText) {
        int[] edges;
        if (edgesText == null) {
            edges = DEFAULT_LENGTH_EDGES;
        } else {
            String[] parts = edgesText.split(",");
            edges = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    edges[i] = Integer.parseInt(parts[i].strip());
                } catch (NumberFormatException e) {
                    edges[i] = -1;
                }
                if (edges[i] < 1 || (i > 0 && edges[i] <= edges[i - 1])) {
                    throw InvalidInputException.parameter("--slice", "length edges as increasing whole numbers of "
                            + "characters, at least 1 (NAME=length:50,200,1000)", "'" + spec + "'");
                }
            }
        }
        List<String> labels = new ArrayList<>();
        labels.add("<" + edges[0]);
        for (int i = 1; i < edges.length; i++) {
            labels.add(edges[i - 1] + "-" + (edges[i] - 1));
        }
        labels.add(">=" + edges[edges.length - 1]);
        return new LengthRule(textCol, edges, List.copyOf(labels));
    }

    /**
     * Also evaluates every pair of a {@code rows} slice and a {@code columns} slice ({@code --heatmap ROWS,COLUMNS}: two
     * of this evaluation's dimensions), for {@link #heatmap(List)}.
     */
    void heatmap(String rows, String columns) {
        List<String> names = dims.stream().map(Dimension::name).toList();
        int r = names.indexOf(rows);
        int c = names.indexOf(columns);
        if (r < 0 || c < 0 || r == c) {
            throw InvalidInputException.parameter("--heatmap", "two different slice names of this evaluation (--slice-by,"
                    + " --slice or --group-col: " + (names.isEmpty() ? "none given" : String.join(", ", names)) + ")",
                    "'" + rows + "," + columns + "'");
        }
        heatRow = r;
        heatColumn = c;
        cross = new SlicedEvaluation(config, rows + " x " + columns);
    }

    /** The metrics of every pair of slices asked for by {@link #heatmap(String, String)}; null when none was. */
    dev.loupe.metrics.SliceHeatmap heatmap(List<String> classes) {
        if (cross == null) {
            return null;
        }
        Map<String, EvaluationResult> byId = cross.results(classes);
        List<String> rowValues = dims.get(heatRow).eval().sliceNames();
        List<String> columnValues = dims.get(heatColumn).eval().sliceNames();
        Map<String, Map<String, EvaluationResult>> cells = new LinkedHashMap<>();
        for (int k = 0; k < crossPairs.size(); k++) {
            int[] p = crossPairs.get(k);
            cells.computeIfAbsent(rowValues.get(p[0]), x -> new LinkedHashMap<>()).put(columnValues.get(p[1]), byId.get(String.valueOf(k)));
        }
        return new dev.loupe.metrics.SliceHeatmap(dims.get(heatRow).name(), dims.get(heatColumn).name(), rowValues, columnValues, cells);
    }

    /** Each slice's state of the column dimension {@code name}, by value. */
    Map<String, dev.loupe.metrics.EvaluationState> states(String name) {
        return dims.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().eval().states();
    }

    boolean isEmpty() {
        return dims.isEmpty();
    }

    /** The columns whose values {@link #update} needs, in the order it expects them. */
    List<String> sources() {
        return sources;
    }

    /**
     * Fails naming the missing column and the ones there are, unless every source column is in {@code columns}.
     *
     * @param where the file, for the message
     */
    void checkColumns(List<String> columns, String where) {
        for (Dimension d : dims) {
            String c = d.rule().source();
            if (!columns.contains(c)) {
                String option = d.rule() instanceof ColumnRule r ? r.option() + " " + c
                        : "--slice " + d.name() + " (it reads the text column '" + c + "', see --text-col)";
                throw new InvalidInputException("UNKNOWN_COLUMN", option + ": " + where + " has no column '" + c
                        + "'. Columns it can slice by: " + (columns.isEmpty() ? "none" : String.join(", ", columns)) + ".");
            }
        }
    }

    /**
     * Adds each row of {@code batch} to its slice in every dimension; {@code values.get(s).get(i)} is row {@code i}'s
     * value of source column {@code sources().get(s)} (null when it has none).
     */
    void update(PredictionBatch batch, List<List<String>> values) {
        int n = batch.size();
        if (sliceOf.length < n) {
            sliceOf = new int[n];
        }
        for (Dimension d : dims) {
            List<String> v = values.get(sources.indexOf(d.rule().source()));
            for (int i = 0; i < n; i++) {
                String x = v.get(i);
                String slice;
                if (d.rule() instanceof LengthRule l) {
                    slice = l.bin(x == null ? "" : x);
                } else if (d.rule() instanceof RegexRule r) {
                    slice = x != null && r.pattern().matcher(x).find() ? MATCH : NO_MATCH;
                } else {
                    slice = x == null ? NONE : x;
                }
                sliceOf[i] = d.eval().sliceId(slice);
            }
            d.eval().update(batch, sliceOf);
            if (cross != null && (d == dims.get(heatRow) || d == dims.get(heatColumn))) {
                if (rowOf.length < n) {
                    rowOf = new int[n];
                    columnOf = new int[n];
                }
                System.arraycopy(sliceOf, 0, d == dims.get(heatRow) ? rowOf : columnOf, 0, n);
            }
            if (codes != null) {
                int dim = dims.indexOf(d);
                if (codes[dim].length < kept + n) {
                    codes[dim] = java.util.Arrays.copyOf(codes[dim], Math.max(kept + n, 2 * codes[dim].length));
                }
                System.arraycopy(sliceOf, 0, codes[dim], kept, n);
            }
        }
        if (cross != null) {
            for (int i = 0; i < n; i++) {
                int r = rowOf[i];
                int c = columnOf[i];
                sliceOf[i] = crossIds.computeIfAbsent(((long) r << 32) | c, k -> {
                    crossPairs.add(new int[] {r, c});
                    return cross.sliceId(String.valueOf(crossPairs.size() - 1));
                });
            }
            cross.update(batch, sliceOf);
        }
        if (codes != null) {
            for (int i = 0; i < n; i++) {
                if (batch.label(i) != batch.pred(i)) {
                    errors.set(kept + i);
                }
            }
            kept += n;
        }
    }

    /** Keeps each row's slices and whether it was an error, for {@link #weakSlices}. */
    void keepRows() {
        codes = new int[dims.size()][1024];
    }

    /**
     * The weak slices among the conjunctions of this evaluation's slices ({@link WeakSlices}, rows counted, not
     * weighted), slices with fewer than {@code minSupport} rows left out; needs {@link #keepRows()} before the rows.
     */
    dev.loupe.metrics.WeakSlices.Result weakSlices(int minSupport) {
        List<String> names = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        int[][] trimmed = new int[dims.size()][];
        for (int d = 0; d < dims.size(); d++) {
            names.add(dims.get(d).name());
            values.add(dims.get(d).eval().sliceNames());
            trimmed[d] = java.util.Arrays.copyOf(codes[d], kept);
        }
        dev.loupe.metrics.WeakSlices.Settings s = dev.loupe.metrics.WeakSlices.Settings.defaults();
        return dev.loupe.metrics.WeakSlices.find(names, trimmed, values, errors, kept,
                new dev.loupe.metrics.WeakSlices.Settings(minSupport, s.maxLevel(), s.top(), s.alpha()));
    }

    /**
     * Per dimension, per slice value, the slice's evaluation. Empty length bins are left out; a regex that matched
     * no row is an error (an empty slice).
     *
     * @param where the data, for the message
     */
    Map<String, Map<String, EvaluationResult>> results(List<String> classes, String where) {
        Map<String, Map<String, EvaluationResult>> out = new LinkedHashMap<>();
        for (Dimension d : dims) {
            if (d.rule() instanceof RegexRule r && !d.eval().sliceNames().contains(MATCH)) {
                throw new InvalidInputException("EMPTY_SLICE", "--slice '" + r.spec() + "' matches no row of " + where
                        + " (column '" + r.source() + "'): the slice is empty. Check the pattern, or --text-col.");
            }
            out.put(d.name(), d.eval().results(classes));
        }
        return out;
    }
}
