package dev.loupe.models;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The <b>pre</b> step: a Hugging Face {@code tokenizer.json} run by the Rust {@code tokenizers} library (through
 * DJL's JNI binding), giving the same ids as Python's {@code tokenizers}.
 *
 * <p>Settings are Loupe's, not the file's: truncation to {@link #maxLength()} tokens with the
 * {@code longest_first} strategy (special tokens are kept: they count towards the length), and no padding by
 * the library. The batch is padded here to its longest row with the tokenizer's pad id, and the attention
 * mask is 0 there.
 *
 * <p>Hot path: the batch is cut into up to one chunk per processor (at least {@value #MIN_CHUNK} texts each),
 * each chunk is one native call on a pool thread (DJL's native batch encode is sequential), then three
 * primitive arrays per text are copied into reused flat buffers. No token strings are made. The Rust tokenizer
 * is immutable after set-up ({@code &self}), so concurrent encodes on one handle are safe.
 */
public final class TextTokenizer implements AutoCloseable {
    private static final TokenizersLibrary LIB = TokenizersLibrary.LIB;
    /** Texts per parallel chunk at least: below this a batch is encoded on the calling thread. */
    static final int MIN_CHUNK = 8;
    private static final int PARALLELISM = Runtime.getRuntime().availableProcessors();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(Math.max(1, PARALLELISM - 1), r -> {
        Thread t = new Thread(r, "loupe-tokenizer");
        t.setDaemon(true);
        return t;
    });

    private final HuggingFaceTokenizer tokenizer;
    private final long handle;
    private final int maxLength;
    private final long padId;
    private final long padTypeId;
    private final long maskId;
    private final String maskToken;
    private final String source;
    private long[] ids = new long[0];
    private long[] mask = new long[0];
    private long[] types = new long[0];

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxLength, long padId, long padTypeId, long maskId,
                          String maskToken, String source) {
        this.tokenizer = tokenizer;
        this.maskId = maskId;
        this.maskToken = maskToken;
        this.handle = tokenizer.getHandle();
        this.maxLength = maxLength;
        this.padId = padId;
        this.padTypeId = padTypeId;
        this.source = source;
        LIB.disablePadding(handle);
        LIB.setTruncation(handle, maxLength, "LONGEST_FIRST", 0); // the JNI side wants the enum name; a bad one panics in Rust and aborts the JVM
    }

    /** Loads a {@code tokenizer.json}. */
    public static TextTokenizer fromFile(Path file, int maxLength) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException("MODEL_FILE_MISSING", "No tokenizer.json at " + file
                    + ": a model directory needs model.onnx, tokenizer.json and config.json (the layout"
                    + " 'optimum-cli export onnx' writes).");
        }
        try {
            return fromJson(Files.readAllBytes(file), maxLength, file.toString());
        } catch (IOException e) {
            throw new InvalidInputException("TOKENIZER_INVALID", "Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Loads a {@code tokenizer.json} held in memory (e.g. read from the class path). */
    public static TextTokenizer fromJson(byte[] json, int maxLength, String source) {
        if (maxLength < 2) {
            throw InvalidInputException.parameter("max-length", "at least 2 (room for the special tokens)", maxLength);
        }
        long padId;
        long padTypeId;
        long[] maskId = {-1};
        String[] maskToken = {null};
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            JsonNode padding = root.path("padding");
            padId = padding.path("pad_id").isIntegralNumber() ? padding.path("pad_id").asLong() : lookupPad(root);
            padTypeId = padding.path("pad_type_id").asLong(0);
            lookupMask(root, maskId, maskToken);
        } catch (IOException e) {
            throw new InvalidInputException("TOKENIZER_INVALID", "The tokenizer " + source
                    + " is not valid JSON: " + e.getMessage(), e);
        }
        Map<String, String> options = Map.of("addSpecialTokens", "true", "truncation", "true", "padding", "false",
                "maxLength", Integer.toString(maxLength), "modelMaxLength", Integer.toString(Math.max(512, maxLength)));
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
            return new TextTokenizer(t, maxLength, padId, padTypeId, maskId[0], maskToken[0], source);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("TOKENIZER_INVALID", "The tokenizers library cannot load " + source
                    + ": " + e.getMessage(), e);
        }
    }

    private static long lookupPad(JsonNode root) {
        for (JsonNode t : root.path("added_tokens")) {
            String c = t.path("content").asText();
            if (c.equals("[PAD]") || c.equals("<pad>")) {
                return t.path("id").asLong();
            }
        }
        JsonNode vocab = root.path("model").path("vocab");
        if (vocab.isObject()) {
            for (String name : new String[] {"[PAD]", "<pad>"}) {
                if (vocab.path(name).isIntegralNumber()) {
                    return vocab.path(name).asLong();
                }
            }
        }
        return 0;
    }

    /**
     * The mask token ({@code [MASK]} or {@code <mask>}), else the unknown token ({@code [UNK]}, {@code <unk>} or the
     * model's {@code unk_token}); id -1 and name null when the vocabulary has neither.
     */
    private static void lookupMask(JsonNode root, long[] id, String[] name) {
        for (String[] candidates : new String[][] {{"[MASK]", "<mask>"}, {"[UNK]", "<unk>", root.path("model").path("unk_token").asText("[UNK]")}}) {
            for (String c : candidates) {
                for (JsonNode t : root.path("added_tokens")) {
                    if (t.path("content").asText().equals(c)) {
                        id[0] = t.path("id").asLong();
                        name[0] = c;
                        return;
                    }
                }
                JsonNode vocab = root.path("model").path("vocab");
                if (vocab.isObject() && vocab.path(c).isIntegralNumber()) {
                    id[0] = vocab.path(c).asLong();
                    name[0] = c;
                    return;
                }
            }
        }
    }

    /** The id that stands for a removed word: the mask token's, else the unknown token's; -1 when there is neither. */
    public long maskId() {
        return maskId;
    }

    /** The token {@link #maskId()} stands for ({@code [MASK]}, {@code <mask>}, {@code [UNK]} ...), or null. */
    public String maskToken() {
        return maskToken;
    }

    /**
     * One text's tokens after truncation, special tokens included, with their character offsets into {@code text}
     * (Java {@code char} indices, end exclusive; -1 for tokens that cover no text, such as {@code [CLS]}).
     */
    public record Tokens(long[] ids, long[] typeIds, String[] tokens, int[] start, int[] end) {
        public int size() {
            return ids.length;
        }
    }

    /** Tokenises one text with offsets (the tokenizers library counts code points; they are mapped to chars here). */
    public synchronized Tokens tokens(String text) {
        String t = text == null ? "" : text;
        ai.djl.huggingface.tokenizers.Encoding e = tokenizer.encode(t);
        long[] ids = e.getIds();
        long[] special = e.getSpecialTokenMask();
        ai.djl.huggingface.tokenizers.jni.CharSpan[] spans = e.getCharTokenSpans();
        int n = ids.length;
        int[] start = new int[n];
        int[] end = new int[n];
        int cps = t.codePointCount(0, t.length());
        for (int i = 0; i < n; i++) {
            var sp = spans == null || i >= spans.length ? null : spans[i];
            boolean none = sp == null || special[i] == 1 || sp.getEnd() <= sp.getStart();
            start[i] = none ? -1 : t.offsetByCodePoints(0, Math.min(sp.getStart(), cps));
            end[i] = none ? -1 : t.offsetByCodePoints(0, Math.min(sp.getEnd(), cps));
        }
        return new Tokens(ids, e.getTypeIds(), e.getTokens(), start, end);
    }

    public int maxLength() {
        return maxLength;
    }

    public long padId() {
        return padId;
    }

    public String source() {
        return source;
    }

    /**
     * Tokenises a batch. The returned batch's arrays are this tokenizer's buffers: they are overwritten by the
     * next call, so use (or copy) the batch before encoding again.
     */
    public synchronized EncodedBatch encode(List<String> texts) {
        int n = texts.size();
        String[] input = new String[n];
        for (int i = 0; i < n; i++) {
            String t = texts.get(i);
            input[i] = t == null ? "" : t;
        }
        long[][] rowIds = new long[n][];
        long[][] rowTypes = new long[n][];
        long[][] rowMask = new long[n][];
        int chunks = Math.min(PARALLELISM, n / MIN_CHUNK);
        if (chunks <= 1) {
            encodeRange(input, 0, n, rowIds, rowTypes, rowMask);
        } else {
            // DJL's batchEncode runs the Rust encoder on the calling thread only: split the batch ourselves.
            List<Future<?>> parts = new ArrayList<>(chunks);
            for (int c = 0; c < chunks - 1; c++) {
                int from = (int) ((long) n * c / chunks);
                int to = (int) ((long) n * (c + 1) / chunks);
                parts.add(POOL.submit(() -> encodeRange(input, from, to, rowIds, rowTypes, rowMask)));
            }
            encodeRange(input, (int) ((long) n * (chunks - 1) / chunks), n, rowIds, rowTypes, rowMask); // the last chunk here
            for (Future<?> f : parts) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InternalException("Interrupted while tokenising", e);
                } catch (ExecutionException e) {
                    throw new InternalException("Tokenisation failed: " + e.getCause(), e.getCause());
                }
            }
        }
        int seqLen = 0;
        for (int i = 0; i < n; i++) {
            seqLen = Math.max(seqLen, rowIds[i].length);
        }
        int total = n * seqLen;
        if (ids.length < total) {
            int cap = Math.max(total, ids.length + (ids.length >> 1));
            ids = new long[cap];
            mask = new long[cap];
            types = new long[cap];
        }
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            int len = rowIds[i].length;
            int off = i * seqLen;
            lengths[i] = len;
            System.arraycopy(rowIds[i], 0, ids, off, len);
            System.arraycopy(rowTypes[i], 0, types, off, len);
            System.arraycopy(rowMask[i], 0, mask, off, len);
            Arrays.fill(ids, off + len, off + seqLen, padId);
            Arrays.fill(types, off + len, off + seqLen, padTypeId);
            Arrays.fill(mask, off + len, off + seqLen, 0L);
        }
        return new EncodedBatch(n, seqLen, ids, mask, types, lengths);
    }

    private void encodeRange(String[] input, int from, int to, long[][] rowIds, long[][] rowTypes, long[][] rowMask) {
        if (from >= to) {
            return;
        }
        long[] encodings = LIB.batchEncode(handle, Arrays.copyOfRange(input, from, to), true);
        try {
            for (int i = 0; i < encodings.length; i++) {
                rowIds[from + i] = LIB.getTokenIds(encodings[i]);
                rowTypes[from + i] = LIB.getTypeIds(encodings[i]);
                rowMask[from + i] = LIB.getAttentionMask(encodings[i]);
            }
        } finally {
            for (long e : encodings) {
                LIB.deleteEncoding(e);
            }
        }
    }

    /** The ids of each text, unpadded (for tests and tools). */
    public long[][] ids(List<String> texts) {
        EncodedBatch b = encode(texts);
        long[][] out = new long[b.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.idsOf(i);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        tokenizer.close();
    }
}
