package dev.loupe.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.unsafe.types.UTF8String;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Every row's 0-based position, which the Poisson bootstrap keys its draws on, independent of how Spark splits and packs
 * the input: the position in the concatenation of the input files in the order of their paths, each file in its own row
 * order. (Spark packs a directory's files into partitions by size, not by name, and splits large files; a position in
 * partition order would move with {@code spark.sql.files.maxPartitionBytes} and with the cluster.)
 *
 * <p>How: the projection carries each row's file and the start of the file block it was read from
 * ({@code input_file_name()}, {@code input_file_block_start()}); within a partition a block's rows come together and
 * in file order. A counting pass lists each partition's runs (file, block start, rows); the driver sorts every run by
 * (file, block start) and gives each its first position; the evaluation pass numbers each run's rows from there. Input
 * that is not read from files (a DataFrame built in memory, or after a shuffle) has no file name: one run per
 * partition, so positions follow the partition order, as {@code zipWithIndex} would number them.
 */
final class Positions implements Serializable {
    /** The two columns the projection appends: file name and block start. */
    static List<Column> columns() {
        return List.of(functions.input_file_name().as("_loupe_file"), functions.input_file_block_start().as("_loupe_block"));
    }

    /** One run of rows: one file block, as met in one partition. */
    record Run(int partition, int seq, String file, long blockStart, long rows) implements Serializable {
    }

    /** Per partition, per run in order of appearance: its first row's position, and its first row's index in its file. */
    private final long[][] start;
    private final long[][] inFile;
    private final String[][] file;

    private Positions(long[][] start, long[][] inFile, String[][] file) {
        this.start = start;
        this.inFile = inFile;
        this.file = file;
    }

    /** The counting pass over {@code rows}, whose columns {@code fileIndex} and {@code fileIndex + 1} are {@link #columns}. */
    static Positions count(JavaRDD<InternalRow> rows, int fileIndex) {
        int partitions = rows.getNumPartitions();
        List<Run> runs = new ArrayList<>(rows.mapPartitionsWithIndex((Integer p, Iterator<InternalRow> it) -> {
            List<Run> out = new ArrayList<>();
            Cursor c = new Cursor(fileIndex);
            long n = 0;
            while (it.hasNext()) {
                if (c.next(it.next()) && n > 0) {
                    out.add(new Run(p, out.size(), c.previousFile, c.previousBlock, n));
                    n = 0;
                }
                n++;
            }
            if (n > 0) {
                out.add(new Run(p, out.size(), c.file(), c.block, n));
            }
            return out.iterator();
        }, false).collect());
        long[][] start = new long[partitions][];
        long[][] inFile = new long[partitions][];
        String[][] files = new String[partitions][];
        int[] perPartition = new int[partitions];
        for (Run r : runs) {
            perPartition[r.partition]++;
        }
        for (int p = 0; p < partitions; p++) {
            start[p] = new long[perPartition[p]];
            inFile[p] = new long[perPartition[p]];
            files[p] = new String[perPartition[p]];
        }
        runs.sort(Comparator.comparing(Run::file).thenComparingLong(Run::blockStart).thenComparingInt(Run::partition)
                .thenComparingInt(Run::seq));
        long position = 0;
        long inThisFile = 0;
        String last = null;
        for (Run r : runs) {
            if (!r.file.equals(last)) {
                inThisFile = 0;
                last = r.file;
            }
            start[r.partition][r.seq] = position;
            inFile[r.partition][r.seq] = inThisFile;
            files[r.partition][r.seq] = r.file;
            position += r.rows;
            inThisFile += r.rows;
        }
        return new Positions(start, inFile, files);
    }

    /** Follows one partition's rows through their runs, in the evaluation pass. */
    Numbering numbering(int partition, int fileIndex) {
        return new Numbering(partition, fileIndex);
    }

    final class Numbering {
        private final int partition;
        private final Cursor cursor;
        private int run = -1;
        private long position;
        private long row;

        private Numbering(int partition, int fileIndex) {
            this.partition = partition;
            this.cursor = new Cursor(fileIndex);
        }

        /** The position of the next row {@code r}. */
        long next(InternalRow r) {
            if (cursor.next(r) || run < 0) {
                run++;
                position = start[partition][run];
                row = 0;
            } else {
                position++;
                row++;
            }
            return position;
        }

        /** Where the last row is, for an error message: "row 12 (0-based) of file:/data/part-3.csv" or "row 12 (0-based)". */
        String where() {
            String f = file[partition][run];
            return f.isEmpty() ? "row " + position + " (0-based)" : "row " + (inFile[partition][run] + row) + " (0-based) of " + f;
        }
    }

    /** Tells when a partition's rows pass from one file block to another. */
    private static final class Cursor {
        private final int fileIndex;
        private UTF8String current;
        long block = Long.MIN_VALUE;
        String previousFile;
        long previousBlock;

        Cursor(int fileIndex) {
            this.fileIndex = fileIndex;
        }

        /** Whether {@code r} starts another run than the row before it (false for the first row). */
        boolean next(InternalRow r) {
            UTF8String f = r.isNullAt(fileIndex) ? UTF8String.EMPTY_UTF8 : r.getUTF8String(fileIndex);
            long b = r.isNullAt(fileIndex + 1) ? -1 : r.getLong(fileIndex + 1);
            if (current != null && b == block && f.equals(current)) {
                return false;
            }
            boolean changed = current != null;
            previousFile = current == null ? null : current.toString();
            previousBlock = block;
            current = f.copy(); // the row (and its bytes) is reused by Spark
            block = b;
            return changed;
        }

        String file() {
            return current.toString();
        }
    }
}
