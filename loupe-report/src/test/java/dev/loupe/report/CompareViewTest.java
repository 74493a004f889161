package dev.loupe.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareViewTest {
    @TempDir
    Path dir;

    @Test
    void deltasAgainstTheFirstRunAndOverlays() {
        Fixtures.Store fx = Fixtures.create(dir);
        try {
            RunData full = RunData.load(fx.store(), fx.fullRun());
            RunData bare = RunData.load(fx.store(), fx.bareRun());
            JsonNode v = Json.parse(Json.write(CompareView.viewModel(List.of(full, full, bare))));
            assertEquals(3, v.get("runs").size());
            JsonNode acc = v.get("metrics").get(0);
            assertEquals("accuracy", acc.get("name").asText());
            assertEquals(0.0, acc.get("values").get(1).get("delta").asDouble(), 1e-12);
            assertTrue(acc.get("values").get(2).get("value").isNull(), "missing in the bare run: null, not 0");
            assertTrue(acc.get("values").get(2).get("delta").isNull());
            for (JsonNode m : v.get("metrics")) {
                assertTrue(!m.get("name").asText().contains("["));
            }
            assertEquals(2, v.get("roc").size(), "one ROC per run that has one");
            assertTrue(v.get("roc").get(0).get("name").asText().endsWith("spam AUC 0.9700"));
            assertTrue(v.get("roc").get(0).get("x").size() <= RunData.MAX_POINTS);
            assertEquals(2, v.get("calibration").size());
            assertEquals("[0.9]", v.get("calibration").get(0).get("x").toString());
            assertEquals(2, v.get("curves").size());
            // the full run against itself: every example shared, no discordant pair; the bare run stored none
            assertEquals(1, v.get("paired").size());
            JsonNode p = v.get("paired").get(0);
            assertEquals(fx.store().predictions(fx.fullRun()).size(), p.get("n").asInt());
            assertEquals(0.0, p.get("delta").asDouble(), 0);
            assertEquals(0, p.get("onlyA").asInt());
            assertEquals(1.0, p.get("pValue").asDouble(), 0);
        } finally {
            fx.store().close();
        }
    }

    @Test
    void pairedComparisonOnSharedExamples() {
        try (dev.loupe.store.RunStore store = dev.loupe.store.RunStore.open(dev.loupe.store.StoreLocation.sqlite(dir.resolve("p.db")))) {
            // A is right on examples 0-5, B on 2-9; both saw examples 0-9, B also saw one A never did
            String a = run(store, "A", 10, i -> i < 6);
            String b = run(store, "B", 11, i -> i >= 2);
            JsonNode v = Json.parse(Json.write(CompareView.viewModel(List.of(RunData.load(store, a), RunData.load(store, b)))));
            JsonNode p = v.get("paired").get(0);
            assertEquals(10, p.get("n").asInt(), "only the shared examples");
            assertEquals(0.6, p.get("accuracyA").asDouble(), 1e-12);
            assertEquals(0.8, p.get("accuracyB").asDouble(), 1e-12);
            assertEquals(0.2, p.get("delta").asDouble(), 1e-12);
            assertEquals(2, p.get("onlyA").asInt());
            assertEquals(4, p.get("onlyB").asInt());
            assertEquals(dev.loupe.metrics.PairedComparison.mcnemarExact(2, 4), p.get("pValue").asDouble(), 0);
            assertTrue(p.get("ciLow").asDouble() <= 0.2 && 0.2 <= p.get("ciHigh").asDouble(), p.toString());
        }
    }

    private static String run(dev.loupe.store.RunStore store, String name, int n, java.util.function.IntPredicate right) {
        String id = store.createRun(dev.loupe.store.RunSpec.of(name)).id();
        List<dev.loupe.store.PredictionRow> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String pred = right.test(i) ? "spam" : "ham";
            rows.add(new dev.loupe.store.PredictionRow(i, "ex-" + i, "spam", null, pred, Double.NaN, null, null));
        }
        store.putPredictions(id, rows);
        return id;
    }
}
