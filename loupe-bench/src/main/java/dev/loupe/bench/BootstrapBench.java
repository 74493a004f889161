package dev.loupe.bench;

import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.BootstrapState;
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

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Poisson-bootstrap throughput on the first {@code rows} binary rows: the streaming {@code BootstrapState}
 * update (confusion, log loss, Brier, calibration per replicate) and the exact ranking state's per-replicate
 * AUC / AP pass. Time is linear in rows × replicates, so 100 replicates keep a quick run quick; multiply by
 * 10 for the 1,000 of a default evaluation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
public class BootstrapBench {
    @Param({"binary_10m"})
    public String dataset;

    @Param({"bench/out"})
    public String dir;

    @Param({"1000000"})
    public int rows;

    @Param({"100"})
    public int replicates;

    List<PredictionBatch> batches;
    ExactRankingState ranking;
    int k;

    @Setup(Level.Trial)
    public void setup() {
        BenchData d = Datasets.get(Path.of(dir), dataset);
        k = d.k;
        batches = d.batches(rows, 65_536);
        ranking = new ExactRankingState(k);
        for (PredictionBatch b : batches) {
            ranking.update(b);
        }
    }

    @Benchmark
    public BootstrapState bootstrapStateUpdate() {
        BootstrapState s = new BootstrapState(k, replicates, 0, k >= 3 ? 2 : 0, 15);
        for (PredictionBatch b : batches) {
            s.update(b);
        }
        return s;
    }

    @Benchmark
    public double[][] rankingBootstrapAucAp() {
        return ranking.bootstrapAucAp(k == 2 ? 1 : 0, replicates, 0);
    }
}
