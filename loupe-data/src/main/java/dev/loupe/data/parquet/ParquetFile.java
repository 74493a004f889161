package dev.loupe.data.parquet;

import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.duckdb.DuckDBChunkedResult;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBDriver;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.DuckDBReadableVector;

/**
 * One Parquet file, read through DuckDB's embedded engine (its JDBC driver; the native library is unpacked and
 * loaded the first time a file is opened, so commands that read no Parquet never pay for it). DuckDB reads
 * every encoding (PLAIN, dictionary, RLE, DELTA_*, BYTE_STREAM_SPLIT), both data page versions and every codec
 * (Snappy, gzip, Brotli, LZ4, LZ4_RAW, ZSTD), and turns logical types (timestamps, dates, decimals) into values.
 *
 * <p>Results are read chunk by chunk straight from DuckDB's vectors ({@link #query}): no object per row.
 * Every failure is an {@link InvalidInputException} naming the file and, when one can be found, the column and
 * the row group ({@code CORRUPT_PARQUET}). Not thread-safe; close it.
 */
public final class ParquetFile implements AutoCloseable {
    private static final Set<String> NUMERIC = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE");

    /** A column: its name and DuckDB's name for its type ({@code DOUBLE}, {@code VARCHAR}, {@code FLOAT[]}, ...). */
    public record Column(String name, String type) {
        /** A number: integers, floating point or decimal. */
        public boolean numeric() {
            return isNumeric(type);
        }

        /** A list, array, struct, map or union. */
        public boolean nested() {
            return type.endsWith("]") || type.startsWith("STRUCT") || type.startsWith("MAP") || type.startsWith("UNION");
        }

        /** A list or fixed-size array of numbers ({@code list<float>}): read as a vector. */
        public boolean numericList() {
            if (!type.endsWith("]")) {
                return false;
            }
            int open = type.lastIndexOf('[');
            return open > 0 && isNumeric(type.substring(0, open));
        }

        /** The SQL name of the column, quoted. */
        public String sql() {
            return quoteIdentifier(name);
        }

        private static boolean isNumeric(String t) {
            return NUMERIC.contains(t) || t.startsWith("DECIMAL");
        }
    }

    private final Path file;
    private final String shown;
    private final Connection connection;
    private final String source;
    private final List<Column> columns;
    private long[] rowGroupStarts;

    private ParquetFile(Path file, String shown, Connection connection) {
        this.file = file;
        this.shown = shown;
        this.connection = connection;
        this.source = "read_parquet(" + quoteLiteral(file.toAbsolutePath().toString()) + ")";
        this.columns = describe();
    }

