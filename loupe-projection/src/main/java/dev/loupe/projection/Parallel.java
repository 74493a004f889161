package dev.loupe.projection;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.stream.IntStream;

/**
 * Parallel loops on a pool of a chosen size. Work is split into fixed index chunks (independent of the thread
 * count), each chunk writes only its own outputs, so results do not depend on scheduling.
 */
final class Parallel implements AutoCloseable {
    interface Range {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int threads;

    Parallel(int threads) {
        this.threads = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        this.pool = this.threads == 1 ? null : new ForkJoinPool(this.threads);
    }

    int threads() {
        return threads;
    }

    /** Runs body over [0, n) in chunks of {@code chunk} indices. */
    void forRange(int n, int chunk, Range body) {
        int chunks = (n + chunk - 1) / chunk;
        if (pool == null || chunks <= 1) {
            for (int c = 0; c < chunks; c++) {
                body.run(c * chunk, Math.min(n, (c + 1) * chunk));
            }
            return;
        }
        await(pool.submit(() -> IntStream.range(0, chunks).parallel()
                .forEach(c -> body.run(c * chunk, Math.min(n, (c + 1) * chunk)))));
    }

    private static void await(ForkJoinTask<?> t) {
        try {
            t.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /**
     * Runs task alongside {@link #forRange}(n, chunk, body) (on one of the pool's threads, which then joins the
     * loop); the two must not touch the same data. Returns when both are done.
     */
    void alongside(Runnable task, int n, int chunk, Range body) {
        if (pool == null) {
            task.run();
            forRange(n, chunk, body);
            return;
        }
        ForkJoinTask<?> side = pool.submit(task);
        forRange(n, chunk, body);
        await(side);
    }

    /** A chunk size giving some 8 chunks per thread, at least {@code min}. */
    int chunk(int n, int min) {
        return Math.max(min, n / (threads * 8) + 1);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
