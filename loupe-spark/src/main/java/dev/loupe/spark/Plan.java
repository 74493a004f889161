package dev.loupe.spark;

import dev.loupe.api.InvalidInputException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The driver's reading of a predictions DataFrame, by {@code loupe evaluate}'s rules (see PredictionReader): which
 * columns are the label, the probabilities (per-class {@code prob_<class>}, or a binary score), the prediction and the
 * weight; the classes; and a projection that turns every row into numbers only (class ids computed by Spark SQL, so
 * executors never look a string up), laid out as {@link Layout} says. Problems with the columns themselves (missing,
 * not numeric) are found here, on the driver, before any job runs.
 */
final class Plan {
    static final int LABEL = 0;
    static final int PRED = 1;
    /** Class id of an empty (null) label or prediction. */
    static final int NULL_ID = -2;
    /** Class id of a label or prediction that names no class. */
    static final int UNKNOWN_ID = -1;

    /** Where each value is in a projected row, and what the executors need to check and read it. */
    record Layout(List<String> classes, boolean scoreMode, boolean hasPred, boolean weighted, boolean renormalize,
                  double threshold, String labelCol, String predCol, String weightCol, String probPrefix,
                  List<String> probColumns, int probIndex, int weightIndex, int sliceIndex, int labelTextIndex,
                  int predTextIndex, boolean findNegative) implements Serializable {
    }

    final Layout layout;
    final List<Column> projection;
    final int positive;
    final List<String> sliceColumns;
    final List<List<String>> sliceValues;

    private Plan(Layout layout, List<Column> projection, int positive, List<String> sliceColumns,
                 List<List<String>> sliceValues) {
        this.layout = layout;
        this.projection = projection;
        this.positive = positive;
        this.sliceColumns = sliceColumns;
        this.sliceValues = sliceValues;
    }

    /** Most distinct values of one --slice-by column. */
    static final int MAX_SLICE_VALUES = 10_000;

