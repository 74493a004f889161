package dev.loupe.store.tracking;

import dev.loupe.store.Provenance;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts runs for training code:
 * <pre>{@code
 * try (Run run = Loupe.start("bert-imdb", Map.of("lr", 5e-5))) {
 *     run.log("train/loss", step, loss);
 * }
 * }</pre>
 * The store is the default one ({@code --store}-less resolution: system property {@code loupe.store},
 * {@code LOUPE_STORE}, else {@code $LOUPE_HOME/loupe.db}). Runs still open when the JVM shuts down are flushed and
 * marked {@code failed} by a shutdown hook (close them to mark them {@code finished}).
 */
public final class Loupe {
    private static final Set<Run> OPEN = new LinkedHashSet<>();
    private static boolean hookInstalled;

    private Loupe() {
    }

    /** Starts a run in the default experiment of the default store. */
    public static Run start(String name, Map<String, ?> params) {
        return start(null, name, params);
    }

    /** Starts a run in {@code experiment} of the default store. */
    public static Run start(String experiment, String name, Map<String, ?> params) {
        RunStore store = RunStore.openDefault();
        try {
            return start(store, true, new RunSpec(experiment, name, defaultProvenance(params), null), params, Run.Options.DEFAULT);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Starts a run in a store the caller opened (and closes).
     *
     * @param ownsStore whether closing the run closes the store
     */
    public static Run start(RunStore store, boolean ownsStore, RunSpec spec, Map<String, ?> params, Run.Options options) {
        RunInfo info = store.createRun(spec);
        store.putParams(info.id(), params);
        Run run = new Run(store, ownsStore, info, options);
        register(run);
        return run;
    }

    /** Provenance known to any JVM process: the command, host, Loupe version and the params as config. */
    public static Provenance defaultProvenance(Map<String, ?> params) {
        String version = Loupe.class.getPackage().getImplementationVersion();
        String command = System.getProperty("sun.java.command");
        String config = null;
        if (params != null && !params.isEmpty()) {
            try {
                config = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(params);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                config = null;
            }
        }
        return new Provenance(null, null, null, config, version == null ? "dev" : version,
                command == null ? null : "java " + command, Provenance.localHost());
    }

    private static synchronized void register(Run run) {
        OPEN.add(run);
        if (!hookInstalled) {
            hookInstalled = true;
            Runtime.getRuntime().addShutdownHook(new Thread(Loupe::closeAllOnShutdown, "loupe-shutdown"));
        }
    }

    static synchronized void forget(Run run) {
        OPEN.remove(run);
    }

    private static void closeAllOnShutdown() {
        List<Run> runs;
        synchronized (Loupe.class) {
            runs = new ArrayList<>(OPEN);
        }
        for (Run r : runs) {
            try {
                r.close(RunStatus.FAILED);
            } catch (RuntimeException e) {
                System.err.println("loupe: could not close run " + r.id() + " at shutdown: " + e.getMessage());
            }
        }
    }
}
