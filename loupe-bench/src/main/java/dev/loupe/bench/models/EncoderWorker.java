package dev.loupe.bench.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.loupe.data.datasets.SpamAssassin;
import dev.loupe.data.text.Cleaning;
import dev.loupe.data.text.Splits;
import dev.loupe.data.text.TextDataset;
import dev.loupe.models.BundledEncoder;
import dev.loupe.models.EncodedBatch;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.ModelOutput;
import dev.loupe.models.OnnxSession;
import dev.loupe.models.OnnxTextEncoder;
import dev.loupe.models.PostProcessing;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Java side of the encoder benchmark (bench/models/run.sh): Loupe's pipeline (tokenise + ONNX Runtime + masked
 * mean pooling + L2 norm, i.e. {@link OnnxTextEncoder#predict}) on the texts of a JSON Lines file.
 *
 * <pre>
 *   EncoderWorker dump OUT.jsonl [N] [SEED]     # writes N (2000) texts of the SpamAssassin corpus (demo's sample)
 *   EncoderWorker serve TEXTS.jsonl THREADS MAXLEN MODEL...   # then reads commands on stdin, one JSON line out each
 * </pre>
 * Commands (one per line): {@code pass MODEL BATCH N} times one end-to-end pass over the first N texts with
 * {@code predict}; {@code split MODEL BATCH N} times the same pass cut into tokenise / session / pooling;
 * {@code check MODEL N} prints the embeddings of the first N texts (for the Java/Python agreement check);
 * {@code quit}. The protocol is the same as bench/models/py_worker.py's, so the driver alternates the two sides.
 */
public final class EncoderWorker {
    private static final ObjectMapper JSON = new ObjectMapper();

    private EncoderWorker() {}

    public static void main(String[] args) throws IOException {
        if (args.length >= 2 && args[0].equals("dump")) {
            dump(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 2000,
                    args.length > 3 ? Long.parseLong(args[3]) : 0L);
        } else if (args.length >= 5 && args[0].equals("serve")) {
            List<String> models = new ArrayList<>();
            for (int i = 4; i < args.length; i++) {
                models.add(args[i]);
            }
            serve(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), models);
        } else {
            System.err.println("usage: EncoderWorker dump OUT.jsonl [N] [SEED] | serve TEXTS.jsonl THREADS MAXLEN MODEL...");
            System.exit(2);
        }
    }

    /** The same stratified sample as {@code loupe demo} (cleaned corpus, {@code Splits.sample(n, seed)}). */
    static void dump(Path out, int n, long seed) throws IOException {
        SpamAssassin.Corpus corpus = SpamAssassin.load();
        TextDataset data = Splits.sample(Cleaning.clean(corpus.dataset()).dataset(), n, seed);
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < data.size(); i++) {
                ObjectNode o = JSON.createObjectNode();
                o.put("id", data.id(i));
                o.put("label", data.label(i));
                o.put("text", data.text(i));
                w.write(JSON.writeValueAsString(o));
                w.write('\n');
            }
        }
        System.err.printf(Locale.ROOT, "wrote %d texts (%s) to %s%n", data.size(), data.name(), out);
    }

    static List<String> readTexts(Path file) throws IOException {
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                JsonNode o = JSON.readTree(line);
                texts.add(o.get("text").asText());
            }
        }
        return texts;
    }

    static void serve(Path textsFile, int threads, int maxLength, List<String> modelNames) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<String> texts = readTexts(textsFile);
        String spin = System.getProperty("loupe.bench.spinning", "default"); // 1, 0 or default (ORT's own)
        ModelOptions options = ModelOptions.defaults().withMaxLength(maxLength).withThreads(threads)
                .withAllowSpinning(spin.equals("default") ? null : spin.equals("1"));
        Map<String, OnnxTextEncoder> encoders = new LinkedHashMap<>();
        for (String m : modelNames) {
            encoders.put(m, OnnxTextEncoder.open(BundledEncoder.byName(m), options));
        }
        ObjectNode ready = JSON.createObjectNode();
        ready.put("side", "java");
        ready.put("ready", true);
        ready.put("texts", texts.size());
        ready.put("runtime", "onnxruntime-java " + ortVersion() + " [" + dev.loupe.models.OrtNative.describe()
                + "], DJL tokenizers, Java "
                + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
        ready.put("processors", Runtime.getRuntime().availableProcessors());
        for (Map.Entry<String, OnnxTextEncoder> e : encoders.entrySet()) {
            var stats = e.getValue().session().graphStats();
            if (stats != null) {
                ready.put("flops128_" + e.getKey(), stats.flopsPerSequence(128));
            }
        }
        out.println(JSON.writeValueAsString(ready));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] c = line.trim().split("\\s+");
            if (c.length == 0 || c[0].isEmpty()) {
                continue;
            }
            if (c[0].equals("quit")) {
                break;
            }
            ObjectNode r;
            try {
                OnnxTextEncoder enc = encoders.get(c[1]);
                if (enc == null) {
                    throw new IllegalArgumentException("model not loaded: " + c[1]);
                }
                r = switch (c[0]) {
                    case "pass" -> pass(enc, texts, Integer.parseInt(c[2]), Integer.parseInt(c[3]));
                    case "split" -> split(enc, texts, Integer.parseInt(c[2]), Integer.parseInt(c[3]));
                    case "check" -> check(enc, texts, Integer.parseInt(c[2]));
                    case "tok" -> tokenizeOnly(enc, texts, Integer.parseInt(c[2]), Integer.parseInt(c[3]));
                    default -> throw new IllegalArgumentException("unknown command " + c[0]);
                };
            } catch (RuntimeException e) {
                r = JSON.createObjectNode();
                r.put("error", e.toString());
            }
            r.put("side", "java");
            out.println(JSON.writeValueAsString(r));
        }
        for (OnnxTextEncoder e : encoders.values()) {
            e.close();
        }
    }

    /** One end-to-end pass through the public API. */
    static ObjectNode pass(OnnxTextEncoder enc, List<String> texts, int batch, int n) {
        n = Math.min(n, texts.size());
        long tokens = 0;
        double checksum = 0;
        int[][] counts = new int[(n + batch - 1) / batch][];
        long t0 = System.nanoTime();
        for (int from = 0, k = 0; from < n; from += batch, k++) {
            ModelOutput o = enc.predict(texts.subList(from, Math.min(n, from + batch)));
            counts[k] = o.tokenCounts();
            checksum += o.embeddings()[0];
        }
        double s = (System.nanoTime() - t0) / 1e9;
        // FLOPs from the graph (outside the timed loop): useful = each text's own tokens; padded = what ran
        var stats = enc.session().graphStats();
        double flopsUseful = 0;
        double flopsPadded = 0;
        long padded = 0;
        for (int[] c : counts) {
            int seqLen = 0;
            for (int len : c) {
                seqLen = Math.max(seqLen, len);
            }
            for (int len : c) {
                tokens += len;
                padded += seqLen;
                if (stats != null) {
                    flopsUseful += stats.flopsPerSequence(len);
                    flopsPadded += stats.flopsPerSequence(seqLen);
                }
            }
        }
        ObjectNode r = JSON.createObjectNode();
        r.put("cmd", "pass");
        r.put("seconds", s);
        r.put("texts", n);
        r.put("tokens", tokens);
        r.put("padded_tokens", padded);
        r.put("flops_useful", flopsUseful);
        r.put("flops_padded", flopsPadded);
        r.put("checksum", checksum);
        return r;
    }

    /**
     * The same work as {@link #pass} (encode, then {@code run} = session + pooling, exactly what {@code predict}
     * does), with the three parts timed apart. Also counts the padded tokens the session actually computes.
     */
    static ObjectNode split(OnnxTextEncoder enc, List<String> texts, int batch, int n) {
        n = Math.min(n, texts.size());
        long tokens = 0;
        long padded = 0;
        double flopsUseful = 0;
        double flopsPadded = 0;
        long tTok = 0;
        long tRun = 0;
        long tPool = 0;
        var stats = enc.session().graphStats();
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            List<String> chunk = texts.subList(from, Math.min(n, from + batch));
            long a = System.nanoTime();
            EncodedBatch b = enc.tokenizer().encode(chunk);
            long bT = System.nanoTime();
            OnnxSession.FloatTensor hidden = enc.session().run(b, OnnxTextEncoder.LAST_HIDDEN_STATE);
            long cT = System.nanoTime();
            float[] emb = PostProcessing.meanPoolNormalize(hidden.data(), b.size(), b.seqLen(), enc.dim(),
                    b.attentionMask());
            long dT = System.nanoTime();
            tTok += bT - a;
            tRun += cT - bT;
            tPool += dT - cT;
            padded += (long) b.size() * b.seqLen();
            for (int i = 0; i < b.size(); i++) {
                tokens += b.lengths()[i];
                if (stats != null) {
                    flopsUseful += stats.flopsPerSequence(b.lengths()[i]);
                    flopsPadded += stats.flopsPerSequence(b.seqLen());
                }
            }
            if (emb.length == 0) {
                throw new IllegalStateException("no embeddings");
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        ObjectNode r = JSON.createObjectNode();
        r.put("cmd", "split");
        r.put("seconds", s);
        r.put("texts", n);
        r.put("tokens", tokens);
        r.put("padded_tokens", padded);
        r.put("tokenize_s", tTok / 1e9);
        r.put("session_s", tRun / 1e9);
        r.put("pool_s", tPool / 1e9);
        r.put("flops_useful", flopsUseful);
        r.put("flops_padded", flopsPadded);
        return r;
    }

    /** Tokenisation alone (the pre step of {@link #pass}), for the profile. */
    static ObjectNode tokenizeOnly(OnnxTextEncoder enc, List<String> texts, int batch, int n) {
        n = Math.min(n, texts.size());
        long tokens = 0;
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += batch) {
            EncodedBatch b = enc.tokenizer().encode(texts.subList(from, Math.min(n, from + batch)));
            tokens += b.lengths()[0];
        }
        double s = (System.nanoTime() - t0) / 1e9;
        ObjectNode r = JSON.createObjectNode();
        r.put("cmd", "tok");
        r.put("seconds", s);
        r.put("texts", n);
        r.put("first_tokens", tokens);
        return r;
    }

    /** Embeddings of the first n texts, each encoded in one batch of n, for the agreement check. */
    static ObjectNode check(OnnxTextEncoder enc, List<String> texts, int n) {
        ModelOutput o = enc.predict(texts.subList(0, Math.min(n, texts.size())));
        ObjectNode r = JSON.createObjectNode();
        r.put("cmd", "check");
        var arr = r.putArray("embeddings");
        for (int i = 0; i < o.size(); i++) {
            var row = arr.addArray();
            for (float v : o.embeddingOf(i)) {
                row.add(v);
            }
        }
        var tc = r.putArray("token_counts");
        for (int c : o.tokenCounts()) {
            tc.add(c);
        }
        return r;
    }

    private static String ortVersion() {
        Package p = ai.onnxruntime.OrtEnvironment.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        if (v == null) {
            try {
                v = ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
            } catch (RuntimeException | LinkageError e) {
                v = "?";
            }
        }
        return v;
    }
}
