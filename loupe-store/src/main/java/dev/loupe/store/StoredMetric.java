package dev.loupe.store;

/** A scalar metric of a run with its confidence interval; NaN where undefined or when there is no interval. */
public record StoredMetric(String name, double value, double ciLow, double ciHigh) {
}
