package dev.loupe.data.predictions;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.parquet.ParquetFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the raw fields of one row into a validated batch row, shared by the CSV/TSV and JSON Lines parsers:
 * numbers are parsed from bytes, class names are looked up by their bytes, and every problem becomes one
 * {@link InvalidInputException} that says where it is and how to fix it. Nothing is allocated per row on
 * the normal path.
 */
final class RowBuilder {
    static final int LABEL = 1;
    static final int PROB = 2;
    static final int SCORE = 3;
    static final int PRED = 4;
    static final int WEIGHT = 5;
    static final int TEXT = 6;

    private static final double SUM_TOLERANCE = 1e-6;
    private static final int MAX_ALIASES = 1024;

    private final String file;
    private final boolean json;
    private final PredictionSchema schema;
    private final List<String> columnNames;
    private final String probColumnsText;
    final int numClasses;
    final boolean scoreMode;
    private final boolean hasPred;
    private final double threshold;
    private final boolean renormalize;

    // class lookup
    private final ByteKeyMap classMap = new ByteKeyMap();
    private final List<String> classNames;
    private final double[] classNumbers;
    private final String scoreColumn;
    private final String probPrefix;
    private final boolean negativeFromOption;
    private boolean negativeKnown;
    /** Score mode: whether a row's label has named the positive class yet. */
    private boolean positiveSeen;
    private int aliases;

    // the row being built
    final double[] probs;
    int label;
    int pred;
    double score;
    double weight = 1.0;
    /** Physical line where the current row starts. */
    long rowLine;
    /** Per field, lines between the row's start and the field's start (CSV/TSV), or null. */
    int[] lineDelta;
    /** The Parquet file being read (then {@link #rowLine} is the 0-based row), or null for text files. */
    ParquetFile parquet;

    RowBuilder(String file, boolean json, PredictionSchema schema, List<String> columnNames, List<String> classes,
            boolean negativeKnown, PredictionFileOptions o) {
        this.file = file;
        this.json = json;
        this.schema = schema;
        this.columnNames = columnNames;
        this.numClasses = classes.size();
        this.scoreMode = schema.scoreMode();
        this.hasPred = schema.hasPred();
        this.threshold = o.threshold();
        this.renormalize = o.renormalize();
        this.scoreColumn = o.scoreColumn();
        this.probPrefix = o.probPrefix();
        this.classNames = new ArrayList<>(classes);
        this.classNumbers = new double[numClasses];
        this.negativeFromOption = scoreMode && negativeKnown;
        this.negativeKnown = negativeKnown;
        this.probs = new double[numClasses];
        for (int i = 0; i < numClasses; i++) {
            if (scoreMode && i == 0 && !negativeKnown) {
                classNumbers[i] = Double.NaN; // provisional name; matches nothing
                continue;
            }
            byte[] key = classes.get(i).getBytes(StandardCharsets.UTF_8);
            if (classMap.get(key, 0, key.length) < 0) {
                classMap.put(key, i);
            }
            classNumbers[i] = DecimalParser.parse(key, 0, key.length);
        }
        this.probColumnsText = scoreMode ? "'" + o.scoreColumn() + "'"
                : numClasses <= 4 ? String.join(", ", prefixed(classes, o.probPrefix()))
                : o.probPrefix() + classes.get(0) + " … " + o.probPrefix() + classes.get(numClasses - 1);
    }

    private static List<String> prefixed(List<String> classes, String prefix) {
        List<String> out = new ArrayList<>();
        for (String c : classes) {
            out.add(prefix + c);
        }
        return out;
    }

    // ---------------------------------------------------------------- fields

    /** The class index named by {@code b[s, e)}: the label (or, with {@code isLabel} false, the pred) column. */
    int resolve(byte[] b, int s, int e, int col, boolean isLabel) {
        int i = classMap.get(b, s, e);
        if (i == 1 && isLabel) {
            positiveSeen = true;
        }
        return i >= 0 ? i : resolveSlow(b, s, e, col, isLabel);
    }

