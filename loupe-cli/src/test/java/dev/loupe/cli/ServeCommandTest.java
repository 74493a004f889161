package dev.loupe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `loupe serve` refuses bad options before serving (serving itself is tested in loupe-server). */
class ServeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void badPortIsBadInput() {
        Cli r = Cli.run("serve", "--port", "70000", "--store", tmp.resolve("loupe.db").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("'port' parameter"), r.err());
    }

    @Test
    void unknownHostIsBadInput() {
        Cli r = Cli.run("serve", "--host", "no such host.invalid", "--store", tmp.resolve("loupe.db").toString());
        assertEquals(2, r.exit(), r.err());
    }

    @Test
    void watchingAFileOrABadQuietPeriodIsBadInput() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("log.csv"), "step,loss\n");
        Cli serve = Cli.run("serve", "--watch", file.toString(), "--port", "0", "--store", tmp.resolve("loupe.db").toString());
        assertEquals(2, serve.exit(), serve.err());
        assertTrue(serve.err().contains(file + " is a file: --watch takes a folder"), serve.err());
        Cli watch = Cli.run("watch", tmp.toString(), "--finished-after", "0", "--store", tmp.resolve("loupe.db").toString());
        assertEquals(2, watch.exit(), watch.err());
        assertTrue(watch.err().contains("--finished-after"), watch.err());
    }
}
