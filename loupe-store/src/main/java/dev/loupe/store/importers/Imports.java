package dev.loupe.store.importers;

import dev.loupe.api.MetricValue;
import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.SeriesSummary;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
        Map<String, long[]> incoming = steps(points);
        long held = incoming.values().stream().mapToLong(a -> a.length).sum();
        return store.transaction(() -> {
            RunInfo before = store.runBySourceKey(spec.sourceKey());
            RunInfo run = store.createRun(spec);
            long stale = 0;
            long old = 0; // stored points the source still holds
            if (before != null) {
                for (SeriesSummary sm : store.seriesSummaries(run.id())) {
                    long[] in = incoming.getOrDefault(sm.name(), new long[0]);
                    for (SeriesPoint p : store.series(run.id(), sm.name())) {
                        if (Arrays.binarySearch(in, p.step()) >= 0) {
                            old++;
                        } else {
                            stale++;
                        }
                    }
                }
            }
            if (stale > 0) {
                store.deletePoints(run.id());
            }
            store.putParams(run.id(), params);
            store.appendPoints(run.id(), points);
            store.putMetrics(run.id(), metrics);
            if (finish) {
                store.finish(run.id(), RunStatus.FINISHED);
            }
            return new ImportResult(run.id(), source, before == null, held, held - old, stale,
                    List.copyOf(incoming.keySet()), metrics.size(), List.copyOf(notes));
        });
    }

    /** Each series' distinct steps, sorted; series by name. */
    private static Map<String, long[]> steps(List<SeriesPoint> points) {
        Map<String, long[]> raw = new TreeMap<>();
        Map<String, Integer> n = new TreeMap<>();
        for (SeriesPoint p : points) {
            long[] a = raw.computeIfAbsent(p.name(), k -> new long[16]);
            int i = n.getOrDefault(p.name(), 0);
            if (i == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
                raw.put(p.name(), a);
            }
            a[i] = p.step();
            n.put(p.name(), i + 1);
        }
        Map<String, long[]> out = new TreeMap<>();
        raw.forEach((name, a) -> out.put(name, Arrays.stream(a, 0, n.get(name)).sorted().distinct().toArray()));
        return out;
    }
}
