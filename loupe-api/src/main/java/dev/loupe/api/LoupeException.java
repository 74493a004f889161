package dev.loupe.api;

/**
 * Root of Loupe's errors. Each carries a stable machine {@link #code()} (e.g. {@code LABEL_NOT_IN_MODEL}),
 * a process exit code for the CLI and an HTTP status for the server, so one hierarchy serves both.
 * Messages are written for a person: what was wrong, where, and how to fix it.
 */
public abstract class LoupeException extends RuntimeException {
    private final String code;

    protected LoupeException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** Stable machine-readable code, UPPER_SNAKE_CASE. */
    public String code() {
        return code;
    }

    /** CLI exit status: 2 for bad input, 1 for internal errors. */
    public abstract int exitCode();

    /** HTTP status for the dashboard. */
    public abstract int httpStatus();
}
