package dev.loupe.report;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;

import static dev.loupe.report.PlotCanvas.Anchor.END;
import static dev.loupe.report.PlotCanvas.Anchor.MIDDLE;
import static dev.loupe.report.PlotCanvas.Anchor.START;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Server-side charts of a panel's view model ({@code loupe plot}): the same numbers as the dashboard's charts, for
 * papers, as SVG ({@link #render}; every text XML-escaped) or PNG ({@link #png}). Each chart's layout is written once,
 * against {@link PlotCanvas}; the two formats are its two backends. Charts: {@link #CHARTS}.
 */
public final class SvgPlot {
    public static final List<String> CHARTS = List.of("roc", "pr", "det", "confusion", "calibration", "scores", "curves", "projection");
    /** Output formats: {@code svg}, and {@code png} and {@code jpg} (twice the SVG's size in pixels). */
    public static final List<String> FORMATS = List.of("svg", "png", "jpg");
    static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
    static final int W = 640;
    static final int H = 480;
    static final int L = 64;
    static final int R = 24;
    static final int T = 40;
    static final int B = 56;
    static final String GRID = "#e5e9ee";
    static final String INK = "#1d2430";
    static final String CHANCE = "#999";

    private SvgPlot() {
    }

    /** The chart as SVG text. */
    public static String render(String chart, RunData run, PanelRegistry registry) {
        SvgCanvas c = new SvgCanvas(W, H);
        draw(chart, run, registry, c);
        return c.finish();
    }

    /** The chart as a PNG image of {@code 2·640 × 2·480} pixels. */
    public static byte[] png(String chart, RunData run, PanelRegistry registry) {
        return image(chart, run, registry, "png");
    }

    /** The chart as a PNG or JPEG ({@code "png"}, {@code "jpg"}) image of {@code 2·640 × 2·480} pixels. */
    static byte[] image(String chart, RunData run, PanelRegistry registry, String format) {
        // check the chart and load the view model before any AWT start-up cost
        Map<String, Object> vm = viewModel(chart, run, registry);
        PngCanvas c = new PngCanvas(W, H);
        draw(chart, title(chart, run, registry), vm, c);
        return c.finish(format);
    }

    /** The chart in the given format ({@link #FORMATS}): SVG as UTF-8 bytes, or PNG. */
    public static byte[] render(String chart, String format, RunData run, PanelRegistry registry) {
        return switch (format) {
            case "svg" -> render(chart, run, registry).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case "png", "jpg" -> image(chart, run, registry, format);
            default -> throw InvalidInputException.parameter("format", "one of " + String.join(", ", FORMATS), "'" + format + "'");
        };
    }

    /**
     * A projection chart of a view model given here (the projector's shape: x, y, label, pred, classes, regions) rather
     * than a run's, as SVG, PNG or JPEG bytes; {@code loupe project --boundary} draws a 2-D data set's model with it.
     */
    public static byte[] projection(String title, Object viewModel, String format) {
        Map<String, Object> vm = map(Json.MAPPER.convertValue(Json.parse(Json.write(viewModel)), Object.class));
        return switch (format) {
            case "svg" -> {
                SvgCanvas c = new SvgCanvas(W, H);
                ProjectionPlot.draw(c, title, vm);
                yield c.finish().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            case "png", "jpg" -> {
                PngCanvas c = new PngCanvas(W, H);
                ProjectionPlot.draw(c, title, vm);
                yield c.finish(format);
            }
            default -> throw InvalidInputException.parameter("format", "one of " + String.join(", ", FORMATS), "'" + format + "'");
        };
    }

    static void draw(String chart, RunData run, PanelRegistry registry, PlotCanvas c) {
        Map<String, Object> vm = viewModel(chart, run, registry);
        draw(chart, title(chart, run, registry), vm, c);
    }

    private static Map<String, Object> viewModel(String chart, RunData run, PanelRegistry registry) {
        if (!CHARTS.contains(chart)) {
            throw InvalidInputException.parameter("chart", "one of " + String.join(", ", CHARTS), "'" + chart + "'");
        }
        Panel panel = registry.panel(chart.equals("projection") ? "projector" : chart);
        if (!panel.isActive(run)) {
            throw new NotFoundException("PANEL_EMPTY", panel.emptyMessage());
        }
        // the view model as the front end sees it: plain maps and lists
        return map(Json.MAPPER.convertValue(Json.parse(Json.write(panel.viewModel(run))), Object.class));
    }

    private static String title(String chart, RunData run, PanelRegistry registry) {
        return registry.panel(chart.equals("projection") ? "projector" : chart).title() + " — " + (run.info().name() == null ? run.id() : run.info().name());
    }

    private static void draw(String chart, String title, Map<String, Object> vm, PlotCanvas c) {
        switch (chart) {
            case "roc", "pr" -> curves(c, title, vm);
            case "confusion" -> confusion(c, title, vm);
            case "det" -> det(c, title, vm);
            case "scores" -> scores(c, title, vm);
            case "curves" -> training(c, title, vm);
            case "projection" -> ProjectionPlot.draw(c, title, vm);
            default -> calibration(c, title, vm);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o == null ? List.of() : (List<Object>) o;
    }

    static Double d(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }

    static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static void open(PlotCanvas c, String title) {
        c.text(W / 2.0, 22, title, MIDDLE, 15, true, null, false);
    }

    /** Unit axes [0, 1] × [0, 1] with grid lines and labels. */
    static void unitAxes(PlotCanvas c, String xLabel, String yLabel, int bottom) {
        double[] pos = {0, 0.2, 0.4, 0.6, 0.8, 1};
        String[] lab = {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"};
        axes(c, xLabel, yLabel, bottom, pos, lab, pos, lab);
    }

    /** Axes over the unit square with ticks at the given positions (in [0, 1]) and labels. */
    static void axes(PlotCanvas c, String xLabel, String yLabel, int bottom, double[] xPos, String[] xLab, double[] yPos, String[] yLab) {
        int pw = W - L - R;
        int ph = H - T - bottom;
        for (int i = 0; i < Math.max(xPos.length, yPos.length); i++) {
            double vx = i < xPos.length ? xPos[i] : xPos[xPos.length - 1];
            double vy = i < yPos.length ? yPos[i] : yPos[yPos.length - 1];
            double px = L + vx * pw;
            double py = T + (1 - vy) * ph;
            c.line(px, T, px, T + ph, GRID);
            c.line(L, py, L + pw, py, GRID);
            if (i < xPos.length) {
                c.text(px, T + ph + 16, xLab[i], MIDDLE, 12, false, null, false);
            }
            if (i < yPos.length) {
                c.text(L - 6, py + 4, yLab[i], END, 12, false, null, false);
            }
        }
        c.rect(L, T, pw, ph, "none", INK, 1);
        c.text(L + pw / 2.0, T + ph + 36, xLabel, MIDDLE, 12, false, null, false);
        c.text(16, T + ph / 2.0, yLabel, MIDDLE, 12, false, null, true);
    }

    /** Unit-square values to plot coordinates; a pair with a missing value is skipped. */
    static void polyline(PlotCanvas c, List<Object> xs, List<Object> ys, int bottom, String stroke, double width, boolean dashed) {
        int pw = W - L - R;
        int ph = H - T - bottom;
        int n = Math.min(xs.size(), ys.size());
        double[] px = new double[n];
        double[] py = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            Double a = d(xs.get(i));
            Double b = d(ys.get(i));
            if (a != null && b != null) {
                px[m] = L + a * pw;
                py[m++] = T + (1 - b) * ph;
            }
        }
        c.polyline(Arrays.copyOf(px, m), Arrays.copyOf(py, m), stroke, width, dashed);
    }

    static void curves(PlotCanvas c, String title, Map<String, Object> vm) {
        open(c, title);
        List<Object> series = list(vm.get("series"));
        List<String> names = new ArrayList<>();
        for (Object o : series) {
            names.add((String) map(o).get("name"));
        }
        int bottom = B + legendHeight(names.size());
        unitAxes(c, (String) vm.get("xLabel"), (String) vm.get("yLabel"), bottom);
        if (Boolean.TRUE.equals(vm.get("diagonal"))) {
            polyline(c, List.of(0.0, 1.0), List.of(0.0, 1.0), bottom, CHANCE, 1, true);
        }
        for (int i = 0; i < series.size(); i++) {
            Map<String, Object> s = map(series.get(i));
            boolean dashed = Boolean.TRUE.equals(s.get("dashed")) || i >= PALETTE.length; // a repeated colour is dashed
            polyline(c, list(s.get("x")), list(s.get("y")), bottom, PALETTE[i % PALETTE.length], 2, dashed);
        }
        legendBelow(c, names);
    }

    /** Legend entries per column: one column, two past 8 entries. */
    static int legendColumns(int n) {
        return n > 8 ? 2 : 1;
    }

    /** The height the legend takes under the x-axis title (0 without entries). */
    static int legendHeight(int n) {
        return n == 0 ? 0 : 6 + (n + legendColumns(n) - 1) / legendColumns(n) * 16;
    }

    /**
     * The legend in a strip at the bottom of the image, under the x-axis title: off the data, whatever the curves do.
     * A colour past the palette's 8 repeats dashed, and so does its key. The layout's bottom margin must include
     * {@link #legendHeight}.
     */
    static void legendBelow(PlotCanvas c, List<String> names) {
        int cols = legendColumns(names.size());
        int rows = (names.size() + cols - 1) / cols;
        double top = H - legendHeight(names.size()) + 4;
        double colWidth = (W - L - R) / (double) cols;
        for (int i = 0; i < names.size(); i++) {
            double x0 = L + (i / rows) * colWidth;
            double y = top + 12 + (i % rows) * 16;
            if (i < PALETTE.length) {
                c.rect(x0, y - 9, 12, 10, PALETTE[i], null, 1);
            } else {
                c.polyline(new double[]{x0 - 2, x0 + 14}, new double[]{y - 4, y - 4}, PALETTE[i % PALETTE.length], 2, true);
            }
            c.text(x0 + 18, y, fit(names.get(i), colWidth - 24), START, 12, false, null, false);
        }
    }

    /** A name cut with an ellipsis to about {@code width} pixels of 12 px text (6.6 px a character). */
    static String fit(String s, double width) {
        if (s == null) {
            return "";
        }
        int max = Math.max(4, (int) (width / 6.6));
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    static void confusion(PlotCanvas c, String title, Map<String, Object> vm) {
        open(c, title);
        List<Object> labels = list(vm.get("labels"));
        List<Object> counts = list(vm.get("counts"));
        List<Object> norm = list(map(vm.get("normalized")).get("true"));
        int k = labels.size();
        int left = 130;
        int top = T + 10;
        int size = Math.min(W - left - R, H - top - 70);
        double cell = (double) size / Math.max(k, 1);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                Double share = d(list(norm.get(i)).get(j));
                double s = share == null ? 0 : share;
                double cx = left + j * cell;
                double cy = top + i * cell;
                c.rect(cx, cy, cell, cell, mix(s), "#fff", 1);
                if (k <= 12) {
                    Double n = d(list(counts.get(i)).get(j));
                    c.text(cx + cell / 2, cy + cell / 2 + 4, n == null ? "—" : (n == Math.rint(n) ? String.valueOf(n.longValue()) : f(n)),
                            MIDDLE, 12, false, s > 0.5 ? "#fff" : INK, false);
                }
            }
            c.text(left - 6, top + i * cell + cell / 2 + 4, String.valueOf(labels.get(i)), END, 12, false, null, false);
            c.text(left + i * cell + cell / 2, top + size + 16, String.valueOf(labels.get(i)), MIDDLE, 12, false, null, false);
        }
        c.text(left + size / 2.0, top + size + 36, "predicted class (colour: share of the true class)", MIDDLE, 12, false, null, false);
        c.text(16, top + size / 2.0, "true class", MIDDLE, 12, false, null, true);
    }

    /** White to Okabe–Ito blue. */
    static String mix(double s) {
        s = Math.max(0, Math.min(1, s));
        int r = (int) Math.round(255 + s * (0x00 - 255));
        int g = (int) Math.round(255 + s * (0x72 - 255));
        int b = (int) Math.round(255 + s * (0xB2 - 255));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    static void calibration(PlotCanvas c, String title, Map<String, Object> vm) {
        Map<String, Object> u = map(vm.get("uniform"));
        Double ece = d(u.get("ece"));
        Double mce = d(u.get("mce"));
        open(c, title + " (ECE " + (ece == null ? "—" : String.format(Locale.ROOT, "%.4f", ece))
                + ", MCE " + (mce == null ? "—" : String.format(Locale.ROOT, "%.4f", mce)) + ")");
        int bottom = 150 + legendHeight(1);
        unitAxes(c, "", "accuracy", bottom);
        polyline(c, List.of(0.0, 1.0), List.of(0.0, 1.0), bottom, CHANCE, 1, true);
        List<Object> xs = new ArrayList<>();
        List<Object> ys = new ArrayList<>();
        double maxW = 0;
        for (Object o : list(u.get("bins"))) {
            Map<String, Object> b = map(o);
            if (d(b.get("confidence")) != null && d(b.get("accuracy")) != null) {
                xs.add(b.get("confidence"));
                ys.add(b.get("accuracy"));
            }
            Double w = d(b.get("weight"));
            maxW = Math.max(maxW, w == null ? 0 : w);
        }
        polyline(c, xs, ys, bottom, PALETTE[0], 2, false);
        legendBelow(c, List.of("model (equal-width bins)"));
        // confidence histogram under the diagram
        int pw = W - L - R;
        int hTop = H - bottom + 40;
        int hh = bottom - 80 - legendHeight(1);
        for (Object o : list(u.get("bins"))) {
            Map<String, Object> b = map(o);
            double lo = d(b.get("lower"));
            double hi = d(b.get("upper"));
            Double w = d(b.get("weight"));
            double h = maxW > 0 && w != null ? hh * w / maxW : 0;
            c.rect(L + lo * pw + 1, hTop + hh - h, Math.max(0, (hi - lo) * pw - 2), h, PALETTE[5], null, 1);
        }
        c.line(L, hTop + hh, L + pw, hTop + hh, INK);
        c.text(L + pw / 2.0, hTop + hh + 18, "confidence (histogram: weight per bin)", MIDDLE, 12, false, null, false);
    }

    static void det(PlotCanvas c, String title, Map<String, Object> vm) {
        open(c, title);
        double min = d(vm.get("min"));
        double max = d(vm.get("max"));
        List<Object> ticks = list(vm.get("ticks"));
        double[] pos = new double[ticks.size()];
        String[] lab = new String[ticks.size()];
        for (int i = 0; i < ticks.size(); i++) {
            pos[i] = (d(map(ticks.get(i)).get("value")) - min) / (max - min);
            lab[i] = (String) map(ticks.get(i)).get("label");
        }
        int bottom = B + legendHeight(1);
        axes(c, "false positive rate (normal deviate scale)", "false negative rate", bottom, pos, lab, pos, lab);
        polyline(c, scale(list(vm.get("x")), min, max), scale(list(vm.get("y")), min, max), bottom, PALETTE[0], 2, false);
        legendBelow(c, List.of("positive class: " + vm.get("positive")));
    }

    /** Values mapped to [0, 1] over [min, max], clipped. */
    static List<Object> scale(List<Object> v, double min, double max) {
        List<Object> out = new ArrayList<>();
        for (Object o : v) {
            Double a = d(o);
            out.add(a == null ? null : Math.max(0, Math.min(1, (a - min) / (max - min))));
        }
        return out;
    }

    /**
     * Ticks at 1-2-5 steps covering [lo, hi] with about {@code target} intervals: {@code ticks[0]} and the last tick
     * are the axis's new ends (the data range widened to round values).
     */
    static double[] niceTicks(double lo, double hi, int target) {
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double raw = (hi - lo) / target;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double norm = raw / mag;
        double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
        long first = (long) Math.floor(lo / step + 1e-9);
        long last = (long) Math.ceil(hi / step - 1e-9);
        double[] out = new double[(int) (last - first + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (first + i) * step;
        }
        return out;
    }

    /** Tick labels with as many decimals as the step needs ("0.2", "5", "1,000"). */
    static String[] tickLabels(double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        String[] out = new String[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            double v = Math.abs(ticks[i]) < step * 1e-9 ? 0 : ticks[i];
            out[i] = String.format(Locale.ROOT, "%,." + decimals + "f", v);
        }
        return out;
    }

    /** Tick positions in [0, 1] along an axis from {@code ticks[0]} to the last tick. */
    static double[] positions(double[] ticks) {
        double[] out = new double[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            out[i] = (ticks[i] - ticks[0]) / (ticks[ticks.length - 1] - ticks[0]);
        }
        return out;
    }

    static void scores(PlotCanvas c, String title, Map<String, Object> vm) {
        open(c, title);
        Map<String, Object> chart = map(list(vm.get("charts")).get(0));
        List<Object> series = list(chart.get("series"));
        double max = 0;
        for (Object o : series) {
            for (Object v : list(map(o).get("counts"))) {
                Double a = d(v);
                max = Math.max(max, a == null ? 0 : a);
            }
        }
        double[] yt = niceTicks(0, max == 0 ? 1 : max, 5);
        max = yt[yt.length - 1];
        double[] xt = niceTicks(0, 1, 5);
        List<String> names = new ArrayList<>();
        for (Object o : series) {
            names.add((String) map(o).get("name"));
        }
        int bottom = B + legendHeight(names.size());
        axes(c, (String) chart.get("score"), "examples", bottom, positions(xt), tickLabels(xt), positions(yt), tickLabels(yt));
        int pw = W - L - R;
        int ph = H - T - bottom;
        for (int k = 0; k < series.size(); k++) {
            Map<String, Object> s = map(series.get(k));
            List<Object> counts = list(s.get("counts"));
            String color = PALETTE[k % PALETTE.length];
            double bw = (double) pw / Math.max(1, counts.size());
            for (int j = 0; j < counts.size(); j++) {
                Double a = d(counts.get(j));
                double h = a == null ? 0 : ph * a / max;
                c.rect(L + j * bw + 1, T + ph - h, Math.max(0, bw - 2), h, color, null, 0.6);
            }
        }
        legendBelow(c, names);
    }

    /**
     * Training curves: one small chart per series (a metric), titled by it, each on its own 1-2-5 axes, so that a
     * loss and an accuracy never share an axis (the dashboard draws them the same way).
     */
    static void training(PlotCanvas c, String title, Map<String, Object> vm) {
        open(c, title);
        List<Object> series = list(vm.get("series"));
        int n = Math.max(1, series.size());
        int cols = n == 1 ? 1 : n <= 4 ? 2 : 3;
        int rows = (n + cols - 1) / cols;
        double cellW = (W - 8 - R) / (double) cols;
        double cellH = (H - T - 4) / (double) rows;
        for (int k = 0; k < series.size(); k++) {
            Map<String, Object> s = map(series.get(k));
            double cx = 8 + (k % cols) * cellW;
            double cy = T + (k / cols) * cellH;
            double px = cx + 48;
            double py = cy + 22;
            double pw = cellW - 48 - 14;
            double ph = cellH - 22 - 40;
            c.text(px + pw / 2, cy + 12, fit((String) s.get("name"), pw), MIDDLE, 12, true, null, false);
            double[] xr = range(list(s.get("x")));
            double[] yr = range(list(s.get("y")));
            double[] xt = niceTicks(xr[0], xr[1], cols == 1 ? 6 : 4);
            double[] yt = niceTicks(yr[0], yr[1], rows == 1 ? 6 : 4);
            String[] xl = tickLabels(xt);
            String[] yl = tickLabels(yt);
            double[] xp = positions(xt);
            double[] yp = positions(yt);
            for (int i = 0; i < xt.length; i++) {
                double x = px + xp[i] * pw;
                c.line(x, py, x, py + ph, GRID);
                c.text(x, py + ph + 14, xl[i], MIDDLE, 11, false, null, false);
            }
            for (int i = 0; i < yt.length; i++) {
                double y = py + (1 - yp[i]) * ph;
                c.line(px, y, px + pw, y, GRID);
                c.text(px - 5, y + 4, yl[i], END, 11, false, null, false);
            }
            c.rect(px, py, pw, ph, "none", INK, 1);
            c.text(px + pw / 2, py + ph + 30, "step", MIDDLE, 11, false, null, false);
            List<Object> xs = list(s.get("x"));
            List<Object> ys = list(s.get("y"));
            double[] ax = new double[Math.min(xs.size(), ys.size())];
            double[] ay = new double[ax.length];
            int m = 0;
            for (int i = 0; i < ax.length; i++) {
                Double a = d(xs.get(i));
                Double b = d(ys.get(i));
                if (a != null && b != null) {
                    ax[m] = px + (a - xt[0]) / (xt[xt.length - 1] - xt[0]) * pw;
                    ay[m++] = py + (1 - (b - yt[0]) / (yt[yt.length - 1] - yt[0])) * ph;
                }
            }
            c.polyline(Arrays.copyOf(ax, m), Arrays.copyOf(ay, m), PALETTE[0], 1.5, false);
        }
    }

    /** The smallest and largest number of a list (nulls skipped); [0, 1] when there is none. */
    static double[] range(List<Object> values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Object v : values) {
            Double a = d(v);
            if (a != null && Double.isFinite(a)) {
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
            }
        }
        return lo > hi ? new double[]{0, 1} : new double[]{lo, hi};
    }
}
