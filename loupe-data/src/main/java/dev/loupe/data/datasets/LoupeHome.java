package dev.loupe.data.datasets;

import java.nio.file.Path;

/** Where Loupe keeps its files: {@code $LOUPE_HOME}, or {@code ~/.loupe} when that is unset. */
public final class LoupeHome {
    public static final String ENV = "LOUPE_HOME";

    private LoupeHome() {
    }

    /** {@code $LOUPE_HOME} or {@code ~/.loupe}. */
    public static Path dir() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".loupe");
    }

    /** The download cache: {@code <home>/cache}. */
    public static Path cacheDir() {
        return dir().resolve("cache");
    }
}
