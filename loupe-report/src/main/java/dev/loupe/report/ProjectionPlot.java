package dev.loupe.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.loupe.report.PlotCanvas.Anchor.MIDDLE;
import static dev.loupe.report.PlotCanvas.Anchor.START;

/**
 * {@code loupe plot RUN --chart projection}: the projector panel's report view model (at most 20,000 points, a
 * seeded sample beyond, said under the chart) as points coloured by true class, misclassified points ringed dark,
 * over the decision regions (the probe's exact ones in the PCA plane, else the kNN map).
 */
final class ProjectionPlot {
    private static final int REGION_CELLS = 64;

    private ProjectionPlot() {
    }

    /** [low, high] of the middle 99% of the values, widened by a tenth of its width. */
    static double[] range(double[] v) {
        if (v.length == 0) {
            return new double[] {0, 1};
        }
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        double lo = s[(int) Math.floor(0.005 * (s.length - 1))];
        double hi = s[(int) Math.ceil(0.995 * (s.length - 1))];
        double pad = Math.max(hi - lo, 1e-9) * 0.05;
        return new double[] {lo - pad, hi + pad};
    }

    static void draw(PlotCanvas c, String title, Map<String, Object> vm) {
        SvgPlot.open(c, title);
        List<Object> xs = SvgPlot.list(vm.get("x"));
        List<Object> ys = SvgPlot.list(vm.get("y"));
        List<Object> label = SvgPlot.list(vm.get("label"));
        List<Object> pred = SvgPlot.list(vm.get("pred"));
        List<String> classes = new ArrayList<>();
        SvgPlot.list(vm.get("classes")).forEach(o -> classes.add(String.valueOf(o)));
        int n = xs.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = SvgPlot.d(xs.get(i));
            y[i] = SvgPlot.d(ys.get(i));
        }
        // the view: the middle 99% of the points on each axis, widened by a tenth (a few far outliers would
        // otherwise squeeze everything else into a corner); points outside are left out and counted in the note
        double[] xr = range(x);
        double[] yr = range(y);
        double x0 = xr[0], x1 = xr[1], y0 = yr[0], y1 = yr[1];
        int bottom = SvgPlot.B + SvgPlot.legendHeight(classes.size()) - 10;
        double pw = SvgPlot.W - SvgPlot.L - SvgPlot.R;
        double ph = SvgPlot.H - SvgPlot.T - bottom;
        double sx = (x1 - x0) > 0 ? pw / (x1 - x0) : 1;
        double sy = (y1 - y0) > 0 ? ph / (y1 - y0) : 1;
        double s = 0.96 * Math.min(sx, sy);
        double cx = (x0 + x1) / 2;
        double cy = (y0 + y1) / 2;
        double ox = SvgPlot.L + pw / 2;
        double oy = SvgPlot.T + ph / 2;
        c.rect(SvgPlot.L, SvgPlot.T, pw, ph, "none", SvgPlot.GRID, 1);
        Map<String, Object> regions = vm.get("regions") == null ? null : SvgPlot.map(vm.get("regions"));
        if (regions != null) {
            double cw = pw / REGION_CELLS;
            double chh = ph / REGION_CELLS;
            for (int b = 0; b < REGION_CELLS; b++) {
                for (int a = 0; a < REGION_CELLS; a++) {
                    double px = SvgPlot.L + (a + 0.5) * cw;
                    double py = SvgPlot.T + (b + 0.5) * chh;
                    double dx = cx + (px - ox) / s;
                    double dy = cy - (py - oy) / s;
                    int k = -1;
                    double alpha = 0.18;
                    if ("linear".equals(regions.get("kind"))) {
                        List<Object> cc = SvgPlot.list(regions.get("c"));
                        List<Object> ca = SvgPlot.list(regions.get("a"));
                        List<Object> cb = SvgPlot.list(regions.get("b"));
                        List<Object> to = SvgPlot.list(regions.get("classes"));
                        double best = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < cc.size(); j++) {
                            double z = SvgPlot.d(cc.get(j)) + SvgPlot.d(ca.get(j)) * dx + SvgPlot.d(cb.get(j)) * dy;
                            if (z > best) {
                                best = z;
                                k = ((Number) to.get(j)).intValue();
                            }
                        }
                    } else {
                        int gx = ((Number) regions.get("gx")).intValue();
                        int gy = ((Number) regions.get("gy")).intValue();
                        double rx0 = SvgPlot.d(regions.get("x0"));
                        double rx1 = SvgPlot.d(regions.get("x1"));
                        double ry0 = SvgPlot.d(regions.get("y0"));
                        double ry1 = SvgPlot.d(regions.get("y1"));
                        int ix = (int) Math.floor((dx - rx0) / (rx1 - rx0) * gx);
                        int iy = (int) Math.floor((dy - ry0) / (ry1 - ry0) * gy);
                        if (ix >= 0 && iy >= 0 && ix < gx && iy < gy) {
                            k = ((Number) SvgPlot.list(regions.get("cls")).get(iy * gx + ix)).intValue();
                            alpha = 0.06 + 0.25 * SvgPlot.d(SvgPlot.list(regions.get("strength")).get(iy * gx + ix));
                        }
                    }
                    if (k >= 0) {
                        c.rect(SvgPlot.L + a * cw, SvgPlot.T + b * chh, cw + 0.3, chh + 0.3, SvgPlot.PALETTE[k % SvgPlot.PALETTE.length], null, alpha);
                    }
                }
            }
        }
        double r = n > 5000 ? 1.6 : 2.6;
        int outside = 0;
        boolean[] in = new boolean[n];
        for (int i = 0; i < n; i++) {
            double px = ox + (x[i] - cx) * s;
            double py = oy - (y[i] - cy) * s;
            in[i] = px >= SvgPlot.L && px <= SvgPlot.L + pw && py >= SvgPlot.T && py <= SvgPlot.T + ph;
            outside += in[i] ? 0 : 1;
        }
        for (int i = 0; i < n; i++) {
            if (!in[i]) {
                continue;
            }
            int l = ((Number) label.get(i)).intValue();
            String fill = l < 0 ? "#aaaaaa" : SvgPlot.PALETTE[l % SvgPlot.PALETTE.length];
            c.rect(ox + (x[i] - cx) * s - r / 2, oy - (y[i] - cy) * s - r / 2, r, r, fill, null, 0.85);
        }
        for (int i = 0; i < n; i++) {
            int l = ((Number) label.get(i)).intValue();
            int p = ((Number) pred.get(i)).intValue();
            if (in[i] && l >= 0 && p >= 0 && l != p) {
                c.rect(ox + (x[i] - cx) * s - r, oy - (y[i] - cy) * s - r, 2 * r, 2 * r, "none", "#1d2430", 1);
            }
        }
        String method = String.valueOf(vm.get("method"));
        String name = method.equals("tsne") ? "t-SNE" : method.equals("plane") ? "x, y: the two features"
                : method.toUpperCase(Locale.ROOT);
        String note = name + " · colour: true class · outlined: misclassified"
                + (outside > 0 ? String.format(Locale.ROOT, " · %,d outlying points off the chart", outside) : "");
        c.text(SvgPlot.L, SvgPlot.T + ph + 16, SvgPlot.fit(note, pw), START, 11, false, "#555", false);
        if (vm.get("note") != null) {
            c.text(SvgPlot.L, SvgPlot.T + ph + 30, SvgPlot.fit(String.valueOf(vm.get("note")), pw), START, 11, false, "#555", false);
        }
        if (regions != null) {
            c.text(SvgPlot.L + pw / 2, SvgPlot.T - 6, SvgPlot.fit(String.valueOf(regions.get("note")), pw), MIDDLE, 11, false, "#555", false);
        }
        SvgPlot.legendBelow(c, classes);
    }
}
