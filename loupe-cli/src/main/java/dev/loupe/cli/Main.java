package dev.loupe.cli;

import dev.loupe.api.LoupeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of the {@code loupe} command. */
@Command(name = "loupe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Evaluate pre-trained models and see the results.",
        subcommands = {EvaluateCommand.class, DemoCommand.class, ProfileCommand.class, RunsCommand.class, ImportCommand.class, ReportCommand.class, ServeCommand.class, WatchCommand.class, PlotCommand.class, CheckCommand.class, CdsTrainingCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'loupe evaluate --help'.");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code: 0 ok, 2 bad input, 1 internal error. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof LoupeException le) {
                err.println("error: " + le.getMessage());
                if (System.getenv("LOUPE_DEBUG") != null) {
                    ex.printStackTrace(err);
                }
                return le.exitCode();
            }
            err.println("internal error: " + ex + " — this is a bug in Loupe; please report it with the command you ran"
                    + " (set LOUPE_DEBUG=1 for the stack trace).");
            if (System.getenv("LOUPE_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory());
            return 1;
        }
    }

    /** What to do when the heap ran out (never a stack trace: the message says which option or setting helps). */
    static String outOfMemory() {
        long max = Runtime.getRuntime().maxMemory() >> 20;
        return "error: Loupe ran out of memory (Java heap limit " + max + " MB). Exact curves keep every row's score "
                + "(about 32 bytes a row for a binary file, 8 bytes per class and row otherwise): for very large files pass "
                + "--bins 10000 (constant memory, bounded AUC error; see docs/metrics-json.md), or give Java more memory, e.g. "
                + "LOUPE_JAVA_OPTS=-Xmx16g ./loupe ... (the launcher's default is -Xmx4g).";
    }

    /** Version from the jar manifest, else "dev". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"loupe " + version()};
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
