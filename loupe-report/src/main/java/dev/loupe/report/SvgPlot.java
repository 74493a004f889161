package dev.loupe.report;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Server-side SVG of a panel's view model ({@code loupe plot}): the same numbers as the dashboard's charts, for
 * papers. Every text is XML-escaped. Charts: {@link #CHARTS}.
 */
public final class SvgPlot {
    public static final List<String> CHARTS = List.of("roc", "pr", "det", "confusion", "calibration", "scores", "curves");
    static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"};
    static final int W = 640;
    static final int H = 480;
    static final int L = 64;
    static final int R = 24;
    static final int T = 40;
    static final int B = 56;

    private SvgPlot() {
    }

    public static String render(String chart, RunData run, PanelRegistry registry) {
        if (!CHARTS.contains(chart)) {
            throw InvalidInputException.parameter("chart", "one of " + String.join(", ", CHARTS), "'" + chart + "'");
        }
        Panel panel = registry.panel(chart);
        if (!panel.isActive(run)) {
            throw new NotFoundException("PANEL_EMPTY", panel.emptyMessage());
        }
        // the view model as the front end sees it: plain maps and lists
        Object vm = Json.MAPPER.convertValue(Json.parse(Json.write(panel.viewModel(run))), Object.class);
        String title = panel.title() + " — " + (run.info().name() == null ? run.id() : run.info().name());
        return switch (chart) {
            case "roc", "pr" -> curves(title, map(vm));
            case "confusion" -> confusion(title, map(vm));
            case "det" -> det(title, map(vm));
            case "scores" -> scores(title, map(vm));
            case "curves" -> training(title, map(vm));
            default -> calibration(title, map(vm));
        };
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

    static String x(String s) {
        return Page.html(s);
    }

    static StringBuilder open(String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                .append("<text x=\"").append(W / 2).append("\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"600\">")
                .append(x(title)).append("</text>\n");
        return sb;
    }

    /** Unit axes [0, 1] × [0, 1] with grid lines and labels; returns nothing, appends to sb. */
    static void unitAxes(StringBuilder sb, String xLabel, String yLabel, int bottom) {
        double[] pos = {0, 0.2, 0.4, 0.6, 0.8, 1};
        String[] lab = {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"};
        axes(sb, xLabel, yLabel, bottom, pos, lab, pos, lab);
    }

    /** Axes over the unit square with ticks at the given positions (in [0, 1]) and labels. */
    static void axes(StringBuilder sb, String xLabel, String yLabel, int bottom, double[] xPos, String[] xLab, double[] yPos, String[] yLab) {
        int pw = W - L - R;
        int ph = H - T - bottom;
        for (int i = 0; i < Math.max(xPos.length, yPos.length); i++) {
            double vx = i < xPos.length ? xPos[i] : xPos[xPos.length - 1];
            double vy = i < yPos.length ? yPos[i] : yPos[yPos.length - 1];
            double px = L + vx * pw;
            double py = T + (1 - vy) * ph;
            sb.append("<line x1=\"").append(f(px)).append("\" y1=\"").append(T).append("\" x2=\"").append(f(px)).append("\" y2=\"")
                    .append(T + ph).append("\" stroke=\"#e5e9ee\"/>\n");
            sb.append("<line x1=\"").append(L).append("\" y1=\"").append(f(py)).append("\" x2=\"").append(L + pw).append("\" y2=\"")
                    .append(f(py)).append("\" stroke=\"#e5e9ee\"/>\n");
            if (i < xPos.length) {
                sb.append("<text x=\"").append(f(px)).append("\" y=\"").append(T + ph + 16).append("\" text-anchor=\"middle\">")
                        .append(x(xLab[i])).append("</text>\n");
            }
            if (i < yPos.length) {
                sb.append("<text x=\"").append(L - 6).append("\" y=\"").append(f(py + 4)).append("\" text-anchor=\"end\">")
                        .append(x(yLab[i])).append("</text>\n");
            }
        }
        sb.append("<rect x=\"").append(L).append("\" y=\"").append(T).append("\" width=\"").append(pw).append("\" height=\"")
                .append(ph).append("\" fill=\"none\" stroke=\"#1d2430\"/>\n");
        sb.append("<text x=\"").append(L + pw / 2).append("\" y=\"").append(T + ph + 36).append("\" text-anchor=\"middle\">")
                .append(x(xLabel)).append("</text>\n");
        sb.append("<text transform=\"translate(16,").append(T + ph / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
                .append(x(yLabel)).append("</text>\n");
    }

    static String points(List<Object> xs, List<Object> ys, int bottom) {
        int pw = W - L - R;
        int ph = H - T - bottom;
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < Math.min(xs.size(), ys.size()); i++) {
            Double a = d(xs.get(i));
            Double b = d(ys.get(i));
            if (a != null && b != null) {
                p.append(f(L + a * pw)).append(',').append(f(T + (1 - b) * ph)).append(' ');
            }
        }
        return p.toString().strip();
    }

    static String curves(String title, Map<String, Object> vm) {
        StringBuilder sb = open(title);
        unitAxes(sb, (String) vm.get("xLabel"), (String) vm.get("yLabel"), B);
        if (Boolean.TRUE.equals(vm.get("diagonal"))) {
            sb.append("<polyline points=\"").append(points(List.of(0.0, 1.0), List.of(0.0, 1.0), B))
                    .append("\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"5,4\"/>\n");
        }
        List<Object> series = list(vm.get("series"));
        for (int i = 0; i < series.size(); i++) {
            Map<String, Object> s = map(series.get(i));
            String color = PALETTE[i % PALETTE.length];
            sb.append("<polyline points=\"").append(points(list(s.get("x")), list(s.get("y")), B))
                    .append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"/>\n");
            legend(sb, i, color, (String) s.get("name"));
        }
        return sb.append("</svg>\n").toString();
    }

    static void legend(StringBuilder sb, int i, String color, String name) {
        int y = T + 14 + i * 16;
        int xx = W - R - 250;
        sb.append("<rect x=\"").append(xx).append("\" y=\"").append(y - 9).append("\" width=\"12\" height=\"10\" fill=\"").append(color).append("\"/>\n");
        sb.append("<text x=\"").append(xx + 18).append("\" y=\"").append(y).append("\">").append(x(name)).append("</text>\n");
    }

    static String confusion(String title, Map<String, Object> vm) {
        StringBuilder sb = open(title);
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
                String fill = mix(s);
                double cx = left + j * cell;
                double cy = top + i * cell;
                sb.append("<rect x=\"").append(f(cx)).append("\" y=\"").append(f(cy)).append("\" width=\"").append(f(cell))
                        .append("\" height=\"").append(f(cell)).append("\" fill=\"").append(fill).append("\" stroke=\"#fff\"/>\n");
                if (k <= 12) {
                    Double c = d(list(counts.get(i)).get(j));
                    sb.append("<text x=\"").append(f(cx + cell / 2)).append("\" y=\"").append(f(cy + cell / 2 + 4))
                            .append("\" text-anchor=\"middle\" fill=\"").append(s > 0.5 ? "#fff" : "#1d2430").append("\">")
                            .append(c == null ? "—" : (c == Math.rint(c) ? String.valueOf(c.longValue()) : f(c))).append("</text>\n");
                }
            }
            sb.append("<text x=\"").append(left - 6).append("\" y=\"").append(f(top + i * cell + cell / 2 + 4))
                    .append("\" text-anchor=\"end\">").append(x(String.valueOf(labels.get(i)))).append("</text>\n");
            sb.append("<text x=\"").append(f(left + i * cell + cell / 2)).append("\" y=\"").append(f(top + size + 16))
                    .append("\" text-anchor=\"middle\">").append(x(String.valueOf(labels.get(i)))).append("</text>\n");
        }
        sb.append("<text x=\"").append(left + size / 2).append("\" y=\"").append(top + size + 36)
                .append("\" text-anchor=\"middle\">predicted class (colour: share of the true class)</text>\n");
        sb.append("<text transform=\"translate(16,").append(top + size / 2).append(") rotate(-90)\" text-anchor=\"middle\">true class</text>\n");
        return sb.append("</svg>\n").toString();
    }

    /** White to Okabe–Ito blue. */
    static String mix(double s) {
        s = Math.max(0, Math.min(1, s));
        int r = (int) Math.round(255 + s * (0x00 - 255));
        int g = (int) Math.round(255 + s * (0x72 - 255));
        int b = (int) Math.round(255 + s * (0xB2 - 255));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    static String calibration(String title, Map<String, Object> vm) {
        Map<String, Object> u = map(vm.get("uniform"));
        Double ece = d(u.get("ece"));
        Double mce = d(u.get("mce"));
        StringBuilder sb = open(title + " (ECE " + (ece == null ? "—" : String.format(Locale.ROOT, "%.4f", ece))
                + ", MCE " + (mce == null ? "—" : String.format(Locale.ROOT, "%.4f", mce)) + ")");
        int bottom = 150;
        unitAxes(sb, "", "accuracy", bottom);
        sb.append("<polyline points=\"").append(points(List.of(0.0, 1.0), List.of(0.0, 1.0), bottom))
                .append("\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"5,4\"/>\n");
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
        sb.append("<polyline points=\"").append(points(xs, ys, bottom)).append("\" fill=\"none\" stroke=\"").append(PALETTE[0])
                .append("\" stroke-width=\"2\"/>\n");
        legend(sb, 0, PALETTE[0], "model (equal-width bins)");
        // confidence histogram under the diagram
        int pw = W - L - R;
        int hTop = H - bottom + 40;
        int hh = bottom - 80;
        for (Object o : list(u.get("bins"))) {
            Map<String, Object> b = map(o);
            double lo = d(b.get("lower"));
            double hi = d(b.get("upper"));
            Double w = d(b.get("weight"));
            double h = maxW > 0 && w != null ? hh * w / maxW : 0;
            sb.append("<rect x=\"").append(f(L + lo * pw + 1)).append("\" y=\"").append(f(hTop + hh - h)).append("\" width=\"")
                    .append(f(Math.max(0, (hi - lo) * pw - 2))).append("\" height=\"").append(f(h)).append("\" fill=\"")
                    .append(PALETTE[5]).append("\"/>\n");
        }
        sb.append("<line x1=\"").append(L).append("\" y1=\"").append(hTop + hh).append("\" x2=\"").append(L + pw).append("\" y2=\"")
                .append(hTop + hh).append("\" stroke=\"#1d2430\"/>\n");
        sb.append("<text x=\"").append(L + pw / 2).append("\" y=\"").append(hTop + hh + 18)
                .append("\" text-anchor=\"middle\">confidence (histogram: weight per bin)</text>\n");
        return sb.append("</svg>\n").toString();
    }

    static String det(String title, Map<String, Object> vm) {
        StringBuilder sb = open(title);
        double min = d(vm.get("min"));
        double max = d(vm.get("max"));
        List<Object> ticks = list(vm.get("ticks"));
        double[] pos = new double[ticks.size()];
        String[] lab = new String[ticks.size()];
        for (int i = 0; i < ticks.size(); i++) {
            pos[i] = (d(map(ticks.get(i)).get("value")) - min) / (max - min);
            lab[i] = (String) map(ticks.get(i)).get("label");
        }
        axes(sb, "false positive rate (normal deviate scale)", "false negative rate", B, pos, lab, pos, lab);
        sb.append("<polyline points=\"").append(points(scale(list(vm.get("x")), min, max), scale(list(vm.get("y")), min, max), B))
                .append("\" fill=\"none\" stroke=\"").append(PALETTE[0]).append("\" stroke-width=\"2\"/>\n");
        legend(sb, 0, PALETTE[0], String.valueOf(vm.get("positive")));
        return sb.append("</svg>\n").toString();
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

    static String[] labels(double min, double max, int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            double v = min + (max - min) * i / (n - 1);
            out[i] = Math.abs(max - min) >= 50 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
        }
        return out;
    }

    static final double[] FIVE = {0, 0.25, 0.5, 0.75, 1};

    static String scores(String title, Map<String, Object> vm) {
        StringBuilder sb = open(title);
        Map<String, Object> c = map(list(vm.get("charts")).get(0));
        List<Object> series = list(c.get("series"));
        double max = 0;
        for (Object o : series) {
            for (Object v : list(map(o).get("counts"))) {
                Double a = d(v);
                max = Math.max(max, a == null ? 0 : a);
            }
        }
        max = max == 0 ? 1 : max;
        axes(sb, (String) c.get("score"), "weight", B, FIVE, labels(0, 1, 5), FIVE, labels(0, max, 5));
        int pw = W - L - R;
        int ph = H - T - B;
        for (int k = 0; k < series.size(); k++) {
            Map<String, Object> s = map(series.get(k));
            List<Object> counts = list(s.get("counts"));
            String color = PALETTE[k % PALETTE.length];
            double bw = (double) pw / Math.max(1, counts.size());
            for (int j = 0; j < counts.size(); j++) {
                Double a = d(counts.get(j));
                double h = a == null ? 0 : ph * a / max;
                sb.append("<rect x=\"").append(f(L + j * bw + 1)).append("\" y=\"").append(f(T + ph - h)).append("\" width=\"")
                        .append(f(Math.max(0, bw - 2))).append("\" height=\"").append(f(h)).append("\" fill=\"").append(color)
                        .append("\" fill-opacity=\"0.6\"/>\n");
            }
            legend(sb, k, color, (String) s.get("name"));
        }
        return sb.append("</svg>\n").toString();
    }

    static String training(String title, Map<String, Object> vm) {
        StringBuilder sb = open(title);
        List<Object> series = list(vm.get("series"));
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (Object o : series) {
            for (Object v : list(map(o).get("x"))) {
                x0 = Math.min(x0, d(v));
                x1 = Math.max(x1, d(v));
            }
            for (Object v : list(map(o).get("y"))) {
                Double a = d(v);
                if (a != null) {
                    y0 = Math.min(y0, a);
                    y1 = Math.max(y1, a);
                }
            }
        }
        if (!(x1 > x0)) {
            x1 = x0 + 1;
        }
        if (!(y1 > y0)) {
            y1 = y0 + 1;
        }
        axes(sb, "step", "value", B, FIVE, labels(x0, x1, 5), FIVE, labels(y0, y1, 5));
        for (int k = 0; k < series.size(); k++) {
            Map<String, Object> s = map(series.get(k));
            String color = PALETTE[k % PALETTE.length];
            sb.append("<polyline points=\"").append(points(scale(list(s.get("x")), x0, x1), scale(list(s.get("y")), y0, y1), B))
                    .append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\"/>\n");
            legend(sb, k, color, (String) s.get("name"));
        }
        return sb.append("</svg>\n").toString();
    }
}
