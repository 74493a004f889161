/**
 * Contracts shared by every Loupe module and nothing else: the columnar {@link dev.loupe.api.PredictionBatch}
 * that flows from readers and model adapters into metric states, the {@link dev.loupe.api.MetricState}
 * update/merge contract, typed metric identities and values, and the one error hierarchy
 * ({@link dev.loupe.api.LoupeException}) that the CLI maps to exit codes and the server to HTTP codes.
 *
 * <p>Conventions: no I/O, no dependencies outside the JDK. Undefined numbers are {@code NaN} here
 * and {@code null} in JSON. Class indices are positions in the run's class list.
 */
package dev.loupe.api;
