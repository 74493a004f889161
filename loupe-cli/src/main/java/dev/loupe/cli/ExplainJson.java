package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.explain.Attention;
import dev.loupe.explain.Explanation;
import dev.loupe.explain.Faithfulness;
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

    record Doc(String model, String probeRun, List<String> methods, int samples, long seed, List<Item> items,
               Map<String, Faithfulness.Summary> faithfulness) {
    }

    /** Attention links kept per query and head in the stored document (the --json file has every map whole). */
    static final int TOP_LINKS = 3;

    /** The document; {@code fullMaps}: every attention map whole (the --json file), else only the views the sample view draws. */
    static ObjectNode tree(Doc doc, boolean fullMaps) {
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
            ex.set(it.key(), item(it, fullMaps));
        }
        if (!doc.faithfulness().isEmpty()) {
            ObjectNode f = root.putObject("faithfulness");
            f.put("examples", doc.items().size());
            f.set("fractions", OM.valueToTree(Faithfulness.FRACTIONS));
            f.put("note", "ERASER comprehensiveness and sufficiency (means over 10/20/50% of the words), AOPC of deleting words in"
                    + " the method's order against random orders; means over the examples with 95% bootstrap intervals.");
            ObjectNode ms = f.putObject("methods");
            doc.faithfulness().forEach((k, v) -> {
                ObjectNode mo = ms.putObject(k);
                interval(mo.putObject("comprehensiveness"), v.comprehensiveness());
                interval(mo.putObject("sufficiency"), v.sufficiency());
                interval(mo.putObject("aopc"), v.aopc());
                interval(mo.putObject("aopc_random"), v.aopcRandom());
                ObjectNode by = mo.putObject("by_fraction");
                v.byFraction().forEach((fr, iv) -> {
                    ObjectNode b = by.putObject(fr);
                    interval(b.putObject("comprehensiveness"), iv[0]);
                    interval(b.putObject("sufficiency"), iv[1]);
                });
            });
        }
        return root;
    }

    private static void interval(ObjectNode o, Faithfulness.Interval i) {
        numField(o, "value", i.value());
        numField(o, "ciLow", i.ciLow());
        numField(o, "ciHigh", i.ciHigh());
    }

    private static ObjectNode attention(Attention.Maps a, boolean fullMaps) {
        ObjectNode n = OM.createObjectNode();
        n.set("tokens", OM.valueToTree(a.tokens()));
        n.set("start", OM.valueToTree(a.start()));
        n.set("end", OM.valueToTree(a.end()));
        n.put("layers", a.layers());
        n.put("heads", a.heads());
        ArrayNode first = n.putArray("first_token");
        for (double[] row : Attention.fromFirstToken(a.maps())) {
            ArrayNode r = first.addArray();
            for (double v : row) {
                r.add(round(v));
            }
        }
        ArrayNode roll = n.putArray("rollout");
        for (double[] row : Attention.rollout(a.maps())) {
            ArrayNode r = roll.addArray();
            for (double v : row) {
                r.add(round(v));
            }
        }
        // per layer and head, each query's strongest keys: [query, key, weight] triples, flat (the head view's links)
        ArrayNode links = n.putArray("links");
        for (float[][][] layer : a.maps()) {
            ArrayNode l = links.addArray();
            for (float[][] head : layer) {
                ArrayNode h = l.addArray();
                for (int q = 0; q < head.length; q++) {
                    Integer[] keys = new Integer[head[q].length];
                    for (int k = 0; k < keys.length; k++) {
                        keys[k] = k;
                    }
                    final float[] row = head[q];
                    java.util.Arrays.sort(keys, (x, y) -> Float.compare(row[y], row[x]));
                    for (int j = 0; j < Math.min(TOP_LINKS, keys.length); j++) {
                        h.add(q).add(keys[j]).add(round(row[keys[j]]));
                    }
                }
            }
        }
        if (fullMaps) {
            n.set("maps", OM.valueToTree(a.maps()));
        }
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    private static ObjectNode item(Item it, boolean fullMaps) {
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
        if (r.attention() != null) {
            n.set("attention", attention(r.attention(), fullMaps));
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

    static byte[] bytes(Doc doc, boolean fullMaps) throws IOException {
        return OM.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree(doc, fullMaps));
    }

    /**
     * Adds the examples of {@code doc} to the run's {@code explanations.json}: an example explained again replaces the
     * methods it ran again (keeping the others when the text and the explained class are the same); the other examples
     * stay.
     */
    static void store(RunStore store, String runId, Doc doc) {
        ObjectNode merged = tree(doc, false);
        try {
            for (Item it : doc.items()) {
                Attention.Maps a = it.result().attention();
                if (a != null) {
                    String name = mapsArtifact(it.key());
                    store.putArtifact(runId, name, "application/octet-stream", new ByteArrayInputStream(mapsU8(a)));
                    ((ObjectNode) merged.path("examples").path(it.key()).path("attention")).put("maps_artifact", name);
                }
            }
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

    /** The artifact holding one stored example's attention maps whole ({@link #mapsU8}). */
    static String mapsArtifact(String key) {
        return "attention-" + key.replaceAll("[^A-Za-z0-9_-]", "_") + ".u8";
    }

    /**
     * Every attention map of one example, {@code [layer][head][query][key]} in that order, one byte per weight:
     * round(weight × 255). The dashboard's sample view reads one map at a time from it (a full heatmap per head);
     * 6 layers × 12 heads × 128² tokens is 1.2 MB a text, which JSON would make ten times larger.
     */
    static byte[] mapsU8(Attention.Maps a) {
        float[][][][] maps = a.maps();
        int n = a.tokens().length;
        byte[] out = new byte[a.layers() * a.heads() * n * n];
        int i = 0;
        for (float[][][] layer : maps) {
            for (float[][] head : layer) {
                for (float[] row : head) {
                    for (float v : row) {
                        out[i++] = (byte) Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
                    }
                }
            }
        }
        return out;
    }

    /** The first {@code max} characters of a text on one line. */
    static String snippet(String s, int max) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }
}
