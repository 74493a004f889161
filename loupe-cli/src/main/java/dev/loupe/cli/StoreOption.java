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
     * For commands that only read (runs list / show / export, report, plot): an existing store is opened read-only, so
     * a read-only store works; a store not created yet is created empty as before, so they answer "no run".
     */
    RunStore openReadOnly() {
        StoreLocation loc = location();
        java.nio.file.Path file = loc.sqliteFile();
        return file != null && !java.nio.file.Files.exists(file) ? RunStore.open(loc) : RunStore.openReadOnly(loc);
    }

    /** For {@code serve}: read-only, and a store that does not exist is an error rather than a new empty store. */
    RunStore openExistingReadOnly() {
        return RunStore.openReadOnly(location());
    }
}
