package dev.loupe.api;

/** The user's input (a file, a flag, a parameter) is wrong. Exit code 2, HTTP 400. */
public class InvalidInputException extends LoupeException {
    public InvalidInputException(String code, String message) {
        super(code, message, null);
    }

    public InvalidInputException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * The one template for bad parameters: {@code The 'name' parameter must be <expected>. Got <actual> instead.}
     */
    public static InvalidInputException parameter(String name, String expected, Object actual) {
        return new InvalidInputException("BAD_PARAMETER",
                "The '" + name + "' parameter must be " + expected + ". Got " + actual + " instead.");
    }

    @Override
    public int exitCode() {
        return 2;
    }

    @Override
    public int httpStatus() {
        return 400;
    }
}
