package dev.loupe.report;

import java.util.Locale;

/**
 * The few drawing operations {@link SvgPlot}'s layouts need, in the plot's own units (user space, y down, text at
 * its baseline). Two backends: SVG text ({@link SvgCanvas}) and a java.awt image written as PNG ({@link PngCanvas}),
 * so every chart's layout is written once.
 */
interface PlotCanvas {
    /** Where a text's x coordinate sits: its start, middle or end (SVG's {@code text-anchor}). */
    enum Anchor {
        START, MIDDLE, END;

        String svg() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A straight line, 1 unit wide. */
    void line(double x1, double y1, double x2, double y2, String stroke);

    /** An open polyline without fill; {@code dashed} draws 5-on, 4-off. */
    void polyline(double[] xs, double[] ys, String stroke, double width, boolean dashed);

    /** A rectangle; {@code fill} may be {@code "none"}, {@code stroke} {@code null} (no outline); opacity in [0, 1]. */
    void rect(double x, double y, double w, double h, String fill, String stroke, double fillOpacity);

    /**
     * A text at baseline point (x, y); with {@code rotated} it is turned 90° counter-clockwise about that point (the
     * y-axis label). {@code fill} {@code null} is black.
     */
    void text(double x, double y, String s, Anchor anchor, int size, boolean bold, String fill, boolean rotated);

    /** Formats a coordinate with two decimals (the SVG's number format). */
    static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
