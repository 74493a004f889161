package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("native")
class EfficiencyProfilerTest {

    @Test
    void graphStatsMatchTheOnnxPackage() throws Exception {
        // expected numbers from Python: sum(prod(t.dims) for t in onnx.load(f).graph.initializer), op counts
        byte[] bert = java.nio.file.Files.readAllBytes(Golden.resource("tiny/bert-3/model.onnx"));
        OnnxGraphStats s = OnnxGraphStats.read(bert);
        assertEquals(30435, s.parameters());
        assertEquals(21, s.initializers());
        assertEquals(16, s.opCounts().get("MatMul"));
        assertEquals(2, s.opCounts().get("Gemm"));
        assertEquals(32, s.hidden());
        assertEquals(4, s.activationMatmuls(), "2 layers x (QK^T, AV)");

        OnnxGraphStats q = OnnxGraphStats.read(BundledEncoder.MINILM_Q.onnxBytes());
        assertEquals(22607366, q.parameters());
        assertEquals(36, q.opCounts().get("MatMulInteger"));
        OnnxGraphStats f = OnnxGraphStats.read(BundledEncoder.MINILM.onnxBytes());
        assertEquals(22565888, f.parameters());
        // the figure: a MiniLM-L6 sequence of 128 tokens is about 2.9 GFLOP
        assertEquals(2.87e9, f.flopsPerSequence(128), 0.05e9);
        assertEquals(f.flopsPerSequence(128), q.flopsPerSequence(128), 1e6, "same shapes, int8 weights");
    }

    @Test
    void profilesTheTinyClassifier() {
        var settings = new EfficiencyProfiler.Settings(List.of(1, 4), List.of(16, 48, 128), 1, 3, 10,
                Duration.ofMillis(200));
        try (OnnxTextClassifier model = OnnxTextClassifier.open(Golden.resource("tiny/bert-3"),
                ModelOptions.defaults().withThreads(2))) {
            var p = EfficiencyProfiler.profile(model, settings);
            assertEquals(30435, p.parameters());
            assertEquals(List.of(128), p.skippedSeqLengths(), "above the model's 64 positions");
            assertEquals(4, p.cells().size());
            for (var c : p.cells()) {
                assertTrue(c.runs() >= 3 && c.p50Ms() > 0 && c.p50Ms() <= c.p95Ms() && c.p95Ms() <= c.p99Ms(), c.toString());
                assertEquals(c.sequencesPerSecond() * c.seqLen(), c.tokensPerSecond(), 1e-6 * c.tokensPerSecond());
                assertTrue(c.flopsPerSequence() > 0);
            }
            assertTrue(p.batchInvarianceMaxAbsDiff() < 1e-5, "fp32 is batch-invariant: " + p.batchInvarianceMaxAbsDiff());
            assertEquals("probabilities", p.batchInvarianceOf());
            assertTrue(p.tokenizerTextsPerSecond() > 0);
            assertTrue(p.peakRssBytes() > 0 || !System.getProperty("os.name").contains("Linux"));
            assertEquals(p.modelFileBytes(), Golden.resource("tiny/bert-3/model.onnx").toFile().length());
        }
    }

    @Test
    void quantisedEncoderIsNotBatchInvariantAndItIsReported() {
        try (OnnxTextEncoder model = OnnxTextEncoder.open(BundledEncoder.MINILM_Q,
                ModelOptions.defaults().withMaxLength(128).withThreads(2))) {
            double diff = EfficiencyProfiler.batchInvariance(model, EfficiencyProfiler.INVARIANCE_TEXTS, false);
            System.out.printf("[profile] minilm-q batch invariance max |alone - batched| = %.3g%n", diff);
            assertTrue(diff > 1e-4, "dynamic quantisation depends on the batch: " + diff);
        }
    }

    @Test
    void percentileIsNearestRank() {
        List<Double> v = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertEquals(5.0, EfficiencyProfiler.percentile(v, 0.5));
        assertEquals(10.0, EfficiencyProfiler.percentile(v, 0.95));
        assertEquals(1.0, EfficiencyProfiler.percentile(List.of(1.0), 0.99));
    }
}
