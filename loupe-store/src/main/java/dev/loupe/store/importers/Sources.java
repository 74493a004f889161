package dev.loupe.store.importers;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared checks for import sources. */
final class Sources {
    private Sources() {
    }

    /** The line (from 1) holding the first byte that is not UTF-8 in {@code bytes}. */
    static int firstBadUtf8Line(byte[] bytes) {
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        d.decode(in, java.nio.CharBuffer.allocate(bytes.length), true);
        int line = 1;
        for (int i = 0; i < in.position(); i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The file's real path, or a clear error when it is missing or a directory. */
    static Path existingFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new NotFoundException("FILE_NOT_FOUND", file + " does not exist: give the path of " + what + ".");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("NOT_A_FILE", file + " is a directory: give the path of " + what + ".");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("NOT_A_FILE", file + " is not a regular file (a FIFO, socket or device): Loupe reads an input file more than once and needs"
                    + " its size, so a stream with no end could leave it waiting for ever. Save the stream to a file first (cmd > file) and give its path.");
        }
        try {
            return file.toRealPath();
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "Cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The bytes of {@code real} ({@code file} as the user named it, for the message when it cannot be read). */
    static byte[] bytes(Path file, Path real) {
        try {
            return Files.readAllBytes(real);
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
