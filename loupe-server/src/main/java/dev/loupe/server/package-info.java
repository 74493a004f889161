/**
 * The dashboard: a read-only HTTP server (the JDK's {@code com.sun.net.httpserver}, no framework) that serves the
 * report's pages and one JSON route per panel over the run store. Safety: binds 127.0.0.1 by default, checks the
 * Host header on loopback (DNS rebinding), requires an access token on any other host unless told not to, sends a
 * Content-Security-Policy on every response, serves only named static assets and rejects path traversal.
 */
package dev.loupe.server;
