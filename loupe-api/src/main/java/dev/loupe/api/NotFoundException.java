package dev.loupe.api;

/** Something the user named (a file, a run, a class) does not exist. Exit code 2, HTTP 404. */
public class NotFoundException extends LoupeException {
    public NotFoundException(String code, String message) {
        super(code, message, null);
    }

    @Override
    public int exitCode() {
        return 2;
    }

    @Override
    public int httpStatus() {
        return 404;
    }
}
