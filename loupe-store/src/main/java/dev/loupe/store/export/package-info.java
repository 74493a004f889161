/**
 * Renders stored runs for people and programs: the run document ({@code runs show --json}, {@code runs export
 * --format json}) and the flat CSV export. Pure reads of the {@link dev.loupe.store.RunStore}; undefined numbers are
 * JSON {@code null} and empty CSV cells; times are ISO-8601 UTC.
 */
package dev.loupe.store.export;
