package dev.loupe.store;

/** A series' name and size: number of points and the step range. */
public record SeriesSummary(String name, long points, long firstStep, long lastStep) {
}
