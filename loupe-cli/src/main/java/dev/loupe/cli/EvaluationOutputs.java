package dev.loupe.cli;

import dev.loupe.api.MetricValue;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStore;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code loupe evaluate} shows and records for an evaluation, for the other front ends that compute one elsewhere
 * (loupe-spark's driver): the table, and the run in the store with the same metrics, metrics.json and provenance as a
 * local run (minus the copy of the predictions, which a distributed input is too large to keep).
 */
public final class EvaluationOutputs {
    private EvaluationOutputs() {
    }

    /** The table {@code loupe evaluate} prints, with the slices' tables. */
    public static String table(String source, EvaluationResult result, Map<String, Map<String, EvaluationResult>> slices) {
        return new TableReport().render(source, result) + TableReport.slices(slices);
    }

    /**
     * Records an evaluation as one run (in one transaction): its parameters, every metric (and the slices'), the
     * metrics.json artifact, and provenance — the scoring model's SHA-256 (null for predictions), {@code datasetHash} (for a single local file, {@link #sha256} of it, as a
     * local run records), the Loupe version, {@code command} and this host.
     */
    public static RunInfo record(RunStore store, String experiment, String name, String datasetHash, String modelSha256,
                                 String command,
                                 Map<String, Object> params, EvaluationResult result,
                                 Map<String, Map<String, EvaluationResult>> slices, int curvePoints) {
        Provenance prov = Provenance.EMPTY
                .withModelSha256(modelSha256)
                .withDatasetHash(datasetHash)
                .withConfigJson(dev.loupe.store.tracking.Loupe.defaultProvenance(params).configJson())
                .withLoupeVersion(Main.version())
                .withCommand(command)
                .withHost(Provenance.localHost());
        Map<String, MetricValue> metrics = EvaluationRecorder.metrics(result, slices, null);
        Map<String, Object> given = new LinkedHashMap<>(params);
        given.values().removeIf(java.util.Objects::isNull);
        return store.transaction(() -> {
            RunInfo run = store.recordRun(new RunSpec(experiment, name, prov, null), given, metrics);
            EvaluationRecorder.putMetricsJson(store, run.id(), result, slices, null, null, dev.loupe.data.results.MetricsJson.Extras.NONE, curvePoints);
            return run;
        });
    }

    /** {@code sha256:<hex>} of a file's bytes, as a local run records its predictions file. */
    public static String sha256(java.nio.file.Path file) {
        return EvaluationRecorder.sha256(file);
    }

    /** A command line as the store shows it, each argument quoted for a POSIX shell where needed. */
    public static String commandLine(String program, List<String> args) {
        return program + EvaluationRecorder.commandLine(args).substring("loupe".length());
    }
}
