package dev.loupe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import dev.loupe.models.EfficiencyProfiler;
import dev.loupe.models.ModelAdapter;
import dev.loupe.models.ModelOptions;
import dev.loupe.models.Models;
import dev.loupe.models.OnnxTextModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code loupe profile --model M}: latency, throughput, memory, size, FLOPs and batch invariance on this machine. */
@Command(name = "profile", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Profile a model's speed, memory and size on this machine.",
            "Latency p50/p95/p99 per batch for batch sizes 1, 8, 32 and sequence lengths 32, 128, 512; throughput"
                + " (sequences/s, tokens/s); peak resident memory; model file size; parameter count and FLOPs per sequence"
                + " from the ONNX graph; and batch invariance (the largest difference between a text scored alone and"
                + " inside a batch)."},
        footer = {"", "Example:", "  loupe profile --model minilm-q --json profile.json"})
public final class ProfileCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|NAME", description = "A bundled encoder (minilm, minilm-q, bge-small-q, e5-small-q) or an ONNX model directory.")
    String model;

    @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32", paramLabel = "N", description = "Batch sizes (default: ${DEFAULT-VALUE}).")
    List<Integer> batchSizes;

    @Option(names = "--seq-lengths", split = ",", defaultValue = "32,128,512", paramLabel = "N", description = "Sequence lengths in tokens (default: ${DEFAULT-VALUE}).")
    List<Integer> seqLengths;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "S", description = "Time budget per cell (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "ONNX Runtime intra-op threads; 0 = all cores (default).")
    int threads;

    @Option(names = "--json", paramLabel = "OUT", description = "Also write the profile as JSON.")
    Path json;

    @Override
    public Integer call() {
        if (seconds < 1) {
            throw InvalidInputException.parameter("--seconds", "at least 1", seconds);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (ModelAdapter adapter = Models.open(model, ModelOptions.defaults().withThreads(threads))) {
            if (!(adapter instanceof OnnxTextModel onnx)) {
                throw new InvalidInputException("NOT_PROFILABLE", model + " is not an ONNX text model.");
            }
            spec.commandLine().getErr().println("profiling " + adapter.spec().name() + " (about "
                    + batchSizes.size() * seqLengths.size() * seconds + " s)");
            EfficiencyProfiler.EfficiencyProfile p = EfficiencyProfiler.profile(onnx, new EfficiencyProfiler.Settings(
                    batchSizes, seqLengths, 2, 5, 500, Duration.ofSeconds(seconds)));
            out.printf(Locale.ROOT, "%s  sha256 %s%n", p.model(), p.sha256());
            out.printf(Locale.ROOT, "file %.1f MB, %,d parameters, %d threads, peak RSS %.0f MB, tokenizer %.0f texts/s%n",
                    p.modelFileBytes() / 1e6, p.parameters(), p.threads(), p.peakRssBytes() / 1e6, p.tokenizerTextsPerSecond());
            out.println(dev.loupe.models.OrtNative.describe()); // which libonnxruntime ran (-Donnxruntime.native.path)
            out.printf(Locale.ROOT, "%n%6s %7s %9s %9s %9s %10s %11s %10s%n", "batch", "seq", "p50 ms", "p95 ms", "p99 ms",
                    "seq/s", "tokens/s", "GFLOP/s");
            for (EfficiencyProfiler.Cell c : p.cells()) {
                out.printf(Locale.ROOT, "%6d %7d %9.1f %9.1f %9.1f %10.1f %11.0f %10.1f%n", c.batchSize(), c.seqLen(),
                        c.p50Ms(), c.p95Ms(), c.p99Ms(), c.sequencesPerSecond(), c.tokensPerSecond(), c.gflopsPerSecond());
            }
            if (!p.skippedSeqLengths().isEmpty()) {
                out.println("skipped sequence lengths beyond the model's maximum: " + p.skippedSeqLengths());
            }
            out.printf(Locale.ROOT, "%nbatch invariance: largest |difference| of %s between alone and in a batch of %d: %.2e%n",
                    p.batchInvarianceOf(), p.batchInvarianceTexts(), p.batchInvarianceMaxAbsDiff());
            if (json != null) {
                try {
                    new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(json.toFile(), p);
                } catch (IOException e) {
                    throw new UncheckedIOException("writing " + json, e);
                }
            }
        }
        return 0;
    }
}
