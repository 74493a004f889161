package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import dev.loupe.store.StoredMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --group-col}: the gaps on the example file equal Fairlearn's (the {@code spam_example} case of
 * tools/fairness/make_fairness_golden.py) in the JSON, the table and the store; per-group metrics come as slices;
 * a one-row group warns; a multi-class problem or an unknown column exits 2.
 */
class EvaluateFairnessTest {
    static final Path SPAM = Path.of("..", "examples", "spam-predictions.csv");
    static final Path GOLDEN = Path.of("..", "loupe-metrics", "src", "test", "resources", "golden", "fairness.json");

    @TempDir
    Path tmp;

    @Test
    void gapsOnTheExampleEqualFairlearnsEverywhere() throws IOException {
        JsonNode golden = null;
        for (JsonNode c : new ObjectMapper().readTree(GOLDEN.toFile()).get("cases")) {
            if (c.get("name").asText().equals("spam_example")) {
                golden = c.get("unweighted");
            }
        }
        Path json = tmp.resolve("out.json");
        Path db = tmp.resolve("runs.db");
        Cli r = Cli.run("evaluate", "--predictions", SPAM.toString(), "--positive-label", "spam", "-q", "--bootstrap", "200",
                "--store", db.toString(), "--group-col", "source", "--json", json.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode f = new ObjectMapper().readTree(json.toFile()).get("fairness");
        assertEquals("source", f.get("group_column").asText());
        Map<String, StoredMetric> stored = new HashMap<>();
        try (RunStore s = RunStore.open(StoreLocation.sqlite(db))) {
            s.metrics(s.listRuns(null).get(0).id()).forEach(m -> stored.put(m.name(), m));
        }
        golden.get("gaps").fields().forEachRemaining(e -> {
            JsonNode got = f.get("gaps").get(e.getKey());
            assertEquals(e.getValue().asDouble(), got.get("value").asDouble(), 1e-9, e.getKey());
            assertEquals(e.getValue().asDouble(), stored.get(e.getKey()).value(), 1e-9, "stored " + e.getKey());
            assertTrue(r.out().contains(e.getKey()), "table shows " + e.getKey());
        });
        JsonNode dpd = f.get("gaps").get("demographic_parity_difference");
        assertTrue(dpd.get("ci_low").asDouble() <= dpd.get("value").asDouble()
                && dpd.get("value").asDouble() <= dpd.get("ci_high").asDouble(), dpd.toString());
        assertFalse(dpd.get("higher_is_better").asBoolean());
        golden.get("by_group").fields().forEachRemaining(e -> assertEquals(e.getValue().get("selection_rate").asDouble(),
                f.get("groups").get(e.getKey()).get("selection_rate").asDouble(), 1e-9, e.getKey()));
        // per-group metrics with intervals: the group column is sliced too
        JsonNode slices = new ObjectMapper().readTree(json.toFile()).get("slices").get("source");
        assertEquals(5, slices.size());
        assertTrue(r.out().contains("fairness by source"), r.out());
    }

    @Test
    void aGroupWithOneRowWarnsAndBadGroupsExit2() throws IOException {
        Path f = tmp.resolve("g.csv");
        Files.writeString(f, "label,score,g\nspam,0.9,a\nham,0.2,a\nspam,0.3,a\nham,0.6,b\nspam,0.8,c\n", StandardCharsets.UTF_8);
        Cli r = Cli.run("evaluate", "--predictions", f.toString(), "--positive-label", "spam", "-q", "--no-store",
                "--group-col", "g", "--bootstrap", "50");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Group 'b' has only 1 row"), r.out());
        assertTrue(r.out().contains("Group 'c' has only 1 row"), r.out());

        Cli unknown = Cli.run("evaluate", "--predictions", f.toString(), "--positive-label", "spam", "-q", "--no-store",
                "--group-col", "gender");
        assertEquals(2, unknown.exit(), unknown.err());
        assertTrue(unknown.err().contains("no column 'gender'"), unknown.err());

        Path multi = tmp.resolve("m.csv");
        Files.writeString(multi, "label,prob_a,prob_b,prob_c,g\na,0.5,0.3,0.2,x\nb,0.1,0.8,0.1,y\n", StandardCharsets.UTF_8);
        Cli mc = Cli.run("evaluate", "--predictions", multi.toString(), "-q", "--no-store", "--group-col", "g");
        assertEquals(2, mc.exit(), mc.err());
        assertTrue(mc.err().contains("--group-col g") && mc.err().contains("binary"), mc.err());
        assertFalse(mc.err().contains("\tat "), mc.err());
    }
}
