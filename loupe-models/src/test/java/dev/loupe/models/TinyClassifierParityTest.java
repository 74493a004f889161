package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Java (DJL tokenizers + ONNX Runtime) against Python (tokenizers + onnxruntime) on the committed tiny
 * random classifiers: the same probabilities to 1e-5 whatever the batching. Golden files:
 * tools/models/make_tiny_classifiers.py.
 */
@Tag("native")
class TinyClassifierParityTest {
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bert-3, true, 'negative,neutral,positive'", "distilbert-2, false, 'ham,spam'"})
    void probabilitiesMatchPythonOnnxruntime(String dir, boolean hasTokenTypes, String labels) {
        var golden = Golden.json("tiny/" + dir + "/golden.json");
        List<String> texts = Golden.texts(golden);
        var options = ModelOptions.defaults().withMaxLength(golden.path("max_length").asInt()).withThreads(2);
        try (OnnxTextClassifier model = OnnxTextClassifier.open(Golden.resource("tiny/" + dir), options)) {
            ModelSpec spec = model.spec();
            assertEquals(List.of(labels.split(",")), spec.probabilities().orElseThrow().labels());
            assertEquals(hasTokenTypes, spec.graphInputs().contains("token_type_ids"), spec.graphInputs().toString());
            assertEquals(48, spec.input().maxLength());
            assertEquals(64, spec.sha256().length());

            double maxDiff = 0;
            for (int batchSize : new int[] {texts.size(), 7, 1}) {
                for (int start = 0; start < texts.size(); start += batchSize) {
                    List<String> batch = texts.subList(start, Math.min(texts.size(), start + batchSize));
                    ModelOutput out = model.predict(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        double[] expected = Golden.doubles(golden.path("probabilities").get(start + i));
                        assertEquals(expected.length, out.numLabels());
                        assertEquals(golden.path("ids").get(start + i).size(), out.tokenCounts()[i]);
                        for (int k = 0; k < expected.length; k++) {
                            maxDiff = Math.max(maxDiff, Math.abs(expected[k] - out.probability(i, k)));
                        }
                    }
                }
            }
            System.out.printf("[parity] %s: max |p_java - p_python| = %.3g over %d texts x 3 batchings%n",
                    dir, maxDiff, texts.size());
            assertTrue(maxDiff <= TOLERANCE, dir + ": max abs difference " + maxDiff);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"bert-3", "distilbert-2"})
    void emptyBatchAndArgmax(String dir) {
        try (ModelAdapter model = Models.open(Golden.resource("tiny/" + dir).toString(), ModelOptions.defaults())) {
            assertEquals(0, model.predict(new ArrayList<>()).size());
            ModelOutput out = model.predict(List.of("free money", ""));
            assertEquals(2, out.size());
            double[] p = out.probabilitiesOf(0);
            int arg = out.argmax(0);
            for (double v : p) {
                assertTrue(v <= p[arg]);
            }
        }
    }
}
