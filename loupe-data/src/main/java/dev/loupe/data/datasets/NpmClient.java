package dev.loupe.data.datasets;

import java.nio.file.Path;

/**
 * The two npm commands Loupe needs. The npm client knows its registry (and any proxy or mirror the user set up
 * in its configuration); Loupe never names one.
 */
public interface NpmClient {
    /** {@code npm view <spec> dist.integrity}: the registry's {@code sha512-<base64>} for an exact version. */
    String integrity(String spec);

    /** {@code npm pack <spec>} run in {@code dir}: downloads the package tarball there and returns its path. */
    Path pack(String spec, Path dir);

    /** The {@code npm} on the PATH. */
    static NpmClient system() {
        return new ProcessNpmClient(ProcessNpmClient.defaultCommand());
    }
}
