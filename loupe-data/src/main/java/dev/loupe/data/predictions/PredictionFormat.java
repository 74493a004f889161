package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import dev.loupe.data.text.TextFormat;
import java.nio.file.Path;

/** The formats a prediction file may have. */
public enum PredictionFormat {
    /** Comma-separated values, RFC 4180 quoting ({@code .csv}). */
    CSV,
    /** Tab-separated values with the same quoting rules as CSV ({@code .tsv}, {@code .tab}). */
    TSV,
    /** JSON Lines: one JSON object per line ({@code .jsonl}, {@code .ndjson}, and {@code .json} holding one object per line). */
    JSONL,
    /** Apache Parquet ({@code .parquet}, {@code .pq}), from any writer; read through DuckDB. */
    PARQUET;

    /**
     * Parses a user-given format name: {@code csv}, {@code tsv} (or {@code tab}), {@code jsonl} (or
     * {@code ndjson}, {@code json}), {@code parquet}; case-insensitive. The names are {@link TextFormat}'s.
     */
    public static PredictionFormat parse(String name) {
        PredictionFormat f = null;
        try {
            f = of(TextFormat.parse(name));
        } catch (InvalidInputException e) {
            // reported below with the formats a prediction file may have
        }
        if (f == null) {
            throw InvalidInputException.parameter("format", "one of csv, tsv, jsonl, parquet", "'" + name + "'");
        }
        return f;
    }

    /**
     * The format implied by a file name's extension (a trailing {@code .gz} is looked through), or
     * {@code null} when the extension is not one Loupe knows for prediction files.
     */
    public static PredictionFormat fromFileName(Path file) {
        return of(TextFormat.fromFileName(file));
    }

    /** The same format of a prediction file (null for null). */
    private static PredictionFormat of(TextFormat f) {
        if (f == null) {
            return null;
        }
        return switch (f) {
            case CSV -> CSV;
            case TSV -> TSV;
            case JSONL -> JSONL;
            case PARQUET -> PARQUET;
        };
    }
}
