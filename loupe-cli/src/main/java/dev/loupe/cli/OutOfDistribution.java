package dev.loupe.cli;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.MetricId;
import dev.loupe.api.MetricValue;
import dev.loupe.api.PredictionBatch;
import dev.loupe.data.predictions.PredictionFileOptions;
import dev.loupe.data.predictions.PredictionReader;
import dev.loupe.metrics.DistributionShift;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code evaluate --ood FILE}: a second predictions file (another source, a later period) evaluated the same way as the
 * first, and each metric's gap between them ({@link DistributionShift}), for the table, the JSON and the store.
 */
final class OutOfDistribution {
    /** The dimension the out-of-distribution metrics are stored under: {@code accuracy[split=ood]}. */
    static final String DIMENSION = "split";
    static final String VALUE = "ood";

    private OutOfDistribution() {
    }

    /**
     * Reads {@code file} with the options of the in-distribution file and compares it with {@code in}.
     *
     * @param inFile the in-distribution file, for messages
     */
    static DistributionShift of(Path file, PredictionFileOptions opts, EvaluationState in, EvaluationResult inResult, Path inFile) {
        EvaluationConfig cfg = DistributionShift.oodConfig(in.config());
        EvaluationState state = new EvaluationState(cfg);
        List<String> classes = inResult.classes();
        try (PredictionReader reader = open(file, opts)) {
            PredictionBatch batch = reader.newBatch();
            while (reader.next(batch)) {
                if (batch.numClasses() != classes.size()) {
                    break;
                }
                state.update(batch);
            }
            List<String> oodClasses = reader.schema().classes();
            if (!oodClasses.equals(classes)) {
                throw new InvalidInputException("OOD_CLASSES", "--ood " + file + " holds the classes " + oodClasses + " but "
                        + inFile + " holds " + classes + ": both files must have the same classes in the same order (the"
                        + " same prob_ columns, or the same labels with --positive-label).");
            }
            if (reader.rowsRead() == 0) {
                throw new InvalidInputException("NO_ROWS", "--ood " + file + " has a header but no data rows: add predictions, one per line.");
            }
        }
        return DistributionShift.of(in, inResult, state, classes);
    }

    /**
     * A model run's comparison: {@code rows} (out of distribution) scored by the same model as {@code probs}, compared
     * with the in-distribution state {@code in}.
     */
    static DistributionShift of(EvaluationState in, EvaluationResult inResult, dev.loupe.data.text.TextDataset rows, double[][] probs) {
        EvaluationState state = new EvaluationState(DistributionShift.oodConfig(in.config()));
        List<String> classes = inResult.classes();
        state.update(ModelEvaluation.batch(probs, rows, classes));
        return DistributionShift.of(in, inResult, state, classes);
    }

    /** The reader of the second file; its problems say they are about --ood. */
    private static PredictionReader open(Path file, PredictionFileOptions opts) {
        try {
            return PredictionReader.open(file, opts);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.code(), "--ood " + e.getMessage(), e);
        }
    }

    /** The table: every metric in and out of distribution with its interval, and the gap. */
    static String table(Path file, EvaluationResult in, DistributionShift shift) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%nout of distribution: %s, %,d rows (gap = out − in; intervals from independent resamples)%n",
                TableReport.safe(file.toString()), shift.ood().rows()));
        int w = in.metrics().keySet().stream().mapToInt(id -> id.key().length()).max().orElse(6);
        String row = "%-" + w + "s %26s %26s %28s%n";
        sb.append(String.format(Locale.ROOT, row, "metric", "in distribution", "out of distribution", "gap"));
        for (Map.Entry<MetricId, MetricValue> e : shift.ood().metrics().entrySet()) {
            MetricValue i = in.metrics().get(e.getKey());
            if (i == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, row, e.getKey().key(), TableReport.withInterval(i),
                    TableReport.withInterval(e.getValue()), TableReport.signedWithInterval(shift.gaps().get(e.getKey()))));
        }
        if (!shift.ood().warnings().isEmpty()) {
            sb.append("warnings of the out-of-distribution file\n");
            shift.ood().warnings().forEach(x -> sb.append("  - ").append(TableReport.safe(x)).append('\n'));
        }
        return sb.toString();
    }

    /** What the store keeps: each metric as {@code accuracy[split=ood]} and its gap as {@code gap_accuracy[split=ood]}. */
    static Map<String, MetricValue> stored(DistributionShift shift) {
        Map<String, MetricValue> out = new LinkedHashMap<>();
        String where = DIMENSION + "=" + VALUE;
        out.put(EvaluationRecorder.SUPPORT + "[" + where + "]", new MetricValue(shift.ood().rows(), Double.NaN, Double.NaN));
        shift.ood().metrics().forEach((id, v) -> out.put(new MetricId(id.name(), id.target(), where).toString(), v));
        shift.gaps().forEach((id, v) -> out.put(new MetricId("gap_" + id.name(), id.target(), where).toString(), v));
        return out;
    }
}
