package dev.loupe.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.loupe.report.Json;
import dev.loupe.report.PanelRegistry;
import dev.loupe.report.RunData;
import dev.loupe.store.RunInfo;
import dev.loupe.store.RunSpec;
import dev.loupe.store.RunStatus;
import dev.loupe.store.RunStore;
import dev.loupe.store.SeriesPoint;
import dev.loupe.store.StoreLocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attack on the dashboard as tests, byte for byte over sockets: traversal, Host tricks, methods and malformed
 * requests each get an answer with every security header and no exception name; the transport's limits hold.
 */
class HttpProbeTest {
    @TempDir
    static Path dir;
    static RunStore store;
    static DashboardServer server;
    static String runId;
    static String liveId;

    @BeforeAll
    static void setUp() {
        store = RunStore.open(StoreLocation.sqlite(dir.resolve("loupe.db")));
        runId = store.createRun(RunSpec.of("probe")).id();
        store.finish(runId, RunStatus.FINISHED);
        RunInfo live = store.createRun(RunSpec.of("live"));
        liveId = live.id();
        List<SeriesPoint> points = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            points.add(new SeriesPoint("train/loss", i, 0, 1.0 / (1 + i) + (i == 12_345 ? 5 : 0)));
        }
        store.appendPoints(liveId, points);
        server = start("127.0.0.1", null, false);
    }

    static DashboardServer start(String host, String token, boolean noToken) {
        try {
            return DashboardServer.start(store, PanelRegistry.standard(), host, 0, token, noToken);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void tearDown() {
        server.close();
        store.close();
    }

    /** A response read whole from a raw socket. */
    record Raw(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }
    }

    static Raw send(DashboardServer s, String request) throws IOException {
        try (Socket sock = new Socket("127.0.0.1", s.port())) {
            sock.setSoTimeout(10_000);
            sock.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            sock.getOutputStream().flush();
            return read(sock.getInputStream());
        }
    }

    static Raw read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        int n;
        try {
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            // a keep-alive connection the server left open: what came is the answer
        }
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String head = end < 0 ? text : text.substring(0, end);
        String[] lines = head.split("\r\n");
        Map<String, List<String>> headers = new java.util.HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.computeIfAbsent(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(lines[i].substring(c + 1).strip());
            }
        }
        return new Raw(Integer.parseInt(lines[0].substring(9, 12)), headers, end < 0 ? "" : text.substring(end + 4));
    }

    static String get(String target, String host, String... extra) {
        return "GET " + target + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n") + String.join("", extra)
                + "Connection: close\r\n\r\n";
    }

    String local() {
        return "127.0.0.1:" + server.port();
    }

    static void assertSafe(Raw r, String what) {
        DashboardServer.SECURITY_HEADERS.forEach((k, v) -> assertEquals(v, r.header(k), what + ": header " + k));
        assertFalse(r.body().matches("(?s).*(Exception|\\bat [a-z]+\\.[a-z]+|org\\.eclipse|java\\.).*"), what + ": " + r.body());
        String type = String.valueOf(r.header("Content-Type"));
        if (r.status() >= 400 && !r.body().isEmpty() && type.startsWith("text/html")) {
            // a page route's error page: what happened, and no script
            assertFalse(r.body().contains("<script"), what + ": " + r.body());
            assertTrue(r.body().contains(Integer.toString(r.status())), what + ": " + r.body());
        } else if (r.status() >= 400 && !r.body().isEmpty()) {
            assertTrue(type.startsWith("application/json"), what + ": " + type);
            JsonNode err = Json.parse(r.body()).get("error");
            assertTrue(err.get("code").asText().matches("[A-Z_]+"), what + ": " + r.body());
            assertFalse(err.get("message").asText().isBlank(), what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/static/%2e%2e/%2e%2e/etc/passwd", "/static/..%2fPage.class", "/static/../../../../etc/passwd",
            "/static/..\\..\\etc\\passwd", "/api/runs/%zz", "/api/runs/%", "/%00", "/static/%c0%ae%c0%ae/x",
            "//etc/passwd", "/api/runs/..;/x", "/runs/x%3Cy", "/static/loupe.js%00.png", "/nope"})
    void traversalAndMalformedPathsAreRefusedSafely(String target) throws IOException {
        Raw r = send(server, get(target, local()));
        assertTrue(r.status() == 400 || r.status() == 404, target + " -> " + r.status());
        assertSafe(r, target);
    }

    @Test
    void malformedRequestsGetTheSecurityHeaders() throws IOException {
        String h = "Host: " + local() + "\r\n";
        String[] requests = {
                "GET * HTTP/1.1\r\n" + h + "Connection: close\r\n\r\n",
                "GET /api/runs HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\nConnection: close\r\n\r\n0\r\n\r\n",
                "GET /api/runs HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 6\r\nConnection: close\r\n\r\nhello",
                "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n" + h + "Connection: close\r\n\r\n",
                "GET /api/runs HTTP/1.1\r\n" + h + "X-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n",
                "GET /api/runs HTTP/9.9\r\n" + h + "Connection: close\r\n\r\n",
                "G\u00e9T /api/runs HTTP/1.1\r\n" + h + "Connection: close\r\n\r\n",
                "GET /api/runs HTTP/1.1\r\n" + h + "Bad Header\r\nConnection: close\r\n\r\n",
                "GET /api/runs HTTP/1.1\r\n" + "Connection: close\r\n\r\n",
                "GET /api/runs\r\n\r\n",
        };
        for (String req : requests) {
            Raw r = send(server, req);
            String what = req.substring(0, Math.min(80, req.length())).replace("\r\n", "|");
            assertTrue(r.status() >= 400 && r.status() <= 505, what + " -> " + r.status());
            assertSafe(r, what);
        }
    }

    @Test
    void methodsOtherThanGetAndHeadAre405() throws IOException {
        for (String m : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND")) {
            String target = m.equals("CONNECT") ? local() : "/api/runs";
            Raw r = send(server, m + " " + target + " HTTP/1.1\r\nHost: " + local() + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            assertTrue(r.status() == 405 || r.status() == 400, m + " -> " + r.status());
            assertSafe(r, m);
        }
        Raw head = send(server, "HEAD /api/runs HTTP/1.1\r\nHost: " + local() + "\r\nConnection: close\r\n\r\n");
        assertEquals(200, head.status());
        assertEquals("", head.body());
        assertSafe(head, "HEAD");
    }

    @Test
    void hostChecksFollowRfc7230() throws IOException {
        int port = server.port();
        // an absolute-form target's authority is the host (RFC 7230 §5.4, RFC 9112 §3.2.2: the server ignores the Host
        // header then), and the Host allow-list check applies to it
        assertEquals(200, send(server, get("http://127.0.0.1:" + port + "/api/runs", "127.0.0.1:" + port)).status());
        Raw evil = send(server, "GET http://evil.example:" + port + "/api/runs HTTP/1.0\r\n\r\n");
        assertEquals(403, evil.status());
        assertSafe(evil, "absolute-form evil authority");
        Raw hidden = send(server, get("http://evil.example:" + port + "/api/runs", "127.0.0.1:" + port));
        assertEquals(403, hidden.status(), "evil authority behind a good Host: the authority is checked");
        assertSafe(hidden, "absolute-form evil authority, good Host");
        Raw mismatch = send(server, get("http://127.0.0.1:" + port + "/api/runs", "evil.example:" + port));
        assertEquals(200, mismatch.status(), "good authority, other Host: the target's authority is used, the Host header ignored");
        assertTrue(mismatch.body().contains("\"rows\""), mismatch.body());
        assertSafe(mismatch, "absolute-form, mismatched Host");
        assertEquals(403, send(server, get("http://127.0.0.1/api/runs", "127.0.0.1:" + port)).status(),
                "the authority's port is the default, 80, not ours, whatever Host says");
        Raw two = send(server, "GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nHost: evil.example:" + port
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(400, two.status());
        assertSafe(two, "two Host headers");
        assertEquals(403, send(server, get("/api/runs", "evil.example:" + port)).status());
        assertEquals(403, send(server, get("/api/runs", "127.0.0.1")).status(), "no port: port 80, not ours");
        assertEquals(403, send(server, get("/api/runs", "127.0.0.1.evil.example:" + port)).status());
        assertEquals(200, send(server, get("/api/runs", "LOCALHOST:" + port)).status(), "host names are case-insensitive");
    }

    @Test
    void noTokenOnAnyAddressKeepsTheHostCheck() throws IOException {
        DashboardServer wide = start("0.0.0.0", null, true);
        try {
            int port = wide.port();
            Raw rebound = send(wide, get("/api/runs", "attacker.example:" + port));
            assertEquals(403, rebound.status(), "DNS rebinding to an open dashboard");
            assertSafe(rebound, "rebinding");
            assertEquals(200, send(wide, get("/api/runs", "127.0.0.1:" + port)).status());
            assertEquals(200, send(wide, get("/api/runs", "10.1.2.3:" + port)).status(), "an IP address has no DNS to rebind");
        } finally {
            wide.close();
        }
    }

    @Test
    void authorizationSchemeIsCaseInsensitive() throws IOException {
        DashboardServer locked = start("127.0.0.1", "tok-123", false);
        try {
            String host = "127.0.0.1:" + locked.port();
            assertEquals(200, send(locked, get("/api/runs", host, "Authorization: bearer tok-123\r\n")).status());
            assertEquals(200, send(locked, get("/api/runs", host, "Authorization: BEARER tok-123\r\n")).status());
            Raw no = send(locked, get("/api/runs", host, "Authorization: Basic tok-123\r\n"));
            assertEquals(401, no.status());
            assertSafe(no, "401");
        } finally {
            locked.close();
        }
    }

    @Test
    void firstStreamEventIsThinnedLikeTheCharts() throws IOException {
        try (Socket sock = new Socket("127.0.0.1", server.port())) {
            sock.setSoTimeout(10_000);
            sock.getOutputStream().write(get("/api/runs/" + liveId + "/stream", local()).getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = sock.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] b = new byte[65536];
            int n;
            while (!text.toString().contains("event: points\ndata: ") || !text.toString().split("event: points\ndata: ", 2)[1].contains("\n\n")) {
                n = in.read(b);
                assertTrue(n > 0, "stream ended early");
                text.append(new String(b, 0, n, StandardCharsets.UTF_8));
            }
            String head = text.substring(0, text.indexOf("\r\n\r\n"));
            for (String k : DashboardServer.SECURITY_HEADERS.keySet()) {
                assertTrue(head.toLowerCase(Locale.ROOT).contains(k.toLowerCase(Locale.ROOT) + ":"), k);
            }
            String data = text.toString().split("event: points\ndata: ", 2)[1].split("\n\n", 2)[0];
            JsonNode s = Json.parse(data).get("series").get(0);
            int points = s.get("x").size();
            assertTrue(points <= RunData.MAX_POINTS && points >= RunData.MAX_POINTS / 2, "points: " + points);
            assertEquals(0, s.get("x").get(0).asLong());
            assertEquals(19_999, s.get("x").get(points - 1).asLong());
            double max = 0;
            for (JsonNode y : s.get("y")) {
                max = Math.max(max, y.asDouble());
            }
            assertEquals(5 + 1.0 / 12_346, max, 1e-12, "the spike survives thinning");
        }
    }

    @Test
    void slowHeaderClientsAreCutAndNeverBlockOthers() throws Exception {
        server.transport().headerTimeoutMs(1_000);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                s.getOutputStream().write("GET /api/runs HTTP/1.1\r\nHost: 127".getBytes(StandardCharsets.ISO_8859_1));
                slow.add(s);
            }
            long t0 = System.nanoTime();
            assertEquals(200, send(server, get("/api/runs", local())).status());
            assertTrue((System.nanoTime() - t0) / 1e6 < 2_000, "a normal request waited behind slow ones");
            assertTrue(server.transport().threads() <= JettyTransport.MAX_THREADS, "threads: " + server.transport().threads());
            Thread.sleep(2_500);
            for (Socket s : slow) {
                s.setSoTimeout(2_000);
                assertEquals(-1, s.getInputStream().read(), "a slow header was not cut off");
            }
        } finally {
            server.transport().headerTimeoutMs(JettyTransport.HEADER_TIMEOUT_MS);
            for (Socket s : slow) {
                s.close();
            }
        }
    }
}
