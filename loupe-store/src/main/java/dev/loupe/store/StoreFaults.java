package dev.loupe.store;

import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What a failing store operation tells the user: a full disk says "disk full" (whatever SQLite, PostgreSQL or the
 * file system called it), damaged database pages and a read-only store are bad input (exit 2) with what to do,
 * anything else is an internal error carrying the driver's message.
 */
final class StoreFaults {
    private StoreFaults() {
    }

    static LoupeException translate(StoreLocation location, Throwable e, String what) {
        String m = chain(e);
        Path file = location.sqliteFile();
        String where = file != null ? String.valueOf(file.toAbsolutePath().getParent()) : location.redacted();
        if (m.contains("sqlite_full") || m.contains("disk is full") || m.contains("no space left on device")
                || m.contains("could not extend file") || m.contains("disk quota exceeded")) {
            return new InternalException("disk full: " + what + " needs more space on " + where + ". Free some space, or"
                    + " point --store / LOUPE_HOME at a disk with room, and run the command again (nothing partial was"
                    + " kept).", e);
        }
        if (m.contains("sqlite_corrupt") || m.contains("sqlite_notadb") || m.contains("malformed")
                || m.contains("file is not a database")) {
            return new InvalidInputException("STORE_CORRUPT", "The run store " + location.redacted() + " is damaged ("
                    + firstLine(e) + "). Restore it from a backup, or move it away to start a new store; 'sqlite3 FILE"
                    + " .recover' may save what is readable.", e);
        }
        if (m.contains("sqlite_readonly") || m.contains("read-only file system") || m.contains("read-only transaction")) {
            return new InvalidInputException("STORE_READ_ONLY", "The run store " + location.redacted() + " is read-only ("
                    + firstLine(e) + "): commands that record runs need a writable store; 'loupe runs list / show /"
                    + " export' and 'loupe serve' read it as it is.", e);
        }
        return new InternalException(what.substring(0, 1).toUpperCase(Locale.ROOT) + what.substring(1) + " failed: "
                + firstLine(e), e);
    }

    private static String chain(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            b.append(c.getMessage()).append('\n');
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
