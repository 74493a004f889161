package dev.loupe.server;

import dev.loupe.api.OutOfMemory;
import org.eclipse.jetty.http.HttpCompliance;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The dashboard's HTTP transport: an embedded Jetty 12 (core API, no servlets) with every resource bounded, so that
 * no number of clients can exhaust memory or threads:
 * <ul>
 *   <li>a fixed thread pool ({@link #MAX_THREADS}) with a bounded job queue; connections wait in the selector, not
 *       in threads, and at most {@link #MAX_CONNECTIONS} are open at once (more wait in the accept backlog);</li>
 *   <li>request headers of at most {@link #MAX_HEADER_BYTES}, read within {@link #HEADER_TIMEOUT_MS} of connecting
 *       (slow-header clients are cut off), and an idle timeout of {@link #IDLE_TIMEOUT_MS};</li>
 *   <li>an {@link OutOfMemoryError} anywhere in a request halts the process with exit status 1 and one line on how
 *       to give Loupe more memory ({@link OutOfMemory}), instead of leaving a server that answers nothing.</li>
 * </ul>
 * Errors Jetty answers itself (malformed requests, ambiguous URIs, duplicate {@code Host}) go through
 * {@link JsonErrors}: the same JSON error shape and security headers as the routes' own errors, and never an
 * exception name.
 */
final class JettyTransport implements AutoCloseable {
    static final int MAX_THREADS = 64;
    static final int MAX_QUEUED_JOBS = 1024;
    static final int MAX_CONNECTIONS = 512;
    static final int MAX_HEADER_BYTES = 8 * 1024;
    static final long HEADER_TIMEOUT_MS = 10_000;
    static final long IDLE_TIMEOUT_MS = 30_000;

    /** Called once per request on a pool thread; may block (it runs in a bounded pool). */
    interface ExchangeHandler {
        void handle(Exchange ex) throws IOException;
    }

    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService sweeper;
    private volatile long headerTimeoutMs = HEADER_TIMEOUT_MS;

    private JettyTransport(Server server, ServerConnector connector, ScheduledExecutorService sweeper) {
        this.server = server;
        this.connector = connector;
        this.sweeper = sweeper;
    }

    static JettyTransport start(InetAddress addr, int port, Map<String, String> securityHeaders, ExchangeHandler handler)
            throws IOException {
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 4, 60_000, new BlockingArrayQueue<>(64, 64, MAX_QUEUED_JOBS)) {
            @Override
            public void execute(Runnable job) {
                super.execute(() -> {
                    try {
                        job.run();
                    } catch (OutOfMemoryError e) {
                        OutOfMemory.halt();
                    }
                });
            }
        };
        pool.setName("loupe-http");
        pool.setDaemon(true);
        Server server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(MAX_HEADER_BYTES);
        // an absolute-form target whose authority differs from Host: RFC 7230 §5.4 / RFC 9112 §3.2.2 have the server use
        // the target's authority (and ignore Host), which authority() returns and the Host allow-list then checks; Jetty
        // answers 400 unless this is allowed
        config.setHttpCompliance(HttpCompliance.RFC9110.with("loupe", HttpCompliance.Violation.MISMATCHED_AUTHORITY));
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setIdleTimeout(IDLE_TIMEOUT_MS);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(addr.getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        server.setErrorHandler(new JsonErrors(securityHeaders));
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                JettyExchange ex = new JettyExchange(request, response);
                try {
                    handler.handle(ex);
                    ex.finish();
                    callback.succeeded();
                } catch (OutOfMemoryError e) {
                    OutOfMemory.halt();
                } catch (Throwable t) {
                    if (OutOfMemory.isCause(t)) {
                        OutOfMemory.halt();
                    }
                    callback.failed(t);
                }
                return true;
            }
        });
        server.setStopTimeout(2_000);
        server.setStopAtShutdown(false);
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "loupe-http-header-timeout");
            t.setDaemon(true);
            return t;
        });
        JettyTransport transport = new JettyTransport(server, connector, sweeper);
        try {
            server.start();
        } catch (IOException e) {
            transport.close();
            throw e;
        } catch (Exception e) {
            transport.close();
            throw new IOException(e.getMessage(), e);
        }
        sweeper.scheduleWithFixedDelay(transport::cutSlowHeaders, 500, 500, TimeUnit.MILLISECONDS);
        return transport;
    }

    /** Closes connections that have not sent one whole request head within the header timeout of connecting. */
    private void cutSlowHeaders() {
        long now = System.currentTimeMillis();
        for (EndPoint ep : connector.getConnectedEndPoints()) {
            var c = ep.getConnection();
            if (c != null && c.getMessagesIn() == 0 && now - ep.getCreatedTimeStamp() > headerTimeoutMs) {
                ep.close(new java.util.concurrent.TimeoutException("request head not received in time"));
            }
        }
    }

    /** Tests shorten the header timeout. */
    void headerTimeoutMs(long ms) {
        this.headerTimeoutMs = ms;
    }

    int port() {
        return connector.getLocalPort();
    }

    /** Threads of the pool now. */
    int threads() {
        return ((QueuedThreadPool) server.getThreadPool()).getThreads();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing more to do
        }
    }

    private static final class JettyExchange implements Exchange {
        private final Request request;
        private final Response response;
        private OutputStream body;
        private boolean sent;
        private Runnable beforeResponse;

        JettyExchange(Request request, Response response) {
            this.request = request;
            this.response = response;
        }

        @Override
        public String getRequestMethod() {
            return request.getMethod();
        }

        @Override
        public String rawPath() {
            return request.getHttpURI().getPath();
        }

        @Override
        public String rawQuery() {
            return request.getHttpURI().getQuery();
        }

        @Override
        public String authority() {
            HttpURI uri = request.getHttpURI();
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                return null;
            }
            if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
                host = "[" + host + "]";
            }
            return host + ":" + (uri.getPort() > 0 ? uri.getPort() : 80);
        }

        @Override
        public RequestHeaders getRequestHeaders() {
            return name -> request.getHeaders().get(name);
        }

        @Override
        public ResponseHeaders getResponseHeaders() {
            HttpFields.Mutable h = response.getHeaders();
            return new ResponseHeaders() {
                @Override
                public void set(String name, String value) {
                    h.put(name, value);
                }

                @Override
                public void add(String name, String value) {
                    h.add(name, value);
                }
            };
        }

        @Override
        public void sendResponseHeaders(int status, long length) throws IOException {
            if (beforeResponse != null) {
                Runnable hook = beforeResponse;
                beforeResponse = null;
                hook.run();
            }
            response.setStatus(status);
            sent = true;
            if (length > 0) {
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
            } else if (length == 0) {
                getResponseBody().flush(); // a stream: commit the headers now
            }
        }

        @Override
        public boolean headersSent() {
            return sent;
        }

        @Override
        public void beforeResponse(Runnable hook) {
            this.beforeResponse = hook;
        }

        @Override
        public OutputStream getResponseBody() {
            if (body == null) {
                body = new java.io.FilterOutputStream(Content.Sink.asOutputStream(response)) {
                    private boolean closed;

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        if (!closed) {
                            closed = true;
                            out.close();
                        }
                    }
                };
            }
            return body;
        }

        /** Ends the response: the last write of a body, or none. */
        void finish() throws IOException {
            if (body != null) {
                body.close();
            }
        }
    }

    /** Jetty's own error answers, in the dashboard's JSON shape with its security headers. */
    static final class JsonErrors extends ErrorHandler {
        /** Jetty's reasons are short phrases; anything else (an exception's text) is left out. */
        private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 ,;:'()/_-]{1,120}");
        private final Map<String, String> securityHeaders;

        JsonErrors(Map<String, String> securityHeaders) {
            this.securityHeaders = securityHeaders;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Object st = request.getAttribute(ERROR_STATUS);
            int status = st instanceof Integer i ? i : response.getStatus();
            Object msg = request.getAttribute(ERROR_MESSAGE);
            HttpFields.Mutable h = response.getHeaders();
            securityHeaders.forEach(h::put);
            h.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.setStatus(status);
            response.write(true, ByteBuffer.wrap(body(status, msg == null ? null : msg.toString())), callback);
            return true;
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            securityHeaders.forEach(fields::put);
            fields.put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            return ByteBuffer.wrap(body(status, reason));
        }

        static byte[] body(int status, String reason) {
            String phrase = HttpStatus.getMessage(status);
            String message = status >= 500 ? "Internal error (" + status + ") — this is a bug in Loupe."
                    : "Bad request (" + status + " " + phrase + ")"
                    + (reason != null && PLAIN_REASON.matcher(reason).matches() && !reason.contains("Exception")
                    && !reason.equals(phrase) ? ": " + reason : "") + ".";
            String code = status >= 500 ? "INTERNAL" : phrase.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]+", "_");
            return ("{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}}").getBytes(StandardCharsets.UTF_8);
        }

        private static String quote(String s) {
            return dev.loupe.report.Json.write(s);
        }
    }
}
