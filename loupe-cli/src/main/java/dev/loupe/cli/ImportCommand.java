package dev.loupe.cli;

import dev.loupe.store.RunStore;
import dev.loupe.store.importers.CsvLogImporter;
import dev.loupe.store.importers.HfTrainerStateImporter;
import dev.loupe.store.importers.ImportResult;
import dev.loupe.store.importers.TensorBoardImporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code loupe import hf|csv}: training logs of other tools into the run store. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import training logs into the run store (importing a file again updates its run, never duplicating a point).",
        subcommands = {ImportCommand.Hf.class, ImportCommand.TensorBoard.class, ImportCommand.Csv.class},
        footer = {"", "Exit codes: 0 ok, 2 bad input (the message names the place), 1 internal error."})
final class ImportCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: hf, tensorboard or csv.");
    }

    static int report(PrintWriter err, ImportResult r) {
        describe(err, r);
        err.println("see it with: loupe runs show " + r.runId());
        return 0;
    }

    /** What an import did, then its notes (step column, what was skipped), one per line. */
    static void describe(PrintWriter err, ImportResult r) {
        err.println(r.describe());
        for (String note : r.notes()) {
            err.println("  " + note);
        }
    }

    @Command(name = "hf", mixinStandardHelpOptions = true,
            description = {"Import a Hugging Face Trainer trainer_state.json.",
                "Its log_history becomes series by step (loss, learning_rate, grad_norm, eval_*); the final train stats"
                    + " become metrics."})
    static final class Hf implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOption store;
        @Parameters(paramLabel = "FILE", description = "Path of trainer_state.json (in a checkpoint-N directory).")
        Path file;
        @Option(names = "--name", paramLabel = "N", description = "Run name (default: the checkpoint's directory).")
        String name;
        @Option(names = "--experiment", paramLabel = "E", description = "Experiment (default: default).")
        String experiment;

        @Override
        public Integer call() {
            try (RunStore s = store.open()) {
                return report(spec.commandLine().getErr(), HfTrainerStateImporter.importFile(s, file, name, experiment));
            }
        }
    }

    @Command(name = "csv", mixinStandardHelpOptions = true,
            description = {"Import a CSV log, long (columns step,name,value) or wide (step,<metric>,...).",
                "Reads Lightning's metrics.csv, Keras' CSVLogger and Ray Tune's progress.csv. Columns that are not numbers"
                    + " are skipped with a note."})
    static final class Csv implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOption store;
        @Parameters(paramLabel = "FILE", description = "The CSV file.")
        Path file;
        @Option(names = "--name", paramLabel = "N", description = "Run name (default: the file name).")
        String name;
        @Option(names = "--step-col", paramLabel = "COL", description = "The step column (default: the first of step,"
                + " global_step, epoch, training_iteration, iteration).")
        String stepCol;
        @Option(names = "--experiment", paramLabel = "E", description = "Experiment (default: default).")
        String experiment;

        @Override
        public Integer call() {
            try (RunStore s = store.open()) {
                return report(spec.commandLine().getErr(), CsvLogImporter.importFile(s, file, name, experiment, stepCol));
            }
        }
    }

    @Command(name = "tensorboard", mixinStandardHelpOptions = true,
            description = {"Import every events.out.tfevents.* file under LOGDIR, one run per directory.",
                "Scalar series by tag (simple_value and TF2 tensor scalars). Corrupt or truncated records are reported"
                    + " with the file, record and offset, the rest imports, and the exit status is 2."})
    static final class TensorBoard implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        StoreOption store;
        @Parameters(paramLabel = "LOGDIR", description = "The TensorBoard log directory.")
        Path logdir;
        @Option(names = "--experiment", paramLabel = "E", description = "Experiment (default: default).")
        String experiment;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (RunStore s = store.open()) {
                TensorBoardImporter.Result r = TensorBoardImporter.importDir(s, logdir, experiment);
                for (int i = 0; i < r.problems().size(); i++) {
                    err.println((i < r.damaged() ? "error: " : "warning: ") + r.problems().get(i));
                }
                for (ImportResult run : r.runs()) {
                    describe(err, run);
                }
                err.println(String.format(java.util.Locale.ROOT, "%,d event records", r.records())
                        + (r.skipped().isEmpty() ? "" : "; skipped " + TensorBoardImporter.describe(r.skipped())));
                err.println("list them with: loupe runs list");
                if (r.damaged() > 0) {
                    // the intact records are stored (nothing readable is lost); the exit status says the input was damaged
                    err.println(String.format(java.util.Locale.ROOT, "error: %,d damaged record%s or file%s (listed above, by file"
                            + " and offset): the intact records were imported, the damaged ones were not. If a writer is still"
                            + " running, a cut-short last record is expected: import again when it has finished.",
                            r.damaged(), r.damaged() == 1 ? "" : "s", r.damaged() == 1 ? "" : "s"));
                    return 2;
                }
            }
            return 0;
        }
    }
}
