package dev.loupe.models;

import dev.loupe.api.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Measures a model on the machine at hand: latency percentiles per batch for each (batch size, sequence
 * length), throughput, peak resident memory, model size, parameter count and FLOPs (from the graph, see
 * {@link OnnxGraphStats}), tokenizer throughput, and batch invariance.
 *
 * <p>Latency cells time run + post ({@link OnnxTextModel#run}) on batches of exactly {@code L} tokens per row
 * (cut from a tokenised long text, ending with its final special token), so every cell has the stated shape;
 * tokenisation is timed apart ({@link EfficiencyProfile#tokenizerTextsPerSecond}). Sequence lengths above the
 * model's max length are skipped and listed.
 */
public final class EfficiencyProfiler {
    private EfficiencyProfiler() {}

    /**
     * @param batchSizes    batch sizes to time
     * @param seqLengths    tokens per row to time
     * @param warmupRuns    untimed runs per cell
     * @param minRuns       timed runs per cell at least ...
     * @param maxRuns       ... and at most
     * @param budgetPerCell ... stopping after this much time once {@code minRuns} are done
     */
    public record Settings(List<Integer> batchSizes, List<Integer> seqLengths, int warmupRuns, int minRuns,
                           int maxRuns, Duration budgetPerCell) {
        public Settings {
            batchSizes = List.copyOf(batchSizes);
            seqLengths = List.copyOf(seqLengths);
            if (minRuns < 1 || maxRuns < minRuns) {
                throw InvalidInputException.parameter("runs", "1 <= minRuns <= maxRuns", minRuns + ".." + maxRuns);
            }
        }

        /** The grid: batch 1/8/32 × 32/128/512 tokens, ≥ 5 runs or 3 s per cell. */
        public static Settings standard() {
            return new Settings(List.of(1, 8, 32), List.of(32, 128, 512), 2, 5, 200, Duration.ofSeconds(3));
        }
    }

    /** One (batch size, sequence length) cell. Latencies are per batch, in milliseconds. */
    public record Cell(int batchSize, int seqLen, int runs, double p50Ms, double p95Ms, double p99Ms, double meanMs,
                       double sequencesPerSecond, double tokensPerSecond, double flopsPerSequence,
                       double gflopsPerSecond) {}

    /**
     * @param model                     the model's name
     * @param sha256                    SHA-256 of the ONNX bytes
     * @param modelFileBytes            size of the ONNX file
     * @param parameters                elements over all initialisers, or -1 when the graph was not readable
     * @param threads                   ONNX Runtime intra-op threads
     * @param cells                     latency per (batch size, sequence length)
     * @param skippedSeqLengths         requested lengths above the model's max length
     * @param tokenizerTextsPerSecond   tokenisation throughput on the invariance texts (batch of all of them)
     * @param peakRssBytes              the process's peak resident set (VmHWM), -1 where unknown (non-Linux)
     * @param batchInvarianceMaxAbsDiff the largest |output alone − output inside one padded batch| over every
     *                                  probability (classifier) or embedding component (encoder); 0 for a
     *                                  batch-invariant model, not 0 for dynamically quantised ones
     * @param batchInvarianceOf         "probabilities" or "embeddings"
     * @param batchInvarianceTexts      how many texts were compared
     */
    public record EfficiencyProfile(String model, String sha256, long modelFileBytes, long parameters, int threads,
                                    List<Cell> cells, List<Integer> skippedSeqLengths, double tokenizerTextsPerSecond,
                                    long peakRssBytes, double batchInvarianceMaxAbsDiff, String batchInvarianceOf,
                                    int batchInvarianceTexts) {
        public EfficiencyProfile {
            cells = List.copyOf(cells);
            skippedSeqLengths = List.copyOf(skippedSeqLengths);
        }
    }

    /** Texts of varied lengths and scripts for the batch-invariance check. */
    public static final List<String> INVARIANCE_TEXTS = List.of(
            "ok",
            "Hello world!",
            "Meeting moved to 3pm tomorrow; please bring the report.",
            "FREE!!! Click here to claim your prize now, limited offer, reply with your bank details.",
            "naïve café — 日本語のテキスト 😀",
            "The quick brown fox jumps over the lazy dog. ".repeat(12).trim(),
            "<html><body><p>Dear user, your account <b>expires</b> today.</p></body></html>",
            "");

    public static EfficiencyProfile profile(OnnxTextModel model, Settings settings) {
        OnnxSession session = model.session();
        OnnxGraphStats stats = session.graphStats();
        int maxLength = model.tokenizer().maxLength();
        long[][] row = templateRow(model.tokenizer());
        List<Cell> cells = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        for (int seqLen : settings.seqLengths()) {
            if (seqLen > maxLength || seqLen > row[0].length || seqLen < 2) {
                skipped.add(seqLen);
                continue;
            }
            for (int batchSize : settings.batchSizes()) {
                cells.add(time(model, batch(row, batchSize, seqLen), settings,
                        stats == null ? Double.NaN : stats.flopsPerSequence(seqLen)));
            }
        }
        double tokPerSec = tokenizerThroughput(model.tokenizer());
        boolean probabilities = model.spec().probabilities().isPresent();
        double invariance = batchInvariance(model, INVARIANCE_TEXTS, probabilities);
        return new EfficiencyProfile(model.spec().name(), session.sha256(), session.sizeBytes(),
                stats == null ? -1 : stats.parameters(), session.threads(), cells, skipped, tokPerSec, peakRssBytes(),
                invariance, probabilities ? "probabilities" : "embeddings", INVARIANCE_TEXTS.size());
    }

    /** ids, types of one row as long as the tokenizer allows, ending with the final special token. */
    private static long[][] templateRow(TextTokenizer tok) {
        String words = "the quick brown fox jumps over the lazy dog while the spam filter reads every email ";
        EncodedBatch b = tok.encode(List.of(words.repeat(1 + tok.maxLength() / 8)));
        int len = b.lengths()[0];
        return new long[][] {Arrays.copyOf(b.inputIds(), len), Arrays.copyOf(b.typeIds(), len)};
    }

    private static EncodedBatch batch(long[][] row, int batchSize, int seqLen) {
        long[] ids = new long[batchSize * seqLen];
        long[] types = new long[batchSize * seqLen];
        long[] mask = new long[batchSize * seqLen];
        int[] lengths = new int[batchSize];
        Arrays.fill(mask, 1L);
        Arrays.fill(lengths, seqLen);
        for (int i = 0; i < batchSize; i++) {
            int off = i * seqLen;
            System.arraycopy(row[0], 0, ids, off, seqLen - 1);
            ids[off + seqLen - 1] = row[0][row[0].length - 1];
            System.arraycopy(row[1], 0, types, off, seqLen);
        }
        return new EncodedBatch(batchSize, seqLen, ids, mask, types, lengths);
    }

    private static Cell time(OnnxTextModel model, EncodedBatch batch, Settings s, double flopsPerSeq) {
        for (int i = 0; i < s.warmupRuns(); i++) {
            model.run(batch);
        }
        List<Double> ms = new ArrayList<>();
        long budget = s.budgetPerCell().toNanos();
        long start = System.nanoTime();
        while (ms.size() < s.maxRuns() && (ms.size() < s.minRuns() || System.nanoTime() - start < budget)) {
            long t0 = System.nanoTime();
            model.run(batch);
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(ms);
        double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double seqPerSec = batch.size() / (mean / 1000);
        return new Cell(batch.size(), batch.seqLen(), ms.size(), percentile(ms, 0.50), percentile(ms, 0.95),
                percentile(ms, 0.99), mean, seqPerSec, seqPerSec * batch.seqLen(), flopsPerSeq,
                seqPerSec * flopsPerSeq / 1e9);
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(List<Double> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double tokenizerThroughput(TextTokenizer tok) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            texts.addAll(INVARIANCE_TEXTS);
        }
        tok.encode(texts);
        long t0 = System.nanoTime();
        int reps = 5;
        for (int i = 0; i < reps; i++) {
            tok.encode(texts);
        }
        return reps * texts.size() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Largest |alone − in one padded batch| over every output number. */
    public static double batchInvariance(ModelAdapter model, List<String> texts, boolean probabilities) {
        ModelOutput together = model.predict(texts);
        double max = 0;
        for (int i = 0; i < texts.size(); i++) {
            ModelOutput alone = model.predict(List.of(texts.get(i)));
            if (probabilities) {
                for (int k = 0; k < together.numLabels(); k++) {
                    max = Math.max(max, Math.abs(alone.probability(0, k) - together.probability(i, k)));
                }
            } else {
                float[] a = alone.embeddingOf(0);
                float[] b = together.embeddingOf(i);
                for (int d = 0; d < a.length; d++) {
                    max = Math.max(max, Math.abs(a[d] - b[d]));
                }
            }
        }
        return max;
    }

    /** The process's peak resident set size in bytes (Linux VmHWM), or -1. */
    public static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
