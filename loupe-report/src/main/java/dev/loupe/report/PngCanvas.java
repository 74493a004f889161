package dev.loupe.report;

import dev.loupe.api.InternalException;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@link PlotCanvas} drawn with java.awt (headless, antialiased) into an RGB image {@link #SCALE} times the plot's
 * size, written as PNG. Texts use the logical font "SansSerif", which every JDK maps to an installed font.
 */
final class PngCanvas implements PlotCanvas {
    /** Pixels per plot unit: 2 gives a crisp image on high-density screens and in print. */
    static final int SCALE = 2;

    private final BufferedImage image;
    private final Graphics2D g;

    PngCanvas(int width, int height) {
        System.setProperty("java.awt.headless", "true");
        image = new BufferedImage(width * SCALE, height * SCALE, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.scale(SCALE, SCALE);
        g.setColor(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, width, height));
    }

    /** "#rgb" or "#rrggbb"; anything else (CSS names are not used by the layouts) is black. */
    static Color color(String css, double opacity) {
        int rgb = 0;
        if (css != null && css.startsWith("#")) {
            String h = css.substring(1);
            if (h.length() == 3) {
                h = "" + h.charAt(0) + h.charAt(0) + h.charAt(1) + h.charAt(1) + h.charAt(2) + h.charAt(2);
            }
            rgb = Integer.parseInt(h, 16);
        }
        int a = (int) Math.round(Math.max(0, Math.min(1, opacity)) * 255);
        return new Color((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff, a);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String stroke) {
        g.setColor(color(stroke, 1));
        g.setStroke(new BasicStroke(1f));
        g.draw(new java.awt.geom.Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(double[] xs, double[] ys, String stroke, double width, boolean dashed) {
        if (xs.length == 0) {
            return;
        }
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xs[0], ys[0]);
        for (int i = 1; i < xs.length; i++) {
            p.lineTo(xs[i], ys[i]);
        }
        g.setColor(color(stroke, 1));
        g.setStroke(dashed
                ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {5f, 4f}, 0f)
                : new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f));
        g.draw(p);
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke, double fillOpacity) {
        Rectangle2D.Double r = new Rectangle2D.Double(x, y, w, h);
        if (!"none".equals(fill)) {
            g.setColor(color(fill, fillOpacity));
            g.fill(r);
        }
        if (stroke != null) {
            g.setColor(color(stroke, 1));
            g.setStroke(new BasicStroke(1f));
            g.draw(r);
        }
    }

    @Override
    public void text(double x, double y, String s, Anchor anchor, int size, boolean bold, String fill, boolean rotated) {
        Font font = new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size);
        g.setFont(font);
        g.setColor(color(fill == null ? "#000000" : fill, 1));
        double w = font.getStringBounds(s, g.getFontRenderContext()).getWidth();
        double dx = switch (anchor) {
            case START -> 0;
            case MIDDLE -> -w / 2;
            case END -> -w;
        };
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        if (rotated) {
            g.rotate(-Math.PI / 2);
        }
        g.drawString(s, (float) dx, 0f);
        g.setTransform(saved);
    }

    byte[] finish() {
        return finish("png");
    }

    /** The image encoded as {@code "png"} or {@code "jpg"} (JPEG, ImageIO's default quality; the image is RGB). */
    byte[] finish(String format) {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format.equals("jpg") ? "jpeg" : format, out)) {
                throw new InternalException("No ImageIO writer for " + format, null);
            }
        } catch (IOException e) {
            throw new InternalException("Encoding the " + format.toUpperCase(java.util.Locale.ROOT) + " image failed: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
