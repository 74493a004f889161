package dev.loupe.cli;

import dev.loupe.api.InternalException;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * Work a command starts on a daemon thread of its own and takes the result of later, so that it overlaps the work in
 * between: {@code evaluate} opens the run store (SQLite's library, the schema check, the crash marking: about a tenth
 * of a second on a cold JVM) and makes the kept rows for the store while it reads and bootstraps. {@link #take} waits
 * and rethrows what the work threw, as it was thrown, at the place the work used to run; {@link #discard} disposes of
 * a result nobody took (the command failed first).
 */
final class Background<T> {
    private final FutureTask<T> task;
    private final String thread;
    private boolean taken;

    private Background(String thread, Callable<T> work) {
        this.thread = thread;
        task = new FutureTask<>(work);
        Thread t = new Thread(task, thread);
        t.setDaemon(true);
        t.start();
    }

    static <T> Background<T> start(String thread, Callable<T> work) {
        return new Background<>(thread, work);
    }

    /** The result, now the caller's; rethrows what the work threw. */
    T take() {
        taken = true;
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while waiting for " + thread, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error er) {
                throw er;
            }
            throw new InternalException(thread + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Hands a result nobody took to {@code dispose} once the work is done (closing a store opened for nothing); a failure
     * of the work no longer matters then: the command already failed for its own reason.
     */
    void discard(Consumer<? super T> dispose) {
        if (taken) {
            return;
        }
        taken = true;
        try {
            dispose.accept(task.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            // the command's own error is the one to report
        }
    }
}
