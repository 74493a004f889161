package dev.loupe.projection;

/** Progress of a projection: named stages, then optimisation steps with the current loss (NaN when not computed). */
public interface ProjectionListener {
    ProjectionListener NONE = new ProjectionListener() {
    };

    default void stage(String name) {
    }

    default void step(int done, int total, double loss) {
    }
}
