package dev.loupe.report.panels;

import java.util.List;

/** Test access to {@link CurvePanel}'s package-private interpolation. */
public final class CurvePanelAccess {
    private CurvePanelAccess() {
    }

    public static double interp(double at, double[] x, double[] y) {
        return CurvePanel.interp(at, x, y);
    }

    public static double[][] macro(List<double[][]> rocs, int points) {
        return CurvePanel.macroRoc(rocs, points);
    }
}
