package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import java.nio.file.Path;
import java.util.Locale;

/** The text formats a prediction file may have. */
public enum PredictionFormat {
    /** Comma-separated values, RFC 4180 quoting ({@code .csv}). */
    CSV,
    /** Tab-separated values with the same quoting rules as CSV ({@code .tsv}, {@code .tab}). */
    TSV,
    /** JSON Lines: one JSON object per line ({@code .jsonl}, {@code .ndjson}, and {@code .json} holding one object per line). */
    JSONL;

    /**
     * Parses a user-given format name: {@code csv}, {@code tsv} (or {@code tab}), {@code jsonl} (or
     * {@code ndjson}, {@code json}); case-insensitive.
     */
    public static PredictionFormat parse(String name) {
        switch (name == null ? "" : name.trim().toLowerCase(Locale.ROOT)) {
            case "csv":
                return CSV;
            case "tsv":
            case "tab":
                return TSV;
            case "jsonl":
            case "ndjson":
            case "json":
                return JSONL;
            default:
                throw InvalidInputException.parameter("format", "one of csv, tsv, jsonl", "'" + name + "'");
        }
    }

    /**
     * The format implied by a file name's extension (a trailing {@code .gz} is looked through), or
     * {@code null} when the extension is not one Loupe knows.
     */
    public static PredictionFormat fromFileName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".tsv") || name.endsWith(".tab")) {
            return TSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return JSONL;
        }
        return null;
    }
}
