package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A large reusable byte window over a stream. Parsers read {@code buf[pos, lim)} directly; {@link #fill()}
 * moves the unread tail to the front and reads more, growing the buffer only when one row does not fit.
 */
final class ByteInput implements Closeable {
    static final int DEFAULT_SIZE = 1 << 20;
    private static final int MAX_SIZE = 1 << 30;

    private final InputStream in;
    private final String file;
    byte[] buf;
    int pos;
    int lim;
    boolean eof;

    ByteInput(InputStream in, String file, int size) {
        this.in = in;
        this.file = file;
        this.buf = new byte[size];
    }

    /**
     * Keeps {@code buf[pos, lim)} (moved to the front) and reads at least one more byte unless at end of input.
     * Returns false at end of input. Positions into the buffer shift by the old {@code pos}.
     */
    boolean fill() {
        if (eof) {
            return false;
        }
        if (pos > 0) {
            int n = lim - pos;
            System.arraycopy(buf, pos, buf, 0, n);
            pos = 0;
            lim = n;
        }
        if (lim == buf.length) {
            if (buf.length >= MAX_SIZE) {
                throw new InvalidInputException("ROW_TOO_LONG", file + ": a single row or line is longer than "
                        + (MAX_SIZE >> 20) + " MiB. Check for an unclosed quote in a CSV/TSV file, or split the line.");
            }
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        try {
            int n;
            do {
                n = in.read(buf, lim, buf.length - lim);
            } while (n == 0);
            if (n < 0) {
                eof = true;
                return false;
            }
            lim += n;
            return true;
        } catch (IOException e) {
            throw new InvalidInputException("FILE_UNREADABLE", "Could not read " + file + ": " + e.getMessage()
                    + ". Check that the file is complete and readable.", e);
        }
    }

    /** Skips a UTF-8 byte order mark at the very start of the input. */
    void skipBom() {
        while (lim - pos < 3 && fill()) {
            // read until 3 bytes or end of input
        }
        if (lim - pos >= 3 && (buf[pos] & 0xFF) == 0xEF && (buf[pos + 1] & 0xFF) == 0xBB && (buf[pos + 2] & 0xFF) == 0xBF) {
            pos += 3;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
