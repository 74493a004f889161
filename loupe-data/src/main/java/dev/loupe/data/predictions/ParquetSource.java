package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.parquet.ParquetFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBReadableVector;

/**
 * The rows of a Parquet prediction file, read through DuckDB ({@link ParquetFile}) into {@link PredictionBatch}es.
 *
 * <p>Two passes. First the distinct values of the label (and pred) column, with the row where each first
 * appears, are matched to the classes in file order by the same {@link RowBuilder#resolve} the text formats use
 * (so {@code 1.0} matches class {@code 1} and a score file's negative class is the first other label). Then one
 * query returns, per row, each label as a number ({@link ClassCodes}: an integer column's value, else the label's
 * position in that list of values) and every probability, score and weight cast to DOUBLE; its chunks are read in
 * place and checked by the same {@link RowBuilder}. No string and no object per row.
 */
final class ParquetSource implements AutoCloseable {
    private final ParquetFile file;
    private final List<String> columns;
    private RowBuilder rows;
    private ParquetFile.Chunks chunks;
    private DuckDBDataChunkReader chunk;
    private int chunkRows;
    private int pos;
    // per output column of the main query: role, class index (PROB), file column
    private int[] outRole;
    private int[] outArg;
    private int[] outCol;
    private DuckDBReadableVector[] vectors;
    private ClassCodes labelCodes;
    private ClassCodes predCodes;
    private static final Set<String> INTEGER_TYPES = Set.of("TINYINT", "SMALLINT", "INTEGER",
            "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER");

    /**
     * A label (or pred) column's values → class indices. Integer columns are read as BIGINT and looked up by value
     * ({@code keys}, sorted); other columns as their position in the list of distinct values (list_position).
     */
    private static final class ClassCodes {
        final boolean byValue;
        final long[] keys;
        final int[] classes;

        ClassCodes(boolean byValue, List<String> values, List<Integer> classOfValue) {
            this.byValue = byValue;
            int n = values.size();
            if (byValue) {
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Long.compare(Long.parseLong(values.get(a)), Long.parseLong(values.get(b))));
                keys = new long[n];
                classes = new int[n];
                for (int i = 0; i < n; i++) {
                    keys[i] = Long.parseLong(values.get(order[i]));
                    classes[i] = classOfValue.get(order[i]);
                }
            } else {
                keys = null;
                classes = new int[n + 1]; // list_position is 1-based
                for (int i = 0; i < n; i++) {
                    classes[i + 1] = classOfValue.get(i);
                }
            }
        }

        int of(DuckDBReadableVector v, int row) {
            if (!byValue) {
                return classes[v.getInt(row)];
            }
            long x = v.getLong(row);
            long[] k = keys;
            if (k.length <= 8) {
                for (int i = 0; i < k.length; i++) {
                    if (k[i] == x) {
                        return classes[i];
                    }
                }
            }
            return classes[Arrays.binarySearch(k, x)];
        }

