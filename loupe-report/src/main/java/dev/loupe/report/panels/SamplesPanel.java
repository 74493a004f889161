package dev.loupe.report.panels;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.InvalidInputException;
import dev.loupe.report.Json;
import dev.loupe.report.Panel;
import dev.loupe.report.RunData;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.PredictionTable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The stored predictions, paginated and filtered on the server: true / predicted class, correct or wrong,
 * confidence range, a metadata value, text search; sorted by loss or confidence. The report embeds a bounded
 * selection instead ({@link #reportSelection}): the most confident errors plus a seeded random sample.
 */
public final class SamplesPanel implements Panel {
    public static final int MAX_PAGE_SIZE = 200;
    /** Longest text kept per row in a view model. */
    public static final int MAX_TEXT = RunData.MAX_TEXT;
    /**
     * Runs with at most this many stored rows are also parsed into memory (once, in the background, after the first
     * page is read from the store), so later pages, filters and sorts skip the database; larger runs are always paged by
     * the database, which keeps {@code serve}'s memory bounded.
     */
    public static final int MAX_CACHED = 200_000;

    @Override
    public String id() {
        return "samples";
    }

    @Override
    public String title() {
        return "Samples";
    }

    @Override
    public boolean isActive(RunData run) {
        return run.hasPredictions();
    }

    @Override
    public boolean deferred() {
        return true;
    }

    @Override
    public String emptyMessage() {
        return "This run has no stored predictions.";
    }

    @Override
    public Object viewModel(RunData run) {
        return viewModel(run, Map.of());
    }

    /** One row of the table. */
    public record Sample(long row, String id, String label, String pred, Boolean correct, Double confidence,
                         Double loss, Map<String, Object> metadata, Object probabilities, String text) {
    }

    /** The stored explanations of the run's examples, by key (row number): docs/explain-json.md. */
    public static final String EXPLANATIONS = "explanations.json";

    /**
     * One sample for the sample view ({@code Loupe.openSample}): the row whose number (or example id) is {@code key},
     * and its stored explanation ({@code null} when it has none).
     */
    public static Object detail(RunData run, String key) {
        Sample hit = null;
        for (Sample s : samples(run)) {
            if (key.equals(String.valueOf(s.row())) || (hit == null && key.equals(s.id()))) {
                hit = s;
                if (key.equals(String.valueOf(s.row()))) {
                    break;
                }
            }
        }
        if (hit == null) {
            throw new dev.loupe.api.NotFoundException("SAMPLE_NOT_FOUND", "Run " + run.id() + " has no sample '" + key
                    + "' (a row number or an example id).");
        }
        JsonNode ex = run.artifactJson(EXPLANATIONS);
        JsonNode e = ex == null ? null : ex.path("examples").get(String.valueOf(hit.row()));
        return Json.obj("sample", hit, "explanation", e);
    }

    /**
     * One whole attention map of a stored example ({@code key}, {@code layer}, {@code head}): {@code map[query][key]},
     * weights to 1/255 (the {@code maps_artifact} of docs/explain-json.md), with the example's tokens.
     */
    static Object attentionMap(RunData run, String key, Map<String, String> q) {
        JsonNode ex = run.artifactJson(EXPLANATIONS);
        JsonNode att = ex == null ? null : ex.path("examples").path(key).get("attention");
        java.nio.file.Path file = att == null || !att.hasNonNull("maps_artifact") ? null : run.artifact(att.get("maps_artifact").asText());
        if (file == null) {
            throw new dev.loupe.api.NotFoundException("ATTENTION_NOT_STORED", "Run " + run.id() + " keeps no attention maps"
                    + " for sample '" + key + "': loupe explain " + run.id() + " --examples ids:... --method attention stores them.");
        }
        int layers = att.path("layers").asInt(), heads = att.path("heads").asInt(), n = att.path("tokens").size();
        int layer = intParam(q, "layer", 0, 0, layers - 1);
        int head = intParam(q, "head", 0, 0, heads - 1);
        byte[] map = new byte[n * n];
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long offset = ((long) layer * heads + head) * n * n;
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(map);
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) >= 0) {
                // read until the map is whole
            }
            if (buf.hasRemaining()) {
                throw new dev.loupe.api.InternalException("The attention maps of sample '" + key + "' in run " + run.id()
                        + " are shorter than " + layers + " x " + heads + " maps of " + n + " x " + n + " tokens.", null);
            }
        } catch (java.io.IOException e) {
            throw new dev.loupe.api.InternalException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        List<double[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] row = new double[n];
            for (int j = 0; j < n; j++) {
                row[j] = Math.round((map[i * n + j] & 0xff) / 255.0 * 1e4) / 1e4;
            }
            rows.add(row);
        }
        return Json.obj("key", key, "layer", layer, "head", head, "tokens", att.get("tokens"), "map", rows);
    }

    @Override
    public Object viewModel(RunData run, Map<String, String> q) {
        if (q.containsKey("key") && q.containsKey("layer")) {
            return attentionMap(run, q.get("key"), q);
        }
        if (q.containsKey("key")) {
            return detail(run, q.get("key"));
        }
        int page = intParam(q, "page", 0, 0, Integer.MAX_VALUE);
        int size = intParam(q, "size", 25, 1, MAX_PAGE_SIZE);
        List<Sample> all = run.pager() == null ? samples(run) : run.derivedIfReady("samples");
        if (all == null) {
            // this page from the store; then runs of up to MAX_CACHED rows are read and parsed in the background for
            // later requests (after the page: the store has one connection, and reading every row holds it a while)
            Object view = storePage(run, q, page, size);
            if (run.predictionCount() <= MAX_CACHED) {
                run.deriveInBackground("samples", () -> parse(run));
            }
            return view;
        }
        List<Sample> hits = new ArrayList<>();
        for (Sample s : all) {
            if (matches(s, q)) {
                hits.add(s);
            }
        }
        sort(hits, q.getOrDefault("sort", "-loss"));
        int from = Math.min(page * size, hits.size());
        int to = Math.min(from + size, hits.size());
        return Json.obj("classes", run.classes(), "total", all.size(), "matched", hits.size(), "page", page,
                "size", size, "pages", (hits.size() + size - 1) / size, "local", false,
                "rows", new ArrayList<>(hits.subList(from, to)));
    }

    /**
     * One page read from the store: the same filters and order as {@link #matches} and {@link #sort}, applied by the
     * database, so that the first request of a large run reads one page instead of every row.
     */
    private static Object storePage(RunData run, Map<String, String> q, int page, int size) {
        String sort = q.getOrDefault("sort", "-loss");
        sort(new ArrayList<>(), sort); // checks the value
        String correct = blankToNull(q.get("correct"));
        if (correct != null && !(correct.equals("true") || correct.equals("false"))) {
            throw InvalidInputException.parameter("correct", "true or false", "'" + correct + "'");
        }
        String meta = blankToNull(q.get("meta"));
        int eq = meta == null ? -1 : meta.indexOf('=');
        if (meta != null && eq < 1) {
            throw InvalidInputException.parameter("meta", "column=value", "'" + meta + "'");
        }
        double minConf = doubleParam(q, "minConf", Double.NEGATIVE_INFINITY);
        double maxConf = doubleParam(q, "maxConf", Double.POSITIVE_INFINITY);
        List<String> classes = run.classes();
        PredictionTable.Page p = run.pager().apply(new PredictionTable.Query(classes, blankToNull(q.get("label")),
                blankToNull(q.get("pred")), correct == null ? null : Boolean.valueOf(correct),
                minConf > Double.NEGATIVE_INFINITY ? minConf : null, maxConf < Double.POSITIVE_INFINITY ? maxConf : null,
                meta == null ? null : meta.substring(0, eq), meta == null ? null : meta.substring(eq + 1),
                blankToNull(q.get("q")), sort, page, size, MAX_TEXT + 1));
        List<Sample> rows = new ArrayList<>();
        for (PredictionRow r : p.rows()) {
            rows.add(sample(r, classes));
        }
        return Json.obj("classes", classes, "total", p.total(), "matched", p.matched(), "page", page,
                "size", size, "pages", (p.matched() + size - 1) / size, "local", false, "rows", rows);
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** At most {@code errors} most confident errors plus {@code random} other rows (seeded), for the report. */
    public Object reportSelection(RunData run, int errors, int random) {
        List<Sample> all = samples(run);
        List<Sample> wrong = new ArrayList<>();
        List<Sample> rest = new ArrayList<>();
        for (Sample s : all) {
            (Boolean.FALSE.equals(s.correct()) ? wrong : rest).add(s);
        }
        sort(wrong, "-confidence");
        List<Sample> picked = new ArrayList<>(wrong.subList(0, Math.min(errors, wrong.size())));
        rest.addAll(wrong.subList(Math.min(errors, wrong.size()), wrong.size()));
        java.util.Collections.shuffle(rest, new Random(0));
        picked.addAll(rest.subList(0, Math.min(random, rest.size())));
        sort(picked, "-loss");
        return Json.obj("classes", run.classes(), "total", all.size(), "matched", picked.size(), "page", 0,
                "size", 25, "pages", (picked.size() + 24) / 25, "local", true,
                "note", "The report holds the " + Math.min(errors, wrong.size()) + " most confident errors and a random "
                        + "sample of " + Math.min(random, rest.size()) + " of the " + all.size() + " rows.",
                "rows", picked);
    }

    static List<Sample> samples(RunData run) {
        return run.derived("samples", () -> parse(run));
    }

    private static List<Sample> parse(RunData run) {
        List<String> classes = run.classes();
        List<Sample> out = new ArrayList<>();
        for (PredictionRow r : run.predictions()) {
            out.add(sample(r, classes));
        }
        return out;
    }

    /** A stored row as the table shows it: named probabilities, confidence, parsed metadata, text cut to {@link #MAX_TEXT}. */
    private static Sample sample(PredictionRow r, List<String> classes) {
        Object probs = null;
        Double confidence = null;
        if (r.probabilities() != null) {
            Map<String, Double> named = probabilities(r.probabilities(), classes);
            probs = named;
            if (r.pred() != null && named.get(r.pred()) != null) {
                confidence = named.get(r.pred());
            } else {
                confidence = named.values().stream().filter(v -> v != null).max(Double::compare).orElse(null);
            }
        }
        Map<String, Object> meta = r.metadataJson() == null ? Map.of() : metadata(r.metadataJson());
        String text = r.text();
        if (text != null && text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT) + "…";
        }
        if (text != null) {
            text = text.replace('\0', '\u2400'); // NUL shown as the symbol for null, the text around it whole
        }
        Boolean correct = r.label() == null || r.pred() == null ? null : r.label().equals(r.pred());
        return new Sample(r.rowIndex(), r.exampleId(), r.label(), r.pred(), correct, confidence,
                Json.num(r.loss()), meta, probs, text);
    }

    /**
     * Per-class probabilities by class name. The stored form is almost always a flat array of numbers, read here
     * without building a JSON tree (a 100,000-row run is parsed on its first view); anything else goes through Jackson.
     */
    static Map<String, Double> probabilities(String json, List<String> classes) {
        Map<String, Double> named = new LinkedHashMap<>();
        String t = json.strip();
        if (t.length() >= 2 && t.charAt(0) == '[' && t.charAt(t.length() - 1) == ']' && t.indexOf('"') < 0) {
            int i = 0;
            int start = 1;
            for (int end = 1; end < t.length(); end++) {
                char c = t.charAt(end);
                if (c == ',' || end == t.length() - 1) {
                    String v = t.substring(start, end).strip();
                    if (v.isEmpty() && c != ',' && i == 0) {
                        break; // []
                    }
                    Double d = v.equals("null") ? null : parseFinite(v);
                    named.put(i < classes.size() ? classes.get(i) : String.valueOf(i), d);
                    i++;
                    start = end + 1;
                }
            }
            return named;
        }
        JsonNode p = Json.parse(json);
        if (p.isArray()) {
            for (int i = 0; i < p.size(); i++) {
                named.put(i < classes.size() ? classes.get(i) : String.valueOf(i), p.get(i).isNumber() ? p.get(i).asDouble() : null);
            }
        } else if (p.isObject()) {
            p.fields().forEachRemaining(e -> named.put(e.getKey(), e.getValue().isNumber() ? e.getValue().asDouble() : null));
        }
        return named;
    }

    private static Double parseFinite(String v) {
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            throw new dev.loupe.api.InternalException("Stored probabilities are not numbers: '" + v + "'", e);
        }
    }

    /** A flat metadata object, values as text (nested values as their JSON), read with the streaming parser. */
    static Map<String, Object> metadata(String json) {
        Map<String, Object> meta = new LinkedHashMap<>();
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new dev.loupe.api.InternalException("Stored metadata is not a JSON object: " + json, null);
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String key = p.currentName();
                com.fasterxml.jackson.core.JsonToken v = p.nextToken();
                if (v.isStructStart()) {
                    meta.put(key, Json.MAPPER.readTree(p).toString());
                } else {
                    meta.put(key, v == com.fasterxml.jackson.core.JsonToken.VALUE_NULL ? "null" : p.getText());
                }
            }
        } catch (java.io.IOException e) {
            throw new dev.loupe.api.InternalException("Stored metadata is not valid JSON: " + e.getMessage(), e);
        }
        return meta;
    }

    static boolean matches(Sample s, Map<String, String> q) {
        String label = q.get("label");
        if (label != null && !label.isEmpty() && !label.equals(s.label())) {
            return false;
        }
        String pred = q.get("pred");
        if (pred != null && !pred.isEmpty() && !pred.equals(s.pred())) {
            return false;
        }
        String correct = q.get("correct");
        if (correct != null && !correct.isEmpty()) {
            if (!(correct.equals("true") || correct.equals("false"))) {
                throw InvalidInputException.parameter("correct", "true or false", "'" + correct + "'");
            }
            if (s.correct() == null || s.correct() != Boolean.parseBoolean(correct)) {
                return false;
            }
        }
        double minConf = doubleParam(q, "minConf", Double.NEGATIVE_INFINITY);
        double maxConf = doubleParam(q, "maxConf", Double.POSITIVE_INFINITY);
        if (minConf > Double.NEGATIVE_INFINITY || maxConf < Double.POSITIVE_INFINITY) {
            if (s.confidence() == null || s.confidence() < minConf || s.confidence() > maxConf) {
                return false;
            }
        }
        String meta = q.get("meta");
        if (meta != null && !meta.isEmpty()) {
            int eq = meta.indexOf('=');
            if (eq < 1) {
                throw InvalidInputException.parameter("meta", "column=value", "'" + meta + "'");
            }
            Object v = s.metadata().get(meta.substring(0, eq));
            if (v == null || !v.toString().equals(meta.substring(eq + 1))) {
                return false;
            }
        }
        String text = q.get("q");
        if (text != null && !text.isEmpty()) {
            String needle = text.toLowerCase(Locale.ROOT);
            boolean inText = s.text() != null && s.text().toLowerCase(Locale.ROOT).contains(needle);
            boolean inId = s.id() != null && s.id().toLowerCase(Locale.ROOT).contains(needle);
            return inText || inId;
        }
        return true;
    }

    static void sort(List<Sample> rows, String sort) {
        Comparator<Sample> c = switch (sort) {
            case "loss", "-loss" -> Comparator.comparing(Sample::loss, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "confidence", "-confidence" -> Comparator.comparing(Sample::confidence, Comparator.nullsFirst(Comparator.naturalOrder()));
            case "row", "-row" -> Comparator.comparingLong(Sample::row);
            default -> throw InvalidInputException.parameter("sort", "one of loss, -loss, confidence, -confidence, row", "'" + sort + "'");
        };
        rows.sort(sort.startsWith("-") ? c.reversed() : c);
    }

    private static int intParam(Map<String, String> q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            int x = Integer.parseInt(v);
            if (x < min || x > max) {
                throw InvalidInputException.parameter(name, "an integer in [" + min + ", " + max + "]", v);
            }
            return x;
        } catch (NumberFormatException e) {
            throw InvalidInputException.parameter(name, "an integer", "'" + v + "'");
        }
    }

    private static double doubleParam(Map<String, String> q, String name, double dflt) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw InvalidInputException.parameter(name, "a number", "'" + v + "'");
        }
    }
}
