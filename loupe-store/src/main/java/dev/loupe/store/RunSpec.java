package dev.loupe.store;

import dev.loupe.api.InvalidInputException;

/**
 * What a new run is: its experiment, name and provenance.
 *
 * @param experiment experiment the run belongs to ({@link #DEFAULT_EXPERIMENT} when {@code null})
 * @param name       human-readable run name (need not be unique)
 * @param provenance where its numbers come from
 * @param sourceKey  for imports: a key naming the source (e.g. {@code hf:/abs/path}); a second import with the
 *                   same key reuses the run instead of creating a new one. {@code null} for ordinary runs.
 */
public record RunSpec(String experiment, String name, Provenance provenance, String sourceKey) {
    public static final String DEFAULT_EXPERIMENT = "default";

    public RunSpec {
        experiment = experiment == null || experiment.isBlank() ? DEFAULT_EXPERIMENT : experiment.strip();
        if (name == null || name.isBlank()) {
            throw InvalidInputException.parameter("name", "a non-empty run name", name == null ? "nothing" : "'" + name + "'");
        }
        if (experiment.length() > 200) {
            throw InvalidInputException.parameter("experiment", "at most 200 characters", experiment.length() + " characters");
        }
        if (name.length() > 500) {
            throw InvalidInputException.parameter("name", "at most 500 characters", name.length() + " characters");
        }
        provenance = provenance == null ? Provenance.EMPTY : provenance;
    }

    public static RunSpec of(String name) {
        return new RunSpec(null, name, null, null);
    }
}
