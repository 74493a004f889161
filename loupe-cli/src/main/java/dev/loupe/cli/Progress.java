package dev.loupe.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, otherwise a plain line at most every
 * {@code plainEverySeconds} seconds; silent when {@code quiet}.
 */
final class Progress implements AutoCloseable {
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean tty;
    private final boolean quiet;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private boolean drawn;
    private String unit = "rows";

    Progress(PrintWriter err, String label, long total, boolean quiet) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.quiet = quiet;
        this.tty = System.console() != null && System.getenv("LOUPE_NO_TTY") == null;
    }

    /** Names what is counted ("rows" by default). */
    Progress unit(String name) {
        this.unit = name;
        return this;
    }

    /** Reports {@code done} units (bytes or rows) and {@code rows} processed so far. */
    void update(long done, long rows) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        long every = tty ? 100_000_000L : 10_000_000_000L;
        if (now - lastDraw < every) {
            return;
        }
        lastDraw = now;
        draw(done, rows, now);
    }

    private void draw(long done, long rows, long now) {
        double secs = Math.max(1e-9, (now - start) / 1e9);
        String rate = String.format(Locale.ROOT, "%,d %s, %,.0f %s/s", rows, unit, rows / secs, unit);
        if (tty) {
            String bar = "";
            if (total > 0) {
                double f = Math.min(1, done / (double) total);
                int width = 30;
                int fill = (int) Math.round(f * width);
                bar = " [" + "#".repeat(fill) + " ".repeat(width - fill) + "] " + String.format(Locale.ROOT, "%3.0f%%", f * 100);
            }
            err.print("\r" + label + bar + "  " + rate + "   ");
            err.flush();
            drawn = true;
        } else {
            err.println(label + ": " + rate);
        }
    }

    @Override
    public void close() {
        if (drawn) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
    }
}
