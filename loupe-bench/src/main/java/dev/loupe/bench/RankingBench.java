package dev.loupe.bench;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.Curves;
import dev.loupe.metrics.ExactRankingState;
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
import org.openjdk.jmh.infra.Blackhole;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The exact ranking path for one class: the radix sort of its scores and the cumulative threshold counts
 * ({@code ExactRankingState.counts}), then ROC and PR curves with AUC / AP from those counts; and the
 * equal-mass calibration sort. Binary data sets use the positive class, multi-class ones class 0.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class RankingBench {
    @Param({"binary_10m", "multi10_1m"})
    public String dataset;

    @Param({"bench/out"})
    public String dir;

    ExactRankingState state;
    Curves.ThresholdCounts counts;
    int cls;

    @Setup(Level.Trial)
    public void setup() {
        BenchData d = Datasets.get(Path.of(dir), dataset);
        state = new ExactRankingState(d.k);
        for (PredictionBatch b : d.batches(d.n, 65_536)) {
            state.update(b);
        }
        cls = d.k == 2 ? 1 : 0;
        counts = state.counts(cls);
    }

    /** Sort + threshold counts of one class. */
    @Benchmark
    public Curves.ThresholdCounts sortAndCounts() {
        return state.counts(cls);
    }

    /** ROC (with drop_intermediate) and PR curves, AUC and AP from precomputed counts. */
    @Benchmark
    public void curvesFromCounts(Blackhole bh) {
        bh.consume(Curves.roc(counts));
        bh.consume(Curves.pr(counts));
    }

    /** Equal-mass reliability bins: a sort of every row's top-label confidence. */
    @Benchmark
    public Object equalMass() {
        return state.equalMass(15);
    }
}
