package dev.loupe.cli;

import dev.loupe.api.LoupeException;
import dev.loupe.api.OutOfMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.List;

/** Entry point of the {@code loupe} command. */
@Command(name = "loupe", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Evaluate pre-trained models and see the results.")
public final class Main implements Runnable {
    /**
     * The subcommands, in the order {@code --help} lists them. They are added to the command line by {@link #commandLine}
     * rather than named in the annotation: picocli builds the model of every subcommand it is given (reflection over
     * some 180 classes, about a third of a small evaluation's start-up), so a run builds only the one it runs.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(EvaluateCommand.class, DemoCommand.class, ProfileCommand.class,
            RunsCommand.class, ImportCommand.class, ReportCommand.class, ServeCommand.class, WatchCommand.class,
            PlotCommand.class, ProjectCommand.class, CheckCommand.class, RobustnessCommand.class, SuiteCommand.class,
            ExplainCommand.class, CdsTrainingCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'loupe evaluate --help'.");
    }

    public static void main(String[] args) {
        // an OutOfMemoryError in any other thread (a server's, a worker's) ends the process with the same line
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (OutOfMemory.isCause(e)) {
                OutOfMemory.halt();
            }
            System.err.println("internal error in thread " + t.getName() + ": " + e + " — this is a bug in Loupe.");
        });
        NativeLibraries.useCached();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code: 0 ok, 2 bad input, 1 internal error. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(new Main(), args, out, err);
    }

    /** Runs {@code command} (a command object, such as a suite's child evaluation) with the same exit codes and messages. */
    static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = command instanceof Main ? commandLine(args) : new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error: " + printable(ex.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Run '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for the options.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (OutOfMemory.isCause(ex)) {
                err.println(outOfMemory());
                return 1;
            }
            if (ex instanceof LoupeException le) {
                err.println("error: " + printable(le.getMessage()));
                if (System.getenv("LOUPE_DEBUG") != null) {
                    ex.printStackTrace(err);
                }
                return le.exitCode();
            }
            err.println("internal error: " + printable(String.valueOf(ex)) + " — this is a bug in Loupe; please report it with the command you ran"
                    + " (set LOUPE_DEBUG=1 for the stack trace).");
            if (System.getenv("LOUPE_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            return 1;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory()); // the command's data is unreachable now: there is room to say so
            err.flush();
            return 1;
        }
    }

    /**
     * The {@code loupe} command line for {@code args}: with only the subcommand that {@code args} names when it names one
     * ({@code loupe evaluate ...}), with none for {@code --version}, else with all of them ({@code --help}, {@code help
     * CMD}, an unknown or missing command: the listing, the help and the suggestions need every name).
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length == 0 ? "" : args[0];
        if (first.equals("--version") || first.equals("-V")) {
            return cl;
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (c != CommandLine.HelpCommand.class && first.equals(c.getAnnotation(Command.class).name())) {
                return cl.addSubcommand(c);
            }
        }
        SUBCOMMANDS.forEach(cl::addSubcommand);
        return cl;
    }

    /** What to do when the heap ran out (never a stack trace: the message says which option or setting helps). */
    static String outOfMemory() {
        return OutOfMemory.message();
    }

    /**
     * An error message made safe for a terminal: control characters (an escape sequence in a file name or a cell
     * the message echoes) and bidirectional overrides become '?'; line breaks and tabs stay.
     */
    static String printable(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(message.length());
        message.codePoints().forEach(cp -> b.appendCodePoint(cp != '\n' && cp != '\t' && (Character.isISOControl(cp)
                || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) ? '?' : cp));
        return b.toString();
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
