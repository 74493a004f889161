package dev.loupe.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.LoupeException;
import dev.loupe.api.NotFoundException;
import dev.loupe.report.HtmlReport;
import dev.loupe.report.Json;
import dev.loupe.report.Page;
import dev.loupe.report.Panel;
import dev.loupe.report.PanelRegistry;
import dev.loupe.report.RunData;
import dev.loupe.report.RunsTable;
import dev.loupe.store.RunStore;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Routes (all GET; anything else is 405):
 * <pre>
 *   /                                   runs page (HTML)
 *   /runs/{id}                          a run's page: every panel (HTML)
 *   /compare?runs=a,b[,...]             2 to 10 runs side by side (HTML)
 *   /api/compare/paired?runs=a,b[,...]  the compare page's paired test (fetched after its charts)
 *   /static/{loupe.css|echarts.min.js|core.js|panels/{panel}.js|runs.js|compare.js|boot.js}
 *   /api/runs                           the runs table (JSON)
 *   /api/runs/{id}                      a run's header and every panel (JSON)
 *   /api/runs/{id}/panels/{panel}       one panel's view model; query parameters go to the panel (JSON)
 *   /api/runs/{id}/stream               server-sent events: new training-curve points while the run is running
 * </pre>
 * API and static errors are JSON {@code {"error": {"code", "message"}}} with the exception's HTTP status; a page
 * route that fails answers an HTML page with the same status saying what happened ({@link Page#error}).
 */
public final class DashboardServer implements AutoCloseable {
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final String COOKIE = "loupe_token";
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-zA-Z_-]{1,64}");
    private static final Pattern PANEL = Pattern.compile("^/api/runs/([^/]+)/panels/([^/]+)$");
    private static final Pattern STREAM = Pattern.compile("^/api/runs/([^/]+)/stream$");
    /** Most open event streams at once. */
    static final int MAX_STREAMS = 16;
    private final java.util.concurrent.Semaphore streams = new java.util.concurrent.Semaphore(MAX_STREAMS);
    private volatile long pollMillis = 1000;
    /** Loaded finished runs (a running run is always read afresh), least recently used first out. */
    private final Map<String, RunData> cache = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunData> eldest) {
            return size() > 4;
        }
    });

    private final HttpServer server;
    private final ExecutorService pool;
    private final RunStore store;
    private final PanelRegistry registry;
    private final String token;
    private final boolean loopback;

    private DashboardServer(HttpServer server, ExecutorService pool, RunStore store, PanelRegistry registry, String token,
                            boolean loopback) {
        this.server = server;
        this.pool = pool;
        this.store = store;
        this.registry = registry;
        this.token = token;
        this.loopback = loopback;
    }

    /**
     * Starts serving. {@code token}: required on every request when not {@code null}. Port 0 picks a free port.
     * A non-loopback host without a token is refused unless {@code allowNoToken}.
     */
    public static DashboardServer start(RunStore store, PanelRegistry registry, String host, int port, String token,
                                        boolean allowNoToken) throws IOException {
        InetAddress addr = InetAddress.getByName(host);
        if (!addr.isLoopbackAddress() && token == null && !allowNoToken) {
            throw new InvalidInputException("TOKEN_REQUIRED", "Serving on " + host + " (not 127.0.0.1) needs an access token:"
                    + " omit --no-token to get one, or bind --host 127.0.0.1.");
        }
        if (port < 0 || port > 65535) {
            throw InvalidInputException.parameter("port", "an integer in [0, 65535]", port);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(addr, port), 64);
        // cached: an event stream holds its thread for as long as the browser listens (bounded by MAX_STREAMS)
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loupe-http");
            t.setDaemon(true);
            return t;
        });
        DashboardServer d = new DashboardServer(server, pool, store, registry, token, addr.isLoopbackAddress());
        server.createContext("/", d::handle);
        server.setExecutor(pool);
        server.start();
        return d;
    }

    /** A random access token (192 bits, URL-safe). */
    public static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** How often an event stream polls the store (tests shorten it). */
    public void pollMillis(long millis) {
        this.pollMillis = millis;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The URL to open, with the token when one is needed. */
    public String url() {
        InetAddress a = server.getAddress().getAddress();
        String h = a.getHostAddress();
        if (a.isAnyLocalAddress()) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port() + "/" + (token == null ? "" : "?token=" + token);
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Security-Policy", CSP);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("X-Frame-Options", "DENY");
            h.set("Referrer-Policy", "no-referrer");
            h.set("Cache-Control", "no-store");
            try {
                route(ex);
            } catch (LoupeException e) {
                sendError(ex, e.httpStatus(), e.code(), e.getMessage());
            } catch (RuntimeException e) {
                sendError(ex, 500, "INTERNAL", "Internal error: " + e.getClass().getSimpleName() + " — this is a bug in Loupe.");
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new HttpError(405, "METHOD_NOT_ALLOWED", "The dashboard is read-only: only GET is allowed.");
        }
        if (loopback && !hostAllowed(ex.getRequestHeaders().getFirst("Host"))) {
            throw new HttpError(403, "BAD_HOST", "Unexpected Host header: open the dashboard at " + url());
        }
        String raw = ex.getRequestURI().getRawPath();
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("..") || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
                || lower.contains("\\") || lower.contains("//")) {
            throw new InvalidInputException("BAD_PATH", "Path traversal is not allowed: " + raw);
        }
        Map<String, String> query = query(ex.getRequestURI().getRawQuery());
        authorize(ex, query);
        String path = raw;
        if (path.startsWith("/static/")) {
            String name = path.substring("/static/".length());
            byte[] body = Page.asset(name, registry);
            if (body == null) {
                throw new NotFoundException("NOT_FOUND", "No static file '" + name + "'.");
            }
            String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            ex.getResponseHeaders().set("Cache-Control", "max-age=3600");
            send(ex, 200, type, body);
            return;
        }
        if (path.equals("/")) {
            Map<String, Object> data = Json.obj("api", true, "base", "/", "runsTable", RunsTable.viewModel(store, null), "runs", List.of());
            sendHtml(ex, Page.linked("Runs", data, "/", Page.scripts(registry)));
            return;
        }
        if (path.equals("/compare")) {
            String ids = query.getOrDefault("runs", "");
            List<RunData> runs = compareRuns(ids);
            // the paired test reads every stored example of each run: the page fetches it after drawing the charts
            Map<String, Object> compare = new LinkedHashMap<>(dev.loupe.report.CompareView.viewModel(runs, false));
            compare.put("pairedApi", "/api/compare/paired?runs=" + java.net.URLEncoder.encode(ids, java.nio.charset.StandardCharsets.UTF_8));
            Map<String, Object> data = Json.obj("api", true, "base", "/", "compare", compare, "runs", List.of());
            sendHtml(ex, Page.linked("Compare " + runs.size() + " runs", data, "/", Page.scripts(registry)));
            return;
        }
        if (path.startsWith("/runs/")) {
            RunData run = load(runId(path.substring("/runs/".length())));
            Map<String, Object> data = Json.obj("api", true, "base", "/", "runs", List.of(HtmlReport.runView(run, registry, false)));
            String name = run.info().name() == null ? run.id() : run.info().name();
            sendHtml(ex, Page.linked(name + " (" + run.id() + ")", data, "/", Page.scripts(registry)));
            return;
        }
        if (path.equals("/api/compare/paired")) {
            sendJson(ex, 200, dev.loupe.report.CompareView.paired(compareRuns(query.getOrDefault("runs", ""))));
            return;
        }
        if (path.equals("/api/runs")) {
            sendJson(ex, 200, RunsTable.viewModel(store, query.get("experiment")));
            return;
        }
        Matcher st = STREAM.matcher(path);
        if (st.matches()) {
            stream(ex, runId(st.group(1)), query);
            return;
        }
        Matcher m = PANEL.matcher(path);
        if (m.matches()) {
            RunData run = load(runId(m.group(1)));
            Panel panel = registry.panel(m.group(2));
            if (!panel.isActive(run)) {
                throw new NotFoundException("PANEL_EMPTY", panel.emptyMessage());
            }
            Map<String, String> params = new LinkedHashMap<>(query);
            params.remove("token");
            sendJson(ex, 200, panel.viewModel(run, params));
            return;
        }
        if (path.startsWith("/api/runs/")) {
            RunData run = load(runId(path.substring("/api/runs/".length())));
            sendJson(ex, 200, HtmlReport.runView(run, registry, false));
            return;
        }
        throw new NotFoundException("NOT_FOUND", "No page '" + path + "'.");
    }

    /** The runs of a compare page ({@code runs=a,b[,...]}): 2 to 10 ids. */
    private List<RunData> compareRuns(String ids) {
        List<RunData> runs = new java.util.ArrayList<>();
        for (String id : ids.split(",")) {
            if (!id.isBlank()) {
                runs.add(load(runId(id.strip())));
            }
        }
        if (runs.size() < 2 || runs.size() > 10) {
            throw new InvalidInputException("COMPARE_RUNS", "A comparison needs 2 to 10 runs; got " + runs.size()
                    + " ('" + ids + "'). Pick runs on the runs page and press 'compare selected'.");
        }
        return runs;
    }

    /**
     * Server-sent events: first every point after {@code after} (a step, default: none sent yet means all), then
     * every second the points added since; an {@code end} event when the run is no longer running.
     * Each {@code points} event: {"series": [{"name", "x": [steps], "y": [values]}], "status"}.
     */
    private void stream(HttpExchange ex, String idOrPrefix, Map<String, String> query) throws IOException {
        String id = store.run(idOrPrefix).id();
        if (!streams.tryAcquire()) {
            throw new HttpError(503, "TOO_MANY_STREAMS", "Too many open live views (" + MAX_STREAMS + "); close some tabs.");
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream os = ex.getResponseBody();
            Map<String, Long> sent = new java.util.HashMap<>();
            long after = query.containsKey("after") ? parseLong(query.get("after")) : Long.MIN_VALUE;
            long deadline = System.currentTimeMillis() + 6 * 3600_000L;
            while (System.currentTimeMillis() < deadline) {
                dev.loupe.store.RunInfo info = store.run(id);
                List<Object> series = new java.util.ArrayList<>();
                for (dev.loupe.store.SeriesSummary sm : store.seriesSummaries(id)) {
                    long last = sent.getOrDefault(sm.name(), after);
                    if (sm.lastStep() > last) {
                        List<Double> xs = new java.util.ArrayList<>();
                        List<Double> ys = new java.util.ArrayList<>();
                        for (dev.loupe.store.SeriesPoint p : store.series(id, sm.name())) {
                            if (p.step() > last) {
                                xs.add((double) p.step());
                                ys.add(Json.num(p.value()));
                            }
                        }
                        sent.put(sm.name(), sm.lastStep());
                        series.add(Json.obj("name", sm.name(), "x", xs, "y", ys));
                    }
                }
                String status = info.status() == null ? null : info.status().dbName();
                if (!series.isEmpty()) {
                    os.write(("event: points\ndata: " + Json.write(Json.obj("series", series, "status", status)) + "\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                } else {
                    os.write(": waiting\n\n".getBytes(StandardCharsets.UTF_8));
                }
                if (info.status() != dev.loupe.store.RunStatus.RUNNING) {
                    os.write(("event: end\ndata: " + Json.write(Json.obj("status", status)) + "\n\n").getBytes(StandardCharsets.UTF_8));
                    os.flush();
                    return;
                }
                os.flush();
                try {
                    Thread.sleep(pollMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the browser went away, or the run was deleted: headers are sent, so just end the stream
        } finally {
            streams.release();
        }
    }

    private static long parseLong(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw InvalidInputException.parameter("after", "a step (integer)", "'" + v + "'");
        }
    }

    /** A run's data, from the cache when the run is finished and unchanged (same status and end time). */
    private RunData load(String idOrPrefix) {
        dev.loupe.store.RunInfo info = store.run(idOrPrefix);
        if (info.status() == dev.loupe.store.RunStatus.RUNNING) {
            return RunData.load(store, info.id());
        }
        RunData cached = cache.get(info.id());
        if (cached != null && cached.info().equals(info)) {
            return cached;
        }
        RunData fresh = RunData.load(store, info.id());
        cache.put(info.id(), fresh);
        return fresh;
    }

    private static String runId(String s) {
        if (!RUN_ID.matcher(s).matches()) {
            throw InvalidInputException.parameter("run", "a run id (letters, digits, '-', '_')", "'" + s + "'");
        }
        return s;
    }

    private boolean hostAllowed(String host) {
        if (host == null) {
            return false;
        }
        int p = port();
        return host.equals("127.0.0.1:" + p) || host.equals("localhost:" + p) || host.equals("[::1]:" + p);
    }

    private void authorize(HttpExchange ex, Map<String, String> query) {
        if (token == null) {
            return;
        }
        String given = query.get("token");
        boolean fromQuery = given != null;
        if (given == null) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null && auth.startsWith("Bearer ")) {
                given = auth.substring("Bearer ".length()).strip();
            }
        }
        if (given == null) {
            given = cookie(ex.getRequestHeaders().getFirst("Cookie"));
        }
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            throw new HttpError(401, "TOKEN_REQUIRED", "This dashboard needs its access token: open the URL printed by"
                    + " 'loupe serve' (it ends in ?token=...).");
        }
        if (fromQuery) {
            ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        }
    }

    private static String cookie(String header) {
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    /** A failed page route answers an HTML page saying what happened; the API and static routes answer JSON. */
    private static void sendError(HttpExchange ex, int status, String code, String message) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (isPage(path) && status != 401) {
            send(ex, status, "text/html; charset=utf-8", Page.error(status, code, message, "/").getBytes(StandardCharsets.UTF_8));
        } else {
            sendJson(ex, status, Json.obj("error", Json.obj("code", code, "message", message)));
        }
    }

    /** Page routes: {@code /}, {@code /runs/…}, {@code /compare}; not {@code /api/…} or {@code /static/…}. */
    static boolean isPage(String path) {
        return path != null && !path.startsWith("/api/") && !path.startsWith("/static/");
    }

    private static void sendHtml(HttpExchange ex, String html) throws IOException {
        send(ex, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendJson(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /** An error with an HTTP status of its own (401, 403, 405). */
    static final class HttpError extends LoupeException {
        private final int status;

        HttpError(int status, String code, String message) {
            super(code, message, null);
            this.status = status;
        }

        @Override
        public int exitCode() {
            return 2;
        }

        @Override
        public int httpStatus() {
            return status;
        }
    }
}
