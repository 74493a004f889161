package dev.loupe.server;

import dev.loupe.api.MetricValue;
import dev.loupe.report.Json;
import dev.loupe.report.PanelRegistry;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Server time per panel for a run of 100,000 stored predictions (opt-in: -Dgroups=perf -DexcludedGroups=none). */
@Tag("perf")
class ServerPerfTest {
    @TempDir
    Path dir;

    @Test
    void panelsOf100kExamplesRespondUnder200ms() throws Exception {
        try (RunStore store = RunStore.open(StoreLocation.sqlite(dir.resolve("loupe.db")))) {
            RunInfo run = store.createRun(RunSpec.of("perf"));
            store.putMetrics(run.id(), Map.of("accuracy", new MetricValue(0.9, 0.89, 0.91)));
            Random rnd = new Random(0);
            List<PredictionRow> rows = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                double p = rnd.nextDouble();
                String label = rnd.nextBoolean() ? "spam" : "ham";
                rows.add(new PredictionRow(i, "ex" + i, label, "[" + (1 - p) + "," + p + "]", p >= 0.5 ? "spam" : "ham",
                        rnd.nextDouble(), "{\"source\":\"s" + (i % 5) + "\"}", "text of example " + i + " ".repeat(200)));
            }
            store.putPredictions(run.id(), rows);
            store.finish(run.id(), RunStatus.FINISHED);
            try (DashboardServer s = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, null, false)) {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + s.port() + "/api/runs/" + run.id() + "/panels/";
                // first request loads and parses the run (once); then every request is timed
                long t0 = System.nanoTime();
                http.send(HttpRequest.newBuilder(URI.create(base + "samples")).build(), HttpResponse.BodyHandlers.ofString());
                System.out.printf("first samples request (load + parse 100k rows): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
                for (String q : List.of("overview", "confusion", "samples", "samples?correct=false&sort=-confidence&page=3",
                        "samples?q=example%2099", "samples?meta=source%3Ds1&minConf=0.9")) {
                    long best = Long.MAX_VALUE;
                    for (int i = 0; i < 5; i++) {
                        long a = System.nanoTime();
                        var r = http.send(HttpRequest.newBuilder(URI.create(base + q)).build(), HttpResponse.BodyHandlers.ofString());
                        best = Math.min(best, System.nanoTime() - a);
                        assertEquals(200, r.statusCode(), r.body());
                    }
                    System.out.printf("%-50s %6.1f ms%n", q, best / 1e6);
                    assertTrue(best / 1e6 < 200, q + ": " + best / 1e6 + " ms");
                }
                assertEquals(100_000, Json.parse(http.send(HttpRequest.newBuilder(URI.create(base + "samples")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).get("total").asInt());
            }
        }
    }
}
