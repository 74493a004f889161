package dev.loupe.cli;

import com.github.luben.zstd.ZstdOutputStream;
import dev.loupe.api.InternalException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The predictions file as the reader reads it, so that recording the run never reads it again: the SHA-256 of its
 * bytes (the run's dataset hash) and, when the file is kept, a zstd copy (level 1) written to a file that
 * {@link dev.loupe.store.RunStore#adoptArtifact} takes over. The reader hands over each chunk it reads
 * ({@link dev.loupe.data.predictions.PredictionReader#open(Path, dev.loupe.data.predictions.PredictionFileOptions,
 * OutputStream)}); hashing and compressing happen on a background thread, beside the parsing.
 */
final class InputCapture extends OutputStream {
    /** zstd level 1: ~3x smaller CSV at several hundred MB/s on one core. */
    static final int LEVEL = 1;
    private static final byte[] END = new byte[0];

    /** What the capture saw: the file's hash and size, and the compressed copy (null when not kept). */
    record Captured(String datasetHash, long bytes, Path packed, String packedSha256, long packedBytes) {
        /** Deletes the compressed copy if the store has not taken it. */
        void discard() {
            deleteQuietly(packed);
        }
    }

    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(32);
    private final Path packed;
    private final Thread worker;
    private volatile Throwable failure;
    private Captured result;
    private boolean ended;

    /** {@code packed}: where the zstd copy goes (an existing empty file), or null to hash only. */
    InputCapture(Path packed) {
        this.packed = packed;
        this.worker = new Thread(this::work, "loupe-input-capture");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0 || failure != null) {
            return; // after a failure the run is recorded the slow way (see finish)
        }
        put(Arrays.copyOfRange(b, off, off + len));
    }

    private void put(byte[] chunk) {
        try {
            queue.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while reading the predictions file", e);
        }
    }

    private void work() {
        try {
            MessageDigest raw = MessageDigest.getInstance("SHA-256");
            MessageDigest pack = MessageDigest.getInstance("SHA-256");
            long bytes = 0;
            CountingStream counted = null;
            OutputStream z = null;
            try {
                if (packed != null) {
                    counted = new CountingStream(new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(packed), 1 << 16), pack));
                    z = new ZstdOutputStream(counted, LEVEL);
                }
                for (byte[] chunk = queue.take(); chunk != END; chunk = queue.take()) {
                    raw.update(chunk);
                    bytes += chunk.length;
                    if (z != null) {
                        z.write(chunk);
                    }
                }
            } finally {
                if (z != null) {
                    z.close();
                }
            }
            HexFormat hex = HexFormat.of();
            result = new Captured("sha256:" + hex.formatHex(raw.digest()), bytes, packed,
                    packed == null ? null : hex.formatHex(pack.digest()), counted == null ? 0 : counted.count);
        } catch (Throwable t) {
            failure = t;
            queue.clear(); // unblock the reader; it stops handing over chunks
        }
    }

    /**
     * Waits for the background thread and returns what it captured, or null when it failed (the caller then hashes and
     * copies the file itself); the compressed copy is left for the store to adopt.
     */
    Captured finish() {
        end();
        return failure == null ? result : null;
    }

    /** Stops the capture and deletes the compressed copy (after a reading error, or when the store takes none). */
    void discard() {
        end();
        deleteQuietly(packed);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover .incoming-*.tmp file is harmless
            }
        }
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            while (failure == null && !queue.offer(END, 10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the worker is still compressing what the reader handed over
            }
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }
}
