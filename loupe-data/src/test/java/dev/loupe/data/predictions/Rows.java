package dev.loupe.data.predictions;

import dev.loupe.api.PredictionBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: every row of a prediction file, read batch by batch. */
final class Rows {
    final List<Integer> labels = new ArrayList<>();
    final List<Integer> preds = new ArrayList<>();
    final List<double[]> probs = new ArrayList<>();
    final List<Double> weights = new ArrayList<>();
    final List<Long> keys = new ArrayList<>();
    final List<Integer> batchSizes = new ArrayList<>();
    PredictionSchema schema;
    long rowsRead;

    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    static Rows read(Path file, PredictionFileOptions o) {
        return read(file, o, ByteInput.DEFAULT_SIZE);
    }

    static Rows read(Path file, PredictionFileOptions o, int bufferSize) {
        Rows r = new Rows();
        try (PredictionReader reader = PredictionReader.open(file, o, bufferSize)) {
            PredictionBatch b = reader.newBatch();
            while (reader.next(b)) {
                r.batchSizes.add(b.size());
                for (int i = 0; i < b.size(); i++) {
                    r.labels.add(b.label(i));
                    r.preds.add(b.pred(i));
                    r.weights.add(b.weight(i));
                    r.keys.add(b.key(i));
                    double[] p = new double[b.numClasses()];
                    for (int j = 0; j < p.length; j++) {
                        p[j] = b.prob(i, j);
                    }
                    r.probs.add(p);
                }
            }
            if (reader.next(b)) {
                throw new AssertionError("next() after the end returned true");
            }
            r.schema = reader.schema();
            r.rowsRead = reader.rowsRead();
        }
        return r;
    }
}
