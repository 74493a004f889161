package dev.loupe.explain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import dev.loupe.explain.onnx.OnnxProto;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.EncodedBatch;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.OnnxSession;
import dev.loupe.models.OnnxTextClassifier;
import dev.loupe.models.OnnxTextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Attention maps against PyTorch's {@code output_attentions=True} for tiny BERT and DistilBERT classifiers
 * (tools/explain/make_attention_golden.py), and the patch's invariants on the bundled encoders.
 */
class AttentionTest {
    static final Path DIR = Path.of("src", "test", "resources", "attention");

    static double[][][][] golden(JsonNode n) {
        double[][][][] out = new double[n.size()][][][];
        for (int l = 0; l < n.size(); l++) {
            out[l] = new double[n.get(l).size()][][];
            for (int h = 0; h < n.get(l).size(); h++) {
                out[l][h] = new double[n.get(l).get(h).size()][];
                for (int q = 0; q < out[l][h].length; q++) {
                    JsonNode row = n.get(l).get(h).get(q);
                    out[l][h][q] = new double[row.size()];
                    for (int k = 0; k < row.size(); k++) {
                        out[l][h][q][k] = row.get(k).asDouble();
                    }
                }
            }
        }
        return out;
    }

    static void assertRowsSumToOne(float[][][][] maps) {
        for (float[][][] layer : maps) {
            for (float[][] head : layer) {
                for (float[] row : head) {
                    double s = 0;
                    for (float v : row) {
                        s += v;
                    }
                    assertEquals(1.0, s, 1e-5);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "distilbert"})
    void mapsEqualPyTorchsOutputAttentions(String name) throws Exception {
        Path dir = DIR.resolve(name);
        JsonNode g = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        try (OnnxTextClassifier c = OnnxTextClassifier.open(dir, ModelOptions.defaults().withThreads(1))) {
            byte[] onnx = Files.readAllBytes(dir.resolve("model.onnx"));
            Attention a = Attention.of(onnx, dir.toString(), c.spec().sha256(), 1);
            List<String> texts = new ArrayList<>();
            g.path("texts").forEach(t -> texts.add(t.asText()));
            for (int i = 0; i < texts.size(); i++) {
                Attention.Maps m = a.of(c.tokenizer(), texts.get(i));
                long[] ids = new long[m.tokens().length];
                for (int t = 0; t < ids.length; t++) {
                    ids[t] = g.path("ids").get(i).get(t).asLong();
                }
                assertArrayEquals(ids, c.tokenizer().tokens(texts.get(i)).ids(), "the tokens PyTorch saw");
                double[][][][] want = golden(g.path("single").get(i));
                assertEquals(want.length, m.layers());
                assertEquals(want[0].length, m.heads());
                for (int l = 0; l < want.length; l++) {
                    for (int h = 0; h < want[l].length; h++) {
                        for (int q = 0; q < want[l][h].length; q++) {
                            for (int k = 0; k < want[l][h][q].length; k++) {
                                assertEquals(want[l][h][q][k], m.maps()[l][h][q][k], 1e-5, name + " text " + i + " [" + l + "][" + h + "][" + q + "][" + k + "]");
                            }
                        }
                    }
                }
                assertRowsSumToOne(m.maps());
            }
            // one padded batch: padding keys get 0, the real part equals PyTorch's padded batch, logits unchanged
            EncodedBatch b = c.tokenizer().encode(texts);
            Map<String, OnnxSession.FloatTensor> raw = new HashMap<>();
            List<float[][][][]> maps = a.run(b, raw);
            JsonNode gb = g.path("batch");
            assertEquals(gb.path("seq_len").asInt(), b.seqLen());
            for (int i = 0; i < texts.size(); i++) {
                double[][][][] want = golden(gb.path("attentions").get(i));
                int len = b.lengths()[i];
                for (int l = 0; l < want.length; l++) {
                    for (int h = 0; h < want[l].length; h++) {
                        for (int q = 0; q < len; q++) {
                            for (int k = 0; k < b.seqLen(); k++) {
                                float[] row = raw.get(a.outputs().get(l)).data();
                                int heads = want[l].length;
                                float v = row[((i * heads + h) * b.seqLen() + q) * b.seqLen() + k];
                                if (k >= len) {
                                    assertEquals(0.0, v, 1e-6, "padding key " + k + " of text " + i);
                                }
                                assertEquals(want[l][h][q][k], v, 1e-5);
                            }
                        }
                    }
                }
                assertRowsSumToOne(maps.get(i));
            }
            OnnxSession.FloatTensor plain = c.session().run(b, OnnxTextClassifier.LOGITS);
            OnnxSession.FloatTensor patched = a.session().runAll(b, List.of(OnnxTextClassifier.LOGITS)).get(OnnxTextClassifier.LOGITS);
            assertArrayEquals(plain.data(), patched.data(), 1e-6f, "the model's own output is unchanged by the patch");
            for (int i = 0; i < texts.size(); i++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(gb.path("logits").get(i).get(k).asDouble(), plain.data()[i * 2 + k], 1e-4, "PyTorch's logits");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BundledEncoder.class)
    void bundledEncodersFp32AndInt8GiveDistributionsAndKeepTheirOutput(BundledEncoder e) {
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(e, ModelOptions.defaults().withMaxLength(64).withThreads(2))) {
            Attention a = Attention.of(e.onnxBytes(), e.shortName(), enc.spec().sha256(), 2);
            assertEquals(e == BundledEncoder.MINILM || e == BundledEncoder.MINILM_Q ? 6 : 12, a.outputs().size(), "one map per layer");
            List<String> texts = List.of("Free money!!! click here", "the quarterly meeting moved to Tuesday, see the notes");
            EncodedBatch b = enc.tokenizer().encode(texts);
            Map<String, OnnxSession.FloatTensor> raw = new HashMap<>();
            List<float[][][][]> maps = a.run(b, raw);
            for (float[][][][] m : maps) {
                assertEquals(12, m[0].length, "heads");
                assertRowsSumToOne(m);
            }
            EncodedBatch again = enc.tokenizer().encode(texts);
            float[] plain = enc.session().run(again, OnnxTextEncoder.LAST_HIDDEN_STATE).data();
            float[] patched = a.session().runAll(again, List.of(OnnxTextEncoder.LAST_HIDDEN_STATE)).get(OnnxTextEncoder.LAST_HIDDEN_STATE).data();
            assertArrayEquals(plain, patched, 1e-6f, "the model's own output is unchanged by the patch");
        }
    }

    @Test
    void rolloutIsADistributionAndTheFirstTokensRowIsRead() {
        float[][][][] maps = {{{{0.5f, 0.5f}, {0.2f, 0.8f}}}, {{{1f, 0f}, {0.3f, 0.7f}}}};
        double[][] r = Attention.rollout(maps);
        // layer 1: 0.5*A + 0.5*I = [[.75,.25],[.1,.9]]; layer 2: [[1,0],[.15,.85]]; rollout = L2 · L1
        assertEquals(0.75, r[0][0], 1e-7);
        assertEquals(0.25, r[0][1], 1e-7);
        assertEquals(0.15 * 0.75 + 0.85 * 0.1, r[1][0], 1e-7);
        assertEquals(1.0, r[1][0] + r[1][1], 1e-12);
        double[][] cls = Attention.fromFirstToken(maps);
        assertArrayEquals(new double[] {0.5, 0.5}, cls[0], 1e-7);
        assertArrayEquals(new double[] {1, 0}, cls[1], 1e-7);
    }

    @Test
    void aFusedAttentionGraphIsBadInputWithAdvice() {
        OnnxProto.ModelProto m = OnnxProto.ModelProto.newBuilder().setIrVersion(8).setGraph(OnnxProto.GraphProto.newBuilder()
                .addNode(OnnxProto.NodeProto.newBuilder().setOpType("Attention").setDomain("com.microsoft")
                        .addInput("x").addOutput("y"))).build();
        InvalidInputException ex = assertThrows(InvalidInputException.class, () -> AttentionGraph.patch(m.toByteArray(), "fused.onnx"));
        assertEquals("ATTENTION_FUSED", ex.code());
        assertTrue(ex.getMessage().contains("without optimisation"), ex.getMessage());
        OnnxProto.ModelProto none = OnnxProto.ModelProto.newBuilder().setGraph(OnnxProto.GraphProto.newBuilder()
                .addNode(OnnxProto.NodeProto.newBuilder().setOpType("Softmax").addInput("x").addOutput("y"))).build();
        assertEquals("NO_ATTENTION", assertThrows(InvalidInputException.class, () -> AttentionGraph.patch(none.toByteArray(), "x")).code());
    }
}
