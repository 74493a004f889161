package dev.loupe.cli;

import dev.loupe.api.InternalException;
import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;
import dev.loupe.data.results.MetricsJson;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records an evaluation in the run store: the options as params and config, every scalar metric with its interval,
 * provenance (SHA-256 of the predictions file as the dataset hash, command line, Loupe version, host), the full
 * metrics JSON as an artifact and the predictions file itself as an artifact (up to {@link #MAX_KEPT_PREDICTIONS}
 * bytes), so that every number can be recomputed from the store. Callers wrap it, with everything else the run keeps, in one
 * {@link RunStore#transaction}: a run is stored whole or not at all.
 */
final class EvaluationRecorder {
    /** Larger predictions files are not copied into the store (the run still records their SHA-256). */
    static final long MAX_KEPT_PREDICTIONS = 256L << 20;

    private EvaluationRecorder() {
    }

    static RunInfo record(RunStore store, String experiment, String name, Path predictions, String modelSha256,
                          Map<String, Object> params, List<String> args, EvaluationResult result, int curvePoints) {
        return record(store, experiment, name, predictions, null, modelSha256, params, args, result, curvePoints);
    }

    /**
     * As above; {@code captured} is the file as the evaluation read it (hash and compressed copy taken in the same
     * pass, see {@link InputCapture}), or null to hash and copy the file here. A capture that does not cover the
     * whole file as it is now (it changed meanwhile) is ignored.
     */
    static RunInfo record(RunStore store, String experiment, String name, Path predictions, InputCapture.Captured captured,
                          String modelSha256, Map<String, Object> params, List<String> args, EvaluationResult result,
                          int curvePoints) {
        return record(store, experiment, name, predictions, captured, modelSha256, params, args, result, Map.of(), null,
                MetricsJson.Extras.NONE, curvePoints);
    }

    /**
     * As above, with the evaluation's slices (per dimension, per value): every scalar metric of each slice and its
     * {@code support} (rows) are stored as {@code name[dimension=value]}, and the slices go into metrics.json; and the
     * fairness gaps ({@code fairness}, null for none) by their names, such as {@code demographic_parity_difference}.
     */
    static RunInfo record(RunStore store, String experiment, String name, Path predictions, InputCapture.Captured captured,
                          String modelSha256, Map<String, Object> params, List<String> args, EvaluationResult result,
                          Map<String, Map<String, EvaluationResult>> slices, dev.loupe.metrics.GroupFairness fairness,
                          MetricsJson.Extras extras, int curvePoints) {
        if (captured != null && captured.bytes() != size(predictions)) {
            captured.discard();
            captured = null;
        }
        Provenance prov = Provenance.EMPTY
                .withModelSha256(modelSha256)
                .withDatasetHash(captured != null ? captured.datasetHash() : sha256(predictions))
                .withConfigJson(dev.loupe.store.tracking.Loupe.defaultProvenance(params).configJson())
                .withLoupeVersion(Main.version())
                .withCommand(commandLine(args))
                .withHost(Provenance.localHost());
        Map<String, MetricValue> metrics = metrics(result, slices, null);
        if (fairness != null) {
            fairness.gaps().forEach((id, v) -> metrics.put(id.toString(), v));
        }
        RunSpec spec = new RunSpec(experiment, name != null ? name : "evaluate " + predictions.getFileName(), prov, null);
        Map<String, Object> given = new LinkedHashMap<>(params);
        given.values().removeIf(java.util.Objects::isNull); // options left at "not given" are not parameters
        RunInfo run = store.recordRun(spec, given, metrics);
        putMetricsJson(store, run.id(), result, slices, params.get("group_col") instanceof String g ? g : null, fairness,
                extras, curvePoints);
        if (captured != null && captured.packed() != null) {
            store.adoptArtifact(run.id(), "predictions" + extension(predictions) + ".zst", "application/zstd",
                    captured.packed(), captured.packedSha256(), captured.packedBytes());
        } else if (captured == null) {
            keepPredictions(store, run, predictions);
        }
        return run;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The file's extension in lower case with its dot ({@code .csv}), or "" when it has none. */
    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 ? name.substring(dot).toLowerCase(java.util.Locale.ROOT) : "";
    }

    /** Slice metrics kept in the store (the rest stay in each slice's result). */
    static final java.util.Set<String> SLICE_METRICS = java.util.Set.of("accuracy", "f1", "roc_auc");

    /**
     * Every scalar metric by its stored name, plus the {@link #SLICE_METRICS} of each slice of {@code sliceColumn}
     * as {@code name[column=value]}.
     */
    static Map<String, MetricValue> metrics(EvaluationResult result, String sliceColumn, Map<String, EvaluationResult> slices) {
        return metrics(result, sliceColumn == null ? Map.of() : Map.of(sliceColumn, slices), SLICE_METRICS);
    }

    /** Name of the stored rows of a slice ({@code support[dimension=value]}). */
    static final String SUPPORT = "support";

    /**
     * Every scalar metric by its stored name, plus for each slice ({@code slices}: per dimension, per value) its
     * metrics named in {@code keep} (all when null) and its {@link #SUPPORT} as {@code name[dimension=value]}.
     */
    static Map<String, MetricValue> metrics(EvaluationResult result, Map<String, Map<String, EvaluationResult>> slices,
                                            java.util.Set<String> keep) {
        Map<String, MetricValue> metrics = new LinkedHashMap<>();
        result.metrics().forEach((id, v) -> metrics.put(id.toString(), v));
        slices.forEach((dim, values) -> values.forEach((slice, r) -> {
            String where = dim + "=" + slice;
            if (keep == null) {
                metrics.put(SUPPORT + "[" + where + "]", new MetricValue(r.rows(), Double.NaN, Double.NaN));
            }
            r.metrics().forEach((id, v) -> {
                if (keep == null || keep.contains(id.key())) {
                    metrics.put(new MetricId(id.name(), id.target(), where).toString(), v);
                }
            });
        }));
        return metrics;
    }

    /** The full metrics JSON (curves thinned to {@code curvePoints}) as the run's {@code metrics.json} artifact. */
    static void putMetricsJson(RunStore store, String runId, EvaluationResult result, int curvePoints) {
        putMetricsJson(store, runId, result, Map.of(), null, null, MetricsJson.Extras.NONE, curvePoints);
    }

    /** As above, with the slices, the fairness gaps and the extras (out of distribution, weak slices) of the evaluation. */
    static void putMetricsJson(RunStore store, String runId, EvaluationResult result,
                               Map<String, Map<String, EvaluationResult>> slices, String groupCol,
                               dev.loupe.metrics.GroupFairness fairness, MetricsJson.Extras extras, int curvePoints) {
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try {
            new MetricsJson(curvePoints).write(result, slices, groupCol, fairness, extras, json);
        } catch (IOException e) {
            throw new InternalException("rendering the metrics JSON failed", e);
        }
        store.putArtifact(runId, "metrics.json", "application/json", new ByteArrayInputStream(json.toByteArray()));
    }

    /** One example's log loss from the probability of its true class (clipped as scikit-learn does); NaN if unknown. */
    static double exampleLoss(double pTrue) {
        return Double.isNaN(pTrue) ? Double.NaN : -Math.log(Math.max(pTrue, Math.ulp(1.0)));
    }

    private static void keepPredictions(RunStore store, RunInfo run, Path predictions) {
        try {
            if (Files.size(predictions) > MAX_KEPT_PREDICTIONS) {
                return;
            }
            String ext = extension(predictions);
            String type = switch (ext) {
                case ".csv" -> "text/csv";
                case ".tsv" -> "text/tab-separated-values";
                case ".jsonl" -> "application/jsonl";
                case ".parquet" -> "application/vnd.apache.parquet";
                default -> "application/octet-stream";
            };
            try (InputStream in = Files.newInputStream(predictions)) {
                store.putArtifact(run.id(), "predictions" + ext, type, in);
            }
        } catch (IOException e) {
            throw new InternalException("keeping " + predictions + " in the run store failed: " + e.getMessage(), e);
        }
    }

    /** Per-example rows for the store: id, label, probabilities, arg-max prediction, log loss, metadata, text. */
    static List<dev.loupe.store.PredictionRow> rows(dev.loupe.data.text.TextDataset data, List<String> classes, double[][] probs) {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        List<dev.loupe.store.PredictionRow> rows = new java.util.ArrayList<>(data.size());
        try {
            for (int i = 0; i < data.size(); i++) {
                double[] p = probs[i];
                int pred = dev.loupe.api.PredictionBatch.argMax(p, 0, p.length);
                int y = classes.indexOf(data.label(i));
                double loss = exampleLoss(y < 0 ? Double.NaN : p[y]);
                rows.add(new dev.loupe.store.PredictionRow(i, data.id(i), data.label(i), om.writeValueAsString(p),
                        classes.get(pred), loss, om.writeValueAsString(data.metadataOf(i)), data.text(i), p[pred]));
            }
        } catch (IOException e) {
            throw new InternalException("rendering predictions as JSON failed", e);
        }
        return rows;
    }

    /**
     * Stores what cleaning counted as the run's {@code dataset.json} artifact ({@code {"cleaning": {...}}}, counts
     * only, no texts or ids; docs/ARCHITECTURE.md), read by the overview panel.
     */
    static void putDatasetJson(RunStore store, String runId, dev.loupe.data.text.CleaningReport r) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("dataset", r.dataset());
        c.put("input", r.input());
        c.put("kept", r.kept());
        c.put("empty", r.empty());
        c.put("empty_removed", r.emptyRemoved());
        c.put("duplicates", r.duplicates());
        c.put("duplicates_removed", r.duplicatesRemoved());
        c.put("conflicting_duplicates", r.conflictingDuplicates());
        c.put("max_chars", r.maxChars());
        c.put("over_long", r.overLong());
        c.put("removed_by_label", r.removedByLabel());
        c.put("kept_by_label", r.keptByLabel());
        byte[] json;
        try {
            json = new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(Map.of("cleaning", c));
        } catch (IOException e) {
            throw new InternalException("rendering dataset.json failed", e);
        }
        store.putArtifact(runId, "dataset.json", "application/json", new ByteArrayInputStream(json));
    }

    static String commandLine(List<String> args) {
        StringBuilder sb = new StringBuilder("loupe");
        for (String a : args) {
            sb.append(' ');
            sb.append(a.isEmpty() || a.matches(".*[\\s'\"\\\\$`|&;<>()*?].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return sb.toString();
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return "sha256:" + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new InternalException("hashing " + file + " failed: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new InternalException("SHA-256 is not available", e);
        }
    }
}
