package dev.loupe.data.predictions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a prediction file holds: its classes and which optional columns it has.
 *
 * <p><b>When the classes are final.</b> With per-class {@code prob_<class>} columns the classes are the
 * column suffixes, in header order, and are final as soon as the file is opened. With a binary
 * {@code score} column the classes are {@code [negative, positive]}; when no negative label was given the
 * negative class is the first label in the data that is not the positive one, so until the file has been
 * read to the end {@link #classes()} may still say the provisional {@code not_<positive>} (the name it
 * keeps if no other label ever appears). {@link #complete()} tells when it is final. For JSON Lines,
 * {@link #metadataColumns()} and {@link #columns()} may also grow as later lines bring new keys.
 */
public final class PredictionSchema {
    private final Path file;
    private final PredictionFormat format;
    private final List<String> classes;
    private final int positiveIndex;
    private final boolean weighted;
    private final boolean hasPred;
    private final boolean hasId;
    private final boolean scoreMode;
    private final List<String> metadataColumns;
    private final List<String> columns;
    private boolean complete;

    PredictionSchema(Path file, PredictionFormat format, List<String> classes, int positiveIndex, boolean weighted,
            boolean hasPred, boolean hasId, boolean scoreMode, List<String> metadataColumns, List<String> columns) {
        this.file = file;
        this.format = format;
        this.classes = new ArrayList<>(classes);
        this.positiveIndex = positiveIndex;
        this.weighted = weighted;
        this.hasPred = hasPred;
        this.hasId = hasId;
        this.scoreMode = scoreMode;
        this.metadataColumns = new ArrayList<>(metadataColumns);
        this.columns = new ArrayList<>(columns);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** The file's format (given or inferred). */
    public PredictionFormat format() {
        return format;
    }

    /**
     * Class names; index {@code i} is class {@code i} in every {@link dev.loupe.api.PredictionBatch}. In score
     * mode the negative class's name is only final once the file is read to the end (see the class comment).
     */
    public List<String> classes() {
        return List.copyOf(classes);
    }

    /** Number of classes (2 in score mode). */
    public int numClasses() {
        return classes.size();
    }

    /**
     * Index of the positive class: 1 in score mode; with prob_ columns, the index of the given positive label,
     * or -1 when none was given.
     */
    public int positiveIndex() {
        return positiveIndex;
    }

    /** True when the file has a weight column (batches then carry weights). */
    public boolean weighted() {
        return weighted;
    }

    /** True when the file has a predicted-class column; otherwise predictions are arg-max or thresholded. */
    public boolean hasPred() {
        return hasPred;
    }

    /** True when the file has an id column (its values are not kept yet). */
    public boolean hasId() {
        return hasId;
    }

    /** True when the file has one binary score column rather than per-class probability columns. */
    public boolean scoreMode() {
        return scoreMode;
    }

    /** Columns that play no role (their values are checked to be UTF-8 but not kept yet), in file order. */
    public List<String> metadataColumns() {
        return List.copyOf(metadataColumns);
    }

    /** Every column, in file order (JSON Lines: keys of the first line, then new keys in order of appearance). */
    public List<String> columns() {
        return List.copyOf(columns);
    }

    /** True once the whole file has been read, so that {@link #classes()} is final. */
    public boolean complete() {
        return complete;
    }

    void setClass(int index, String name) {
        classes.set(index, name);
    }

    void addMetadataColumn(String name) {
        metadataColumns.add(name);
        columns.add(name);
    }

    void markComplete() {
        complete = true;
    }

    @Override
    public String toString() {
        return "PredictionSchema{file=" + file + ", format=" + format + ", classes=" + classes
                + ", positiveIndex=" + positiveIndex + ", weighted=" + weighted + ", hasPred=" + hasPred
                + ", scoreMode=" + scoreMode + ", metadata=" + metadataColumns + "}";
    }
}
