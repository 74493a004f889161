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
        } finally {
            fx.store().close();
        }
    }
}
