/**
 * Serialises evaluation results to the public metrics JSON (documented in docs/metrics-json.md). Names written
 * here are a contract: add fields, never rename or remove them. Undefined numbers are written as {@code null}.
 */
package dev.loupe.data.results;
