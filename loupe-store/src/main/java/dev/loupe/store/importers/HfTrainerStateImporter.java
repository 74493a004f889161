package dev.loupe.store.importers;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricValue;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Imports a Hugging Face Trainer {@code trainer_state.json}: every numeric field of each {@code log_history} entry
 * becomes a point of the series of that name at the entry's {@code step} ({@code loss}, {@code learning_rate},
 * {@code grad_norm}, {@code epoch}, {@code eval_loss}, {@code eval_accuracy}, ...); the final summary entry (the one
 * with {@code train_runtime}) becomes scalar metrics ({@code train_loss}, {@code train_runtime}, ...); the top-level
 * numbers and strings ({@code global_step}, {@code train_batch_size}, {@code best_model_checkpoint}, ...) become
 * parameters. The Trainer logs no times, so every point's wall time is the file's modification time.
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
        JsonNode root;
        try {
            root = JSON.readTree(real.toFile());
        } catch (JsonParseException e) {
            throw new InvalidInputException("BAD_JSON", file + " is not valid JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + ".", e);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("BAD_JSON", file + " is not valid JSON: " + e.getOriginalMessage() + ".", e);
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw bad(file, "$", "a JSON object (the Trainer's state)", root == null ? "an empty file" : kind(root));
        }
        JsonNode history = root.get("log_history");
        if (history == null) {
            throw new InvalidInputException("BAD_TRAINER_STATE", file + ": $.log_history is missing; is this a Hugging Face"
                    + " trainer_state.json (it lives in each checkpoint-N directory)?");
        }
        if (!history.isArray()) {
            throw bad(file, "$.log_history", "an array of log entries", kind(history));
        }

        long wall = lastModified(real);
        List<SeriesPoint> points = new ArrayList<>();
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        TreeSet<String> series = new TreeSet<>();
        List<String> skipped = new ArrayList<>();
        long skippedCount = 0;
        for (int i = 0; i < history.size(); i++) {
            String at = "$.log_history[" + i + "]";
            JsonNode entry = history.get(i);
            if (!entry.isObject()) {
                throw bad(file, at, "an object", kind(entry));
            }
            boolean summary = entry.has("train_runtime");
            JsonNode stepNode = entry.get("step");
            if (!summary && stepNode == null) {
                throw bad(file, at + ".step", "an integer step", "nothing (the field is missing)");
            }
            if (stepNode != null && !(stepNode.isIntegralNumber() || stepNode.isNumber() && stepNode.asDouble() == Math.rint(stepNode.asDouble()))) {
                throw bad(file, at + ".step", "an integer step", kind(stepNode));
            }
            long step = stepNode == null ? -1 : stepNode.asLong();
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
                    points.add(new SeriesPoint(key, step, wall, value));
                    series.add(key);
                }
            }
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
        String runName = name != null ? name : defaultName(real);
        Provenance prov = Provenance.EMPTY.withCommand("import hf " + real).withHost(Provenance.localHost());
        RunSpec spec = new RunSpec(experiment, runName, prov, "hf:" + real);
        final long skippedTotal = skippedCount;
        return store.transaction(() -> {
            RunInfo before = store.runBySourceKey(spec.sourceKey());
            RunInfo run = store.createRun(spec);
            store.putParams(run.id(), params);
            store.appendPoints(run.id(), points);
            store.putMetrics(run.id(), metrics);
            store.finish(run.id(), RunStatus.FINISHED);
            return new ImportResult(run.id(), before == null, points.size(), List.copyOf(series), metrics.size(),
                    List.copyOf(skipped), skippedTotal);
        });
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

    private static long lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return System.currentTimeMillis();
        }
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
