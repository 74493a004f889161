package dev.loupe.api;

/**
 * A scalar metric with its 95% confidence interval. Any component may be {@code NaN} meaning undefined
 * (written {@code null} in JSON, "—" on screen); the interval is NaN when the bootstrap is off.
 */
public record MetricValue(double value, double ciLow, double ciHigh) {
    public static MetricValue of(double value) {
        return new MetricValue(value, Double.NaN, Double.NaN);
    }

    public static final MetricValue UNDEFINED = new MetricValue(Double.NaN, Double.NaN, Double.NaN);

    public boolean isDefined() {
        return !Double.isNaN(value);
    }

    public MetricValue withInterval(double low, double high) {
        return new MetricValue(value, low, high);
    }
}