        /** The SQL expression giving this code for {@code column}. */
        String sql(ParquetFile.Column column, List<String> values) {
            return byValue ? "CAST(" + column.sql() + " AS BIGINT)"
                    : "list_position(" + listLiteral(values) + ", CAST(" + column.sql() + " AS VARCHAR))";
        }
    }

    ParquetSource(ParquetFile file) {
        this.file = file;
        List<String> names = new ArrayList<>();
        for (ParquetFile.Column c : file.columns()) {
            names.add(c.name());
        }
        this.columns = names;
    }

    /** The column names, in file order. */
    List<String> header() {
        return columns;
    }

    /** Rows in the file. */
    long rows() {
        return file.rows();
    }

    /** Checks the column types, matches the label values to the classes and starts the main query. */
    void bind(int[] role, int[] arg, RowBuilder rb) {
        this.rows = rb;
        rb.parquet = file;
        List<ParquetFile.Column> cols = file.columns();
        int labelCol = -1;
        int predCol = -1;
        List<Integer> out = new ArrayList<>();
        for (int c = 0; c < cols.size(); c++) {
            ParquetFile.Column col = cols.get(c);
            switch (role[c]) {
                case RowBuilder.LABEL, RowBuilder.PRED -> {
                    if (col.nested()) {
                        throw wrongType(col, role[c] == RowBuilder.LABEL ? "the true class" : "the predicted class",
                                "strings, integers or booleans", role[c] == RowBuilder.LABEL ? "--label-col" : "--pred-col");
                    }
                    if (role[c] == RowBuilder.LABEL) {
                        labelCol = c;
                    } else {
                        predCol = c;
                    }
                    out.add(c);
                }
                case RowBuilder.PROB, RowBuilder.SCORE, RowBuilder.WEIGHT -> {
                    if (!col.numeric()) {
                        throw wrongType(col, role[c] == RowBuilder.WEIGHT ? "sample weights"
                                : role[c] == RowBuilder.SCORE ? "the positive class's probability" : "probabilities",
                                "numbers (float, double, decimal or integer)", role[c] == RowBuilder.WEIGHT
                                ? "--weight-col" : role[c] == RowBuilder.SCORE ? "--score-col" : "--prob-prefix");
                    }
                    out.add(c);
                }
                default -> {
                    // id and metadata columns: a metadata column is read (as text) only when a sink asks for it,
                    // which happens after bind, so they join the query when it starts (start)
                }
            }
        }
        List<String> labelValues = new ArrayList<>();
        List<String> predValues = new ArrayList<>();
        resolveClasses(labelCol, predCol, labelValues, predValues);

        int m = out.size();
        outRole = new int[m];
        outArg = new int[m];
        outCol = new int[m];
        vectors = new DuckDBReadableVector[m];
        StringBuilder sql = new StringBuilder("SELECT ");
        List<String> read = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            int c = out.get(i);
            ParquetFile.Column col = cols.get(c);
            outRole[i] = role[c];
            outArg[i] = arg[c];
            outCol[i] = c;
            read.add(col.name());
            if (i > 0) {
                sql.append(", ");
            }
            if (role[c] == RowBuilder.LABEL) {
                sql.append(labelCodes.sql(col, labelValues));
            } else if (role[c] == RowBuilder.PRED) {
                sql.append(predCodes.sql(col, predValues));
            } else {
                sql.append("CAST(").append(col.sql()).append(" AS DOUBLE)");
            }
        }
        select = sql;
        this.read = read;
    }

    /** Role of a metadata column's output: its values, as text, go to the column's sink. */
    private static final int META = -1;
    private StringBuilder select;
    private List<String> read;

    /** Starts the main query, with each metadata column that has a sink ({@link PredictionReader#onValues}) as text. */
    private void start() {
        RowBuilder rb = rows;
        List<Integer> meta = new ArrayList<>();
        for (int c = 0; rb.sinks != null && c < rb.sinks.length; c++) {
            if (rb.sinks[c] != null) {
                meta.add(c);
            }
        }
        int m = outRole.length;
        outRole = Arrays.copyOf(outRole, m + meta.size());
        outArg = Arrays.copyOf(outArg, m + meta.size());
        outCol = Arrays.copyOf(outCol, m + meta.size());
        vectors = new DuckDBReadableVector[m + meta.size()];
        for (int j = 0; j < meta.size(); j++) {
            ParquetFile.Column col = file.columns().get(meta.get(j));
            outRole[m + j] = META;
            outCol[m + j] = meta.get(j);
            select.append(m + j > 0 ? ", " : "").append("CAST(").append(col.sql()).append(" AS VARCHAR)");
            read.add(col.name());
        }
        select.append(" FROM ").append(file.source());
        chunks = file.query(select.toString(), read);
    }

    private InvalidInputException wrongType(ParquetFile.Column col, String holds, String expected, String flag) {
        return new InvalidInputException("WRONG_COLUMN_TYPE", file.shown() + ", column '" + col.name() + "': it holds "
                + holds + ", so it must hold " + expected + ", but its type is " + col.type() + ". Write the column "
                + "with that type, or pass " + flag + " to use another column.");
    }

    /**
     * Matches every distinct label (and pred) value to a class, in the order the values first appear in the file
     * (row, then column), fills {@code labelValues} / {@code predValues} (their text) and builds the codes that map
     * the main query's values to classes. The values are grouped in their own type (faster than as text).
     */
    private void resolveClasses(int labelCol, int predCol, List<String> labelValues, List<String> predValues) {
        String l = file.columns().get(labelCol).sql();
        String inner = "SELECT " + l + " AS l" + (predCol >= 0 ? ", " + file.columns().get(predCol).sql() + " AS p" : "")
                + ", file_row_number AS r FROM " + file.sourceWithRowNumbers();
        String sql = predCol >= 0
                ? "SELECT grouping(l), CAST(l AS VARCHAR), CAST(p AS VARCHAR), min(r) AS first FROM (" + inner
                        + ") GROUP BY GROUPING SETS ((l), (p)) ORDER BY first, 1"
                : "SELECT 0, CAST(l AS VARCHAR), NULL, min(r) AS first FROM (" + inner + ") GROUP BY l ORDER BY first";
        List<String> read = new ArrayList<>();
        read.add(file.columns().get(labelCol).name());
        if (predCol >= 0) {
            read.add(file.columns().get(predCol).name());
        }
        List<Integer> labelClasses = new ArrayList<>();
        List<Integer> predClasses = new ArrayList<>();
        file.forEachRow(sql, read, row -> {
            boolean isPred = !"0".equals(row[0]);
            String v = isPred ? row[2] : row[1];
            rows.rowLine = Long.parseLong(row[3]);
            byte[] b = v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8);
            int cls = rows.resolve(b, 0, b.length, isPred ? predCol : labelCol, !isPred);
            (isPred ? predValues : labelValues).add(v);
            (isPred ? predClasses : labelClasses).add(cls);
        });
        labelCodes = new ClassCodes(INTEGER_TYPES.contains(file.columns().get(labelCol).type()), labelValues,
                labelClasses);
        predCodes = predCol < 0 ? null : new ClassCodes(INTEGER_TYPES.contains(file.columns().get(predCol).type()),
                predValues, predClasses);
    }

    private static String listLiteral(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(ParquetFile.quoteLiteral(values.get(i)));
        }
        return sb.append("]::VARCHAR[]").toString();
    }

    /** Appends up to {@code max} rows to {@code b}, keys from {@code firstKey}; returns how many. */
    int read(PredictionBatch b, int max, long firstKey) {
        if (chunks == null) {
            start();
        }
        int n = 0;
        RowBuilder rb = rows;
        int m = outRole.length;
        while (n < max) {
            if (pos >= chunkRows) {
                chunk = chunks.next();
                if (chunk == null) {
                    break;
                }
                chunkRows = (int) chunk.rowCount();
                pos = 0;
                for (int i = 0; i < m; i++) {
                    vectors[i] = chunk.vector(i);
                }
                continue;
            }
            int end = Math.min(chunkRows, pos + (max - n));
            for (int r = pos; r < end; r++) {
                long key = firstKey + n;
                rb.rowLine = key;
                for (int i = 0; i < m; i++) {
                    DuckDBReadableVector v = vectors[i];
                    switch (outRole[i]) {
                        case RowBuilder.LABEL -> rb.label = labelCodes.of(v, r);
                        case RowBuilder.PRED -> rb.pred = predCodes.of(v, r);
                        case META -> rb.sinks[outCol[i]].accept(v.isNull(r) ? null : v.getString(r));
                        default -> {
                            double x = v.getDouble(r, Double.NaN);
                            boolean isNull = x != x && v.isNull(r);
                            switch (outRole[i]) {
                                case RowBuilder.PROB -> rb.prob(outArg[i], x, isNull, outCol[i]);
                                case RowBuilder.SCORE -> rb.score(x, isNull, outCol[i]);
                                default -> rb.weight(x, isNull, outCol[i]);
                            }
                        }
                    }
                }
                rb.commit(b, key);
                n++;
            }
            pos = end;
        }
        return n;
    }

    @Override
    public void close() {
        if (chunks != null) {
            chunks.close();
        }
        file.close();
    }
}
