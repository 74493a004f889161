/**
 * The {@code loupe} command line: picocli commands, progress on stderr, and the mapping of
 * {@link dev.loupe.api.LoupeException}s to exit codes (2 bad input, 1 internal error). Commands only parse
 * options, call the library and print; no metric logic lives here.
 */
package dev.loupe.cli;
