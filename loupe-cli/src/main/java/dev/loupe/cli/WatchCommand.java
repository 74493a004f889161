package dev.loupe.cli;

import dev.loupe.store.RunStore;
import dev.loupe.store.importers.LogWatcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code loupe watch DIR...}: follow training logs into the run store, without the dashboard. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow the training logs under each folder into the run store until interrupted (Ctrl-C).",
                "TensorBoard event files, trainer_state.json and CSV logs (*.csv, *.log with a step column) are imported"
                        + " as 'loupe import' does and then followed as they grow; new files are picked up as they appear."
                        + " A run is running while its files grow and finished after --finished-after seconds without"
                        + " new data. 'loupe serve --watch DIR' does the same beside the dashboard."},
        footer = {"", "Exit codes: 0 ok, 2 bad input, 1 internal error."})
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "Folders to watch (created later is fine).")
    List<Path> dirs;
    @Mixin
    Options watch;

    /** The options {@code watch} and {@code serve --watch} share. */
    static final class Options {
        @Option(names = "--finished-after", paramLabel = "S", defaultValue = "180",
                description = "Seconds without new data before a watched run is marked finished (default: ${DEFAULT-VALUE};"
                        + " PyTorch's SummaryWriter flushes every 120 s).")
        long finishedAfter;
        @Option(names = "--experiment", paramLabel = "E", description = "Experiment of the runs made from watched logs (default: default).")
        String experiment;

        LogWatcher.Options options() {
            if (finishedAfter < 1) {
                throw dev.loupe.api.InvalidInputException.parameter("--finished-after", "at least 1 (seconds)", finishedAfter);
            }
            return LogWatcher.Options.DEFAULT.withQuietAfter(Duration.ofSeconds(finishedAfter)).withExperiment(experiment);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        RunStore s = store.open();
        err.println("Watching " + dirs + " into the store " + s.location().redacted() + ". Press Ctrl-C to stop.");
        err.flush();
        LogWatcher w;
        try {
            w = start(s, dirs, watch.options(), err);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            w.close();
            s.close();
            stop.countDown();
        }, "loupe-watch-shutdown"));
        stop.await();
        return 0;
    }

    /** Starts a watcher whose messages go to {@code err}, one line each. */
    static LogWatcher start(RunStore s, List<Path> dirs, LogWatcher.Options options, PrintWriter err) {
        return LogWatcher.create(s, dirs, options, line -> {
            synchronized (err) {
                err.println(RunsCommand.safe(line));
                err.flush();
            }
        }).start();
    }
}
