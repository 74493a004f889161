/**
 * The dashboard: a read-only HTTP server (embedded Jetty 12 core behind {@link dev.loupe.server.Exchange}, every
 * resource bounded) that serves the report's pages and one JSON route per panel over the run store. Safety: binds
 * 127.0.0.1 by default, checks the Host header against DNS rebinding (on loopback, and elsewhere without a token),
 * requires an access token on any other host unless told not to, sends a Content-Security-Policy and the other
 * security headers on every response, serves only named static assets and rejects path traversal.
 */
package dev.loupe.server;
