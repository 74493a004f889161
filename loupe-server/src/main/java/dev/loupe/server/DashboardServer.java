package dev.loupe.server;

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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * route that fails answers an HTML page with the same status saying what happened ({@link Page#error}). The routes
 * see requests through {@link Exchange}; the transport and its limits are {@link JettyTransport}'s.
 */
public final class DashboardServer implements AutoCloseable {
    public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Sent on every response, the transport's own error answers included. */
    static final Map<String, String> SECURITY_HEADERS = Map.of("Content-Security-Policy", CSP,
            "X-Content-Type-Options", "nosniff", "X-Frame-Options", "DENY", "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");
    static final String COOKIE = "loupe_token";
    private static final Pattern RUN_ID = Pattern.compile("[0-9a-zA-Z_-]{1,64}");
    private static final Pattern PANEL = Pattern.compile("^/api/runs/([^/]+)/panels/([^/]+)$");
    private static final Pattern STREAM = Pattern.compile("^/api/runs/([^/]+)/stream$");
    /** Most open event streams at once. */
    static final int MAX_STREAMS = 16;
    private final java.util.concurrent.Semaphore streams = new java.util.concurrent.Semaphore(MAX_STREAMS);
    private volatile long pollMillis = 1000;
    /** A running run's data is reused for a second, or ten times as long as reading it took (a long run). */
    static final long LIVE_MAX_AGE_NANOS = 1_000_000_000L;

    private record Live(RunData data, long nanos, long loadNanos, boolean loading) {
        boolean fresh() {
            return System.nanoTime() - nanos < Math.max(LIVE_MAX_AGE_NANOS, 10 * loadNanos);
        }
    }

    private final Map<String, Live> live = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object liveLoad = new Object();
    /** Loaded finished runs with the artifacts they were read with, least recently used first out. */
    private final Map<String, Cached> cache = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > 4;
        }
    });

    /**
     * Most requests that read a run (pages and JSON routes other than the runs table and static files) served at
     * once; more wait up to {@link #HEAVY_WAIT_MS}, then get 503. Bounds the memory the routes hold together.
     */
    static final int MAX_HEAVY = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    static final long HEAVY_WAIT_MS = 10_000;
    private final java.util.concurrent.Semaphore heavy = new java.util.concurrent.Semaphore(MAX_HEAVY, true);

    private JettyTransport transport;
    private final RunStore store;
    private final PanelRegistry registry;
    private final String token;
    private final boolean loopback;
    private final InetAddress bound;

    private DashboardServer(RunStore store, PanelRegistry registry, String token, boolean loopback, InetAddress bound) {
        this.store = store;
        this.registry = registry;
        this.token = token;
        this.loopback = loopback;
        this.bound = bound;
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
        DashboardServer d = new DashboardServer(store, registry, token, addr.isLoopbackAddress(), addr);
        d.transport = JettyTransport.start(addr, port, SECURITY_HEADERS, d::handle);
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
        return transport.port();
    }

    /** The transport, for tests that shorten its timeouts or count its connections. */
    JettyTransport transport() {
        return transport;
    }

    /** The URL to open, with the token when one is needed. */
    public String url() {
        InetAddress a = bound;
        String h = a.getHostAddress();
        if (a.isAnyLocalAddress()) {
            h = machineName();
        }
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return "http://" + h + ":" + port() + "/" + (token == null ? "" : "?token=" + token);
    }

    @Override
    public void close() {
        transport.close();
    }

    private void handle(Exchange ex) throws IOException {
        Exchange.ResponseHeaders h = ex.getResponseHeaders();
        SECURITY_HEADERS.forEach(h::set);
        boolean limited = isHeavy(ex.rawPath());
        // the permit bounds the memory of computing answers; it is given back before the answer is written, so a
        // client that reads slowly (or never) holds only its own thread, never the others' turn
        java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            if (limited && !heavy.tryAcquire(HEAVY_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                limited = false;
                h.set("Retry-After", "5");
                throw new HttpError(503, "BUSY", "The dashboard is busy answering other requests; retry in a few seconds.");
            }
            if (limited) {
                held.set(true);
                ex.beforeResponse(() -> {
                    if (held.getAndSet(false)) {
                        heavy.release();
                    }
                });
            }
            route(ex);
        } catch (LoupeException e) {
            sendError(ex, e.httpStatus(), e.code(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendError(ex, 503, "BUSY", "The dashboard is stopping.");
        } catch (RuntimeException e) {
            // no exception name or text: they can carry paths or SQL the client has no business reading
            sendError(ex, 500, "INTERNAL", "Internal error — this is a bug in Loupe.");
        } finally {
            if (held.getAndSet(false)) {
                heavy.release();
            }
        }
    }

    /** Requests that read a run; the runs table, static files and event streams (limited apart) are not. */
    private static boolean isHeavy(String path) {
        return path != null && !path.startsWith("/static/") && !path.equals("/api/runs") && !STREAM.matcher(path).matches();
    }

    /** A failed page route answers an HTML page saying what happened; the API and static routes answer JSON. */
    private static void sendError(Exchange ex, int status, String code, String message) throws IOException {
        if (ex.headersSent()) {
            return; // a stream already under way: nothing can be said in its place
        }
        if (isPage(ex.rawPath()) && status != 401) {
            send(ex, status, "text/html; charset=utf-8", Page.error(status, code, message, "/").getBytes(StandardCharsets.UTF_8));
        } else {
            sendJson(ex, status, Json.obj("error", Json.obj("code", code, "message", message)));
        }
    }

    /** Page routes: {@code /}, {@code /runs/…}, {@code /compare}; not {@code /api/…} or {@code /static/…}. */
    static boolean isPage(String path) {
        return path != null && !path.startsWith("/api/") && !path.startsWith("/static/");
    }

    private void route(Exchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new HttpError(405, "METHOD_NOT_ALLOWED", "The dashboard is read-only: only GET is allowed.");
        }
        if ((loopback || token == null) && !hostAllowed(ex.authority())) {
            throw new HttpError(403, "BAD_HOST", "Unexpected Host header: open the dashboard at " + url());
        }
        String raw = ex.rawPath();
        String lower = raw.toLowerCase(Locale.ROOT);
        if (lower.contains("..") || lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c")
                || lower.contains("\\") || lower.contains("//")) {
            throw new InvalidInputException("BAD_PATH", "Path traversal is not allowed: " + raw);
        }
        Map<String, String> query = query(ex.rawQuery());
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
     * Server-sent events: first the points after {@code after} (a step; default: all), then every second the points
     * added since; an {@code end} event when the run is no longer running. Each event holds at most
     * {@link RunData#MAX_POINTS} points a series, thinned like the charts (min/max envelope) when more were added.
     * Each {@code points} event: {"series": [{"name", "x": [steps], "y": [values]}], "status"}.
     */
    private void stream(Exchange ex, String idOrPrefix, Map<String, String> query) throws IOException {
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
                for (Map.Entry<String, Long> e : store.lastSteps(id).entrySet()) {
                    long last = sent.getOrDefault(e.getKey(), after);
                    if (e.getValue() > last) {
                        // thinned like the charts: a long run's first event is at most MAX_POINTS points a series
                        List<dev.loupe.store.SeriesPoint> points = store.seriesDownsampled(id, e.getKey(), RunData.MAX_POINTS, last);
                        List<Double> xs = new java.util.ArrayList<>(points.size());
                        List<Double> ys = new java.util.ArrayList<>(points.size());
                        for (dev.loupe.store.SeriesPoint p : points) {
                            xs.add((double) p.step());
                            ys.add(Json.num(p.value()));
                        }
                        sent.put(e.getKey(), e.getValue());
                        series.add(Json.obj("name", e.getKey(), "x", xs, "y", ys));
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

    /**
     * A run's data, from the cache when the run is finished and unchanged (same status, end time and artifacts); a running run
     * is read afresh by one request at a time, at most once a second (as often as the live view polls) or once in ten
     * times its read time, so that many readers of a long live run cost one read of it now and then; its new points
     * reach the charts through the event stream meanwhile.
     */
    private RunData load(String idOrPrefix) {
        dev.loupe.store.RunInfo info = store.run(idOrPrefix);
        if (info.status() == dev.loupe.store.RunStatus.RUNNING) {
            String id = info.id();
            Live l = live.get(id);
            if (l != null && (l.fresh() || l.loading())) {
                return l.data();
            }
            if (l != null && !live.replace(id, l, new Live(l.data(), l.nanos(), l.loadNanos(), true))) {
                Live other = live.get(id); // another request is reloading it: keep what we have meanwhile
                return other != null ? other.data() : l.data();
            }
            synchronized (liveLoad) { // one reload at a time: the first readers of a run wait for one read, not many
                Live cur = live.get(id);
                if (cur != null && cur.fresh()) {
                    return cur.data();
                }
                try {
                    return reload(id);
                } catch (RuntimeException e) {
                    live.remove(id);
                    throw e;
                }
            }
        }
        live.remove(info.id());
        // a finished run still gains artifacts (explain RUN, project RUN): the cache holds while they are the same
        List<dev.loupe.store.Artifact> artifacts = store.artifacts(info.id());
        Cached cached = cache.get(info.id());
        if (cached != null && cached.data().info().equals(info) && cached.artifacts().equals(artifacts)) {
            return cached.data();
        }
        RunData fresh = RunData.load(store, info.id());
        cache.put(info.id(), new Cached(fresh, artifacts));
        return fresh;
    }

    private record Cached(RunData data, List<dev.loupe.store.Artifact> artifacts) {
    }

    private RunData reload(String id) {
        long t0 = System.nanoTime();
        RunData fresh = RunData.load(store, id);
        long t1 = System.nanoTime();
        if (live.size() >= 16) {
            live.clear(); // bounded: a few live runs are watched at once
        }
        live.put(id, new Live(fresh, t1, t1 - t0, false));
        return fresh;
    }

    private static String runId(String s) {
        if (!RUN_ID.matcher(s).matches()) {
            throw InvalidInputException.parameter("run", "a run id (letters, digits, '-', '_')", "'" + s + "'");
        }
        return s;
    }

    /**
     * DNS rebinding guard: the request must name this server as 127.0.0.1, localhost or [::1] with its port; when
     * bound elsewhere without a token, also an IP address (no DNS, so no rebinding) or this machine's name.
     */
    private boolean hostAllowed(String authority) {
        if (authority == null) {
            return false;
        }
        int colon = authority.lastIndexOf(':');
        if (colon < 0 || !authority.substring(colon + 1).equals(Integer.toString(port()))) {
            return false;
        }
        String name = authority.substring(0, colon).toLowerCase(Locale.ROOT);
        if (name.equals("127.0.0.1") || name.equals("localhost") || name.equals("[::1]")) {
            return true;
        }
        if (loopback) {
            return false;
        }
        return name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}|\\[[0-9a-f:.]+]") || name.equals(machineName().toLowerCase(Locale.ROOT));
    }

    private static String machineName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private void authorize(Exchange ex, Map<String, String> query) {
        if (token == null) {
            return;
        }
        String given = query.get("token");
        boolean fromQuery = given != null;
        if (given == null) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) { // auth schemes are case-insensitive
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

    private static void sendHtml(Exchange ex, String html) throws IOException {
        send(ex, 200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static void sendJson(Exchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json; charset=utf-8", Json.write(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Exchange ex, int status, String type, byte[] body) throws IOException {
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