    private int resolveSlow(byte[] b, int s, int e, int col, boolean isLabel) {
        String what = isLabel ? "label" : "predicted class";
        if (s == e) {
            throw Errors.at("MISSING_VALUE", where(col), "the " + what + " is empty. Every row needs a "
                    + what + "; fill it in or drop the row.");
        }
        int bad = Utf8.firstInvalid(b, s, e);
        if (bad >= 0) {
            throw Errors.notUtf8(where(col), b, bad);
        }
        double number = DecimalParser.parse(b, s, e);
        if (Double.isFinite(number)) {
            for (int i = 0; i < numClasses; i++) {
                if (classNumbers[i] == number) {
                    if (aliases < MAX_ALIASES) {
                        aliases++;
                        classMap.put(Arrays.copyOfRange(b, s, e), i);
                    }
                    return i;
                }
            }
        }
        String text = new String(b, s, e - s, StandardCharsets.UTF_8);
        if (scoreMode && !negativeKnown) {
            negativeKnown = true;
            classNames.set(0, text);
            classNumbers[0] = Double.isFinite(number) ? number : Double.NaN;
            classMap.put(Arrays.copyOfRange(b, s, e), 0);
            schema.setClass(0, text);
            return 0;
        }
        if (scoreMode && isLabel && !positiveSeen && !negativeFromOption) {
            // two labels other than the positive one: the positive label is the likely mistake, not the data
            String pos = classNames.get(1);
            List<String> seen = List.of(classNames.get(0), text);
            String hint = Errors.caseHint(pos, seen);
            throw Errors.at("POSITIVE_LABEL_NOT_IN_FILE", where(col), "--positive-label " + Errors.quote(pos)
                    + " does not occur in the label column: by this row the file has two other labels, "
                    + Errors.quote(seen.get(0)) + " and " + Errors.quote(seen.get(1)) + ". " + (hint != null ? hint
                    : "Pass the positive class as it is written in the file, such as --positive-label " + Errors.quote(text)
                    + "."));
        }
        if (scoreMode && !negativeFromOption) {
            List<String> seen = List.of(classNames.get(0), classNames.get(1), text);
            throw Errors.at("SCORE_NOT_BINARY", where(col), "the " + what + " " + Errors.quote(text)
                    + " is a third distinct class: the '" + scoreColumn + "' column means a binary task with positive label "
                    + Errors.quote(classNames.get(1)) + ", but the labels seen are " + Errors.quoteAll(seen)
                    + ". For more than two classes write one " + probPrefix + "<class> column per class instead of '"
                    + scoreColumn + "'; for a binary task fix the label.");
        }
        String source = scoreMode ? "(from --negative-label and --positive-label)"
                : "(the suffixes of the " + probPrefix + " columns)";
        if (isLabel) {
            String hint = Errors.caseHint(text, classNames);
            throw Errors.at("LABEL_NOT_IN_CLASSES", where(col), "the label " + Errors.quote(text)
                    + " is not one of the classes " + Errors.quoteAll(classNames) + " " + source + ". "
                    + (hint != null ? hint + " " : "")
                    + (scoreMode ? "Fix the label or the --negative-label/--positive-label options."
                    : "Add a " + probPrefix + text + " column or fix the label."));
        }
        throw Errors.at("PRED_NOT_IN_CLASSES", where(col), "the predicted class " + Errors.quote(text)
                + " is not one of the classes " + Errors.quoteAll(classNames) + " " + source
                + ". Every prediction must name one of the classes; fix the value or drop the pred column"
                + (scoreMode ? " to threshold the score instead." : " to use the arg-max of the probabilities."));
    }

    /** Probability of class {@code j}. */
    void prob(int j, byte[] b, int s, int e, int col) {
        double v = DecimalParser.parse(b, s, e);
        if (!(v >= 0.0 && v <= 1.0)) {
            v = probSlow(v, b, s, e, col);
        }
        probs[j] = v;
    }

