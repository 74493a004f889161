package dev.loupe.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.loupe.api.InvalidInputException;
import dev.loupe.data.augment.Perturbation;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.MetricOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code loupe suite} configuration (TOML, YAML or JSON, by extension; the format is documented in docs/suite.md):
 * what to evaluate and which parts to run. Every problem is an {@link InvalidInputException} naming the file, the
 * line and the key, what was expected and what was found; nothing runs before the whole file is checked. Paths in
 * the file are relative to the file's folder.
 *
 * @param source       the configuration file
 * @param name         the suite run's name
 * @param experiment   the experiment its runs go to (null: the default)
 * @param seed         seed of every bootstrap and perturbation
 * @param bootstrap    replicates per interval
 * @param predictions  a predictions file (else model + data)
 * @param model        a model directory or bundled encoder name (else predictions)
 * @param data         the model's labelled texts
 * @param options      further evaluate options, as {@code --name value} pairs (text_col, label_col, positive_label, ...)
 * @param slices       null when there is no [slices] table
 * @param fairness     null when there is no [fairness] table
 * @param robustness   null when there is no [robustness] table
 * @param ood          the out-of-distribution file ([generalization]); null when none
 * @param gates        null when there is no [gates] table
 */
record SuiteConfig(Path source, String name, String experiment, long seed, int bootstrap, Path predictions, String model,
                   Path data, List<String> options, Slices slices, String fairness, Robustness robustness, Path ood,
                   Gates gates) {

    record Slices(List<String> by, List<String> derived, boolean weak, int minSupport, List<String> heatmap) {
    }

    record Robustness(List<String> perturb, boolean counterfactualNames) {
    }

    record Gates(List<String> require, List<String> maxGap, List<String> maxDrop, String baseline, boolean conservative) {
    }

    /** The keys each table allows ("" is the top level). */
    private static final Map<String, Set<String>> KEYS = Map.of(
            "", Set.of("name", "experiment", "seed", "bootstrap", "evaluate", "slices", "fairness", "robustness",
                    "generalization", "gates"),
            "evaluate", Set.of("predictions", "model", "data", "text_col", "label_col", "positive_label", "max_length",
                    "batch_size", "threshold"),
            "slices", Set.of("by", "derived", "weak", "min_support", "heatmap"),
            "fairness", Set.of("group_col"),
            "robustness", Set.of("perturb", "counterfactual_names"),
            "generalization", Set.of("ood"),
            "gates", Set.of("require", "max_gap", "max_drop", "baseline", "conservative"));

    /** A value of the file and the line it is on (0 when unknown). */
    record Node(Object value, int line) {
    }

    /** Reads and checks {@code file}. */
    static SuiteConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("NO_SUCH_FILE", "--config " + file + " does not exist. Write a suite file"
                    + " (see examples/suite.toml and docs/suite.md) or fix the path.");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidInputException("BAD_CONFIG", "--config " + file + " is not UTF-8 text.");
        } catch (IOException e) {
            throw new InvalidInputException("CANNOT_READ", "Cannot read --config " + file + ": " + e.getMessage());
        }
        Node root = parse(file, text);
        return new Reader(file, root).config();
    }

    /** The file as a tree of maps, lists and scalars, each with its line. */
    static Node parse(Path file, String text) {
        String ext = extension(file);
        try {
            return switch (ext) {
                case "toml" -> toml(text);
                case "yaml", "yml" -> stream(new YAMLFactory().createParser(text));
                case "json" -> stream(new JsonFactory().createParser(text));
                default -> throw new InvalidInputException("BAD_CONFIG", "--config " + file + ": the format is known by the"
                        + " extension, .toml, .yaml/.yml or .json; this file has " + (ext.isEmpty() ? "none" : "." + ext) + ".");
            };
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at != null && at.getLineNr() > 0 ? " line " + at.getLineNr() : "";
            throw new InvalidInputException("BAD_CONFIG", file + where + ": not valid " + ext.toUpperCase(Locale.ROOT)
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidInputException("BAD_CONFIG", file + ": cannot be read as " + ext + ": " + e.getMessage());
        }
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** JSON and YAML: the streaming parser knows each token's line. */
    private static Node stream(JsonParser p) throws IOException {
        try (p) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Node(Map.of(), 1);
            }
            return value(p, t);
        }
    }

    private static Node value(JsonParser p, JsonToken t) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> m = new LinkedHashMap<>();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    int keyLine = p.currentTokenLocation().getLineNr();
                    Node v = value(p, p.nextToken());
                    m.put(key, new Node(v.value(), v.value() instanceof Map || v.value() instanceof List ? keyLine : v.line()));
                }
                return new Node(m, line);
            }
            case START_ARRAY -> {
                List<Node> l = new ArrayList<>();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(value(p, t));
                }
                return new Node(l, line);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), line);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node(p.getNumberValue(), line);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(t == JsonToken.VALUE_TRUE, line);
            }
            case VALUE_NULL -> {
                return new Node(null, line);
            }
            default -> throw new IOException("unexpected " + t);
        }
    }

    /** TOML: Jackson's TOML reader builds a tree without positions, so each key's line is found in the text. */
    private static Node toml(String text) throws IOException {
        JsonNode tree = new TomlMapper().readTree(text);
        return tomlNode(tree, "", text.split("\r?\n", -1), 1);
    }

    private static final Pattern TABLE = Pattern.compile("^\\s*\\[\\s*([^\\]]+?)\\s*\\]\\s*(#.*)?$");

    private static Node tomlNode(JsonNode n, String table, String[] lines, int line) {
        if (n.isObject()) {
            Map<String, Node> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = table.isEmpty() ? e.getKey() : table + "." + e.getKey();
                m.put(e.getKey(), tomlNode(e.getValue(), path, lines, tomlLine(lines, table, e.getKey(), e.getValue().isObject())));
            }
            return new Node(m, line);
        }
        if (n.isArray()) {
            List<Node> l = new ArrayList<>();
            n.forEach(x -> l.add(tomlNode(x, table, lines, line)));
            return new Node(l, line);
        }
        if (n.isBoolean()) {
            return new Node(n.booleanValue(), line);
        }
        if (n.isNumber()) {
            return new Node(n.numberValue(), line);
        }
        return new Node(n.isNull() ? null : n.asText(), line);
    }

    /** The line of {@code key} in {@code table} ("[table]" header for a sub-table), or 0 when not found. */
    static int tomlLine(String[] lines, String table, String key, boolean isTable) {
        String current = "";
        Pattern keyLine = Pattern.compile("^\\s*(\"?)" + Pattern.quote(key) + "\\1\\s*=");
        String header = table.isEmpty() ? key : table + "." + key;
        for (int i = 0; i < lines.length; i++) {
            Matcher h = TABLE.matcher(lines[i]);
            if (h.matches()) {
                current = h.group(1).replace(" ", "");
                if (isTable && current.equals(header)) {
                    return i + 1;
                }
            } else if (current.equals(table) && keyLine.matcher(lines[i]).find()) {
                return i + 1;
            }
        }
        return 0;
    }

    /** Turns the tree into a {@link SuiteConfig}, checking every key and value. */
    private static final class Reader {
        private final Path file;
        private final Path dir;
        private final Node root;

        Reader(Path file, Node root) {
            this.file = file;
            this.dir = file.toAbsolutePath().getParent();
            this.root = root;
        }

        private InvalidInputException bad(Node at, String key, String message) {
            String where = at != null && at.line() > 0 ? " line " + at.line() : "";
            return new InvalidInputException("BAD_CONFIG", file + where + ": " + key + ": " + message);
        }

        @SuppressWarnings("unchecked")
        private Map<String, Node> table(Node n, String name) {
            if (!(n.value() instanceof Map)) {
                throw bad(n, name.isEmpty() ? "the file" : name, "expected a table (" + (name.isEmpty() ? "keys = values"
                        : "[" + name + "] with keys below it") + "), got " + describe(n.value()) + ".");
            }
            Map<String, Node> m = (Map<String, Node>) n.value();
            Set<String> allowed = KEYS.get(name);
            for (Map.Entry<String, Node> e : m.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    String full = name.isEmpty() ? e.getKey() : name + "." + e.getKey();
                    throw bad(e.getValue(), full, "unknown key; " + (name.isEmpty() ? "the top level" : "[" + name + "]")
                            + " takes " + String.join(", ", new java.util.TreeSet<>(allowed)) + ".");
                }
            }
            return m;
        }

        private static String describe(Object v) {
            if (v == null) {
                return "nothing (null)";
            }
            if (v instanceof Map) {
                return "a table";
            }
            if (v instanceof List<?> l) {
                return "a list of " + l.size();
            }
            return v instanceof String s ? "the text \"" + s + "\"" : (v instanceof Boolean ? "" : "the number ") + v;
        }

        private String string(Map<String, Node> t, String table, String key) {
            Node n = t.get(key);
            if (n == null) {
                return null;
            }
            if (!(n.value() instanceof String s) || s.isBlank()) {
                throw bad(n, table + key, "expected a non-empty text in quotes, got " + describe(n.value()) + ".");
            }
            return s;
        }

        private long integer(Map<String, Node> t, String table, String key, long min, long dflt) {
            Node n = t.get(key);
            if (n == null) {
                return dflt;
            }
            if (!(n.value() instanceof Number x) || x instanceof Double || x instanceof Float
                    || x instanceof java.math.BigDecimal || x.longValue() < min) {
                throw bad(n, table + key, "expected a whole number of at least " + min + ", got " + describe(n.value()) + ".");
            }
            return x.longValue();
        }

        private boolean bool(Map<String, Node> t, String table, String key) {
            Node n = t.get(key);
            if (n == null) {
                return false;
            }
            if (!(n.value() instanceof Boolean b)) {
                throw bad(n, table + key, "expected true or false, got " + describe(n.value()) + ".");
            }
            return b;
        }

        /** A list of texts; a single text is taken as a list of one. */
        private List<String> strings(Map<String, Node> t, String table, String key) {
            Node n = t.get(key);
            if (n == null) {
                return List.of();
            }
            if (n.value() instanceof String s) {
                return List.of(s);
            }
            if (!(n.value() instanceof List<?> l)) {
                throw bad(n, table + key, "expected a list of texts such as [\"a\", \"b\"], got " + describe(n.value()) + ".");
            }
            List<String> out = new ArrayList<>();
            for (Object o : l) {
                Node x = (Node) o;
                if (!(x.value() instanceof String s) || s.isBlank()) {
                    throw bad(n, table + key, "expected a list of non-empty texts, got " + describe(x.value()) + " in it.");
                }
                out.add(s);
            }
            return out;
        }

        /** A path relative to the configuration's folder, which must exist. */
        private Path file(Map<String, Node> t, String table, String key) {
            String s = string(t, table, key);
            if (s == null) {
                return null;
            }
            Path p = dir.resolve(s).normalize();
            if (!Files.exists(p)) {
                throw bad(t.get(key), table + key, p + " does not exist (paths are relative to the folder of " + file.getFileName() + ").");
            }
            return p;
        }

        SuiteConfig config() {
            Map<String, Node> top = table(root, "");
            Node ev = top.get("evaluate");
            if (ev == null) {
                throw bad(null, "evaluate", "missing: the [evaluate] table names what to evaluate (predictions = FILE, or"
                        + " model = DIR and data = FILE).");
            }
            Map<String, Node> e = table(ev, "evaluate");
            Path predictions = file(e, "evaluate.", "predictions");
            String modelName = string(e, "evaluate.", "model");
            Path data = file(e, "evaluate.", "data");
            if ((predictions == null) == (modelName == null)) {
                throw bad(ev, "evaluate", "give either predictions = FILE or model = DIR with data = FILE, not "
                        + (predictions == null ? "neither" : "both") + ".");
            }
            if (modelName != null && data == null) {
                throw bad(e.get("model"), "evaluate.data", "missing: model = ... needs data = FILE, the labelled texts to run it on.");
            }
            if (predictions != null && data != null) {
                throw bad(e.get("data"), "evaluate.data", "data goes with model; a predictions file already holds the labels.");
            }
            String model = modelName == null ? null
                    : dev.loupe.models.BundledEncoder.isShortName(modelName) ? modelName : resolveModel(e, modelName);
            List<String> options = new ArrayList<>();
            for (String k : List.of("text_col", "label_col", "positive_label")) {
                String v = string(e, "evaluate.", k);
                if (v != null) {
                    options.add("--" + k.replace('_', '-'));
                    options.add(v);
                }
            }
            for (String k : List.of("max_length", "batch_size")) {
                if (e.containsKey(k)) {
                    options.add("--" + k.replace('_', '-'));
                    options.add(String.valueOf(integer(e, "evaluate.", k, k.equals("batch_size") ? 1 : 0, 0)));
                }
            }
            if (e.containsKey("threshold")) {
                Node n = e.get("threshold");
                if (!(n.value() instanceof Number x) || !(x.doubleValue() >= 0 && x.doubleValue() <= 1)) {
                    throw bad(n, "evaluate.threshold", "expected a number in [0, 1], got " + describe(n.value()) + ".");
                }
                options.add("--threshold");
                options.add(String.valueOf(x.doubleValue()));
            }
            String textCol = string(e, "evaluate.", "text_col");

            Slices slices = null;
            if (top.containsKey("slices")) {
                Map<String, Node> s = table(top.get("slices"), "slices");
                slices = new Slices(strings(s, "slices.", "by"), strings(s, "slices.", "derived"), bool(s, "slices.", "weak"),
                        (int) integer(s, "slices.", "min_support", 1, 30), strings(s, "slices.", "heatmap"));
                if (!slices.heatmap().isEmpty() && slices.heatmap().size() != 2) {
                    throw bad(s.get("heatmap"), "slices.heatmap", "expected two slice names, such as [\"source\", \"length\"];"
                            + " got " + slices.heatmap().size() + ".");
                }
                if (slices.by().isEmpty() && slices.derived().isEmpty()) {
                    throw bad(top.get("slices"), "slices", "give the columns to slice by (by = [\"COL\"]) or derived"
                            + " slices (derived = [\"len=length\"]).");
                }
            }
            String group = null;
            if (top.containsKey("fairness")) {
                Map<String, Node> f = table(top.get("fairness"), "fairness");
                group = string(f, "fairness.", "group_col");
                if (group == null) {
                    throw bad(top.get("fairness"), "fairness.group_col", "missing: name the sensitive-feature column.");
                }
            }
            if (slices != null || group != null) {
                checkSlices(top, slices, textCol == null ? "text" : textCol, group);
            }
            Robustness robustness = null;
            if (top.containsKey("robustness")) {
                Node rn = top.get("robustness");
                Map<String, Node> r = table(rn, "robustness");
                if (model == null) {
                    throw bad(rn, "robustness", "perturbs texts and scores them again, so it needs model = DIR and"
                            + " data = FILE in [evaluate], not a predictions file. Remove [robustness] or evaluate a model.");
                }
                List<String> perturb = strings(r, "robustness.", "perturb");
                String spec = perturb.isEmpty() ? RobustnessCommand.DEFAULT_PERTURB : String.join(",", perturb);
                try {
                    Perturbation.parseList(spec, "robustness.perturb");
                } catch (InvalidInputException x) {
                    throw bad(r.get("perturb"), "robustness.perturb", x.getMessage());
                }
                robustness = new Robustness(List.of(spec.split(",")), bool(r, "robustness.", "counterfactual_names"));
            }
            Path ood = null;
            if (top.containsKey("generalization")) {
                Map<String, Node> g = table(top.get("generalization"), "generalization");
                ood = file(g, "generalization.", "ood");
                if (ood == null) {
                    throw bad(top.get("generalization"), "generalization.ood", "missing: the out-of-distribution file ("
                            + (model == null ? "predictions like evaluate.predictions" : "labelled texts like evaluate.data") + ").");
                }
            }
            Gates gates = null;
            if (top.containsKey("gates")) {
                Map<String, Node> g = table(top.get("gates"), "gates");
                gates = new Gates(bounds(g, "require"), bounds(g, "max_gap"), strings(g, "gates.", "max_drop"),
                        string(g, "gates.", "baseline"), bool(g, "gates.", "conservative"));
                for (String d : gates.maxDrop()) {
                    Matcher m = CheckCommand.DROP.matcher(d);
                    if (!m.matches() || !number(m.group(2))) {
                        throw bad(g.get("max_drop"), "gates.max_drop", "'" + d + "' is not METRIC=D, such as f1_macro=0.01.");
                    }
                }
                if (!gates.maxDrop().isEmpty() && gates.baseline() == null) {
                    throw bad(g.get("max_drop"), "gates.baseline", "missing: max_drop compares with a baseline run (baseline = \"RUN\").");
                }
                if (gates.require().isEmpty() && gates.maxGap().isEmpty() && gates.maxDrop().isEmpty()) {
                    throw bad(top.get("gates"), "gates", "holds no gate: add require = [\"accuracy>=0.9\"], max_gap or max_drop.");
                }
            }
            String name = string(top, "", "name");
            return new SuiteConfig(file, name != null ? name : "suite " + file.getFileName(), string(top, "", "experiment"),
                    integer(top, "", "seed", 0, 0), (int) integer(top, "", "bootstrap", 0, 1000), predictions, model, data,
                    List.copyOf(options), slices, group, robustness, ood, gates);
        }

        private String resolveModel(Map<String, Node> e, String name) {
            Path p = dir.resolve(name).normalize();
            if (!Files.exists(p)) {
                throw bad(e.get("model"), "evaluate.model", p + " does not exist: name a model directory (relative to the"
                        + " folder of " + file.getFileName() + ") or a bundled encoder (minilm, minilm-q, bge-small-q, e5-small-q).");
            }
            return p.toString();
        }

        private List<String> bounds(Map<String, Node> g, String key) {
            List<String> out = strings(g, "gates.", key);
            for (String b : out) {
                Matcher m = CheckCommand.BOUND.matcher(b);
                if (!m.matches() || !number(m.group(3))) {
                    throw bad(g.get(key), "gates." + key, "'" + b + "' is not METRIC OP X (OP one of >=, >, <=, <), such as"
                            + " accuracy>=0.9.");
                }
            }
            return out;
        }

        private static boolean number(String s) {
            try {
                Double.parseDouble(s);
                return true;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        /** The slice definitions parse as evaluate would parse them. */
        @SuppressWarnings("unchecked")
        private void checkSlices(Map<String, Node> top, Slices slices, String textCol, String group) {
            try {
                Slicing s = new Slicing(slices == null ? List.of() : slices.by(), slices == null ? List.of() : slices.derived(), textCol,
                        group, new EvaluationConfig(2, -1, 0, 0, 0.95, 15, 20, 0, MetricOptions.defaults()));
                if (slices != null && !slices.heatmap().isEmpty()) {
                    try {
                        s.heatmap(slices.heatmap().get(0), slices.heatmap().get(1));
                    } catch (InvalidInputException h) {
                        throw bad(((Map<String, Node>) top.get("slices").value()).get("heatmap"), "slices.heatmap", h.getMessage());
                    }
                }
            } catch (InvalidInputException x) {
                Node at = top.get("slices") != null ? top.get("slices") : top.get("fairness");
                String key = slices != null ? "slices" : "fairness";
                if (x.getMessage().contains("'--slice'") && at.value() instanceof Map<?, ?> m && m.get("derived") instanceof Node d) {
                    at = d;
                    key = "slices.derived";
                }
                throw bad(at, key, x.getMessage());
            }
        }
    }
}
