package dev.loupe.store.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.store.Artifact;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.SeriesSummary;
import dev.loupe.store.StoredMetric;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run document:
 * <pre>
 * {"id", "experiment", "name", "status", "started_at", "ended_at", "heartbeat_at",
 *  "provenance": {"model_sha256", "dataset_hash", "split_seed", "config", "loupe_version", "command", "host"},
 *  "params": {name: value}, "metrics": {name: {"value", "ci_low", "ci_high"}},
 *  "series": {name: [[step, value], ...]}, "artifacts": [{"name", "sha256", "size_bytes", "media_type"}],
 *  "predictions": [...]  (export only)}
 * </pre>
 * Numbers that are undefined (NaN) are {@code null}; +∞ and -∞ are the strings {@code "Infinity"} and
 * {@code "-Infinity"} (JSON has no infinity), the same text the CSV export writes, so they are not lost.
 */
public final class RunExport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private RunExport() {
    }

    /** The run document; with {@code predictions}, the per-example predictions too. */
    public static ObjectNode document(RunStore store, RunInfo run, boolean predictions) {
        ObjectNode doc = header(run);
        ObjectNode params = doc.putObject("params");
        for (Map.Entry<String, Object> e : store.params(run.id()).entrySet()) {
            params.set(e.getKey(), JSON.valueToTree(e.getValue()));
        }
        ObjectNode metrics = doc.putObject("metrics");
        for (StoredMetric m : store.metrics(run.id())) {
            ObjectNode o = metrics.putObject(m.name());
            putNumber(o, "value", m.value());
            putNumber(o, "ci_low", m.ciLow());
            putNumber(o, "ci_high", m.ciHigh());
        }
        ObjectNode series = doc.putObject("series");
        for (SeriesSummary s : store.seriesSummaries(run.id())) {
            ArrayNode pts = series.putArray(s.name());
            for (SeriesPoint p : store.series(run.id(), s.name())) {
                ArrayNode pair = pts.addArray();
                pair.add(p.step());
                addNumber(pair, p.value());
            }
        }
        ArrayNode arts = doc.putArray("artifacts");
        for (Artifact a : store.artifacts(run.id())) {
            ObjectNode o = arts.addObject();
            o.put("name", a.name());
            o.put("sha256", a.sha256());
            o.put("size_bytes", a.sizeBytes());
            o.put("media_type", a.mediaType());
        }
        if (predictions) {
            ArrayNode rows = doc.putArray("predictions");
            for (PredictionRow r : store.predictions(run.id())) {
                ObjectNode o = rows.addObject();
                o.put("row", r.rowIndex());
                o.put("id", r.exampleId());
                o.put("label", r.label());
                o.set("probabilities", parseOrText(r.probabilities()));
                o.put("pred", r.pred());
                putNumber(o, "loss", r.loss());
                o.set("metadata", parseOrText(r.metadataJson()));
                o.put("text", r.text());
            }
        }
        return doc;
    }

    /** A run's header fields and provenance (what {@code runs list --json} shows per run). */
    public static ObjectNode header(RunInfo run) {
        ObjectNode doc = F.objectNode();
        doc.put("id", run.id());
        doc.put("experiment", run.experiment());
        doc.put("name", run.name());
        doc.put("status", run.status().dbName());
        doc.put("started_at", iso(run.startedAt()));
        doc.put("ended_at", run.endedAt() == null ? null : iso(run.endedAt()));
        doc.put("heartbeat_at", iso(run.heartbeatAt()));
        Provenance p = run.provenance();
        ObjectNode prov = doc.putObject("provenance");
        prov.put("model_sha256", p.modelSha256());
        prov.put("dataset_hash", p.datasetHash());
        if (p.splitSeed() == null) {
            prov.putNull("split_seed");
        } else {
            prov.put("split_seed", p.splitSeed());
        }
        prov.set("config", parseOrText(p.configJson()));
        prov.put("loupe_version", p.loupeVersion());
        prov.put("command", p.command());
        prov.put("host", p.host());
        return doc;
    }

    /** Writes the run document (see the class comment) as indented JSON. */
    public static void writeDocument(RunStore store, RunInfo run, boolean predictions, Writer out) {
        writeJson(document(store, run, predictions), out);
    }

    /** Writes a JSON array of run headers ({@link #header}). */
    public static void writeRunList(List<RunInfo> runs, Writer out) {
        ArrayNode arr = F.arrayNode();
        runs.forEach(r -> arr.add(header(r)));
        writeJson(arr, out);
    }

    /** Writes a JSON value, indented, with a final newline. */
    public static void writeJson(JsonNode node, Writer out) {
        try {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The flat CSV export: header {@code kind,name,step,wall_time,value,ci_low,ci_high}, one row per parameter
     * ({@code value} holds its JSON), metric and series point. {@code loupe import csv} reads the series rows back.
     */
    public static void writeCsv(RunStore store, RunInfo run, Writer out) {
        try {
            out.write("kind,name,step,wall_time,value,ci_low,ci_high\n");
            for (Map.Entry<String, Object> e : store.params(run.id()).entrySet()) {
                row(out, "param", e.getKey(), "", "", JSON.writeValueAsString(e.getValue()), "", "");
            }
            for (StoredMetric m : store.metrics(run.id())) {
                row(out, "metric", m.name(), "", "", num(m.value()), num(m.ciLow()), num(m.ciHigh()));
            }
            for (SeriesSummary s : store.seriesSummaries(run.id())) {
                List<SeriesPoint> pts = store.series(run.id(), s.name());
                for (SeriesPoint p : pts) {
                    row(out, "series", s.name(), Long.toString(p.step()), p.wallTime() == 0 ? "" : iso(p.wallTime()),
                            num(p.value()), "", "");
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** ISO-8601 UTC with milliseconds. */
    public static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static void row(Writer out, String... cells) throws IOException {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(csv(inert(cells[i])));
        }
        out.write('\n');
    }

    /**
     * A text cell a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading
     * apostrophe (OWASP's CSV-injection advice); numbers such as -0.5 stay as they are.
     */
    static String inert(String s) {
        if (s.isEmpty() || "=+-@\t\r".indexOf(s.charAt(0)) < 0) {
            return s;
        }
        try {
            Double.parseDouble(s);
            return s;
        } catch (NumberFormatException e) {
            return "'" + s;
        }
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return Double.toString(v);
    }

    /** A number in the run document: NaN is {@code null}, ±∞ the strings "Infinity" and "-Infinity" (as in the CSV). */
    static JsonNode number(double v) {
        if (Double.isNaN(v)) {
            return F.nullNode();
        }
        return Double.isInfinite(v) ? F.textNode(Double.toString(v)) : F.numberNode(v);
    }

    private static void putNumber(ObjectNode o, String field, double v) {
        o.set(field, number(v));
    }

    private static void addNumber(ArrayNode a, double v) {
        a.add(number(v));
    }

    private static JsonNode parseOrText(String s) {
        if (s == null) {
            return F.nullNode();
        }
        try {
            return JSON.readTree(s);
        } catch (JsonProcessingException e) {
            return F.textNode(s);
        }
    }
}