    static Plan of(Dataset<Row> df, SparkOptions o, String source) {
        StructType schema = df.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        String found = "Its columns are " + names + ".";
        if (!names.contains(o.labelCol)) {
            throw new InvalidInputException("MISSING_COLUMN", source + " has no label column '" + o.labelCol + "'. "
                    + found + " Name the true-class column with --label-col.");
        }
        List<String> probColumns = new ArrayList<>();
        List<String> probClasses = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith(o.probPrefix) && n.length() > o.probPrefix.length() && !n.equals(o.labelCol)
                    && !n.equals(o.predCol) && !n.equals(o.weightCol) && !n.equals(o.scoreCol)) {
                probColumns.add(n);
                probClasses.add(n.substring(o.probPrefix.length()));
            }
        }
        boolean scoreMode;
        if (!probColumns.isEmpty()) {
            if (names.contains(o.scoreCol)) {
                throw new InvalidInputException("AMBIGUOUS_PROBABILITY_COLUMNS", source + " has both " + o.probPrefix
                        + "<class> columns and a '" + o.scoreCol + "' column, so it is unclear which holds the "
                        + "probabilities. Drop or rename one of them (or pass --score-col / --prob-prefix).");
            }
            if (probColumns.size() < 2) {
                throw new InvalidInputException("TOO_FEW_CLASSES", source + " has only one " + o.probPrefix
                        + " column (" + probColumns.get(0) + "); per-class probabilities need at least 2 classes. For a "
                        + "binary task write the positive class's probability in a '" + o.scoreCol + "' column and pass "
                        + "--positive-label.");
            }
            scoreMode = false;
        } else if (names.contains(o.scoreCol)) {
            scoreMode = true;
            probColumns.add(o.scoreCol);
        } else {
            throw new InvalidInputException("MISSING_PROBABILITY_COLUMNS", source + " has no probability columns: expected"
                    + " one " + o.probPrefix + "<class> column per class (such as " + o.probPrefix + "cat, " + o.probPrefix
                    + "dog) or, for a binary task, a '" + o.scoreCol + "' column with the positive class's probability. "
                    + found + " Rename the columns or pass --prob-prefix / --score-col.");
        }
        for (String c : probColumns) {
            numeric(df, schema, c, scoreMode ? "score" : "probability", source);
        }
        boolean weighted = names.contains(o.weightCol);
        if (weighted) {
            numeric(df, schema, o.weightCol, "weight", source);
        }
        boolean hasPred = names.contains(o.predCol);
        boolean findNegative = false;

        Column label = col(o.labelCol);
        boolean numericLabel = schema.apply(o.labelCol).dataType() instanceof NumericType;
        List<String> classes;
        int positive;
        if (scoreMode) {
            if (o.positiveLabel == null) {
                throw new InvalidInputException("MISSING_POSITIVE_LABEL", source + " has a '" + o.scoreCol + "' column"
                        + " (the probability of the positive class of a binary task) but no positive label was given. Pass"
                        + " --positive-label <class>, e.g. --positive-label 1.");
            }
            // without --negative-label the evaluation pass itself collects the other labels (see findNegative), unless
            // a pred column or top-k ties need the negative class's name before it
            findNegative = o.negativeLabel == null && !hasPred && (o.topK == null || o.topK.isEmpty());
            String neg = o.negativeLabel != null ? o.negativeLabel
                    : findNegative ? "not_" + o.positiveLabel : negativeLabel(df, label, numericLabel, o, source);
            if (sameClass(neg, o.positiveLabel)) {
                throw InvalidInputException.parameter("--negative-label", "different from the positive label '"
                        + o.positiveLabel + "'", "'" + neg + "'");
            }
            classes = List.of(neg, o.positiveLabel);
            positive = 1;
        } else {
            classes = List.copyOf(probClasses);
            if (classes.size() == 2) {
                positive = o.positiveLabel == null ? 1 : classes.indexOf(o.positiveLabel);
                if (positive < 0) {
                    throw new InvalidInputException("UNKNOWN_POSITIVE_LABEL", "--positive-label '" + o.positiveLabel
                            + "' is not one of the classes of " + source + " " + classes + ".");
                }
            } else {
                if (o.positiveLabel != null) {
                    throw new InvalidInputException("POSITIVE_LABEL_MULTICLASS", "--positive-label '" + o.positiveLabel
                            + "' names the positive class of a binary task, but " + source + " has " + classes.size()
                            + " classes. Leave it out: multi-class metrics average over every class.");
                }
                positive = -1;
            }
        }

        List<Column> proj = new ArrayList<>();
        proj.add((findNegative ? positiveOrNot(label, numericLabel, o.positiveLabel) : classId(label, numericLabel, classes))
                .as("_loupe_label"));
        if (hasPred) {
            boolean numericPred = schema.apply(o.predCol).dataType() instanceof NumericType;
            proj.add(classId(col(o.predCol), numericPred, classes).as("_loupe_pred"));
        }
        int probIndex = proj.size();
        for (String c : probColumns) {
            proj.add(col(c).cast(DataTypes.DoubleType));
        }
        int weightIndex = proj.size();
        if (weighted) {
            proj.add(col(o.weightCol).cast(DataTypes.DoubleType));
        }
        int sliceIndex = proj.size();
        List<List<String>> sliceValues = new ArrayList<>();
        for (String s : o.sliceBy) {
            if (!names.contains(s)) {
                throw new InvalidInputException("MISSING_COLUMN", source + " has no column '" + s + "' to slice by. "
                        + found + " Pass an existing column to --slice-by.");
            }
            Column v = functions.coalesce(col(s).cast(DataTypes.StringType), functions.lit(""));
            // the values in order of first appearance, as a local run lists them: a grouped aggregation of each value's
            // first position — in the input files in path order, as Positions numbers rows (file, block start, then
            // monotonically_increasing_id, which grows with the partition, then the row within it)
            Column first = functions.struct(functions.input_file_name(), functions.input_file_block_start(),
                    functions.monotonically_increasing_id());
            List<String> values = new ArrayList<>();
            for (Row r : df.select(v.as("v"), first.as("pos")).groupBy("v")
                    .agg(functions.min("pos").as("first")).orderBy("first").limit(MAX_SLICE_VALUES + 1).collectAsList()) {
                values.add(r.getString(0));
            }
            if (values.size() > MAX_SLICE_VALUES) {
                throw new InvalidInputException("TOO_MANY_SLICES", "--slice-by " + s + ": the column has more than "
                        + MAX_SLICE_VALUES + " distinct values, too many to evaluate each alone. Slice by a coarser column.");
            }
            sliceValues.add(values);
            Column id = functions.lit(-1);
            for (int i = values.size() - 1; i >= 0; i--) {
                id = functions.when(v.equalTo(functions.lit(values.get(i))), i).otherwise(id);
            }
            proj.add(id);
        }
        int labelText = proj.size();
        proj.add(label.cast(DataTypes.StringType));
        int predText = -1;
        if (hasPred) {
            predText = proj.size();
            proj.add(col(o.predCol).cast(DataTypes.StringType));
        }
        Layout layout = new Layout(classes, scoreMode, hasPred, weighted, o.renormalize, o.threshold, o.labelCol, o.predCol,
                o.weightCol, o.probPrefix, List.copyOf(probColumns), probIndex, weightIndex, sliceIndex, labelText, predText,
                findNegative);
        return new Plan(layout, proj, positive, List.copyOf(o.sliceBy), sliceValues);
    }

    /** The column named exactly {@code name} (dots and back-quotes in names are quoted). */
    static Column col(String name) {
        return functions.col("`" + name.replace("`", "``") + "`");
    }

    /** A number column: numeric types as they are; anything else is refused with a value that is not a number. */
    private static void numeric(Dataset<Row> df, StructType schema, String name, String what, String source) {
        StructField f = schema.apply(name);
        DataType t = f.dataType();
        if (t instanceof NumericType) {
            return;
        }
        String example = "";
        if (t == DataTypes.StringType) {
            List<Row> bad = df.select(col(name)).where(col(name).isNotNull().and(col(name).try_cast(DataTypes.DoubleType).isNull()))
                    .limit(1).collectAsList();
            if (!bad.isEmpty()) {
                example = " such as '" + bad.get(0).getString(0) + "'";
            }
        }
        throw new InvalidInputException("NOT_NUMERIC", source + ", column '" + name + "': expected numbers (each row's "
                + what + "), but the column is of type " + t.simpleString() + (example.isEmpty() ? "" : " with values" + example)
                + ". Write plain decimal numbers such as 0.25; for CSV every value of the column must be a number"
                + " (an empty cell is a missing value).");
    }

    /**
     * The class id of a label (or prediction) column as a Spark SQL expression: the index of the class it names, equal as
     * text or as a number ("1" and "1.0", as the local reader matches), {@link #NULL_ID} when empty, else
     * {@link #UNKNOWN_ID}.
     */
    private static Column classId(Column c, boolean numeric, List<String> classes) {
        Column text = c.cast(DataTypes.StringType);
        Column number = numeric ? c.cast(DataTypes.DoubleType) : text.try_cast(DataTypes.DoubleType);
        Column id = functions.lit(UNKNOWN_ID);
        for (int i = classes.size() - 1; i >= 0; i--) {
            String name = classes.get(i);
            Column match = text.equalTo(functions.lit(name));
            Double value = number(name);
            if (value != null) {
                match = match.or(number.equalTo(functions.lit(value)));
            }
            id = functions.when(match, i).otherwise(id);
        }
        return functions.when(c.isNull(), NULL_ID).otherwise(id);
    }

    /**
     * With a score column and no --negative-label: 1 for the positive label, {@link #NULL_ID} when empty, else 0 — every
     * other label is taken for the negative class, and the executors collect those labels' texts so that the driver
     * can name it, or refuse a third class ({@link #negativeOf}).
     */
    private static Column positiveOrNot(Column c, boolean numeric, String positive) {
        return functions.when(c.isNull(), NULL_ID).when(classId(c, numeric, List.of(positive)).equalTo(0), 1).otherwise(0);
    }

    /**
     * The negative class from the other labels found (texts, at most {@link #MAX_OTHERS}): the one there is,
     * {@code not_<positive>} when there is none, an error naming them when there are several.
     */
    static String negativeOf(java.util.Collection<String> others, SparkOptions o, String source) {
        List<String> sorted = new ArrayList<>(others);
        sorted.sort(null);
        if (sorted.size() > 1) {
            throw new InvalidInputException("SCORE_NOT_BINARY", source + ": the '" + o.scoreCol + "' column means a binary"
                    + " task with positive label '" + o.positiveLabel + "', but the label column '" + o.labelCol + "' has"
                    + " other labels " + sorted + (sorted.size() > 2 ? " (and maybe more)" : "") + ". For several classes"
                    + " write one " + o.probPrefix + "<class> column per class; for a binary task fix the labels or pass"
                    + " --negative-label.");
        }
        return sorted.isEmpty() ? "not_" + o.positiveLabel : sorted.get(0);
    }

    /** Most distinct other labels kept to name in {@link #negativeOf}'s error. */
    static final int MAX_OTHERS = 3;

    private static Double number(String s) {
        try {
            double v = Double.parseDouble(s.strip());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean sameClass(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        Double x = number(a);
        Double y = number(b);
        return x != null && x.equals(y);
    }

    /**
     * The negative class of a score column without --negative-label: the one other label in the data (a small job over
     * the label column), {@code not_<positive>} when there is none; a third label is an error, as in a local run.
     */
    private static String negativeLabel(Dataset<Row> df, Column label, boolean numeric, SparkOptions o, String source) {
        List<String> others = new ArrayList<>();
        for (Row r : df.select(label.cast(DataTypes.StringType)).where(label.isNotNull()).distinct().limit(4).collectAsList()) {
            String v = r.getString(0);
            if (!sameClass(v, o.positiveLabel)) {
                others.add(v);
            }
        }
        return negativeOf(others, o, source);
    }
}
