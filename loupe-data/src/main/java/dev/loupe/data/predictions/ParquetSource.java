package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.parquet.ParquetFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBReadableVector;

/**
 * The rows of a Parquet prediction file, read through DuckDB ({@link ParquetFile}) into {@link PredictionBatch}es.
 *
 * <p>Two passes. First the distinct values of the label (and pred) column, with the row where each first
 * appears, are matched to the classes in file order by the same {@link RowBuilder#resolve} the text formats use
 * (so {@code 1.0} matches class {@code 1} and a score file's negative class is the first other label). Then one
 * query returns, per row, each label's position in that list of values (an integer) and every probability, score
 * and weight cast to DOUBLE; its chunks are read in place and checked by the same {@link RowBuilder}. No string
 * and no object per row.
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
    private int[] labelOf;
    private int[] predOf;

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
                    // id and metadata columns are not read here
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
            if (role[c] == RowBuilder.LABEL || role[c] == RowBuilder.PRED) {
                List<String> values = role[c] == RowBuilder.LABEL ? labelValues : predValues;
                sql.append("list_position(").append(listLiteral(values)).append(", CAST(").append(col.sql())
                        .append(" AS VARCHAR))");
            } else {
                sql.append("CAST(").append(col.sql()).append(" AS DOUBLE)");
            }
        }
        sql.append(" FROM ").append(file.source());
        chunks = file.query(sql.toString(), read);
    }

    private InvalidInputException wrongType(ParquetFile.Column col, String holds, String expected, String flag) {
        return new InvalidInputException("WRONG_COLUMN_TYPE", file.shown() + ", column '" + col.name() + "': it holds "
                + holds + ", so it must hold " + expected + ", but its type is " + col.type() + ". Write the column "
                + "with that type, or pass " + flag + " to use another column.");
    }

    /**
     * Matches every distinct label (and pred) value to a class, in the order the values first appear in the file
     * (row, then column), and fills {@code labelValues} / {@code predValues} (position i+1 in the main query means
     * {@code labelOf[i+1]}).
     */
    private void resolveClasses(int labelCol, int predCol, List<String> labelValues, List<String> predValues) {
        String l = file.columns().get(labelCol).sql();
        String inner = "SELECT CAST(" + l + " AS VARCHAR) AS l" + (predCol >= 0 ? ", CAST("
                + file.columns().get(predCol).sql() + " AS VARCHAR) AS p" : "") + ", file_row_number AS r FROM "
                + file.sourceWithRowNumbers();
        String sql = predCol >= 0
                ? "SELECT grouping(l), l, p, min(r) AS first FROM (" + inner + ") GROUP BY GROUPING SETS ((l), (p)) "
                        + "ORDER BY first, 1"
                : "SELECT 0, l, NULL, min(r) AS first FROM (" + inner + ") GROUP BY l ORDER BY first";
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
        labelOf = positions(labelClasses);
        predOf = positions(predClasses);
    }

    /** position (1-based, as list_position gives it) → class index. */
    private static int[] positions(List<Integer> classes) {
        int[] p = new int[classes.size() + 1];
        for (int i = 0; i < classes.size(); i++) {
            p[i + 1] = classes.get(i);
        }
        return p;
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
                        case RowBuilder.LABEL -> rb.label = labelOf[v.getInt(r)];
                        case RowBuilder.PRED -> rb.pred = predOf[v.getInt(r)];
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
