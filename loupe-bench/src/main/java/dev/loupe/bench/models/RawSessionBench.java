package dev.loupe.bench.models;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The session alone, without Loupe: one fixed {@code BATCH x SEQ} batch (synthetic ids, full mask; the same ids as
 * bench/models/raw_session.py makes) run REPS times through a plain {@link OrtSession} with the options Loupe's
 * {@code OnnxSession} uses. Separates ONNX Runtime's own speed (and its version) from Loupe's pipeline.
 *
 * <pre>  RawSessionBench MODEL.onnx BATCH SEQ REPS THREADS SPINNING(1|0|default) [copy]</pre>
 * With {@code copy}, the output is copied to a {@code float[]} as Loupe does. Prints one JSON line.
 * {@code -Doptimized=FILE} writes the optimised graph (to compare ONNX Runtime versions' fusions).
 */
public final class RawSessionBench {
    private RawSessionBench() {}

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int batch = Integer.parseInt(args[1]);
        int seq = Integer.parseInt(args[2]);
        int reps = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        String spinning = args[5];
        boolean copy = args.length > 6 && args[6].equals("copy");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String optimized = System.getProperty("optimized");
            if (optimized != null) { // -Doptimized=FILE: ONNX Runtime writes the graph it runs (after fusions)
                o.setOptimizedModelFilePath(optimized);
            }
            if (!spinning.equals("default")) {
                o.addConfigEntry("session.intra_op.allow_spinning", spinning);
            }
            try (OrtSession s = env.createSession(Files.readAllBytes(model), o)) {
                int n = batch * seq;
                LongBuffer ids = direct(n);
                LongBuffer mask = direct(n);
                LongBuffer types = direct(n);
                for (int i = 0; i < batch; i++) {
                    for (int j = 0; j < seq; j++) {
                        long id = j == 0 ? 101 : j == seq - 1 ? 102 : 1000 + (i * 7919L + j * 31L) % 20000;
                        ids.put(i * seq + j, id);
                        mask.put(i * seq + j, 1);
                        types.put(i * seq + j, 0);
                    }
                }
                long[] shape = {batch, seq};
                double[] times = new double[reps];
                double checksum = 0;
                for (int r = -3; r < reps; r++) { // 3 warm-up runs
                    Map<String, OnnxTensor> in = new HashMap<>();
                    in.put("input_ids", OnnxTensor.createTensor(env, ids, shape));
                    in.put("attention_mask", OnnxTensor.createTensor(env, mask, shape));
                    if (s.getInputNames().contains("token_type_ids")) {
                        in.put("token_type_ids", OnnxTensor.createTensor(env, types, shape));
                    }
                    long t0 = System.nanoTime();
                    try (OrtSession.Result res = s.run(in, Set.of("last_hidden_state"))) {
                        OnnxTensor t = (OnnxTensor) res.get(0);
                        if (copy) {
                            FloatBuffer fb = t.getFloatBuffer();
                            float[] data = new float[fb.remaining()];
                            fb.get(data);
                            checksum += data[0];
                        }
                    }
                    long dt = System.nanoTime() - t0;
                    if (r >= 0) {
                        times[r] = dt / 1e6;
                    }
                    for (OnnxTensor t : in.values()) {
                        t.close();
                    }
                }
                Arrays.sort(times);
                System.out.printf(Locale.ROOT, "{\"side\":\"java\",\"ort\":\"%s\",\"jni\":\"%s\",\"model\":\"%s\",\"batch\":%d,\"seq\":%d,"
                                + "\"spinning\":\"%s\",\"copy\":%b,\"best_ms\":%.2f,\"median_ms\":%.2f,\"checksum\":%.4f}%n",
                        dev.loupe.models.OrtNative.version(), env.getVersion(), model.getFileName(), batch, seq, spinning, copy, times[0],
                        times[reps / 2], checksum);
            }
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static LongBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }
}
