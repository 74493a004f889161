package dev.loupe.api;

/**
 * What every entry point does with an {@link OutOfMemoryError}: one line on how to give Loupe more memory, then
 * exit 1. A process whose heap is exhausted cannot be trusted to go on (threads die half way, locks stay held), so
 * the server halts rather than linger half-dead.
 */
public final class OutOfMemory {
    private OutOfMemory() {
    }

    /** The line printed: the heap Loupe had, and which option or setting helps. */
    public static String message() {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        return "error: Loupe ran out of memory (Java heap limit " + max + " MB). Exact curves keep every row's score "
                + "(about 32 bytes a row for a binary file, 8 bytes per class and row otherwise): for very large files pass "
                + "--bins 10000 (constant memory, bounded AUC error; see docs/metrics-json.md), or give Java more memory, e.g. "
                + "LOUPE_JAVA_OPTS=-Xmx16g ./loupe ... (the launcher's default is -Xmx4g).";
    }

    /** Prints {@link #message()} to standard error and halts the process with exit status 1 (no shutdown hooks). */
    public static void halt() {
        try {
            System.err.println(message());
            System.err.flush();
        } finally {
            Runtime.getRuntime().halt(1);
        }
    }

    /** {@code true} when {@code t} or one of its causes is an {@link OutOfMemoryError}. */
    public static boolean isCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }
}
