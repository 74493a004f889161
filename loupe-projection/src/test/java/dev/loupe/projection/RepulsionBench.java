package dev.loupe.projection;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * CPU seconds of one t-SNE repulsion evaluation, Barnes-Hut (θ = 0.5) against FFT interpolation, for n points in 7
 * clusters spread over a given span (docs/BENCHMARKS.md, "Embedding projections": where AUTO switches). Not a test:
 * {@code java -cp loupe-projection/target/classes:loupe-projection/target/test-classes:JTRANSFORMS_JARS
 * dev.loupe.projection.RepulsionBench 10000,25000,50000,100000,200000 60,100} (sizes, cluster spreads).
 */
public final class RepulsionBench {
    private RepulsionBench() {
    }

    static double cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    public static void main(String[] args) {
        String[] sizes = args.length > 0 ? args[0].split(",") : new String[] {"10000", "50000", "200000"};
        String[] spreads = args.length > 1 ? args[1].split(",") : new String[] {"60", "100"};
        for (String ns : sizes) {
            int n = Integer.parseInt(ns);
            for (String ss : spreads) {
                double[] y = FftRepulsionTest.clustered(n, Double.parseDouble(ss), 5);
                double[] rep = new double[2 * n];
                try (Parallel par = new Parallel(2)) {
                    FftRepulsion f = new FftRepulsion();
                    for (int warm = 0; warm < 3; warm++) {
                        f.repulsion(y, n, rep, par);
                        Tsne.barnesHut(y, n, 0.5, rep, par);
                    }
                    double c0 = cpu();
                    for (int r = 0; r < 3; r++) {
                        f.repulsion(y, n, rep, par);
                    }
                    double c1 = cpu();
                    for (int r = 0; r < 3; r++) {
                        Tsne.barnesHut(y, n, 0.5, rep, par);
                    }
                    double c2 = cpu();
                    double[] b = QuadTree.bounds(y, n);
                    System.out.printf(Locale.ROOT, "n=%d span %.0f: FFT %.3f s CPU per evaluation, Barnes-Hut %.3f s%n", n,
                            Math.max(b[2] - b[0], b[3] - b[1]), (c1 - c0) / 3, (c2 - c1) / 3);
                }
            }
        }
    }
}
