package dev.loupe.store.importers;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricValue;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports a Hugging Face Trainer {@code trainer_state.json}: every numeric field of each {@code log_history} entry
 * becomes a point of the series of that name at the entry's {@code step} ({@code loss}, {@code learning_rate},
 * {@code grad_norm}, {@code epoch}, {@code eval_loss}, {@code eval_accuracy}, ...); the final summary entry (the one
 * with {@code train_runtime}) becomes scalar metrics ({@code train_loss}, {@code train_runtime}, ...); the top-level
 * numbers and strings ({@code global_step}, {@code train_batch_size}, {@code best_model_checkpoint}, ...) become
 * parameters. Entries without a {@code step} (the {@code predict_*} metrics of {@code trainer.predict()}) are skipped
 * with a count. The Trainer logs no times, so points have no wall time (0), rather than an invented one.
 */
public final class HfTrainerStateImporter {
    /** Python's json module writes NaN, Infinity and -Infinity as bare tokens: accept them. */
    private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private HfTrainerStateImporter() {
    }

    /**
     * Imports {@code file} into {@code store}.
     *
     * @param name       run name; {@code null} for the name of the directory holding the file
     * @param experiment experiment; {@code null} for the default
     */
    public static ImportResult importFile(RunStore store, Path file, String name, String experiment) {
        Path real = Sources.existingFile(file, "a trainer_state.json");
        State st = parse(file, parse(file, Sources.bytes(file, real)), 0);
        if (st.points().isEmpty() && st.metrics().isEmpty()) {
            throw new InvalidInputException("NO_POINTS", file + ": $.log_history holds no numeric value with a step"
                    + (st.notes().isEmpty() ? "" : " (" + String.join("; ", st.notes()) + ")") + ": nothing to import.");
        }
        return Imports.write(store, spec(real, name, experiment), file.toString(), st.params(), st.metrics(),
                st.points(), st.notes(), true);
    }

    static RunSpec spec(Path real, String name, String experiment) {
        return new RunSpec(experiment, name != null ? name : defaultName(real), Imports.provenance("import hf " + real),
                "hf:" + real);
    }

    static JsonNode parse(Path file, byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (JsonParseException e) {
            throw new InvalidInputException("BAD_JSON", file + " is not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ".", e);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("BAD_JSON", file + " is not valid JSON: " + e.getOriginalMessage() + ".", e);
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * What a trainer state holds.
     *
     * @param entries how many {@code log_history} entries it has
     * @param points  the points of entries from the one asked for on
     */
    record State(int entries, List<SeriesPoint> points, Map<String, MetricValue> metrics, Map<String, Object> params,
                 List<String> notes) {
    }

    /** Reads a trainer state; {@code fromEntry} skips the log entries before it (the watcher has them already). */
    static State parse(Path file, JsonNode root, int fromEntry) {
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw bad(file, "$", "a JSON object (the Trainer's state)", root == null || root.isMissingNode() ? "an empty file" : kind(root));
        }
        JsonNode history = root.get("log_history");
        if (history == null) {
            throw new InvalidInputException("BAD_TRAINER_STATE", file + ": $.log_history is missing; is this a Hugging Face"
                    + " trainer_state.json (it lives in each checkpoint-N directory)?");
        }
        if (!history.isArray()) {
            throw bad(file, "$.log_history", "an array of log entries", kind(history));
        }
        List<SeriesPoint> points = new ArrayList<>();
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        long skippedCount = 0;
        List<String> noStep = new ArrayList<>();
        long noStepCount = 0;
        for (int i = 0; i < history.size(); i++) {
            String at = "$.log_history[" + i + "]";
            JsonNode entry = history.get(i);
            if (!entry.isObject()) {
                throw bad(file, at, "an object", kind(entry));
            }
            boolean summary = entry.has("train_runtime");
            JsonNode stepNode = entry.get("step");
            if (!summary && stepNode == null) {
                // e.g. the predict_* metrics that trainer.predict() logs: no step to put them at
                noStepCount++;
                if (noStep.size() < 3) {
                    noStep.add(at + " (" + String.join(", ", fieldNames(entry)) + ")");
                }
                continue;
            }
            long step = stepNode == null ? -1 : step(file, at + ".step", stepNode);
            if (i < fromEntry) {
                continue;
            }
            for (Map.Entry<String, JsonNode> f : entry.properties()) {
                String key = f.getKey();
                JsonNode v = f.getValue();
                if (key.equals("step")) {
                    continue;
                }
                double value;
                if (v.isNumber()) {
                    value = v.asDouble();
                } else if (v.isNull()) {
                    value = Double.NaN;
                } else {
                    skippedCount++;
                    if (skipped.size() < 5) {
                        skipped.add(at + "." + key + " (" + kind(v) + ")");
                    }
                    continue;
                }
                if (summary) {
                    metrics.put(key, MetricValue.of(value));
                } else {
                    points.add(new SeriesPoint(key, step, 0, value)); // the Trainer logs no times
                }
            }
        }
        List<String> notes = new ArrayList<>();
        if (noStepCount > 0) {
            notes.add("skipped " + noStepCount + " log_history " + (noStepCount == 1 ? "entry" : "entries")
                    + " without a step, e.g. " + String.join("; ", noStep));
        }
        if (skippedCount > 0) {
            notes.add("skipped " + skippedCount + " non-numeric " + (skippedCount == 1 ? "value" : "values") + ", e.g. "
                    + String.join(", ", skipped));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            JsonNode v = f.getValue();
            if (v.isNumber()) {
                params.put(f.getKey(), v.numberValue());
            } else if (v.isTextual() || v.isBoolean()) {
                params.put(f.getKey(), v.isBoolean() ? v.asBoolean() : v.asText());
            }
        }
        return new State(history.size(), points, metrics, params, notes);
    }

    private static List<String> fieldNames(JsonNode entry) {
        List<String> names = new ArrayList<>();
        entry.fieldNames().forEachRemaining(n -> {
            if (names.size() < 3) {
                names.add(n.length() > 30 ? n.substring(0, 30) + "…" : n);
            }
        });
        return names;
    }

    /** An integer step a long holds; floats only when integral and exact (|step| at most 2^53). */
    private static long step(Path file, String at, JsonNode n) {
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isFloatingPointNumber() && n.asDouble() == Math.rint(n.asDouble()) && Math.abs(n.asDouble()) <= CsvLog.MAX_STEP) {
            return (long) n.asDouble();
        }
        if (n.isNumber() && (n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()))) {
            throw bad(file, at, "an integer step of at most 2^53 in size (2^63 when written without a fraction or"
                    + " exponent)", kind(n));
        }
        throw bad(file, at, "an integer step", kind(n));
    }

    private static String defaultName(Path real) {
        Path dir = real.getParent();
        if (dir == null) {
            return "hf " + real.getFileName();
        }
        String d = dir.getFileName().toString();
        if (d.startsWith("checkpoint-") && dir.getParent() != null && dir.getParent().getFileName() != null) {
            return dir.getParent().getFileName() + "/" + d;
        }
        return d;
    }

    private static InvalidInputException bad(Path file, String path, String expected, String actual) {
        return new InvalidInputException("BAD_TRAINER_STATE", file + ": " + path + " must be " + expected + ". Got "
                + actual + " instead.");
    }

    static String kind(JsonNode n) {
        if (n.isTextual()) {
            String t = n.asText();
            return "the string \"" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "\"";
        }
        if (n.isNumber()) {
            return "the number " + n.asText();
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isBoolean()) {
            return "the boolean " + n.asText();
        }
        return "null";
    }
}
