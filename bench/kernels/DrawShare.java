import dev.loupe.api.PredictionBatch;
import dev.loupe.metrics.BootstrapState;
import dev.loupe.metrics.ExactRankingState;
import dev.loupe.metrics.MetricOptions;

import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * CPU seconds of the two bootstrap kernels on 1M binary rows and 1,000 replicates, on this thread alone (run it with
 * -XX:ActiveProcessorCount=1 so that the parallel streams stay on it): the AUC/AP replicate walk over the sorted rows
 * and the bootstrap update in batches of 8,192 rows, as evaluate feeds it. bench/kernels/draw_share.sh runs it with the
 * kernels as they are and with their random-number mix replaced by an add, which measures what the draws cost.
 */
public class DrawShare {
    public static void main(String[] args) {
        int n = 1_000_000, replicates = 1000;
        Random rnd = new Random(1);
        double[] probs = new double[2 * n];
        int[] labels = new int[n];
        int[] preds = new int[n];
        for (int i = 0; i < n; i++) {
            double s = rnd.nextDouble();
            labels[i] = rnd.nextDouble() < s ? 1 : 0;
            probs[2 * i] = 1 - s;
            probs[2 * i + 1] = s;
            preds[i] = s >= 0.5 ? 1 : 0;
        }
        PredictionBatch rows = PredictionBatch.of(2, probs, labels, preds, null);
        for (int round = 0; round < 4; round++) {
            ExactRankingState ranking = new ExactRankingState(2);
            ranking.update(rows);
            ranking.bootstrapAucAp(1, 4, 7); // sorts, outside the timing
            long t0 = cpu();
            ranking.bootstrapAucAp(1, replicates, 7);
            long t1 = cpu();
            BootstrapState bootstrap = new BootstrapState(2, replicates, 7, 15, MetricOptions.defaults());
            for (int from = 0; from < n; from += 8192) {
                bootstrap.update(rows.slice(from, Math.min(n, from + 8192)));
            }
            long t2 = cpu();
            if (round > 0) { // the first round warms the JIT up
                System.out.printf("AUC/AP replicate walk %.2f s CPU, bootstrap update %.2f s CPU%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
            }
        }
    }

    private static long cpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
