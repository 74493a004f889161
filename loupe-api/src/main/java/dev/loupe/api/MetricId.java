package dev.loupe.api;

import java.util.Objects;

/**
 * A metric's typed identity: its base name, what it is computed over, and an optional slice.
 * {@link #key()} is the flat name used in the metrics JSON (e.g. {@code f1_macro}, {@code roc_auc}).
 *
 * @param name     base name such as {@code f1}, {@code accuracy}, {@code log_loss}
 * @param target   what the metric aggregates over
 * @param slice    {@code null} for the whole data set, else {@code column=value}
 */
public record MetricId(String name, Target target, String slice) {
    /** What a metric is computed over. */
    public enum Target {
        /** The whole data set (accuracy, log loss, ...). */
        ALL(""),
        /** The positive class of a binary problem. */
        POSITIVE(""),
        MACRO("_macro"),
        MICRO("_micro"),
        WEIGHTED("_weighted");

        private final String suffix;

        Target(String suffix) {
            this.suffix = suffix;
        }
    }

    public MetricId {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(target, "target");
    }

    /**
     * Written out rather than left to the record: a record's generated {@code equals}/{@code hashCode} are bound on
     * first use through {@code ObjectMethods}, which spins some twenty method-handle classes, and every command
     * uses metric ids as map keys within its first tenth of a second.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof MetricId m && name.equals(m.name) && target == m.target && Objects.equals(slice, m.slice);
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + target.ordinal()) * 31 + Objects.hashCode(slice);
    }

    public static MetricId of(String name) {
        return new MetricId(name, Target.ALL, null);
    }

    public static MetricId of(String name, Target target) {
        return new MetricId(name, target, null);
    }

    /** The flat JSON name: base name plus the target's suffix. */
    public String key() {
        return name + target.suffix;
    }

    /**
     * Whether a larger value is better: names ending in loss, error or {@code _difference}, brier, ece, mce and the
     * negative likelihood ratio are lower-is-better; D² scores ({@code d2_log_loss}, {@code d2_brier}) are higher-is-better.
     */
    public boolean higherIsBetter() {
        if (name.startsWith("d2_")) {
            return true;
        }
        return !(name.endsWith("loss") || name.endsWith("error") || name.endsWith("_difference") || name.equals("brier")
                || name.equals("ece") || name.equals("mce") || name.equals("negative_likelihood_ratio"));
    }

    @Override
    public String toString() {
        return slice == null ? key() : key() + "[" + slice + "]";
    }
}
