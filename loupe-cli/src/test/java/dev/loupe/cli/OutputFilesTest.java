package dev.loupe.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputFilesTest {
    @TempDir
    Path tmp;

    @Test
    void jsonToDevNullNeverReplacesTheDevice() throws Exception {
        Path devNull = Path.of("/dev/null");
        if (!Files.exists(devNull)) {
            return;
        }
        Path csv = tmp.resolve("p.csv");
        Files.writeString(csv, "label,prob_a,prob_b\na,0.7,0.3\nb,0.2,0.8\n");
        Cli r = Cli.run("evaluate", "--predictions", csv.toString(), "-q", "--no-store", "--bootstrap", "0", "--json", "/dev/null");
        assertEquals(0, r.exit(), r.err());
        assertFalse(Files.isRegularFile(devNull), "/dev/null must stay a device");
    }

    @Test
    void aFailedWriteLeavesTheOldFileIntact() throws Exception {
        Path target = tmp.resolve("out.json");
        Files.writeString(target, "old");
        try {
            OutputFiles.write(target, os -> {
                os.write("partial".getBytes());
                throw new java.io.IOException("disk full");
            });
        } catch (java.io.IOException expected) {
            // the old content survives and no temporary file is left behind
        }
        assertEquals("old", Files.readString(target));
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count());
        }
        OutputFiles.write(target, os -> os.write("new".getBytes()));
        assertEquals("new", Files.readString(target));
        assertTrue(Files.isRegularFile(target));
    }
}
