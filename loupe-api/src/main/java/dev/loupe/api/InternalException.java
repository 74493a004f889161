package dev.loupe.api;

/** A bug or an environment failure that is not the user's input. Exit code 1, HTTP 500. */
public class InternalException extends LoupeException {
    public InternalException(String message, Throwable cause) {
        super("INTERNAL", message, cause);
    }

    @Override
    public int exitCode() {
        return 1;
    }

    @Override
    public int httpStatus() {
        return 500;
    }
}
