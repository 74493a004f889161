package dev.loupe.bench.models;

import dev.loupe.models.BundledEncoder;
import dev.loupe.models.EncodedBatch;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.OnnxSession;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.OrtNative;
import dev.loupe.models.PostProcessing;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Output handling A/B in one JVM: the same tokenised batch of real texts run REPS times per side, sides alternating
 * run by run — "copy" ({@code OnnxSession.run}: getFloatBuffer copy + float[] copy, pool from the array) vs
 * "pinned" ({@code OnnxSession.runPinned}: ONNX Runtime writes a reused direct buffer, pool from it).
 *
 * <pre>  OutputCopyBench TEXTS.jsonl MODEL BATCH REPS [THREADS]</pre>
 * Prints one JSON line: best and median ms per batch (run + pool) for each side.
 */
public final class OutputCopyBench {
    private OutputCopyBench() {}

    public static void main(String[] args) throws Exception {
        List<String> texts = EncoderWorker.readTexts(Path.of(args[0]));
        String model = args[1];
        int batch = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        ModelOptions options = ModelOptions.defaults().withMaxLength(128).withThreads(threads);
        try (OnnxTextEncoder enc = OnnxTextEncoder.open(BundledEncoder.byName(model), options)) {
            EncodedBatch b = enc.tokenizer().encode(texts.subList(0, batch));
            OnnxSession s = enc.session();
            int dim = enc.dim();
            double[] copy = new double[reps];
            double[] pinned = new double[reps];
            double check = 0;
            for (int r = -3; r < reps; r++) {
                for (int side = 0; side < 2; side++) {
                    boolean pin = (side + Math.max(r, 0)) % 2 == 0;
                    long t0 = System.nanoTime();
                    float[] e = pin
                            ? PostProcessing.meanPoolNormalize(s.runPinned(b, OnnxTextEncoder.LAST_HIDDEN_STATE, dim),
                                    b.size(), b.seqLen(), dim, b.attentionMask())
                            : PostProcessing.meanPoolNormalize(s.run(b, OnnxTextEncoder.LAST_HIDDEN_STATE).data(),
                                    b.size(), b.seqLen(), dim, b.attentionMask());
                    double ms = (System.nanoTime() - t0) / 1e6;
                    check += e[0];
                    if (r >= 0) {
                        (pin ? pinned : copy)[r] = ms;
                    }
                }
            }
            Arrays.sort(copy);
            Arrays.sort(pinned);
            System.out.printf(Locale.ROOT, "{\"ort\":\"%s\",\"model\":\"%s\",\"batch\":%d,\"seq\":%d,\"reps\":%d,"
                            + "\"copy_best_ms\":%.2f,\"copy_median_ms\":%.2f,\"pinned_best_ms\":%.2f,"
                            + "\"pinned_median_ms\":%.2f,\"check\":%.4f}%n", OrtNative.version(), model, b.size(),
                    b.seqLen(), reps, copy[0], copy[reps / 2], pinned[0], pinned[reps / 2], check);
        }
    }
}