    private double probSlow(double v, byte[] b, int s, int e, int col) {
        if (!Double.isFinite(v)) {
            throw numberError(v, b, s, e, col, "probability");
        }
        return probOutOfRange(v, col, text(b, s, e));
    }

    private double probOutOfRange(double v, int col, String shown) {
        if (renormalize && v > 1.0) {
            return v; // divided by the row sum later
        }
        throw Errors.at("PROBABILITY_OUT_OF_RANGE", where(col), "expected a probability in [0, 1], got "
                + shown + ". If the column holds logits or raw scores, turn them into probabilities first "
                + "(a softmax or sigmoid)" + (renormalize ? "; --renormalize only rescales non-negative values." : "."));
    }

    /** Probability of class {@code j} from a number column (Parquet); {@code isNull}: the cell holds no value. */
    void prob(int j, double v, boolean isNull, int col) {
        if (!(v >= 0.0 && v <= 1.0)) {
            if (isNull || !Double.isFinite(v)) {
                throw valueError(v, isNull, col, "probability");
            }
            v = probOutOfRange(v, col, Double.toString(v));
        }
        probs[j] = v;
    }

    /** The binary score from a number column (Parquet). */
    void score(double v, boolean isNull, int col) {
        if (!(v >= 0.0 && v <= 1.0)) {
            if (isNull || !Double.isFinite(v)) {
                throw valueError(v, isNull, col, "score");
            }
            throw scoreOutOfRange(col, Double.toString(v));
        }
        score = v;
    }

    /** The sample weight from a number column (Parquet). */
    void weight(double v, boolean isNull, int col) {
        if (!(v >= 0.0 && v <= Double.MAX_VALUE)) {
            if (isNull || !Double.isFinite(v)) {
                throw valueError(v, isNull, col, "weight");
            }
            throw negativeWeight(col, Double.toString(v));
        }
        weight = v;
    }

    /** A missing or non-finite value in a number column. */
    private InvalidInputException valueError(double v, boolean isNull, int col, String what) {
        if (isNull) {
            return missing(col, what);
        }
        return notFinite(col, what, Double.toString(v));
    }

    private InvalidInputException missing(int col, String what) {
        return Errors.at("MISSING_VALUE", where(col), "the " + what + " is empty. Every row needs a " + what
                + "; fill it in or drop the row.");
    }

    private InvalidInputException notFinite(int col, String what, String shown) {
        return Errors.at("NOT_FINITE", where(col), "expected a finite number, got " + shown
                + ". NaN and infinite values are not allowed in a " + what + "; fix or drop the row.");
    }

    private InvalidInputException scoreOutOfRange(int col, String shown) {
        return Errors.at("PROBABILITY_OUT_OF_RANGE", where(col), "expected a probability in [0, 1] (the positive "
                + "class's probability), got " + shown + ". If the column holds logits or raw scores, "
                + "turn them into probabilities first (a sigmoid).");
    }

    private InvalidInputException negativeWeight(int col, String shown) {
        return Errors.at("NEGATIVE_WEIGHT", where(col), "expected a sample weight of at least 0, got " + shown
                + ". Fix the weight or drop the row.");
    }

    /** The binary score (probability of the positive class). */
    void score(byte[] b, int s, int e, int col) {
        double v = DecimalParser.parse(b, s, e);
        if (!(v >= 0.0 && v <= 1.0)) {
            if (!Double.isFinite(v)) {
                throw numberError(v, b, s, e, col, "score");
            }
            throw scoreOutOfRange(col, text(b, s, e));
        }
        score = v;
    }

    /** The sample weight. */
    void weight(byte[] b, int s, int e, int col) {
        double v = DecimalParser.parse(b, s, e);
        if (!(v >= 0.0 && v <= Double.MAX_VALUE)) {
            if (!Double.isFinite(v)) {
                throw numberError(v, b, s, e, col, "weight");
            }
            throw negativeWeight(col, text(b, s, e));
        }
        weight = v;
    }

