/**
 * The run store: every evaluation and training run, kept in a real database over plain JDBC.
 *
 * <p>{@link dev.loupe.store.RunStore} is the one entry point. SQLite ({@code $LOUPE_HOME/loupe.db}, WAL mode,
 * busy timeout) is the embedded default; PostgreSQL is used for a {@code jdbc:postgresql:} URL
 * ({@link dev.loupe.store.StoreLocation}). The schema is created and upgraded by Flyway from the portable SQL in
 * {@code db/migration} (the same files run on both databases). Conventions: times are epoch milliseconds,
 * JSON is stored as text, undefined numbers ({@code NaN}) are SQL {@code NULL}; every multi-row write is one
 * transaction, so a failure never leaves half a run behind. Large binary artifacts live in a directory,
 * addressed by their SHA-256, and are referenced from the database.
 */
package dev.loupe.store;
