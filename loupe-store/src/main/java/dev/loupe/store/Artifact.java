package dev.loupe.store;

import java.nio.file.Path;

/**
 * A file attached to a run, stored once per content in the artifact directory under its SHA-256.
 *
 * @param name      the name within the run, e.g. {@code metrics.json}
 * @param sha256    lower-case hex SHA-256 of the content
 * @param sizeBytes size of the content
 * @param mediaType MIME type, or {@code null}
 * @param path      where the content lives
 */
public record Artifact(String name, String sha256, long sizeBytes, String mediaType, Path path) {
}
