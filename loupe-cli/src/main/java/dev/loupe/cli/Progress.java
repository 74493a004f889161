package dev.loupe.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on stderr. On a terminal: a redrawn bar with percent, rate and ETA while something is counted, then one
 * named stage after another ({@link #stage}), each with its running time, redrawn by a ticker thread so that no
 * stretch of work goes silent for more than a fraction of a second. Not on a terminal: a plain line at most every
 * ten seconds while counting, and nothing for stages. Silent when {@code quiet}.
 */
final class Progress implements AutoCloseable {
    private static final long TICK_NANOS = 250_000_000L;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final boolean tty;
    private final boolean quiet;
    private final long start = System.nanoTime();
    private long lastDraw = start;
    private boolean drawn;
    private String unit = "rows";
    private String detail = "";
    private String stage;
    private long stageStart;
    private Thread ticker;

    Progress(PrintWriter err, String label, long total, boolean quiet) {
        this(err, label, total, quiet, System.console() != null && System.getenv("LOUPE_NO_TTY") == null);
    }

    Progress(PrintWriter err, String label, long total, boolean quiet, boolean tty) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.quiet = quiet;
        this.tty = tty;
    }

    /** Names what is counted ("rows" by default). */
    Progress unit(String name) {
        this.unit = name;
        return this;
    }

    /** Text shown after the rate (such as the current loss); empty for none. */
    synchronized void detail(String text) {
        this.detail = text.isEmpty() ? "" : "  " + text;
    }

    /** Reports {@code done} units (bytes or rows) and {@code rows} processed so far. */
    synchronized void update(long done, long rows) {
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
                if (done > 0 && f < 1) {
                    bar += "  ETA " + clock(secs * (total - done) / done);
                }
            }
            line(label + bar + "  " + rate + detail);
        } else {
            err.println(label + ": " + rate + detail);
        }
    }

    /**
     * Starts a named step of the work that has no count (computing intervals, curves, recording): on a terminal the
     * line shows the name and its running time until the next stage or {@link #close}.
     */
    synchronized void stage(String name) {
        if (quiet || !tty) {
            return;
        }
        stage = name;
        stageStart = System.nanoTime();
        drawStage();
        if (ticker == null) {
            ticker = new Thread(this::tick, "loupe-progress");
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(TICK_NANOS / 1_000_000);
                synchronized (this) {
                    if (stage == null) {
                        return;
                    }
                    drawStage();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drawStage() {
        line(label + ": " + stage + "… " + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - stageStart) / 1e9));
    }

    private void line(String text) {
        err.print("\r" + text + "   ");
        err.flush();
        drawn = true;
    }

    /** m:ss (h:mm:ss from an hour on). */
    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            stage = null;
            t = ticker;
            if (drawn) {
                err.print("\r" + " ".repeat(110) + "\r");
                err.flush();
                drawn = false;
            }
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
