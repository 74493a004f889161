package dev.loupe.bench;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.EvaluationConfig;
import dev.loupe.metrics.EvaluationResult;
import dev.loupe.metrics.EvaluationState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole metric engine with bootstrap off: {@code EvaluationState} update over prebuilt batches, then
 * {@code result()} (exact curves, calibration, every scalar). One call = one full evaluation of the data set.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class EvaluateBench {
    /** Base name of the gen_data.py arrays in {@link #dir}; synthesised with the same shape when missing. */
    @Param({"binary_10m", "multi10_1m"})
    public String dataset;

    @Param({"bench/out"})
    public String dir;

    @Param({"65536"})
    public int batchRows;

    List<PredictionBatch> batches;
    EvaluationConfig config;
    List<String> classes;

    @Setup(Level.Trial)
    public void setup() {
        BenchData d = Datasets.get(Path.of(dir), dataset);
        batches = d.batches(d.n, batchRows);
        config = EvaluationConfig.defaults(d.k, d.positive()).withBootstrap(0, 0);
        classes = d.classes();
    }

    @Benchmark
    public EvaluationResult updateAndResult() {
        EvaluationState s = new EvaluationState(config);
        for (PredictionBatch b : batches) {
            s.update(b);
        }
        return s.result(classes);
    }

    @Benchmark
    public EvaluationState updateOnly() {
        EvaluationState s = new EvaluationState(config);
        for (PredictionBatch b : batches) {
            s.update(b);
        }
        return s;
    }
}
