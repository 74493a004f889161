package dev.loupe.data.datasets;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A small streaming reader of tar archives (POSIX ustar, with GNU long names ({@code L}) and pax extended
 * headers ({@code x}: {@code path}, {@code size})) — enough for npm package tarballs. Header checksums are
 * verified. Only regular files are returned.
 */
final class TarReader {
    /** Largest entry read into memory. */
    static final long MAX_ENTRY = 256L << 20;

    private final InputStream in;
    private long remaining; // bytes of the current entry's data not yet read
    private long padding;
    private final byte[] header = new byte[512];

    record Entry(String name, long size) {
    }

    TarReader(InputStream in) {
        this.in = in;
    }

    /** The next regular file, or null at the end of the archive. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        Long paxSize = null;
        while (true) {
            if (!readBlock(header)) {
                return null;
            }
            if (allZero(header)) {
                return null;
            }
            checkChecksum();
            String name = cstring(header, 0, 100);
            long size = number(header, 124, 12);
            char type = (char) header[156];
            if (size < 0) {
                throw new IOException("negative entry size in the tar header of '" + name + "'");
            }
            boolean ustar = cstring(header, 257, 6).startsWith("ustar");
            if (ustar) {
                String prefix = cstring(header, 345, 155);
                if (!prefix.isEmpty() && type != 'L' && type != 'x' && type != 'g') {
                    name = prefix + "/" + name;
                }
            }
            if (type == 'L' || type == 'x' || type == 'g') {
                if (size > (1 << 20)) {
                    throw new IOException("oversized extended tar header (" + size + " bytes)");
                }
                byte[] data = readFully((int) size);
                skip(pad(size));
                if (type == 'L') {
                    longName = cstring(data, 0, data.length);
                } else if (type == 'x') {
                    String[] pax = parsePax(data);
                    if (pax[0] != null) {
                        longName = pax[0];
                    }
                    if (pax[1] != null) {
                        paxSize = Long.parseLong(pax[1].trim());
                    }
                }
                continue;
            }
            if (longName != null) {
                name = longName;
            }
            if (paxSize != null) {
                size = paxSize;
            }
            remaining = size;
            padding = pad(size);
            if (type == '0' || type == 0 || type == '7') {
                return new Entry(name, size);
            }
            // directories, links, devices: skip
            skip(remaining + padding);
            remaining = 0;
            padding = 0;
            longName = null;
            paxSize = null;
        }
    }

    /** The current entry's data. */
    byte[] read() throws IOException {
        if (remaining > MAX_ENTRY) {
            throw new IOException("tar entry too large to read (" + remaining + " bytes)");
        }
        byte[] b = readFully((int) remaining);
        remaining = 0;
        return b;
    }

    private static long pad(long size) {
        long r = size % 512;
        return r == 0 ? 0 : 512 - r;
    }

    private boolean readBlock(byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, 512);
        if (n == 0) {
            return false;
        }
        if (n < 512) {
            throw new EOFException("the tar archive ends inside a header");
        }
        return true;
    }

    private byte[] readFully(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new EOFException("the tar archive ends inside an entry");
        }
        return b;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            long k = in.skip(n);
            if (k <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the tar archive ends inside an entry");
                }
                k = 1;
            }
            n -= k;
        }
    }

    private void checkChecksum() throws IOException {
        long stored = number(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xFF);
        }
        if (sum != stored) {
            throw new IOException("bad tar header checksum (the archive is corrupt)");
        }
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cstring(byte[] b, int off, int len) {
        int e = off;
        while (e < off + len && b[e] != 0) {
            e++;
        }
        return new String(b, off, e - off, StandardCharsets.UTF_8);
    }

    /** Octal (space/NUL padded) or GNU base-256 numbers. */
    private static long number(byte[] b, int off, int len) throws IOException {
        if ((b[off] & 0x80) != 0) {
            long v = b[off] & 0x7F;
            for (int i = 1; i < len; i++) {
                v = (v << 8) | (b[off + i] & 0xFF);
            }
            return v;
        }
        long v = 0;
        boolean any = false;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (c == 0 || (c == ' ' && any)) {
                break;
            }
            if (c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("bad number in a tar header (the archive is corrupt)");
            }
            v = v * 8 + (c - '0');
            any = true;
        }
        return v;
    }

    /** {@code [path, size]} from pax records {@code "<len> key=value\n"}. */
    private static String[] parsePax(byte[] data) throws IOException {
        String[] out = new String[2];
        int i = 0;
        while (i < data.length) {
            int sp = i;
            while (sp < data.length && data[sp] != ' ') {
                sp++;
            }
            if (sp >= data.length) {
                break;
            }
            int len;
            try {
                len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("bad pax header (the archive is corrupt)");
            }
            if (len <= 0 || i + len > data.length) {
                throw new IOException("bad pax header (the archive is corrupt)");
            }
            String rec = new String(data, sp + 1, i + len - sp - 1, StandardCharsets.UTF_8);
            if (rec.endsWith("\n")) {
                rec = rec.substring(0, rec.length() - 1);
            }
            int eq = rec.indexOf('=');
            if (eq > 0) {
                String k = rec.substring(0, eq);
                if (k.equals("path")) {
                    out[0] = rec.substring(eq + 1);
                } else if (k.equals("size")) {
                    out[1] = rec.substring(eq + 1);
                }
            }
            i += len;
        }
        return out;
    }
}
