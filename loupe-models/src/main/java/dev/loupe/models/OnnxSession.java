package dev.loupe.models;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The <b>run</b> step: one ONNX Runtime session over a text model whose inputs are some of
 * {@code input_ids}, {@code attention_mask} and {@code token_type_ids} (int64, {@code [batch, sequence]}).
 * Input tensors wrap direct buffers that are reused from batch to batch (no copy into native memory).
 * Intra-op threads are set explicitly; inter-op is 1 (sequential execution).
 */
public final class OnnxSession implements AutoCloseable {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

    /** A float output tensor copied to the heap: row-major {@code data} of the given {@code shape}. */
    public record FloatTensor(float[] data, long[] shape) {}

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String source;
    private final String sha256;
    private final long sizeBytes;
    private final List<String> inputNames;
    private final Map<String, long[]> outputShapes;
    private final int threads;
    private final OnnxGraphStats graphStats;
    private LongBuffer idsBuf = allocate(0);
    private LongBuffer maskBuf = allocate(0);
    private LongBuffer typesBuf = allocate(0);
    private FloatBuffer outBuf = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()).asFloatBuffer();

    private OnnxSession(byte[] model, String source, int threads, Boolean allowSpinning) {
        this.env = OrtEnvironment.getEnvironment();
        this.source = source;
        this.sha256 = sha256(model);
        this.sizeBytes = model.length;
        this.threads = threads;
        OnnxGraphStats stats;
        try {
            stats = OnnxGraphStats.read(model);
        } catch (IllegalArgumentException e) {
            stats = null; // ONNX Runtime decides below whether the file is usable
        }
        this.graphStats = stats;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (allowSpinning != null) {
                options.addConfigEntry("session.intra_op.allow_spinning", allowSpinning ? "1" : "0");
            }
            this.session = env.createSession(model, options);
        } catch (OrtException e) {
            throw new InvalidInputException("MODEL_CORRUPT", "ONNX Runtime cannot load the model " + source + ": "
                    + e.getMessage() + ". Is it a complete ONNX file? Re-export it (e.g. optimum-cli export onnx).", e);
        }
        try {
            this.inputNames = List.copyOf(session.getInputNames());
            Map<String, long[]> outs = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
                long[] shape = e.getValue().getInfo() instanceof TensorInfo ti ? ti.getShape() : new long[0];
                outs.put(e.getKey(), shape);
            }
            this.outputShapes = outs;
        } catch (OrtException e) {
            close();
            throw new InternalException("Cannot read the inputs and outputs of " + source + ": "
                    + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        for (String in : inputNames) {
            if (!KNOWN_INPUTS.contains(in)) {
                unknown.add(in);
            }
        }
        if (!inputNames.contains(INPUT_IDS) || !inputNames.contains(ATTENTION_MASK) || !unknown.isEmpty()) {
            close();
            throw new InvalidInputException("MODEL_INPUTS", "The model " + source + " has inputs " + inputNames
                    + "; Loupe feeds text models through input_ids and attention_mask (and token_type_ids when the"
                    + " graph has it)" + (unknown.isEmpty() ? "" : " and does not know " + unknown) + ".");
        }
    }

    /** Opens a model held in memory; {@code source} names it in messages. */
    public static OnnxSession open(byte[] model, String source, int threads) {
        return new OnnxSession(model, source, threads, null);
    }

    /** As {@link #open(byte[], String, int)}; {@code allowSpinning} null = ONNX Runtime's default. */
    public static OnnxSession open(byte[] model, String source, int threads, Boolean allowSpinning) {
        return new OnnxSession(model, source, threads, allowSpinning);
    }

    /** Opens a {@code model.onnx} file. */
    public static OnnxSession open(Path file, int threads) {
        return open(file, threads, null);
    }

    /** Opens a {@code model.onnx} file; {@code allowSpinning} null = ONNX Runtime's default. */
    public static OnnxSession open(Path file, int threads, Boolean allowSpinning) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("MODEL_FILE_MISSING", "No model.onnx at " + file
                    + ": a model directory needs model.onnx, tokenizer.json and config.json (the layout"
                    + " 'optimum-cli export onnx' writes).");
        }
        try {
            return new OnnxSession(Files.readAllBytes(file), file.toString(), threads, allowSpinning);
        } catch (IOException e) {
            throw new InvalidInputException("MODEL_UNREADABLE", "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public List<String> inputNames() {
        return inputNames;
    }

    /** Output names and their shapes as the graph declares them (-1 for a dynamic dimension). */
    public Map<String, long[]> outputShapes() {
        return outputShapes;
    }

    public String source() {
        return source;
    }

    public String sha256() {
        return sha256;
    }

    public long sizeBytes() {
        return sizeBytes;
    }

    /** Parameter count and FLOP model read from the graph, or {@code null} when the protobuf was not readable. */
    public OnnxGraphStats graphStats() {
        return graphStats;
    }

    public int threads() {
        return threads;
    }

    /** Fails with the outputs the graph has unless it has {@code name}. */
    public long[] requireOutput(String name) {
        long[] shape = outputShapes.get(name);
        if (shape == null) {
            throw new InvalidInputException("MODEL_OUTPUTS", "The model " + source + " has outputs "
                    + outputShapes.keySet() + "; Loupe needs '" + name + "'.");
        }
        return shape;
    }

    /** Runs one batch and returns one float output, copied to the heap. Synchronised: the buffers are shared. */
    public synchronized FloatTensor run(EncodedBatch batch, String output) {
        return call(batch, output, null, 0);
    }

    /**
     * Runs one batch whose float output {@code output} is {@code [batch, sequence, lastDim]} straight into a
     * reused direct buffer, passed to ONNX Runtime as a pinned output: nothing is copied out of native memory.
     * Returns that buffer (position 0, limit {@code batch * sequence * lastDim}); it is overwritten by the next
     * call, so read it before running again (callers are synchronised).
     */
    public synchronized FloatBuffer runPinned(EncodedBatch batch, String output, int lastDim) {
        int n = Math.multiplyExact(batch.elements(), lastDim);
        if (outBuf.capacity() < n) {
            int cap = Math.max(n, outBuf.capacity() + (outBuf.capacity() >> 1));
            outBuf = ByteBuffer.allocateDirect(Math.multiplyExact(cap, Float.BYTES)).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
        }
        outBuf.clear();
        outBuf.limit(n);
        FloatBuffer view = outBuf.slice(); // a tensor covers its buffer from position to limit
        call(batch, output, view, lastDim);
        return view;
    }

    /**
     * Runs one batch and returns the named float outputs, copied to the heap, in the order asked (the attention
     * extraction reads the model's output and every layer's attention probabilities from one run).
     */
    public synchronized Map<String, FloatTensor> runAll(EncodedBatch batch, List<String> outputs) {
        Map<String, OnnxTensor> inputs = feed(batch);
        try (OrtSession.Result result = session.run(inputs, new java.util.LinkedHashSet<>(outputs))) {
            Map<String, FloatTensor> out = new LinkedHashMap<>();
            for (String name : outputs) {
                out.put(name, heap(result.get(name).orElseThrow(), name));
            }
            return out;
        } catch (OrtException e) {
            throw failed(batch, e);
        } finally {
            closeAll(inputs, null);
        }
    }

    private FloatTensor call(EncodedBatch batch, String output, FloatBuffer pinned, int lastDim) {
        Map<String, OnnxTensor> inputs = feed(batch);
        OnnxTensor out = null;
        try {
            if (pinned != null) {
                out = OnnxTensor.createTensor(env, pinned, new long[] {batch.size(), batch.seqLen(), lastDim});
                session.run(inputs, Map.of(output, out)).close(); // the result holds the pinned tensor, not a copy
                return null;
            }
            try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
                return heap(result.get(0), output);
            }
        } catch (OrtException e) {
            throw failed(batch, e);
        } finally {
            closeAll(inputs, out);
        }
    }

    /** The input tensors of a batch over the reused direct buffers. */
    private Map<String, OnnxTensor> feed(EncodedBatch batch) {
        int n = batch.elements();
        long[] shape = {batch.size(), batch.seqLen()};
        idsBuf = fill(idsBuf, batch.inputIds(), n);
        maskBuf = fill(maskBuf, batch.attentionMask(), n);
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, idsBuf, shape));
            inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, maskBuf, shape));
            if (inputNames.contains(TOKEN_TYPE_IDS)) {
                typesBuf = fill(typesBuf, batch.typeIds(), n);
                inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, typesBuf, shape));
            }
            return inputs;
        } catch (OrtException e) {
            closeAll(inputs, null);
            throw failed(batch, e);
        }
    }

    private FloatTensor heap(OnnxValue v, String output) {
        if (!(v instanceof OnnxTensor t)) {
            throw new InternalException("Output '" + output + "' of " + source + " is not a tensor", null);
        }
        long[] outShape = t.getInfo().getShape();
        FloatBuffer fb = t.getFloatBuffer();
        if (fb == null) {
            throw new InvalidInputException("MODEL_OUTPUTS", "Output '" + output + "' of " + source
                    + " is " + t.getInfo().type + ", not float32.");
        }
        float[] data = new float[fb.remaining()];
        fb.get(data);
        return new FloatTensor(data, outShape);
    }

    private InternalException failed(EncodedBatch batch, OrtException e) {
        return new InternalException("ONNX Runtime failed on a batch of " + batch.size() + " x "
                + batch.seqLen() + " tokens with " + source + ": " + e.getMessage(), e);
    }

    private static void closeAll(Map<String, OnnxTensor> inputs, OnnxTensor out) {
        for (OnnxTensor t : inputs.values()) {
            t.close();
        }
        if (out != null) {
            out.close();
        }
    }

    private static LongBuffer fill(LongBuffer buf, long[] src, int n) {
        LongBuffer b = buf.capacity() >= n ? buf : allocate(Math.max(n, buf.capacity() + (buf.capacity() >> 1)));
        b.clear();
        b.put(src, 0, n);
        b.flip();
        return b;
    }

    private static LongBuffer allocate(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new InternalException("Cannot close the session of " + source + ": " + e.getMessage(), e);
        }
    }
}
