package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProfileCommandTest {
    @TempDir
    Path tmp;

    @Test
    void profilesTheTinyClassifier() throws Exception {
        Path json = tmp.resolve("p.json");
        Cli r = Cli.run("profile", "--model", EvaluateModelTest.TINY.resolve("bert-3").toString(), "--seconds", "1",
                "--seq-lengths", "16,32", "--batch-sizes", "1,4", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("p50 ms") && r.out().contains("batch invariance"), r.out());
        JsonNode p = new ObjectMapper().readTree(json.toFile());
        assertEquals(4, p.get("cells").size());
        assertTrue(p.get("parameters").asLong() > 1000);
        for (JsonNode c : p.get("cells")) {
            assertTrue(c.get("p50Ms").asDouble() > 0 && c.get("p50Ms").asDouble() <= c.get("p99Ms").asDouble(), c.toString());
        }
        // float32 classifier without quantisation: scoring alone or in a batch agrees
        assertTrue(p.get("batchInvarianceMaxAbsDiff").asDouble() < 1e-4, p.toString());
    }

    @Test
    void unknownModelIsBadInput() {
        Cli r = Cli.run("profile", "--model", tmp.resolve("nope").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("nope"), r.err());
    }
}
