package dev.loupe.data.text;

import dev.loupe.api.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A labelled text data set held in memory, column by column: an id, a text and a label string per example,
 * and any number of named metadata columns (string cells, {@code null} where a row has no value) kept for
 * slicing, and named vector columns (one {@code float[]} per row, such as a Parquet {@code list<float>} embedding
 * column; {@code null} where a row has none). Immutable; {@link #select} makes subsets that share nothing mutable
 * with this one.
 *
 * <p>Ids are unique. The text may be empty (cleaning counts and removes such rows, see {@link Cleaning});
 * labels are never null or empty.
 */
public final class TextDataset {
    private final String name;
    private final String[] ids;
    private final String[] texts;
    private final String[] labels;
    private final LinkedHashMap<String, String[]> metadata;
    private final LinkedHashMap<String, float[][]> vectors = new LinkedHashMap<>();

    /**
     * @param name     a short description of where the data came from (a file name, {@code spam-assassin})
     * @param metadata column name → one cell per row (copied); the map's order is the column order
     * @throws InvalidInputException {@code SIZE_MISMATCH} when the columns differ in length, {@code DUPLICATE_ID}
     *                               when an id repeats, {@code MISSING_VALUE} for a null id or label
     */
    public TextDataset(String name, List<String> ids, List<String> texts, List<String> labels,
                       Map<String, List<String>> metadata) {
        this(name, ids.toArray(new String[0]), texts.toArray(new String[0]), labels.toArray(new String[0]),
                copy(metadata), true);
    }

    private TextDataset(String name, String[] ids, String[] texts, String[] labels,
                        LinkedHashMap<String, String[]> metadata, boolean check) {
        this.name = name == null ? "data" : name;
        this.ids = ids;
        this.texts = texts;
        this.labels = labels;
        this.metadata = metadata;
        if (check) {
            validate();
        }
    }

    private static LinkedHashMap<String, String[]> copy(Map<String, List<String>> metadata) {
        LinkedHashMap<String, String[]> m = new LinkedHashMap<>();
        if (metadata != null) {
            metadata.forEach((k, v) -> m.put(k, v.toArray(new String[0])));
        }
        return m;
    }

    private void validate() {
        int n = ids.length;
        if (texts.length != n || labels.length != n) {
            throw new InvalidInputException("SIZE_MISMATCH", name + ": the columns differ in length: " + n
                    + " ids, " + texts.length + " texts, " + labels.length + " labels.");
        }
        for (Map.Entry<String, String[]> e : metadata.entrySet()) {
            if (e.getValue().length != n) {
                throw new InvalidInputException("SIZE_MISMATCH", name + ": metadata column '" + e.getKey()
                        + "' has " + e.getValue().length + " cells but the data set has " + n + " rows.");
            }
        }
        Set<String> seen = new HashSet<>(n * 2);
        for (int i = 0; i < n; i++) {
            if (ids[i] == null) {
                throw new InvalidInputException("MISSING_VALUE", name + ": row " + (i + 1) + " has no id.");
            }
            if (labels[i] == null || labels[i].isEmpty()) {
                throw new InvalidInputException("MISSING_VALUE", name + ": row " + (i + 1) + " (id '" + ids[i]
                        + "') has no label. Every example needs a label.");
            }
            if (texts[i] == null) {
                texts[i] = "";
            }
            if (!seen.add(ids[i])) {
                throw new InvalidInputException("DUPLICATE_ID", name + ": id '" + ids[i] + "' appears more than "
                        + "once (again at row " + (i + 1) + "). Ids must be unique: fix the id column or leave it out "
                        + "to number the rows.");
            }
        }
    }

    /**
     * This data set with vector columns (column name → one vector per row, null where a row has none), such as
     * embeddings read from a Parquet {@code list<float>} column. The vectors are copied.
     *
     * @throws InvalidInputException {@code SIZE_MISMATCH} when a column does not have one entry per row
     */
    public TextDataset withVectors(Map<String, float[][]> columns) {
        if (columns.isEmpty()) {
            return this;
        }
        TextDataset d = new TextDataset(name, ids, texts, labels, metadata, false);
        d.vectors.putAll(vectors);
        columns.forEach((k, v) -> {
            if (v.length != ids.length) {
                throw new InvalidInputException("SIZE_MISMATCH", name + ": vector column '" + k + "' has " + v.length
                        + " rows but the data set has " + ids.length + ".");
            }
            float[][] c = new float[v.length][];
            for (int i = 0; i < v.length; i++) {
                c[i] = v[i] == null ? null : v[i].clone();
            }
            d.vectors.put(k, c);
        });
        return d;
    }

    /** The vector columns (such as embeddings), in file order. */
    public List<String> vectorColumns() {
        return List.copyOf(vectors.keySet());
    }

    /** Row {@code row}'s vector in {@code column} (a copy), or null when the row has none. */
    public float[] vector(String column, int row) {
        float[][] c = vectors.get(column);
        if (c == null) {
            throw new InvalidInputException("MISSING_VECTOR_COLUMN", name + " has no vector column '" + column
                    + "'. Its vector columns: " + (vectors.isEmpty() ? "(none)" : String.join(", ", vectors.keySet())) + ".");
        }
        return c[row] == null ? null : c[row].clone();
    }

    /** Where the data came from, for messages and provenance. */
    public String name() {
        return name;
    }

    public int size() {
        return ids.length;
    }

    public String id(int row) {
        return ids[row];
    }

    public String text(int row) {
        return texts[row];
    }

    public String label(int row) {
        return labels[row];
    }

    /** The cell of a metadata column, {@code null} when the row has none. */
    public String metadata(String column, int row) {
        String[] c = metadata.get(column);
        if (c == null) {
            throw missingColumn(column);
        }
        return c[row];
    }

    public List<String> ids() {
        return Collections.unmodifiableList(Arrays.asList(ids));
    }

    public List<String> texts() {
        return Collections.unmodifiableList(Arrays.asList(texts));
    }

    public List<String> labels() {
        return Collections.unmodifiableList(Arrays.asList(labels));
    }

    /** Metadata column names in order. */
    public List<String> metadataColumns() {
        return List.copyOf(metadata.keySet());
    }

    /** One metadata column. */
    public List<String> metadataColumn(String column) {
        String[] c = metadata.get(column);
        if (c == null) {
            throw missingColumn(column);
        }
        return Collections.unmodifiableList(Arrays.asList(c));
    }

    /** The metadata of one row, in column order (null cells left out). */
    public Map<String, String> metadataOf(int row) {
        LinkedHashMap<String, String> m = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (v[row] != null) {
                m.put(k, v[row]);
            }
        });
        return m;
    }

    /** The distinct labels, sorted (the class order used by splits and reports). */
    public List<String> classes() {
        return List.copyOf(new TreeMap<>(labelCounts()).keySet());
    }

    /** Rows per label, labels sorted. */
    public Map<String, Integer> labelCounts() {
        TreeMap<String, Integer> m = new TreeMap<>();
        for (String l : labels) {
            m.merge(l, 1, Integer::sum);
        }
        return m;
    }

    /** Rows per value of a metadata column (null cells counted under {@code "(none)"}), values sorted. */
    public Map<String, Integer> countsBy(String column) {
        String[] c = metadata.get(column);
        if (c == null) {
            throw missingColumn(column);
        }
        TreeMap<String, Integer> m = new TreeMap<>();
        for (String v : c) {
            m.merge(v == null ? "(none)" : v, 1, Integer::sum);
        }
        return m;
    }

    /** The rows at {@code rows} (0-based, in that order) as a new data set. */
    public TextDataset select(int[] rows) {
        return select(rows, name);
    }

    /** The rows at {@code rows} (0-based, in that order) as a new data set called {@code newName}. */
    public TextDataset select(int[] rows, String newName) {
        String[] i2 = new String[rows.length];
        String[] t2 = new String[rows.length];
        String[] l2 = new String[rows.length];
        LinkedHashMap<String, String[]> m2 = new LinkedHashMap<>();
        metadata.forEach((k, v) -> m2.put(k, new String[rows.length]));
        Set<Integer> seen = new HashSet<>();
        for (int j = 0; j < rows.length; j++) {
            int r = rows[j];
            if (r < 0 || r >= ids.length) {
                throw InvalidInputException.parameter("rows", "indices in [0, " + ids.length + ")", r);
            }
            if (!seen.add(r)) {
                throw InvalidInputException.parameter("rows", "distinct indices", "row " + r + " twice");
            }
            i2[j] = ids[r];
            t2[j] = texts[r];
            l2[j] = labels[r];
            for (Map.Entry<String, String[]> e : metadata.entrySet()) {
                m2.get(e.getKey())[j] = e.getValue()[r];
            }
        }
        TextDataset d = new TextDataset(newName, i2, t2, l2, m2, false);
        vectors.forEach((k, v) -> {
            float[][] c = new float[rows.length][];
            for (int j = 0; j < rows.length; j++) {
                c[j] = v[rows[j]];
            }
            d.vectors.put(k, c);
        });
        return d;
    }

    /**
     * SHA-256 (hex) of the ids, texts, labels, metadata and vectors in row order: the data set's identity for
     * provenance and caches. Two data sets with the same rows in the same order have the same hash.
     */
    public String sha256() {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<String> cols = new ArrayList<>(metadata.keySet());
        for (String c : cols) {
            field(md, c);
        }
        for (String c : vectors.keySet()) {
            field(md, "vector:" + c);
        }
        md.update((byte) 0x1E);
        for (int i = 0; i < ids.length; i++) {
            field(md, ids[i]);
            field(md, texts[i]);
            field(md, labels[i]);
            for (String c : cols) {
                field(md, metadata.get(c)[i]);
            }
            for (float[][] v : vectors.values()) {
                field(md, v[i] == null ? null : Arrays.toString(v[i]));
            }
            md.update((byte) 0x1E);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void field(MessageDigest md, String s) {
        if (s == null) {
            md.update((byte) 0);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        md.update((byte) 1);
        md.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8), (byte) b.length});
        md.update(b);
    }

    private InvalidInputException missingColumn(String column) {
        return new InvalidInputException("MISSING_METADATA_COLUMN", name + " has no metadata column '" + column
                + "'. Its metadata columns: " + (metadata.isEmpty() ? "(none)" : String.join(", ", metadata.keySet())) + ".");
    }

    @Override
    public String toString() {
        return "TextDataset[" + name + ", " + size() + " rows, labels " + labelCounts() + ", metadata "
                + metadata.keySet() + "]";
    }
}
