package dev.loupe.data.vectors;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.data.parquet.ParquetFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One label per row of an embeddings file, joined by row position: a CSV/TSV with a header (the label column named),
 * a Parquet file, or a plain text file with one label per line.
 */
public final class LabelFile {
    private LabelFile() {
    }

    /** The labels, checked to number {@code rows}. */
    public static List<String> read(Path file, String column, int rows) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("FILE_NOT_FOUND", "Labels file " + file + " does not exist: check the path.");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<String> labels = new ArrayList<>();
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            try (ParquetFile pf = ParquetFile.open(file, file.toString())) {
                if (pf.column(column) == null) {
                    throw new InvalidInputException("MISSING_COLUMN", file + " has no column '" + column
                            + "'; name the label column with --label-col.");
                }
                pf.forEachRow("SELECT CAST(" + pf.column(column).sql() + " AS VARCHAR) FROM " + pf.source(), List.of(column),
                        r -> labels.add(r[0]));
            }
        } else if (name.endsWith(".csv") || name.endsWith(".tsv")) {
            char delim = name.endsWith(".tsv") ? '\t' : ',';
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String header = r.readLine();
                String[] cols = header == null ? new String[0] : header.split(String.valueOf(delim), -1);
                int at = -1;
                for (int j = 0; j < cols.length; j++) {
                    if (cols[j].strip().replace("\"", "").equals(column)) {
                        at = j;
                    }
                }
                if (at < 0) {
                    throw new InvalidInputException("MISSING_COLUMN", file + ", line 1: no column '" + column
                            + "' in the header; name the label column with --label-col.");
                }
                String line;
                int lineNo = 1;
                while ((line = r.readLine()) != null) {
                    lineNo++;
                    String[] cells = line.split(String.valueOf(delim), -1);
                    if (cells.length != cols.length) {
                        throw new InvalidInputException("RAGGED_ROWS", file + ", line " + lineNo + " has " + cells.length
                                + " fields where the header has " + cols.length + " (quoted delimiters are not supported"
                                + " in a labels file).");
                    }
                    String v = cells[at].strip();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1).replace("\"\"", "\"");
                    }
                    labels.add(v.isEmpty() ? null : v);
                }
            } catch (IOException e) {
                throw new InvalidInputException("UNREADABLE", "cannot read " + file + ": " + e.getMessage());
            }
        } else {
            try {
                for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    labels.add(l.isBlank() ? null : l.strip());
                }
                while (!labels.isEmpty() && labels.get(labels.size() - 1) == null) {
                    labels.remove(labels.size() - 1);
                }
            } catch (IOException e) {
                throw new InvalidInputException("UNREADABLE", "cannot read " + file + ": " + e.getMessage());
            }
        }
        if (labels.size() != rows) {
            throw new InvalidInputException("SIZE_MISMATCH", file + " has " + labels.size() + " labels but the embeddings"
                    + " have " + rows + " rows; labels are joined by row, so both files need the same rows in the same order.");
        }
        return labels;
    }
}
