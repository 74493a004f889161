package dev.loupe.store;

import dev.loupe.api.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreLocationTest {
    @Test
    void parsesUrlsAndPaths() {
        StoreLocation pg = StoreLocation.parse("jdbc:postgresql://localhost:5432/loupe?user=u&password=secret");
        assertEquals(StoreLocation.Kind.POSTGRESQL, pg.kind());
        assertTrue(pg.redacted().contains("password=***") && !pg.redacted().contains("secret"), pg.redacted());
        StoreLocation file = StoreLocation.parse("some/dir/runs.db");
        assertEquals(StoreLocation.Kind.SQLITE, file.kind());
        assertEquals(Path.of("some/dir/runs.db").toAbsolutePath().normalize(), file.sqliteFile());
        assertEquals(file.sqliteFile().getParent().resolve("artifacts"), file.artifactDir());
        StoreLocation url = StoreLocation.parse("jdbc:sqlite:/tmp/x/loupe.db");
        assertEquals(Path.of("/tmp/x/loupe.db"), url.sqliteFile());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> StoreLocation.parse("jdbc:mysql://x"));
        assertTrue(e.getMessage().contains("--store"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> StoreLocation.parse("jdbc:sqlite::memory:"));
        assertTrue(e.getMessage().contains("in-memory"), e.getMessage());
    }

    @Test
    void systemPropertyWinsOverTheDefaultHome() {
        String before = System.getProperty("loupe.store");
        try {
            System.setProperty("loupe.store", "/tmp/loupe-test-x/loupe.db");
            assertEquals("jdbc:sqlite:/tmp/loupe-test-x/loupe.db", StoreLocation.resolve(null).jdbcUrl());
            assertEquals("jdbc:sqlite:" + Path.of("y.db").toAbsolutePath(), StoreLocation.resolve("y.db").jdbcUrl());
        } finally {
            if (before == null) {
                System.clearProperty("loupe.store");
            } else {
                System.setProperty("loupe.store", before);
            }
        }
    }
}
