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

    /** The file's real path, or a clear error when it is missing or a directory. */
    static Path existingFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new NotFoundException("FILE_NOT_FOUND", file + " does not exist: give the path of " + what + ".");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidInputException("NOT_A_FILE", file + " is a directory: give the path of " + what + ".");
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
