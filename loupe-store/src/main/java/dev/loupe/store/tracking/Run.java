package dev.loupe.store.tracking;

import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricValue;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A run being logged. {@link #log} is thread-safe and never blocks on the disk: points go to an in-memory buffer
 * that a background writer thread commits in batches (one transaction per batch). {@link #flush()} waits until
 * every point logged before it is committed; {@link #close()} flushes and marks the run {@code finished}.
 *
 * <pre>{@code
 * try (Run run = Loupe.start("bert-imdb", Map.of("lr", 5e-5))) {
 *     run.log("train/loss", step, loss);
 * }
 * }</pre>
 */
public final class Run implements AutoCloseable {
    /**
     * Writer settings.
     *
     * @param flushInterval     how long points may wait in memory before the writer commits them
     * @param heartbeatInterval how often the writer records that the process is alive
     * @param batchSize         buffered points that wake the writer before the interval is up
     */
    public record Options(Duration flushInterval, Duration heartbeatInterval, int batchSize) {
        public static final Options DEFAULT = new Options(Duration.ofMillis(200), Duration.ofSeconds(10), 20_000);
    }

    private final RunStore store;
    private final boolean ownsStore;
    private final RunInfo info;
    private final Options options;
    private final Thread writer;

    private final Object bufferLock = new Object();
    private ArrayList<SeriesPoint> buffer = new ArrayList<>();
    private long logged;                    // guarded by bufferLock

    private final Object writtenLock = new Object();
    private long written;                   // guarded by writtenLock
    private volatile RuntimeException lastError;
    private volatile boolean stopping;
    private volatile boolean abandoned;
    private volatile boolean closed;
    private List<SeriesPoint> unsaved = List.of();

    Run(RunStore store, boolean ownsStore, RunInfo info, Options options) {
        this.store = store;
        this.ownsStore = ownsStore;
        this.info = info;
        this.options = options;
        this.writer = new Thread(this::writeLoop, "loupe-writer-" + info.id());
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** The run's id in the store. */
    public String id() {
        return info.id();
    }

    /** The run as created. */
    public RunInfo info() {
        return info;
    }

    /** The store the run writes to. */
    public RunStore store() {
        return store;
    }

    /** Logs one point of series {@code name}. A second value for the same step replaces the first. Never blocks on I/O. */
    public void log(String name, long step, double value) {
        if (name == null || name.isEmpty()) {
            throw InvalidInputException.parameter("name", "a non-empty series name", name == null ? "null" : "''");
        }
        if (closed) {
            throw new IllegalStateException("run " + info.id() + " is closed: log before close()");
        }
        SeriesPoint p = new SeriesPoint(name, step, System.currentTimeMillis(), value);
        boolean wake;
        synchronized (bufferLock) {
            buffer.add(p);
            logged++;
            wake = buffer.size() >= options.batchSize();
        }
        if (wake) {
            LockSupport.unpark(writer);
        }
    }

    /** Logs several series at one step, e.g. {@code logMetrics(step, Map.of("loss", 0.3, "lr", 1e-4))}. */
    public void logMetrics(long step, Map<String, ? extends Number> values) {
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            log(e.getKey(), step, e.getValue() == null ? Double.NaN : e.getValue().doubleValue());
        }
    }

    /** Stores final scalar metrics (with intervals) of the run. Writes at once, in one transaction. */
    public void setMetrics(Map<String, MetricValue> metrics) {
        store.putMetrics(info.id(), metrics);
    }

    /** Stores more parameters of the run. Writes at once. */
    public void setParams(Map<String, ?> params) {
        store.putParams(info.id(), params);
    }

    /** Points logged so far. */
    public long loggedPoints() {
        synchronized (bufferLock) {
            return logged;
        }
    }

    /** Points committed to the store so far. */
    public long writtenPoints() {
        synchronized (writtenLock) {
            return written;
        }
    }

    /**
     * Waits until every point logged before this call is committed.
     *
     * @throws InternalException when the store keeps failing (the points stay buffered and are retried)
     */
    public void flush() {
        long target;
        synchronized (bufferLock) {
            target = logged;
        }
        LockSupport.unpark(writer);
        synchronized (writtenLock) {
            while (written < target) {
                if (!writer.isAlive()) {
                    throw new InternalException("run " + info.id() + ": the writer has stopped with "
                            + (target - written) + " points not written", lastError);
                }
                RuntimeException e = lastError;
                if (e != null) {
                    throw new InternalException("run " + info.id() + ": writing to the store failed (" + e.getMessage()
                            + "); " + (target - written) + " points are still buffered and will be retried", e);
                }
                try {
                    writtenLock.wait(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new InternalException("interrupted while flushing run " + info.id(), ie);
                }
            }
        }
    }

    /** Flushes and marks the run finished. */
    @Override
    public void close() {
        close(RunStatus.FINISHED);
    }

    /** Flushes and ends the run with {@code status} ({@code finished} or {@code failed}). */
    public void close(RunStatus status) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Loupe.forget(this);
        stopping = true;
        LockSupport.unpark(writer);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            List<SeriesPoint> left = new ArrayList<>(unsaved);
            synchronized (bufferLock) {
                left.addAll(buffer); // logged after the writer stopped, if it died early
                buffer = new ArrayList<>();
            }
            if (!left.isEmpty()) {
                try {
                    store.appendPoints(info.id(), left); // a last try
                } catch (RuntimeException e) {
                    throw new InternalException("run " + info.id() + ": " + left.size() + " logged points could not be"
                            + " saved (" + e.getMessage() + "); the run stays 'running' and will be marked crashed", e);
                }
                synchronized (writtenLock) {
                    written += left.size();
                }
            }
            store.finish(info.id(), status);
        } finally {
            if (ownsStore) {
                store.close();
            }
        }
    }

    /** Test hook: stops the writer as a killed process would, leaving the run {@code running} in the store. */
    void abandon() {
        abandoned = true;
        closed = true;
        Loupe.forget(this);
        LockSupport.unpark(writer);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        List<SeriesPoint> pending = null;
        try {
            pending = writeUntilStopped();
        } finally {
            // whatever could not be written (a store failure, or an Error in this thread) is handed to close(),
            // which tries once more and says how many points it could not save
            if (!abandoned) {
                List<SeriesPoint> left = new ArrayList<>();
                if (pending != null) {
                    left.addAll(pending);
                }
                synchronized (bufferLock) {
                    left.addAll(buffer);
                    buffer = new ArrayList<>();
                }
                unsaved = left;
            }
        }
    }

    /** The writer's loop; returns the batch it could not write, if any. */
    private List<SeriesPoint> writeUntilStopped() {
        long lastBeat = System.nanoTime();
        long beatNanos = options.heartbeatInterval().toNanos();
        List<SeriesPoint> pending = null;
        int failures = 0;
        while (!abandoned) {
            if (pending == null) {
                synchronized (bufferLock) {
                    if (!buffer.isEmpty()) {
                        pending = buffer;
                        buffer = new ArrayList<>(Math.min(pending.size() * 2, 1 << 20));
                    }
                }
            }
            if (pending != null) {
                try {
                    store.appendPoints(info.id(), pending);
                    synchronized (writtenLock) {
                        written += pending.size();
                        writtenLock.notifyAll();
                    }
                    pending = null;
                    failures = 0;
                    lastError = null;
                    continue; // more may have arrived meanwhile
                } catch (RuntimeException e) {
                    lastError = e;
                    failures++;
                    synchronized (writtenLock) {
                        writtenLock.notifyAll();
                    }
                    if (stopping && failures >= 3) {
                        return pending;
                    }
                    LockSupport.parkNanos(Math.min(1_000_000_000L, 50_000_000L << Math.min(failures, 5)));
                    continue;
                }
            }
            if (System.nanoTime() - lastBeat >= beatNanos) {
                try {
                    store.heartbeat(info.id());
                } catch (RuntimeException e) {
                    // a missed heartbeat is retried on the next interval
                }
                lastBeat = System.nanoTime();
            }
            if (stopping) {
                synchronized (bufferLock) {
                    if (buffer.isEmpty()) {
                        return null;
                    }
                }
                continue;
            }
            LockSupport.parkNanos(options.flushInterval().toNanos());
        }
        return pending;
    }
}
