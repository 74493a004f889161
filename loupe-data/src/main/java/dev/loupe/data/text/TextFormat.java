package dev.loupe.data.text;

import dev.loupe.api.InvalidInputException;
import java.nio.file.Path;
import java.util.Locale;

/** The file formats a text data set may have. */
public enum TextFormat {
    /** Comma-separated values, RFC 4180 quoting ({@code .csv}). */
    CSV,
    /** Tab-separated values with the same quoting rules ({@code .tsv}, {@code .tab}). */
    TSV,
    /** JSON Lines: one JSON object per line ({@code .jsonl}, {@code .ndjson}, {@code .json}). */
    JSONL,
    /** Apache Parquet ({@code .parquet}, {@code .pq}) from any writer, read through DuckDB. */
    PARQUET;

    /** Parses {@code csv}, {@code tsv}/{@code tab}, {@code jsonl}/{@code ndjson}/{@code json}, {@code parquet}. */
    public static TextFormat parse(String name) {
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
            case "parquet":
                return PARQUET;
            default:
                throw InvalidInputException.parameter("format", "one of csv, tsv, jsonl, parquet", "'" + name + "'");
        }
    }

    /** The format implied by the file name (a trailing {@code .gz} is looked through), or null. */
    public static TextFormat fromFileName(Path file) {
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
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return PARQUET;
        }
        return null;
    }

    /**
     * For an Arrow IPC / Feather file ({@code .feather}, {@code .arrow}, {@code .ipc}), which Loupe does not read, a
     * sentence saying how to write it as Parquet; else the empty string. (DuckDB reads Arrow IPC only through an
     * extension it downloads at run time, and Loupe fetches nothing.)
     */
    public static String arrowHint(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".feather") || name.endsWith(".arrow") || name.endsWith(".ipc")) {
            return " Arrow IPC / Feather files are not read: write the table as Parquet, e.g. with pyarrow: "
                    + "pyarrow.parquet.write_table(pyarrow.feather.read_table('" + file.getFileName() + "'), 'out.parquet').";
        }
        return "";
    }
}
