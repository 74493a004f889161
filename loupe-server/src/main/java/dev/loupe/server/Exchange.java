package dev.loupe.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One HTTP request and its response, as the routes see it: the transport (Jetty, {@link JettyTransport}) stays
 * behind this interface, so the routes never name a server library. The method names follow the JDK's
 * {@code HttpExchange}, which the routes were first written against.
 */
interface Exchange {
    String getRequestMethod();

    /** The request target's path, still percent-encoded. */
    String rawPath();

    /** The query string, still percent-encoded, or {@code null}. */
    String rawQuery();

    /**
     * The host and port the request is addressed to, per RFC 7230 §5.4: the authority of an absolute-form target,
     * else the {@code Host} header ({@code null} when there is none). A port left out is the default port, 80.
     */
    String authority();

    RequestHeaders getRequestHeaders();

    ResponseHeaders getResponseHeaders();

    /** Sends the status line and headers; {@code length} {@code > 0}: the body's size, 0: streamed, -1: no body. */
    void sendResponseHeaders(int status, long length) throws IOException;

    boolean headersSent();

    /** Runs {@code hook} once, just before the status line is sent (the answer is computed by then). */
    void beforeResponse(Runnable hook);

    OutputStream getResponseBody();

    interface RequestHeaders {
        /** The first value of the header, or {@code null}. */
        String getFirst(String name);
    }

    interface ResponseHeaders {
        void set(String name, String value);

        void add(String name, String value);
    }
}
