package dev.loupe.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's per-example predictions in the store: writing them, counting them, reading them whole, and the pages the
 * dashboard shows — filtered, sorted and cut to one page by the database, so that the first samples request of a
 * large run reads one page of rows instead of all of them. Reached through {@link RunStore#predictionTable()}; it
 * shares the store's connection and lock.
 */
public final class PredictionTable {
    private static final int BATCH = 2_000;
    private final RunStore store;
    private final boolean sqlite;

    PredictionTable(RunStore store) {
        this.store = store;
        this.sqlite = store.location().kind() == StoreLocation.Kind.SQLITE;
    }

    /**
     * Which rows of a run a page shows, and in what order. Null fields do not filter.
     *
     * @param classes      the run's classes in probability order (for the confidence of each row: the probability of
     *                     its predicted class, else its largest probability)
     * @param label        true class
     * @param pred         predicted class
     * @param correct      whether label equals pred
     * @param minConf      smallest confidence (rows without one are left out when either bound is given)
     * @param maxConf      largest confidence
     * @param metaKey      a metadata column, whose text must equal {@code metaValue}
     * @param metaValue    see {@code metaKey}
     * @param text         a substring of the text (within its first {@code maxTextChars} characters) or of the id;
     *                     case-insensitive (ASCII letters only on SQLite)
     * @param sort         {@code loss}, {@code confidence} or {@code row}, descending with a leading '-'; missing
     *                     values sort first (as lowest); ties by row
     * @param page         0-based page
     * @param size         rows per page
     * @param maxTextChars characters of each text returned (the database cuts them)
     */
    public record Query(List<String> classes, String label, String pred, Boolean correct, Double minConf, Double maxConf,
                        String metaKey, String metaValue, String text, String sort, int page, int size,
                        int maxTextChars) {
    }

    /** One page: the run's row count, how many rows match, and the page's rows. */
    public record Page(long total, long matched, List<PredictionRow> rows) {
    }

    /** Stores per-example predictions in one transaction; a row index already stored is replaced. */
    public void put(String runId, List<PredictionRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        store.tx(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement(RunStore.upsert("predictions",
                    "run_id, row_index, example_id, label, probabilities, pred, loss, metadata, text, confidence",
                    "run_id, row_index", "example_id, label, probabilities, pred, loss, metadata, text, confidence"))) {
                int n = 0;
                for (PredictionRow r : rows) {
                    ps.setString(1, runId);
                    ps.setLong(2, r.rowIndex());
                    ps.setString(3, r.exampleId());
                    ps.setString(4, r.label());
                    ps.setString(5, r.probabilities());
                    ps.setString(6, r.pred());
                    RunStore.setDouble(ps, 7, r.loss());
                    ps.setString(8, r.metadataJson());
                    ps.setString(9, r.text());
                    RunStore.setDouble(ps, 10, r.confidence());
                    ps.addBatch();
                    if (++n % BATCH == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    /** Number of per-example predictions a run holds (without reading them). */
    public long count(String runId) {
        return store.locked(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT COUNT(*) FROM predictions WHERE run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * A run's predictions in row order, each text cut to its first {@code maxTextChars} characters by the database
     * (a table of 100,000 long emails need not cross the connection whole).
     */
    public List<PredictionRow> all(String runId, int maxTextChars) {
        if (maxTextChars < 0) {
            throw new IllegalArgumentException("maxTextChars < 0: " + maxTextChars);
        }
        return store.locked(() -> {
            List<PredictionRow> out = new ArrayList<>();
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT " + columns(maxTextChars)
                    + " FROM predictions WHERE run_id = ? ORDER BY row_index")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs, maxTextChars));
                    }
                }
            }
            return out;
        });
    }

    /** Rows per (true class, predicted class) of a run, without reading the rows (nulls as null). */
    public Map<List<String>, Long> outcomeCounts(String runId) {
        return store.locked(() -> {
            Map<List<String>, Long> out = new LinkedHashMap<>();
            try (PreparedStatement ps = store.connection().prepareStatement(
                    "SELECT label, pred, COUNT(*) FROM predictions WHERE run_id = ? GROUP BY label, pred ORDER BY label, pred")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(java.util.Arrays.asList(rs.getString(1), rs.getString(2)), rs.getLong(3));
                    }
                }
            }
            return out;
        });
    }

    /** One page of a run's predictions as {@code q} filters and sorts them (see {@link Query}). */
    public Page page(String runId, Query q) {
        if (q.page() < 0 || q.size() < 1 || q.maxTextChars() < 0) {
            throw new IllegalArgumentException("page " + q.page() + ", size " + q.size() + ", maxTextChars " + q.maxTextChars());
        }
        // the stored column (indexed) when every row of the run has one; else derived from the probabilities
        boolean byConfidence = q.minConf() != null || q.maxConf() != null || (q.sort() != null && q.sort().endsWith("confidence"));
        String conf = byConfidence && derivesConfidence(runId) ? "COALESCE(confidence, " + confidence(q.classes()) + ")" : "confidence";
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE run_id = ?");
        args.add(runId);
        if (q.label() != null) {
            where.append(" AND label = ?");
            args.add(q.label());
        }
        if (q.pred() != null) {
            where.append(" AND pred = ?");
            args.add(q.pred());
        }
        if (q.correct() != null) {
            where.append(q.correct() ? " AND label = pred" : " AND label <> pred");
        }
        if (q.minConf() != null || q.maxConf() != null) {
            where.append(" AND ").append(conf).append(" IS NOT NULL");
            if (q.minConf() != null) {
                where.append(" AND ").append(conf).append(" >= ?");
                args.add(q.minConf());
            }
            if (q.maxConf() != null) {
                where.append(" AND ").append(conf).append(" <= ?");
                args.add(q.maxConf());
            }
        }
        if (q.metaKey() != null) {
            where.append(sqlite ? " AND CAST(json_extract(metadata, ?) AS TEXT) = ?" : " AND (metadata::json ->> ?) = ?");
            args.add(sqlite ? "$.\"" + q.metaKey() + "\"" : q.metaKey());
            args.add(q.metaValue());
        }
        if (q.text() != null && !q.text().isEmpty()) {
            String like = "%" + q.text().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%";
            where.append(" AND (lower(substr(text, 1, ").append(q.maxTextChars())
                    .append(")) LIKE ? ESCAPE '\\' OR lower(example_id) LIKE ? ESCAPE '\\')");
            args.add(like);
            args.add(like);
        }
        String sort = q.sort() == null ? "-loss" : q.sort();
        boolean desc = sort.startsWith("-");
        String key = switch (desc ? sort.substring(1) : sort) {
            case "loss" -> "loss";
            case "confidence" -> conf;
            case "row" -> "row_index";
            default -> throw new IllegalArgumentException("sort " + sort);
        };
        // missing values count as lowest (first ascending, last descending: SQLite's own order for NULL, which lets it
        // walk the (run_id, loss) index), ties in row order
        String nulls = sqlite ? "" : desc ? " NULLS LAST" : " NULLS FIRST";
        String order = " ORDER BY " + (key.equals("row_index") ? "row_index" + (desc ? " DESC" : "")
                : key + (desc ? " DESC" : "") + nulls + ", row_index");
        boolean filtered = where.length() > " WHERE run_id = ?".length();
        String from = " FROM predictions" + where;
        return store.locked(() -> {
            long total = count(runId);
            long matched = total;
            if (filtered) {
                try (PreparedStatement ps = store.connection().prepareStatement("SELECT COUNT(*)" + from)) {
                    bind(ps, args);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        matched = rs.getLong(1);
                    }
                }
            }
            List<PredictionRow> rows = new ArrayList<>();
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT " + columns(q.maxTextChars())
                    + from + order + " LIMIT ? OFFSET ?")) {
                bind(ps, args);
                ps.setInt(args.size() + 1, q.size());
                ps.setLong(args.size() + 2, (long) q.page() * q.size());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(row(rs, q.maxTextChars()));
                    }
                }
            }
            return new Page(total, matched, rows);
        });
    }

    /** Whether some row of the run has probabilities but no stored confidence (written without one). */
    private boolean derivesConfidence(String runId) {
        return store.locked(() -> {
            try (PreparedStatement ps = store.connection().prepareStatement("SELECT 1 FROM predictions WHERE run_id = ?"
                    + " AND confidence IS NULL AND probabilities IS NOT NULL LIMIT 1")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            Object a = args.get(i);
            if (a instanceof Double d) {
                ps.setDouble(i + 1, d);
            } else {
                ps.setString(i + 1, (String) a);
            }
        }
    }

    /**
     * The confidence of a row in SQL: the probability of its predicted class (by the class's position in the stored
     * array, or its name in a stored object), else the largest probability. Class names are bound as literals
     * with quotes doubled.
     */
    private String confidence(List<String> classes) {
        StringBuilder sb = new StringBuilder("COALESCE(CASE pred");
        for (int i = 0; i < classes.size(); i++) {
            String name = "'" + classes.get(i).replace("'", "''") + "'";
            sb.append(" WHEN ").append(name).append(" THEN ").append(element(i, classes.get(i)));
        }
        if (classes.isEmpty()) {
            sb.append(" WHEN NULL THEN NULL");
        }
        sb.append(" END, ").append(sqlite
                ? "(SELECT max(value) FROM json_each(probabilities) WHERE type IN ('real', 'integer'))"
                : "(SELECT max(CASE WHEN json_typeof(v) = 'number' THEN (v #>> '{}')::float8 END) FROM "
                        + "json_array_elements(CASE WHEN json_typeof(probabilities::json) = 'array' THEN probabilities::json"
                        + " ELSE '[]'::json END) v)").append(")");
        return sb.toString();
    }

    private String element(int i, String name) {
        String key = name.replace("'", "''");
        if (sqlite) {
            return "(CASE json_type(probabilities) WHEN 'array' THEN json_extract(probabilities, '$[" + i + "]')"
                    + " ELSE json_extract(probabilities, '$.\"" + key.replace("\"", "") + "\"') END)";
        }
        return "(CASE json_typeof(probabilities::json) WHEN 'array' THEN (probabilities::json ->> " + i + ")"
                + " ELSE (probabilities::json ->> '" + key + "') END)::float8";
    }

    /**
     * The columns of a row, the text cut to {@code maxTextChars} characters. SQLite's text functions stop at a NUL
     * character, so there the UTF-8 bytes are cut (4 a character at most) and {@link #row} cuts the characters: a text
     * holding NUL comes back whole.
     */
    private String columns(int maxTextChars) {
        String text = maxTextChars == Integer.MAX_VALUE ? "text" : sqlite
                ? "substr(CAST(text AS BLOB), 1, " + 4L * maxTextChars + ")" : "substr(text, 1, " + maxTextChars + ")";
        return "row_index, example_id, label, probabilities, pred, loss, metadata, " + text + ", confidence";
    }

    private PredictionRow row(ResultSet rs, int maxTextChars) throws SQLException {
        String text = sqlite && maxTextChars != Integer.MAX_VALUE ? firstChars(rs.getBytes(8), maxTextChars) : rs.getString(8);
        return new PredictionRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                RunStore.getDouble(rs, 6), rs.getString(7), text, RunStore.getDouble(rs, 9));
    }

    /** The first {@code n} characters (code points) of UTF-8 {@code bytes} cut after {@code 4n} bytes. */
    static String firstChars(byte[] bytes, int n) {
        if (bytes == null) {
            return null;
        }
        String s = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (s.codePointCount(0, s.length()) > n) {
            return s.substring(0, s.offsetByCodePoints(0, n));
        }
        // a replacement character at the very end of a cut is a character cut in half: drop it
        return bytes.length >= 4L * n && s.endsWith("\uFFFD") ? s.substring(0, s.length() - 1) : s;
    }
}
