package dev.loupe.data.vectors;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.data.parquet.ParquetFile;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads n × d vectors. {@link Vectors} keeps float32 input as float and float64 input (.npy {@code <f8}) as double,
 * so nothing is rounded on the way in.
 */
public final class VectorFile {
    /** n vectors of d values, row-major, in {@code f} (float32) or {@code x} (float64). */
    public record Vectors(String source, int n, int d, float[] f, double[] x) {
    }

    private VectorFile() {
    }

    /**
     * @param column for Parquet, the list column to read (null: the only list-of-numbers column)
     */
    public static Vectors read(Path file, String column) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("FILE_NOT_FOUND", "Embeddings file " + file + " does not exist: check the path.");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Vectors v;
        if (name.endsWith(".npy")) {
            v = npy(file);
        } else if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            v = parquet(file, column);
        } else if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            v = delimited(file, name.endsWith(".tsv") ? '\t' : ',');
        } else {
            throw new InvalidInputException("UNKNOWN_FORMAT", file + ": unknown embeddings format; use .npy (float32 or"
                    + " float64, 2-D), .csv/.tsv (one vector per line) or .parquet (a list-of-numbers column).");
        }
        if (v.n() < 2) {
            throw new InvalidInputException("TOO_FEW_ROWS", file + " has " + v.n() + " row" + (v.n() == 1 ? "" : "s")
                    + ": a projection needs at least 2 vectors (t-SNE and UMAP need more than their neighbour count).");
        }
        if (v.d() < 2) {
            throw new InvalidInputException("TOO_FEW_DIMENSIONS", file + " has vectors of " + v.d()
                    + " value" + (v.d() == 1 ? "" : "s") + ": a projection to 2-D needs at least 2 dimensions.");
        }
        return v;
    }

    // ---------------------------------------------------------------- .npy

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private static Vectors npy(Path file) {
        try (InputStream raw = Files.newInputStream(file); DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 1 << 16))) {
            byte[] magic = new byte[8];
            in.readFully(magic);
            if (magic[0] != (byte) 0x93 || !new String(magic, 1, 5, StandardCharsets.ISO_8859_1).equals("NUMPY")) {
                throw new InvalidInputException("BAD_NPY", file + " is not a NumPy .npy file (no \\x93NUMPY magic): save it"
                        + " with numpy.save.");
            }
            int major = magic[6];
            int headerLen;
            if (major == 1) {
                headerLen = Short.toUnsignedInt(Short.reverseBytes(in.readShort()));
            } else {
                headerLen = Integer.reverseBytes(in.readInt());
            }
            byte[] hb = new byte[headerLen];
            in.readFully(hb);
            String header = new String(hb, StandardCharsets.ISO_8859_1);
            Matcher dm = DESCR.matcher(header);
            Matcher fm = FORTRAN.matcher(header);
            Matcher sm = SHAPE.matcher(header);
            if (!dm.find() || !fm.find() || !sm.find()) {
                throw new InvalidInputException("BAD_NPY", file + ": cannot read the .npy header " + header.trim());
            }
            String kind = dm.group(2) + dm.group(3);
            if (!kind.equals("f4") && !kind.equals("f8")) {
                throw new InvalidInputException("BAD_NPY_DTYPE", file + " holds " + dm.group(1) + kind
                        + " values; embeddings must be float32 or float64 (numpy: arr.astype('float32')).");
            }
            String[] dims = sm.group(1).split(",");
            List<Long> shape = new ArrayList<>();
            for (String s : dims) {
                if (!s.isBlank()) {
                    shape.add(Long.parseLong(s.trim()));
                }
            }
            if (shape.size() != 2) {
                throw new InvalidInputException("BAD_NPY_SHAPE", file + " has shape " + shape + "; embeddings must be"
                        + " 2-D (rows × dimensions): reshape with arr.reshape(len(arr), -1).");
            }
            long n = shape.get(0);
            long d = shape.get(1);
            if (n * d > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException("TOO_LARGE", file + " has " + n + " × " + d + " values, more than one array holds.");
            }
            ByteOrder order = dm.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            boolean fortran = fm.group(1).equals("True");
            int size = kind.equals("f4") ? 4 : 8;
            int count = (int) (n * d);
            byte[] body = new byte[count * size];
            try {
                in.readFully(body);
            } catch (java.io.EOFException e) {
                throw new InvalidInputException("TRUNCATED", file + " ends before its " + n + " × " + d
                        + " values: the file is truncated; save it again.");
            }
            ByteBuffer bb = ByteBuffer.wrap(body).order(order);
            int rows = (int) n;
            int cols = (int) d;
            if (size == 4) {
                float[] f = new float[count];
                for (int t = 0; t < count; t++) {
                    int i = fortran ? t % rows : t / cols;
                    int j = fortran ? t / rows : t % cols;
                    float v = bb.getFloat();
                    finite(v, file, "row " + (i + 1) + ", column " + (j + 1));
                    f[i * cols + j] = v;
                }
                return new Vectors(file.toString(), rows, cols, f, null);
            }
            double[] x = new double[count];
            for (int t = 0; t < count; t++) {
                int i = fortran ? t % rows : t / cols;
                int j = fortran ? t / rows : t % cols;
                double v = bb.getDouble();
                finite(v, file, "row " + (i + 1) + ", column " + (j + 1));
                x[i * cols + j] = v;
            }
            return new Vectors(file.toString(), rows, cols, null, x);
        } catch (java.io.EOFException e) {
            throw new InvalidInputException("TRUNCATED", file + " ends inside its header: the file is truncated; save it again.");
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static void finite(double v, Object file, String where) {
        if (!Double.isFinite(v)) {
            throw new InvalidInputException("NOT_FINITE", file + ", " + where + ": " + v
                    + "; embeddings must be finite numbers (drop or impute the row).");
        }
    }

    // ---------------------------------------------------------------- CSV / TSV

    private static Vectors delimited(Path file, char delim) {
        List<float[]> rows = new ArrayList<>();
        int d = -1;
        int firstLine = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            String sep = Pattern.quote(String.valueOf(delim));
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.strip().split(sep, -1);
                if (rows.isEmpty() && d < 0 && !numeric(cells[0].strip())) {
                    d = -2; // a header line: names are not needed
                    continue;
                }
                float[] v = new float[cells.length];
                for (int j = 0; j < cells.length; j++) {
                    String c = cells[j].strip();
                    try {
                        v[j] = Float.parseFloat(c);
                    } catch (NumberFormatException e) {
                        throw new InvalidInputException("NOT_A_NUMBER", file + ", line " + lineNo + ", column " + (j + 1)
                                + ": '" + (c.length() > 40 ? c.substring(0, 40) + "…" : c) + "' is not a number; every"
                                + " cell after the optional header must be one.");
                    }
                    finite(v[j], file, "line " + lineNo + ", column " + (j + 1));
                }
                if (rows.isEmpty()) {
                    firstLine = lineNo;
                } else if (v.length != rows.get(0).length) {
                    throw new InvalidInputException("RAGGED_ROWS", file + ", line " + lineNo + " has " + v.length
                            + " values where line " + firstLine + " has " + rows.get(0).length
                            + ": every vector needs the same dimension.");
                }
                rows.add(v);
            }
        } catch (NoSuchFileException e) {
            throw new NotFoundException("FILE_NOT_FOUND", "Embeddings file " + file + " does not exist: check the path.");
        } catch (IOException e) {
            throw new InvalidInputException("UNREADABLE", "cannot read " + file + ": " + e.getMessage());
        }
        int n = rows.size();
        int dim = n == 0 ? 0 : rows.get(0).length;
        float[] f = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, f, i * dim, dim);
        }
        return new Vectors(file.toString(), n, dim, f, null);
    }

    private static boolean numeric(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- Parquet

    private static Vectors parquet(Path file, String column) {
        try (ParquetFile pf = ParquetFile.open(file, file.toString())) {
            ParquetFile.Column c = null;
            List<String> lists = new ArrayList<>();
            for (ParquetFile.Column col : pf.columns()) {
                if (col.numericList()) {
                    lists.add(col.name());
                }
            }
            if (column != null) {
                c = pf.column(column);
                if (c == null || !c.numericList()) {
                    throw new InvalidInputException("NO_VECTOR_COLUMN", file + " has no list-of-numbers column '" + column
                            + "'; its list columns: " + lists + ".");
                }
            } else if (lists.size() == 1) {
                c = pf.column(lists.get(0));
            } else {
                throw new InvalidInputException("NO_VECTOR_COLUMN", file + (lists.isEmpty()
                        ? " has no list-of-numbers column; store the embeddings as list<float>."
                        : " has several list-of-numbers columns " + lists + "; choose one with --column."));
            }
            float[][] v = pf.vectors(c);
            int n = v.length;
            int d = -1;
            for (int i = 0; i < n; i++) {
                if (v[i] == null) {
                    throw new InvalidInputException("NULL_VECTOR", pf.row(i) + ": column '" + c.name()
                            + "' is null; every row needs a vector (drop the row).");
                }
                if (d < 0) {
                    d = v[i].length;
                } else if (v[i].length != d) {
                    throw new InvalidInputException("RAGGED_ROWS", pf.row(i) + ": column '" + c.name() + "' has "
                            + v[i].length + " values where row 1 has " + d + ": every vector needs the same dimension.");
                }
                for (int j = 0; j < v[i].length; j++) {
                    finite(v[i][j], pf.row(i), "column '" + c.name() + "' element " + (j + 1));
                }
            }
            int dim = Math.max(0, d);
            float[] f = new float[n * dim];
            for (int i = 0; i < n; i++) {
                System.arraycopy(v[i], 0, f, i * dim, dim);
            }
            return new Vectors(file.toString(), n, dim, f, null);
        }
    }
}
