package dev.loupe.store;

import dev.loupe.api.InvalidInputException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a store lives: a JDBC URL and the directory for its artifacts.
 *
 * <p>{@link #resolve(String)} picks, in order: an explicit value (the {@code --store} flag); the system property
 * {@code loupe.store}; the environment variable {@code LOUPE_STORE}; else the SQLite file {@code loupe.db} in the
 * Loupe home, which is the system property {@code loupe.home}, else {@code LOUPE_HOME}, else {@code ~/.loupe}.
 * A value is a {@code jdbc:sqlite:} or {@code jdbc:postgresql:} URL, or a path to a SQLite file.
 * (System properties come before the environment so that tests can never write into a user's real store.)
 *
 * @param jdbcUrl     the JDBC URL
 * @param artifactDir directory for content-addressed artifacts: next to the SQLite file, or
 *                    {@code <home>/artifacts} for PostgreSQL
 */
public record StoreLocation(String jdbcUrl, Path artifactDir) {

    /** The database behind a URL. */
    public enum Kind { SQLITE, POSTGRESQL }

    public Kind kind() {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? Kind.POSTGRESQL : Kind.SQLITE;
    }

    /** The SQLite file, or {@code null} for PostgreSQL or an in-memory SQLite database. */
    public Path sqliteFile() {
        if (kind() != Kind.SQLITE) {
            return null;
        }
        String rest = jdbcUrl.substring("jdbc:sqlite:".length());
        int q = rest.indexOf('?');
        if (q >= 0) {
            rest = rest.substring(0, q);
        }
        if (rest.isEmpty() || rest.startsWith(":memory:") || rest.startsWith("file::memory:")) {
            return null;
        }
        if (rest.startsWith("file:")) {
            rest = rest.substring("file:".length());
        }
        return Path.of(rest);
    }

    /** Resolves {@code explicit} (may be {@code null}) and the defaults described on the class. */
    public static StoreLocation resolve(String explicit) {
        String v = firstNonBlank(explicit, System.getProperty("loupe.store"), System.getenv("LOUPE_STORE"));
        if (v == null) {
            return sqlite(home().resolve("loupe.db"));
        }
        return parse(v);
    }

    /** A store given as a JDBC URL or a SQLite file path. */
    public static StoreLocation parse(String value) {
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) {
            return new StoreLocation(v, home().resolve("artifacts"));
        }
        if (lower.startsWith("jdbc:sqlite:")) {
            Path file = new StoreLocation(v, null).sqliteFile();
            if (file == null) {
                throw InvalidInputException.parameter("--store", "a SQLite file (an in-memory database would be lost on exit)",
                        "'" + v + "'");
            }
            return new StoreLocation(v, file.toAbsolutePath().getParent().resolve("artifacts"));
        }
        if (lower.startsWith("jdbc:")) {
            throw InvalidInputException.parameter("--store", "a jdbc:sqlite: or jdbc:postgresql: URL, or a path to a SQLite file",
                    "'" + v.substring(0, Math.min(v.length(), 40)) + "'");
        }
        return sqlite(Path.of(v));
    }

    /** The SQLite store in {@code file}; its artifacts go to {@code artifacts/} beside it. */
    public static StoreLocation sqlite(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        return new StoreLocation("jdbc:sqlite:" + abs, abs.getParent().resolve("artifacts"));
    }

    /** The Loupe home directory (not created). */
    public static Path home() {
        String v = firstNonBlank(System.getProperty("loupe.home"), System.getenv("LOUPE_HOME"));
        return v != null ? Path.of(v) : Path.of(System.getProperty("user.home"), ".loupe");
    }

    /** The URL with any password removed, for messages. */
    public String redacted() {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/@:]+):([^/@]+)@", "//$1:***@");
    }

    private static String firstNonBlank(String... vs) {
        for (String s : vs) {
            if (s != null && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }
}
