package dev.loupe.report;

import static dev.loupe.report.PlotCanvas.f;

/** {@link PlotCanvas} as SVG text; every text is XML-escaped. */
final class SvgCanvas implements PlotCanvas {
    private final StringBuilder sb = new StringBuilder();

    SvgCanvas(int width, int height) {
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
    }

    private static String x(String s) {
        return Page.html(s);
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String stroke) {
        sb.append("<line x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2))
                .append("\" y2=\"").append(f(y2)).append("\" stroke=\"").append(stroke).append("\"/>\n");
    }

    @Override
    public void polyline(double[] xs, double[] ys, String stroke, double width, boolean dashed) {
        sb.append("<polyline points=\"");
        for (int i = 0; i < xs.length; i++) {
            sb.append(i > 0 ? " " : "").append(f(xs[i])).append(',').append(f(ys[i]));
        }
        sb.append("\" fill=\"none\" stroke=\"").append(stroke).append('"');
        if (dashed) {
            sb.append(" stroke-dasharray=\"5,4\"");
        }
        if (width != 1) {
            sb.append(" stroke-width=\"").append(width == Math.rint(width) ? String.valueOf((long) width) : String.valueOf(width)).append('"');
        }
        sb.append("/>\n");
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke, double fillOpacity) {
        sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(w))
                .append("\" height=\"").append(f(h)).append("\" fill=\"").append(fill).append('"');
        if (stroke != null) {
            sb.append(" stroke=\"").append(stroke).append('"');
        }
        if (fillOpacity < 1) {
            sb.append(" fill-opacity=\"").append(fillOpacity).append('"');
        }
        sb.append("/>\n");
    }

    @Override
    public void text(double x, double y, String s, Anchor anchor, int size, boolean bold, String fill, boolean rotated) {
        sb.append("<text ");
        if (rotated) {
            sb.append("transform=\"translate(").append(f(x)).append(',').append(f(y)).append(") rotate(-90)\"");
        } else {
            sb.append("x=\"").append(f(x)).append("\" y=\"").append(f(y)).append('"');
        }
        if (anchor != Anchor.START) {
            sb.append(" text-anchor=\"").append(anchor.svg()).append('"');
        }
        if (size != 12) {
            sb.append(" font-size=\"").append(size).append('"');
        }
        if (bold) {
            sb.append(" font-weight=\"600\"");
        }
        if (fill != null) {
            sb.append(" fill=\"").append(fill).append('"');
        }
        sb.append('>').append(x(s)).append("</text>\n");
    }

    String finish() {
        return sb.append("</svg>\n").toString();
    }
}