    /**
     * Opens {@code file} (which must exist) and reads its schema.
     *
     * @param shown how messages name the file
     * @throws InvalidInputException {@code CORRUPT_PARQUET} when it is not a readable Parquet file
     */
    public static ParquetFile open(Path file, String shown) {
        Connection c = connect();
        try {
            return new ParquetFile(file, shown, c);
        } catch (RuntimeException e) {
            try {
                c.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Connection connect() {
        Properties p = new Properties();
        // nothing is fetched or written: no extension downloads, no spilling to disk
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        try {
            Connection c = new DuckDBDriver().connect("jdbc:duckdb:", p);
            try (Statement s = c.createStatement()) {
                s.execute("SET temp_directory = ''");
                s.execute("SET preserve_insertion_order = true");
            }
            return c;
        } catch (SQLException | RuntimeException | LinkageError e) {
            throw new InternalException("DuckDB, which reads Parquet files, could not start: " + e.getMessage()
                    + ". It needs a 64-bit Linux, macOS or Windows (x86-64 or ARM) and a writable temporary directory"
                    + " (java.io.tmpdir).", e);
        }
    }

    private List<Column> describe() {
        List<Column> out = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (r.next()) {
                out.add(new Column(r.getString("column_name"), r.getString("column_type")));
            }
        } catch (SQLException e) {
            throw corrupt(e, null, -1);
        }
        return out;
    }

    /** The file as messages name it. */
    public String shown() {
        return shown;
    }

    /** The columns, in file order (nested columns included). */
    public List<Column> columns() {
        return List.copyOf(columns);
    }

    /** The column called {@code name}, or null. */
    public Column column(String name) {
        for (Column c : columns) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** {@code read_parquet('<file>')}, for the FROM clause of a query. */
    public String source() {
        return source;
    }

    /** {@code read_parquet('<file>', file_row_number = true)}: adds the 0-based row as {@code file_row_number}. */
    public String sourceWithRowNumbers() {
        return source.substring(0, source.length() - 1) + ", file_row_number = true)";
    }

    /** The number of rows (from the footer). */
    public long rows() {
        long[] s = rowGroupStarts();
        return s[s.length - 1];
    }

    /**
     * Runs {@code sql} and returns its result chunk by chunk (each chunk's vectors are read in place).
     * {@code columnsRead} are the columns the query reads, for the message when the file turns out to be damaged.
     */
    public Chunks query(String sql, List<String> columnsRead) {
        try {
            DuckDBPreparedStatement ps = connection.prepareStatement(sql).unwrap(DuckDBPreparedStatement.class);
            return new Chunks(ps, ps.query(), columnsRead);
        } catch (SQLException e) {
            throw damaged(e, columnsRead);
        }
    }

    /** A running query; {@link #next()} moves to the next chunk (about 2,048 rows). */
    public final class Chunks implements AutoCloseable {
        private final DuckDBPreparedStatement statement;
        private final DuckDBChunkedResult result;
        private final List<String> columnsRead;

        private Chunks(DuckDBPreparedStatement statement, DuckDBChunkedResult result, List<String> columnsRead) {
            this.statement = statement;
            this.result = result;
            this.columnsRead = columnsRead;
        }

        /** The next chunk, or null at the end. */
        public DuckDBDataChunkReader next() {
            try {
                return result.nextChunk() ? result.chunk() : null;
            } catch (RuntimeException e) {
                throw damaged(e, columnsRead);
            }
        }

        @Override
        public void close() {
            try {
                result.close();
                statement.close();
            } catch (Exception e) {
                // closing a finished query cannot lose data; nothing to report
            }
        }
    }

    /**
     * Runs a query whose result is small (distinct values, metadata) and hands each row to {@code action}, every
     * cell as text (null for NULL). An exception thrown by {@code action} stops the query and propagates.
     */
    public void forEachRow(String sql, List<String> columnsRead, Consumer<String[]> action) {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                String[] row = new String[n];
                for (int i = 0; i < n; i++) {
                    row[i] = r.getString(i + 1);
                }
                action.accept(row);
            }
        } catch (SQLException e) {
            throw damaged(e, columnsRead);
        }
    }

    /** A list-of-numbers column as one float[] per row (null for a null list; NaN for a null element). */
    public float[][] vectors(Column c) {
        String list = "CAST(" + c.sql() + " AS FLOAT[])";
        int n = (int) rows();
        float[][] out = new float[n][];
        int[] row = {0};
        forEachRow("SELECT len(" + list + ") FROM " + source(), List.of(c.name()), r -> {
            out[row[0]++] = r[0] == null ? null : new float[Integer.parseInt(r[0])];
        });
        try (Chunks chunks = query("SELECT UNNEST(" + list + ") FROM " + source(), List.of(c.name()))) {
            int r = 0;
            int j = 0;
            DuckDBDataChunkReader chunk;
            while ((chunk = chunks.next()) != null) {
                DuckDBReadableVector v = chunk.vector(0);
                long m = chunk.rowCount();
                for (long i = 0; i < m; i++) {
                    while (out[r] == null || j == out[r].length) {
                        r++;
                        j = 0;
                    }
                    out[r][j++] = v.getFloat(i, Float.NaN);
                }
            }
        }
        return out;
    }

    /** "row group G" (0-based, as Parquet tools count them) of the 0-based row {@code row}. */
    public String rowGroupOf(long row) {
        long[] s = rowGroupStarts();
        int i = Arrays.binarySearch(s, row);
        int g = i >= 0 ? i : -i - 2;
        return "row group " + Math.max(0, Math.min(g, s.length - 2));
    }

    /** Where row {@code row} (0-based) is: {@code file, row N (row group G)} with N 1-based. */
    public String row(long row) {
        return shown + ", row " + (row + 1) + " (" + rowGroupOf(row) + ")";
    }

    private long[] rowGroupStarts() {
        if (rowGroupStarts == null) {
            List<String[]> groups = new ArrayList<>();
            forEachRow("SELECT row_group_id, max(row_group_num_rows) FROM parquet_metadata("
                    + quoteLiteral(file.toAbsolutePath().toString()) + ") GROUP BY row_group_id ORDER BY row_group_id",
                    List.of(), groups::add);
            long[] s = new long[groups.size() + 1];
            for (int g = 0; g < groups.size(); g++) {
                s[g + 1] = s[g] + Long.parseLong(groups.get(g)[1]);
            }
            rowGroupStarts = s;
        }
        return rowGroupStarts;
    }

    /**
     * The error for a query over {@code columnsRead} that failed: finds the first of those columns that cannot be
     * read, then the first row group where it cannot (DuckDB skips the other row groups for a filter on
     * {@code file_row_number}).
     */
    private InvalidInputException damaged(Exception e, List<String> columnsRead) {
        if (columnsRead != null) {
            for (String c : columnsRead) {
                String count = "SELECT max(hash(" + quoteIdentifier(c) + ")) FROM " + sourceWithRowNumbers(); // reads every value
                if (runs(count)) {
                    continue;
                }
                long[] s = rowGroupStarts();
                for (int g = 0; g + 1 < s.length; g++) {
                    if (!runs(count + " WHERE file_row_number >= " + s[g] + " AND file_row_number < " + s[g + 1])) {
                        return corrupt(e, c, s[g]);
                    }
                }
                return corrupt(e, c, -1);
            }
        }
        return corrupt(e, null, -1);
    }

    private boolean runs(String sql) {
        try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                r.getLong(1);
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private InvalidInputException corrupt(Exception e, String column, long rowsRead) {
        String where = shown;
        if (column != null) {
            where += ", column '" + column + "'" + (rowsRead >= 0 ? ", " + rowGroupOf(rowsRead) : "");
        }
        return new InvalidInputException("CORRUPT_PARQUET", where + ": not a readable Parquet file (" + reason(e)
                + "). The file may be truncated or damaged: copy or write it again.", e);
    }

    /** DuckDB's message without its error-class prefix and the file's absolute path (the message names the file). */
    private String reason(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        int nl = m.indexOf('\n');
        if (nl > 0) {
            m = m.substring(0, nl).strip();
        }
        for (String prefix : new String[] {"Invalid Input Error: ", "IO Error: ", "Invalid Error: ",
            "Conversion Error: ", "Internal Error: ", "Serialization Error: "}) {
            int i = m.indexOf(prefix);
            if (i >= 0) {
                m = m.substring(i + prefix.length());
            }
        }
        m = m.replace(" \"" + file.toAbsolutePath() + "\"", "").replace(" '" + file.toAbsolutePath() + "'", "")
                .replace(file.toAbsolutePath().toString(), "the file");
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    /** {@code "name"} with inner quotes doubled. */
    public static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** {@code 'text'} with inner quotes doubled (DuckDB's standard strings have no other escapes). */
    public static String quoteLiteral(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // an in-memory database: nothing to flush
        }
    }
}
