package dev.loupe.store.importers;

import dev.loupe.api.MetricValue;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.SeriesSummary;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The one way an importer (or the watcher) writes a whole source into its run. */
final class Imports {
    private Imports() {
    }

    /** Loupe's version as the jar's manifest states it ("dev" when run from classes), recorded with each import. */
    static String loupeVersion() {
        String v = Imports.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Provenance of an import: the command, the host and Loupe's version. */
    static Provenance provenance(String command) {
        return Provenance.EMPTY.withCommand(command).withHost(Provenance.localHost()).withLoupeVersion(loupeVersion());
    }

    /**
     * Writes everything a source holds into the run keyed by {@code spec.sourceKey()}, in one transaction. Points
     * stored earlier that the source no longer holds (the file shrank or was replaced at the same path) are removed
     * first, so no stale point stays. The run ends {@code finished} when {@code finish}, else stays as it is
     * ({@code running} for a new run).
     */
    static ImportResult write(RunStore store, RunSpec spec, String source, Map<String, ?> params,
                              Map<String, MetricValue> metrics, List<SeriesPoint> points, List<String> notes, boolean finish) {
        Set<String> incoming = new HashSet<>();
        TreeSet<String> series = new TreeSet<>();
        for (SeriesPoint p : points) {
            incoming.add(key(p.name(), p.step()));
            series.add(p.name());
        }
        return store.transaction(() -> {
            RunInfo before = store.runBySourceKey(spec.sourceKey());
            RunInfo run = store.createRun(spec);
            Set<String> stored = before == null ? Set.of() : storedKeys(store, run.id());
            long fresh = incoming.stream().filter(k -> !stored.contains(k)).count();
            long stale = stored.stream().filter(k -> !incoming.contains(k)).count();
            if (stale > 0) {
                store.deletePoints(run.id());
            }
            store.putParams(run.id(), params);
            store.appendPoints(run.id(), points);
            store.putMetrics(run.id(), metrics);
            if (finish) {
                store.finish(run.id(), RunStatus.FINISHED);
            }
            return new ImportResult(run.id(), source, before == null, incoming.size(), fresh, stale, List.copyOf(series),
                    metrics.size(), List.copyOf(notes));
        });
    }

    private static Set<String> storedKeys(RunStore store, String runId) {
        Set<String> keys = new HashSet<>();
        for (SeriesSummary s : store.seriesSummaries(runId)) {
            for (SeriesPoint p : store.series(runId, s.name())) {
                keys.add(key(s.name(), p.step()));
            }
        }
        return keys;
    }

    private static String key(String name, long step) {
        return name + '\u0000' + step;
    }
}
