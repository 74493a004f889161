package dev.loupe.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** Writing a user's output file without ever leaving it half-written, and without replacing what is not a file. */
final class OutputFiles {
    /** Writes the content of one output stream. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private OutputFiles() {
    }

    /**
     * A regular (or new) file is written to a temporary sibling and moved over it, so a failure leaves the old file
     * intact; anything else that exists (a device such as /dev/null, a FIFO) is written in place, never replaced.
     * The temporary file is created like any new file, so the result gets the user's usual permissions (umask).
     */
    static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs) && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS)) {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(abs))) {
                content.writeTo(os);
            }
            return;
        }
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp))) {
            content.writeTo(os);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
