package dev.loupe.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The grouped Barnes-Hut sums of {@link QuadTree} against a plain per-point Barnes-Hut (one recursive walk per
 * point over a quadtree of midpoint splits, as scikit-learn's) — the same cells taken, so the same sums up to rounding
 * — and against the exact O(n²) sums (θ = 0 exactly; θ = 0.5 within Barnes-Hut's error); coincident points; thread
 * count independence.
 */
class QuadTreeTest {
    /** A point-region quadtree cell of the reference: centre of mass, side, count, children or points. */
    private static final class Cell {
        double cx;
        double cy;
        double side;
        int count;
        final List<Cell> kids = new ArrayList<>();
        int[] points;
    }

    private static Cell reference(double[] y, int[] idx, double x0, double y0, double side, int depth) {
        Cell c = new Cell();
        c.side = side;
        c.count = idx.length;
        for (int i : idx) {
            c.cx += y[2 * i] / idx.length;
            c.cy += y[2 * i + 1] / idx.length;
        }
        if (idx.length == 1 || depth == QuadTree.LEVELS) {
            c.points = idx;
            return c;
        }
        double h = side / 2;
        for (int a = 0; a < 4; a++) {
            double qx = (a & 1) == 0 ? x0 : x0 + h;
            double qy = (a & 2) == 0 ? y0 : y0 + h;
            int[] in = java.util.Arrays.stream(idx).filter(i -> (y[2 * i] >= x0 + h) == (qx > x0)
                    && (y[2 * i + 1] >= y0 + h) == (qy > y0)).toArray();
            if (in.length > 0) {
                c.kids.add(reference(y, in, qx, qy, h, depth + 1));
            }
        }
        return c;
    }

    /** Per point: walk the tree, take a cell whole when side² &lt; θ²·d², sum leaves point by point. */
    static double perPoint(double[] y, int n, double theta, double[] rep) {
        double[] b = QuadTree.bounds(y, n);
        double side = Math.max(b[2] - b[0], b[3] - b[1]) * (1 + 1e-9) + 1e-12;
        Cell root = reference(y, java.util.stream.IntStream.range(0, n).toArray(), b[0], b[1], side, 0);
        double z = 0;
        for (int i = 0; i < n; i++) {
            double[] f = new double[3];
            walk(root, y, i, theta * theta, f);
            rep[2 * i] = f[0];
            rep[2 * i + 1] = f[1];
            z += f[2];
        }
        return z;
    }

    private static void walk(Cell c, double[] y, int i, double theta2, double[] f) {
        double xi = y[2 * i];
        double yi = y[2 * i + 1];
        if (c.points != null) {
            for (int j : c.points) {
                if (j != i) {
                    add(xi - y[2 * j], yi - y[2 * j + 1], 1, f);
                }
            }
            return;
        }
        double dx = xi - c.cx;
        double dy = yi - c.cy;
        if (c.side * c.side < theta2 * (dx * dx + dy * dy)) {
            add(dx, dy, c.count, f);
        } else {
            for (Cell k : c.kids) {
                walk(k, y, i, theta2, f);
            }
        }
    }

    private static void add(double dx, double dy, double count, double[] f) {
        double w = 1 / (1 + dx * dx + dy * dy);
        f[2] += count * w;
        f[0] += count * w * w * dx;
        f[1] += count * w * w * dy;
    }

    private static double grouped(double[] y, int n, double theta, double[] rep, int threads) {
        try (Parallel par = new Parallel(threads)) {
            return new QuadTree().repulsion(y, n, theta, rep, par);
        }
    }

    @ParameterizedTest
    @CsvSource({"3000, 0.01, 0.5", "3000, 20, 0.5", "3000, 80, 0.5", "3000, 80, 0.8", "2000, 40, 0.3", "7, 1, 0.5"})
    void takesTheCellsThePerPointWalkTakes(int n, double spread, double theta) {
        double[] y = FftRepulsionTest.clustered(n, spread, 11);
        double[] want = new double[2 * n];
        double zWant = perPoint(y, n, theta, want);
        double[] got = new double[2 * n];
        double z = grouped(y, n, theta, got, 2);
        // rounding differs (cancelling terms summed in another order); a cell taken by one and opened by the other
        // would differ by Barnes-Hut's error, some 1e-3
        assertTrue(FftRepulsionTest.relErr(got, want) < 1e-13, "vs per-point: " + FftRepulsionTest.relErr(got, want));
        for (int t = 0; t < 2 * n; t++) {
            assertEquals(want[t], got[t], 1e-9 * Math.abs(want[t]) + 1e-15, "force " + t);
        }
        assertEquals(zWant, z, 1e-12 * zWant, "Z");
    }

    @Test
    void thetaZeroIsExactAndThetaHalfCloseToExact() {
        int n = 2500;
        double[] y = FftRepulsionTest.clustered(n, 30, 12);
        double[] exact = new double[2 * n];
        double zExact = FftRepulsionTest.exact(y, n, exact);
        double[] got = new double[2 * n];
        double z = grouped(y, n, 0, got, 2);
        assertTrue(FftRepulsionTest.relErr(got, exact) < 1e-13, "θ = 0: " + FftRepulsionTest.relErr(got, exact));
        assertEquals(zExact, z, 1e-12 * zExact);
        z = grouped(y, n, 0.5, got, 2);
        assertTrue(FftRepulsionTest.relErr(got, exact) < 0.03, "θ = 0.5: " + FftRepulsionTest.relErr(got, exact));
        assertEquals(zExact, z, 0.015 * zExact);
    }

    @Test
    void coincidentPointsShareALeafAndSkipOnlyThemselves() {
        // 300 points on 60 spots, 5 at each: leaves of several points at the deepest level
        int n = 300;
        Random r = new Random(5);
        double[] spots = new double[120];
        for (int t = 0; t < spots.length; t++) {
            spots[t] = r.nextGaussian() * 10;
        }
        double[] y = new double[2 * n];
        for (int i = 0; i < n; i++) {
            y[2 * i] = spots[2 * (i % 60)];
            y[2 * i + 1] = spots[2 * (i % 60) + 1];
        }
        double[] exact = new double[2 * n];
        double zExact = FftRepulsionTest.exact(y, n, exact);
        double[] got = new double[2 * n];
        double z = grouped(y, n, 0, got, 1);
        assertTrue(FftRepulsionTest.relErr(got, exact) < 1e-13);
        assertEquals(zExact, z, 1e-12 * zExact);
        double[] want = new double[2 * n];
        double zWant = perPoint(y, n, 0.5, want);
        z = grouped(y, n, 0.5, got, 1);
        assertTrue(FftRepulsionTest.relErr(got, want) < 1e-12, "vs per-point: " + FftRepulsionTest.relErr(got, want));
        assertEquals(zWant, z, 1e-12 * zWant);
    }

    @Test
    void sameSumsForAnyThreadCountAndOnReuse() {
        int n = 6000;
        double[] y = FftRepulsionTest.clustered(n, 50, 13);
        double[] a = new double[2 * n];
        double[] b = new double[2 * n];
        double za = grouped(y, n, 0.5, a, 1);
        double zb = grouped(y, n, 0.5, b, 3);
        assertEquals(za, zb, 0);
        assertArrayEquals(a, b, 0);
        // one tree reused over moving points (as the optimiser does) gives what a fresh one gives
        QuadTree tree = new QuadTree();
        try (Parallel par = new Parallel(2)) {
            tree.repulsion(FftRepulsionTest.clustered(n, 5, 14), n, 0.5, b, par);
            zb = tree.repulsion(y, n, 0.5, b, par);
        }
        assertEquals(za, zb, 1e-13 * za);
        assertArrayEquals(a, b, 1e-12);
    }
}
