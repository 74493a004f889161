package dev.loupe.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The bundled encoders, loaded from the class path, against Python: token ids equal {@code tokenizers}' for 50
 * varied texts (Unicode, emoji, CJK, HTML, a 2,000-word text) at max length 128 and 512, and embeddings equal
 * {@code onnxruntime} + numpy mean pooling to cosine ≥ 0.9999 (fp32 always; int8 when the native runtime is the
 * golden files' {@link #GOLDEN_ORT}, else {@link #MIN_COSINE_INT8_ACROSS_ORT_VERSIONS}). Golden files:
 * tools/models/make_encoder_golden.py. To run int8 at the strict bound with the bundled 1.29.0 JNI:
 * {@code bench/models/ort_native_dir.py /tmp/ort130 <wheel>/onnxruntime/capi/libonnxruntime.so.1.30.0}, then
 * {@code mvn -pl loupe-models test -Dtest=BundledEncoderParityTest -Donnxruntime.native.path=/tmp/ort130}.
 */
@Tag("native")
class BundledEncoderParityTest {
    static final double MIN_COSINE = 0.9999;
    /**
     * Dynamically quantised (int8) graphs are not reproducible across ONNX Runtime versions: a last-bit change in
     * an fp32 activation can move an int8 rounding step. The golden files come from onnxruntime 1.30.0 while the
     * newest Java build is 1.29.0: with its bundled native library the worst of 24 texts is 0.9974; with the 1.30.0
     * native library under the same 1.29.0 JNI (-Donnxruntime.native.path) all three int8 encoders give 1.0000000,
     * so the gap is the runtime version alone. See docs/ARCHITECTURE.md, "loupe-models".
     */
    static final double MIN_COSINE_INT8_ACROSS_ORT_VERSIONS = 0.995;
    /** The onnxruntime version that wrote the golden embeddings (tools/.venv). */
    static final String GOLDEN_ORT = "1.30.0";

    @ParameterizedTest(name = "{0}")
    @EnumSource(BundledEncoder.class)
    void tokenIdsEqualPythonTokenizers(BundledEncoder encoder) {
        JsonNode golden = Golden.json("encoders/golden-" + encoder.shortName() + ".json");
        List<String> texts = Golden.texts(golden);
        assertEquals(50, texts.size());
        byte[] json = encoder.tokenizerBytes();
        int mismatches = 0;
        for (int maxLength : new int[] {128, 512}) {
            try (TextTokenizer tok = TextTokenizer.fromJson(json, maxLength, encoder.resource())) {
                long[][] ids = tok.ids(texts);
                JsonNode expected = golden.path("ids").path(Integer.toString(maxLength));
                for (int i = 0; i < texts.size(); i++) {
                    long[] e = Golden.longs(expected.get(i));
                    if (!java.util.Arrays.equals(e, ids[i])) {
                        mismatches++;
                    }
                    assertArrayEquals(e, ids[i], encoder + " max " + maxLength + " text " + i + ": " + texts.get(i));
                }
            }
        }
        System.out.printf("[parity] %s: token-id mismatches %d of %d texts x 2 max lengths%n",
                encoder.shortName(), mismatches, texts.size());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(BundledEncoder.class)
    void embeddingsMatchPythonOnnxruntime(BundledEncoder encoder) {
        JsonNode golden = Golden.json("encoders/golden-" + encoder.shortName() + ".json");
        List<String> all = Golden.texts(golden);
        List<String> texts = new ArrayList<>();
        golden.path("embed_texts").forEach(i -> texts.add(all.get(i.asInt())));
        int maxLength = golden.path("embed_max_length").asInt();
        var options = ModelOptions.defaults().withMaxLength(maxLength).withThreads(2);
        try (OnnxTextEncoder model = OnnxTextEncoder.open(encoder, options)) {
            assertEquals(384, model.dim());
            assertEquals(List.of(new Field.Embedding(384)), model.spec().outputs());
            // Golden rows were run one text at a time. Dynamically quantised models are not batch-invariant
            // (activation scales are computed over the whole batch, padding included), so compare like with like,
            // then report — and for fp32 also check — the padded batch.
            double minCos = 1;
            for (int i = 0; i < texts.size(); i++) {
                float[] a = model.predict(List.of(texts.get(i))).embeddingOf(0);
                double c = cosine(a, Golden.doubles(golden.path("embeddings").get(i)));
                minCos = Math.min(minCos, c);
            }
            ModelOutput batched = model.predict(texts);
            double minBatchedCos = 1;
            for (int i = 0; i < texts.size(); i++) {
                float[] a = batched.embeddingOf(i);
                double norm = 0;
                for (float v : a) {
                    norm += v * v;
                }
                assertEquals(1.0, norm, 1e-5, "L2-normalised");
                minBatchedCos = Math.min(minBatchedCos, cosine(a, Golden.doubles(golden.path("embeddings").get(i))));
            }
            System.out.printf("[parity] %s: min cosine(java, python) = %.9f one by one, %.9f in one padded batch"
                    + " of %d%n", encoder.shortName(), minCos, minBatchedCos, texts.size());
            if (encoder == BundledEncoder.MINILM) {
                assertTrue(minBatchedCos >= MIN_COSINE, "fp32 is batch-invariant: " + minBatchedCos);
            }
            String ort = OrtNative.version();
            boolean sameRuntime = GOLDEN_ORT.equals(ort);
            System.out.printf("[parity] %s: %s; golden written by onnxruntime %s; int8 bound %s%n",
                    encoder.shortName(), OrtNative.describe(), GOLDEN_ORT, sameRuntime ? "strict" : "relaxed");
            double bound = encoder == BundledEncoder.MINILM || sameRuntime ? MIN_COSINE
                    : MIN_COSINE_INT8_ACROSS_ORT_VERSIONS;
            assertTrue(minCos >= bound, encoder + ": min cosine " + minCos + " < " + bound);
        }
    }

    private static double cosine(float[] a, double[] e) {
        double dot = 0;
        double na = 0;
        double ne = 0;
        for (int d = 0; d < e.length; d++) {
            dot += a[d] * e[d];
            na += a[d] * a[d];
            ne += e[d] * e[d];
        }
        return dot / Math.sqrt(na * ne);
    }
}
