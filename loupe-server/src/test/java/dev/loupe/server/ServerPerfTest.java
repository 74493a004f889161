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
                // with the confidence evaluate stores beside each row (the predicted class's probability)
                rows.add(new PredictionRow(i, "ex" + i, label, "[" + (1 - p) + "," + p + "]", p >= 0.5 ? "spam" : "ham",
                        rnd.nextDouble(), "{\"source\":\"s" + (i % 5) + "\"}", "text of example " + i + " ".repeat(200),
                        Math.max(p, 1 - p)));
            }
            store.putPredictions(run.id(), rows);
            store.finish(run.id(), RunStatus.FINISHED);
            RunInfo small = store.createRun(RunSpec.of("perf")); // warms the server's code paths (JIT, JSON) first
            store.putPredictions(small.id(), rows.subList(0, 1_000));
            store.finish(small.id(), RunStatus.FINISHED);
            for (int i = 0; i < 3; i++) {
                long t = System.nanoTime();
                var page = store.predictionTable().page(run.id(), new dev.loupe.store.PredictionTable.Query(List.of("ham", "spam"),
                        null, null, null, null, null, null, null, null, "-loss", 0, 25, 4001));
                System.out.printf("store page (sorted by loss, 25 of %d rows): %.1f ms%n", page.total(), (System.nanoTime() - t) / 1e6);
            }
            try (DashboardServer s = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, null, false)) {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + s.port() + "/api/runs/" + run.id() + "/panels/";
                for (String warm : List.of("overview", "samples", "samples?sort=-confidence")) {
                    http.send(HttpRequest.newBuilder(URI.create(base.replace(run.id(), small.id()) + warm)).build(),
                            HttpResponse.BodyHandlers.ofString());
                }
                // the first request of the run loads it (params, metrics, artifacts, counts); the first samples request
                // then reads one page from the store (and starts parsing the rows for later requests); then every request
                long t0 = System.nanoTime();
                http.send(HttpRequest.newBuilder(URI.create(base + "overview")).build(), HttpResponse.BodyHandlers.ofString());
                System.out.printf("first request of the run (overview; loads the run): %.0f ms%n", (System.nanoTime() - t0) / 1e6);
                t0 = System.nanoTime();
                http.send(HttpRequest.newBuilder(URI.create(base + "samples")).build(), HttpResponse.BodyHandlers.ofString());
                double first = (System.nanoTime() - t0) / 1e6;
                System.out.printf("first samples request (one page from the store): %.0f ms%n", first);
                assertTrue(first < 200, "first samples request: " + first + " ms");
                Thread.sleep(3000); // the rows are parsed for later requests meanwhile
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
