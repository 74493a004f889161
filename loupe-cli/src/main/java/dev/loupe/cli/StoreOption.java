package dev.loupe.cli;

import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import picocli.CommandLine.Option;

/** The {@code --store} option shared by every command that reads or writes the run store. */
final class StoreOption {
    @Option(names = "--store", paramLabel = "URL|FILE",
            description = "Run store: a jdbc:postgresql://... or jdbc:sqlite:... URL, or a SQLite file"
                    + " (default: $LOUPE_STORE, else $LOUPE_HOME/loupe.db, LOUPE_HOME defaulting to ~/.loupe).")
    String store;

    StoreLocation location() {
        return StoreLocation.resolve(store);
    }

    RunStore open() {
        return RunStore.open(location());
    }

    /**
     * For commands that only read (runs list / show / export, report, plot, serve): the store is opened read-only, so a
     * read-only store works, and a store that does not exist is an error (exit 2) saying how to make one, never a new
     * empty store.
     */
    RunStore openReadOnly() {
        return RunStore.openReadOnly(location());
    }
}
