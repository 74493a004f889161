package dev.loupe.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricValue;
import dev.loupe.report.Json;
import dev.loupe.report.Page;
import dev.loupe.report.PanelRegistry;
import dev.loupe.store.PredictionRow;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard over a real HTTP client on an ephemeral port. */
class DashboardServerTest {
    static final String HOSTILE = "</script><script>window.__pwned=1</script>";
    @TempDir
    static Path dir;
    static RunStore store;
    static String runId;
    static DashboardServer open;
    static DashboardServer locked;
    static final String TOKEN = "test-token-123";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void setUp() throws Exception {
        store = RunStore.open(StoreLocation.sqlite(dir.resolve("loupe.db")));
        RunInfo run = store.createRun(RunSpec.of("probe:<b>x</b>"));
        runId = run.id();
        store.putMetrics(runId, Map.of("accuracy", new MetricValue(0.75, 0.5, 1.0), "accuracy[source=a]", MetricValue.of(0.5)));
        Map<String, Object> metricsJson = Json.obj("n", 4, "classes", List.of("ham", "spam"), "positive", "spam",
                "confusion_matrix", Json.obj("labels", List.of("ham", "spam"), "matrix", List.of(List.of(2, 0), List.of(1, 1))));
        store.putArtifact(runId, "metrics.json", "application/json",
                new ByteArrayInputStream(Json.write(metricsJson).getBytes(StandardCharsets.UTF_8)));
        store.putPredictions(runId, List.of(
                new PredictionRow(0, "a", "ham", "[0.9,0.1]", "ham", 0.1, "{\"source\":\"a\"}", HOSTILE),
                new PredictionRow(1, "b", "ham", "[0.8,0.2]", "ham", 0.2, "{\"source\":\"a\"}", "<img src=x onerror=alert(1)>"),
                new PredictionRow(2, "c", "spam", "[0.7,0.3]", "ham", 1.2, "{\"source\":\"b\"}", "javascript:alert(1)"),
                new PredictionRow(3, "d", "spam", "[0.1,0.9]", "spam", 0.1, "{\"source\":\"b\"}", "ok")));
        store.finish(runId, RunStatus.FINISHED);
        open = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, null, false);
        locked = DashboardServer.start(store, PanelRegistry.standard(), "127.0.0.1", 0, TOKEN, false);
    }

    @AfterAll
    static void tearDown() {
        open.close();
        locked.close();
        store.close();
    }

    /** A finished run gains explanations later ({@code loupe explain RUN}): the next request shows them, no restart. */
    @Test
    void artifactsAddedToAFinishedRunShowWithoutARestart() throws Exception {
        String id = store.createRun(RunSpec.of("explained later")).id();
        store.putPredictions(id, List.of(new PredictionRow(0, "a", "ham", "[0.9,0.1]", "ham", 0.1, "{}", "hello world")));
        store.finish(id, RunStatus.FINISHED);
        String detail = "/api/runs/" + id + "/panels/samples?key=0";
        assertTrue(Json.parse(get(open, detail).body()).path("explanation").isNull(), "no explanation yet");
        assertEquals(200, get(open, detail).statusCode()); // read twice: the run is cached now
        String explanations = "{\"examples\":{\"0\":{\"row\":0,\"key\":\"0\",\"methods\":{}}}}";
        store.putArtifact(id, "explanations.json", "application/json",
                new ByteArrayInputStream(explanations.getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, Json.parse(get(open, detail).body()).path("explanation").path("row").asInt(-1),
                "the stored explanation is served by the running dashboard");
    }

    static HttpResponse<String> get(DashboardServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void runsPageAndCspOnEveryResponse() throws Exception {
        var r = get(open, "/");
        assertEquals(200, r.statusCode());
        assertEquals(DashboardServer.CSP, r.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(r.body().contains("/static/core.js") && r.body().contains("/static/panels/det.js"));
        assertFalse(r.body().contains("<b>x</b>"), "run names are escaped");
        var notFound = get(open, "/nope");
        assertEquals(404, notFound.statusCode());
        assertEquals(DashboardServer.CSP, notFound.headers().firstValue("Content-Security-Policy").orElseThrow());
    }

    @Test
    void runPageEscapesHostileText() throws Exception {
        var r = get(open, "/runs/" + runId);
        assertEquals(200, r.statusCode());
        assertFalse(r.body().contains(HOSTILE));
        assertFalse(r.body().contains("<img src=x"));
        assertEquals(1 + Page.scripts(PanelRegistry.standard()).size(), r.body().split("<script", -1).length - 1,
                "data + echarts + the front end's scripts");
        assertEquals(404, get(open, "/runs/ffffffffffff").statusCode());
    }

    @Test
    void staticAssetsAndTraversal() throws Exception {
        var panel = get(open, "/static/panels/det.js");
        assertEquals(200, panel.statusCode());
        assertTrue(panel.body().contains("L.panels.det"), "a panel's module, served from beside its class");
        assertEquals(404, get(open, "/static/panels/nope.js").statusCode());
        assertEquals(404, get(open, "/static/loupe.js").statusCode(), "the one big script is gone");
        var js = get(open, "/static/core.js");
        assertEquals(200, js.statusCode());
        assertTrue(js.headers().firstValue("Content-Type").orElseThrow().startsWith("text/javascript"));
        assertEquals(200, get(open, "/static/echarts.min.js").statusCode());
        assertEquals(404, get(open, "/static/Page.class").statusCode());
        assertEquals(400, get(open, "/static/%2e%2e/%2e%2e/etc/passwd").statusCode());
        assertEquals(400, get(open, "/static/..%2fPage.class").statusCode());
        assertEquals(400, rawStatus(open, "/static/../../../../etc/passwd"));
        assertEquals(400, rawStatus(open, "/static/..\\..\\etc\\passwd"));
    }

    /** Sends the path byte for byte (an HTTP client would normalise it). */
    static int rawStatus(DashboardServer s, String path) throws Exception {
        try (Socket sock = new Socket("127.0.0.1", s.port())) {
            OutputStream os = sock.getOutputStream();
            os.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + s.port() + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            os.flush();
            InputStream in = sock.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void readOnly() throws Exception {
        var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.port() + "/api/runs"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, r.statusCode());
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void apiRunsAndPanelValues() throws Exception {
        var runs = get(open, "/api/runs");
        assertEquals(200, runs.statusCode());
        assertTrue(runs.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonNode row = null;
        for (JsonNode r : Json.parse(runs.body()).get("rows")) {
            if (r.get("id").asText().equals(runId)) {
                row = r;
            }
        }
        assertEquals(0.75, row.get("metrics").get("accuracy").asDouble(), 1e-12);

        JsonNode cm = Json.parse(get(open, "/api/runs/" + runId + "/panels/confusion").body());
        assertEquals("[[2.0,0.0],[1.0,1.0]]", cm.get("counts").toString());
        assertEquals(0.5, cm.get("normalized").get("true").get(1).get(0).asDouble(), 1e-12);

        JsonNode ov = Json.parse(get(open, "/api/runs/" + runId.substring(0, 6) + "/panels/overview").body());
        assertEquals(0.5, ov.get("cards").get(0).get("ciLow").asDouble(), 1e-12);

        JsonNode wrong = Json.parse(get(open, "/api/runs/" + runId + "/panels/samples?correct=false").body());
        assertEquals(1, wrong.get("matched").asInt());
        assertEquals("javascript:alert(1)", wrong.get("rows").get(0).get("text").asText());
        JsonNode page = Json.parse(get(open, "/api/runs/" + runId + "/panels/samples?size=1&page=1&sort=row").body());
        assertEquals(4, page.get("pages").asInt());
        assertEquals(1, page.get("rows").get(0).get("row").asInt());

        var bad = get(open, "/api/runs/" + runId + "/panels/samples?size=abc");
        assertEquals(400, bad.statusCode());
        assertTrue(Json.parse(bad.body()).get("error").get("message").asText().contains("size"));
        assertEquals(404, get(open, "/api/runs/" + runId + "/panels/nope").statusCode());
        var empty = get(open, "/api/runs/" + runId + "/panels/curves");
        assertEquals(404, empty.statusCode());
        assertEquals("This run has no training curves.", Json.parse(empty.body()).get("error").get("message").asText());
        assertEquals(404, get(open, "/api/runs/abcdef123456/panels/overview").statusCode());
        assertEquals(400, get(open, "/api/runs/x%3Cy/panels/overview").statusCode());

        JsonNode all = Json.parse(get(open, "/api/runs/" + runId).body());
        assertEquals(runId, all.get("info").get("id").asText());
        int panels = dev.loupe.report.PanelRegistry.standard().panels().size();
        assertEquals(panels, all.get("panels").size());
        // the samples panel is deferred: the page names it, the front end fetches its first page after the charts
        JsonNode samples = java.util.stream.StreamSupport.stream(all.get("panels").spliterator(), false)
                .filter(p -> p.get("id").asText().equals("samples")).findFirst().orElseThrow();
        assertEquals("samples", samples.get("id").asText());
        assertTrue(samples.get("active").asBoolean());
        assertTrue(samples.get("deferred").asBoolean());
        assertTrue(samples.get("vm").isNull());
        assertFalse(get(open, "/runs/" + runId).body().contains("onerror"), "no example text in the page itself");
    }

    @Test
    void tokenEnforced() throws Exception {
        assertEquals(401, get(locked, "/").statusCode());
        assertEquals(401, get(locked, "/api/runs").statusCode());
        assertEquals(401, get(locked, "/static/core.js").statusCode());
        assertEquals(401, get(locked, "/api/runs?token=wrong").statusCode());
        var ok = get(locked, "/?token=" + TOKEN);
        assertEquals(200, ok.statusCode());
        String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
        assertEquals(200, get(locked, "/api/runs", "Cookie", cookie.split(";")[0]).statusCode());
        assertEquals(200, get(locked, "/api/runs", "Authorization", "Bearer " + TOKEN).statusCode());
        assertTrue(locked.url().endsWith("/?token=" + TOKEN));
    }

    @Test
    void hostHeaderCheckedOnLoopback() throws Exception {
        assertEquals(403, hostStatus("evil.example:80"));
        assertEquals(403, hostStatus("evil.example:" + open.port()));
        assertEquals(200, hostStatus("localhost:" + open.port()));
        assertEquals(200, hostStatus("127.0.0.1:" + open.port()));
    }

    static int hostStatus(String host) throws Exception {
        try (Socket sock = new Socket("127.0.0.1", open.port())) {
            sock.getOutputStream().write(("GET /api/runs HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String status = new String(sock.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void nonLoopbackNeedsTokenUnlessExplicitlyDisabled() {
        var e = assertThrows(InvalidInputException.class,
                () -> DashboardServer.start(store, PanelRegistry.standard(), "0.0.0.0", 0, null, false));
        assertEquals("TOKEN_REQUIRED", e.code());
    }

    @Test
    void tokensAreRandom() {
        String a = DashboardServer.newToken();
        assertEquals(32, a.length());
        assertFalse(a.equals(DashboardServer.newToken()));
    }

    @Test
    void liveStreamSendsNewPointsUntilTheRunEnds() throws Exception {
        RunInfo live = store.createRun(RunSpec.of("live"));
        store.appendPoints(live.id(), List.of(new dev.loupe.store.SeriesPoint("train/loss", 1, 0, 0.9)));
        open.pollMillis(50);
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.port() + "/api/runs/" + live.id() + "/stream")).build();
        HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(req, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        var lines = r.body().iterator();
        java.util.List<String> data = new java.util.ArrayList<>();
        String event = null;
        boolean appended = false;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data.add(event + " " + line.substring(6));
                if (event.equals("points") && !appended) {
                    // a point logged while the browser listens arrives without reload; then the run ends
                    store.appendPoints(live.id(), List.of(new dev.loupe.store.SeriesPoint("train/loss", 2, 0, 0.5)));
                    appended = true;
                } else if (event.equals("points")) {
                    store.finish(live.id(), RunStatus.FINISHED);
                }
            }
        }
        assertEquals(3, data.size(), data.toString());
        JsonNode first = Json.parse(data.get(0).substring(7));
        assertEquals("[1.0]", first.get("series").get(0).get("x").toString());
        assertEquals("running", first.get("status").asText());
        JsonNode second = Json.parse(data.get(1).substring(7));
        assertEquals("[2.0]", second.get("series").get(0).get("x").toString());
        assertEquals("[0.5]", second.get("series").get(0).get("y").toString());
        assertTrue(data.get(2).startsWith("end "), data.get(2));
    }

    @Test
    void comparePage() throws Exception {
        var r = get(open, "/compare?runs=" + runId + "," + runId);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"compare\":"));
        // the paired test reads every stored example: the page carries where to fetch it, not the test itself
        assertTrue(r.body().contains("\"paired\":null") && r.body().contains("\"pairedApi\":\"/api/compare/paired?runs="), r.body());
        var paired = get(open, "/api/compare/paired?runs=" + runId + "," + runId);
        assertEquals(200, paired.statusCode(), paired.body());
        JsonNode p = Json.parse(paired.body()).get(0);
        assertEquals(4, p.get("n").asInt());
        assertEquals(0.75, p.get("accuracyA").asDouble(), 1e-12);
        assertEquals(0.0, p.get("delta").asDouble(), 0);
        assertEquals(400, get(open, "/api/compare/paired?runs=" + runId).statusCode());
        assertEquals(400, get(open, "/compare?runs=" + runId).statusCode());
        assertEquals(404, get(open, "/compare?runs=" + runId + ",abcdef123456").statusCode());
    }

    @Test
    void failingPageRoutesAnswerAnHtmlPageAndTheApiKeepsJson() throws Exception {
        var one = get(open, "/compare?runs=" + runId);
        assertEquals(400, one.statusCode());
        assertTrue(one.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"), one.body());
        assertTrue(one.body().contains("A comparison needs 2 to 10 runs; got 1"), one.body());
        assertTrue(one.body().contains("<a href=\"/\">\u2190 all runs</a>"), "a way back");
        assertFalse(one.body().contains("<script"), "an error page runs nothing");
        var unknown = get(open, "/runs/ffffffffffff");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        assertTrue(unknown.body().contains("<h1>Not found</h1>") && unknown.body().contains("ffffffffffff"), unknown.body());
        var hostile = get(open, "/runs/x%3Cimg");
        assertEquals(400, hostile.statusCode());
        assertFalse(hostile.body().contains("<img"), "the message is escaped: " + hostile.body());
        assertEquals(DashboardServer.CSP, unknown.headers().firstValue("Content-Security-Policy").orElseThrow());
        // the API keeps JSON
        var api = get(open, "/api/runs/ffffffffffff");
        assertEquals(404, api.statusCode());
        assertTrue(api.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        assertTrue(Json.parse(api.body()).get("error").get("code").isTextual());
    }
}
