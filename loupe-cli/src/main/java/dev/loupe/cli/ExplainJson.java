package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.explain.Explanation;
import dev.loupe.explain.TextExplainer;
import dev.loupe.explain.Unit;
import dev.loupe.store.Artifact;
import dev.loupe.store.RunStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explanations as JSON (docs/explain-json.md): what {@code loupe explain --json} writes and what a run keeps as its
 * {@code explanations.json} artifact, which the dashboard's sample view and the report read. Numbers that are undefined
 * are {@code null}.
 */
final class ExplainJson {
    static final String ARTIFACT = "explanations.json";
    static final String FORMAT = "loupe-explain/1";
    private static final ObjectMapper OM = new ObjectMapper();

    private ExplainJson() {
    }

    /** One explained example: its key in the run (row number; "text" for --text), row, id, true label. */
    record Item(String key, Long row, String id, String label, TextExplainer.Result result) {
    }

    record Doc(String model, String probeRun, List<String> methods, int samples, long seed, List<Item> items) {
    }

    static ObjectNode tree(Doc doc) {
        ObjectNode root = OM.createObjectNode();
        root.put("format", FORMAT);
        ObjectNode m = root.putObject("model");
        m.put("name", doc.model());
        m.put("probe_run", doc.probeRun());
        ObjectNode settings = root.putObject("settings");
        settings.set("methods", OM.valueToTree(doc.methods()));
        settings.put("samples", doc.samples());
        settings.put("seed", doc.seed());
        ObjectNode ex = root.putObject("examples");
        for (Item it : doc.items()) {
            ex.set(it.key(), item(it));
        }
        return root;
    }

    private static ObjectNode item(Item it) {
        TextExplainer.Result r = it.result();
        ObjectNode n = OM.createObjectNode();
        n.put("key", it.key());
        if (it.row() == null) {
            n.putNull("row");
        } else {
            n.put("row", it.row());
        }
        n.put("id", it.id());
        n.put("label", it.label());
        n.put("text", r.text());
        n.set("labels", OM.valueToTree(r.labels()));
        ArrayNode p = n.putArray("probabilities");
        for (double v : r.probabilities()) {
            num(p, v);
        }
        n.put("predicted", r.labels().get(r.predicted()));
        n.put("target", r.labels().get(r.target()));
        n.put("truncated_words", r.truncatedWords());
        ArrayNode units = n.putArray("units");
        for (Unit u : r.units()) {
            units.addObject().put("text", u.text()).put("start", u.start()).put("end", u.end());
        }
        ObjectNode methods = n.putObject("methods");
        for (Explanation e : r.explanations()) {
            ObjectNode me = methods.putObject(e.method());
            ArrayNode s = me.putArray("scores");
            for (double v : e.scores()) {
                num(s, v);
            }
            numField(me, "value", e.value());
            numField(me, "base_value", e.baseValue());
            me.put("evaluations", e.evaluations());
            me.put("note", e.note());
        }
        return n;
    }

    private static void num(ArrayNode a, double v) {
        if (Double.isFinite(v)) {
            a.add(v);
        } else {
            a.addNull();
        }
    }

    private static void numField(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    static byte[] bytes(Doc doc) throws IOException {
        return OM.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree(doc));
    }

    /**
     * Adds the examples of {@code doc} to the run's {@code explanations.json}: an example explained again replaces the
     * methods it ran again (keeping the others when the text and the explained class are the same); the other examples
     * stay.
     */
    static void store(RunStore store, String runId, Doc doc) {
        ObjectNode merged = tree(doc);
        try {
            for (Artifact a : store.artifacts(runId)) {
                if (a.name().equals(ARTIFACT)) {
                    JsonNode old = OM.readTree(Files.readAllBytes(store.artifactPath(a.sha256())));
                    ObjectNode ex = (ObjectNode) merged.get("examples");
                    Map<String, JsonNode> keep = new LinkedHashMap<>();
                    old.path("examples").properties().forEach(e -> {
                        JsonNode now = ex.get(e.getKey());
                        if (now == null) {
                            keep.put(e.getKey(), e.getValue());
                        } else if (now.path("target").equals(e.getValue().path("target"))
                                && now.path("text").equals(e.getValue().path("text"))) {
                            // the same question again: methods not re-run this time stay
                            ObjectNode methods = (ObjectNode) now.get("methods");
                            e.getValue().path("methods").properties().forEach(m -> {
                                if (!methods.has(m.getKey())) {
                                    methods.set(m.getKey(), m.getValue());
                                }
                            });
                        }
                    });
                    keep.forEach(ex::set);
                }
            }
            store.putArtifact(runId, ARTIFACT, "application/json", new ByteArrayInputStream(OM.writeValueAsBytes(merged)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code max} characters of a text on one line. */
    static String snippet(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
