package dev.loupe.explain;

/**
 * A model seen as a function of which units are kept: {@code keep[i]} true leaves unit {@code i} in the text, false
 * removes (masks) it. Explainers only call {@link #probabilities}, so they are tested on set functions written by hand.
 */
public interface CoalitionModel {
    /** Number of units M. */
    int size();

    /** Number of classes K. */
    int numClasses();

    /** Class probabilities ({@code [rows][K]}) of each coalition; evaluated in batches, never one model call per row. */
    double[][] probabilities(boolean[][] keep);

    /** The probability of class {@code target} for each coalition. */
    default double[] values(boolean[][] keep, int target) {
        double[][] p = probabilities(keep);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i][target];
        }
        return out;
    }

    /** All units kept. */
    default boolean[] all() {
        boolean[] k = new boolean[size()];
        java.util.Arrays.fill(k, true);
        return k;
    }
}