    /** Per column, who receives its values ({@link PredictionReader#onValues}); null entries (and null) for none. */
    @SuppressWarnings("unchecked")
    java.util.function.Consumer<String>[] sinks = new java.util.function.Consumer[0];

    /** A string column (id, metadata): checked to be UTF-8, and handed to its sink when it has one. */
    void text(byte[] b, int s, int e, int col) {
        int bad = Utf8.firstInvalid(b, s, e);
        if (bad >= 0) {
            throw Errors.notUtf8(where(col), b, bad);
        }
        if (col < sinks.length && sinks[col] != null) {
            sinks[col].accept(new String(b, s, e - s, StandardCharsets.UTF_8));
        }
    }

    /** Diagnoses a value that did not parse to a finite number. */
    InvalidInputException numberError(double v, byte[] b, int s, int e, int col, String what) {
        int ts = s;
        int te = e;
        while (ts < te && b[ts] == ' ') {
            ts++;
        }
        while (te > ts && b[te - 1] == ' ') {
            te--;
        }
        if (ts == te) {
            return missing(col, what);
        }
        int bad = Utf8.firstInvalid(b, s, e);
        if (bad >= 0) {
            return Errors.notUtf8(where(col), b, bad);
        }
        if (Double.isInfinite(v) || DecimalParser.isNonFiniteLiteral(b, s, e)) {
            return notFinite(col, what, text(b, s, e));
        }
        return Errors.at("NOT_A_NUMBER", where(col), "expected a number (the " + what + "), got " + text(b, s, e)
                + ". Write plain decimal numbers such as 0.25, 1 or 3e-4.");
    }

    // ---------------------------------------------------------------- row

    /** Validates the row as a whole and appends it to {@code batch} with key {@code key}. */
    void commit(PredictionBatch batch, long key) {
        double[] p = probs;
        int predicted;
        if (scoreMode) {
            double s = score;
            p[0] = 1.0 - s;
            p[1] = s;
            predicted = hasPred ? pred : (s >= threshold ? 1 : 0);
        } else {
            double sum = 0.0;
            for (int j = 0; j < numClasses; j++) {
                sum += p[j];
            }
            if (sum != 1.0) {
                if (renormalize) {
                    if (!(sum > 0.0)) {
                        throw Errors.at("PROBABILITIES_DO_NOT_SUM_TO_ONE", rowWhere(),
                                "the probabilities in " + probColumnsText + " are all 0, so --renormalize cannot "
                                + "rescale them. Fix the model's output or drop the row.");
                    }
                    for (int j = 0; j < numClasses; j++) {
                        p[j] /= sum;
                    }
                } else if (Math.abs(sum - 1.0) > SUM_TOLERANCE) {
                    throw Errors.at("PROBABILITIES_DO_NOT_SUM_TO_ONE", rowWhere(),
                            "the probabilities in " + probColumnsText + " sum to " + sum + ", not 1 (tolerance 1e-6). "
                            + "Pass --renormalize to divide each row by its sum, or fix the model's output.");
                }
            }
            predicted = hasPred ? pred : PredictionBatch.argMax(p, 0, numClasses);
        }
        batch.add(key, label, predicted, weight, p, 0);
    }

    /** Called at end of input: the negative class of a score file that never saw one is named not_<positive>. */
    void finish() {
        schema.markComplete();
    }

    // ---------------------------------------------------------------- messages

    /** Where the current row is: {@code file, line N} or, for Parquet, {@code file, row N (row group G)}. */
    String rowWhere() {
        return parquet != null ? parquet.row(rowLine) : Errors.line(file, rowLine);
    }

    String where(int col) {
        if (parquet != null) {
            return parquet.row(rowLine) + ", column '" + columnNames.get(col) + "'";
        }
        long line = rowLine + (lineDelta != null && col < lineDelta.length ? lineDelta[col] : 0);
        return Errors.cell(file, line, columnNames.get(col), col + 1, json);
    }

    private static String text(byte[] b, int s, int e) {
        return Errors.show(b, s, e);
    }
}
