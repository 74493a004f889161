package dev.loupe.cli;

import dev.loupe.api.InternalException;
import dev.loupe.store.RunStore;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The run store, opened on a background thread while a command does its work, so that opening it (SQLite's native
 * library, the schema check, the crash marking: about a tenth of a second on a cold JVM) overlaps the evaluation
 * instead of following it. {@link #take} waits for it and hands it over; {@link #close} closes a store nobody took
 * (the command failed before recording). Errors opening the store surface at {@link #take}, where the command would
 * have opened it.
 */
final class StoreOpening implements AutoCloseable {
    private final FutureTask<RunStore> task;
    private boolean taken;

    private StoreOpening(StoreOption store) {
        task = new FutureTask<>(store::open);
        Thread t = new Thread(task, "loupe-store-open");
        t.setDaemon(true);
        t.start();
    }

    static StoreOpening start(StoreOption store) {
        return new StoreOpening(store);
    }

    /** The opened store, now the caller's to close; rethrows what opening it threw. */
    RunStore take() {
        taken = true;
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while opening the run store", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error er) {
                throw er;
            }
            throw new InternalException("opening the run store failed: " + e.getCause(), e.getCause());
        }
    }

    /** Closes the store if it was opened and never taken; an error opening it no longer matters then. */
    @Override
    public void close() {
        if (taken) {
            return;
        }
        taken = true;
        try {
            task.get().close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // the command already failed for its own reason; that is the error to report
        }
    }
}
