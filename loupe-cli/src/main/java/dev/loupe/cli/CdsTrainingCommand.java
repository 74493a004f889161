package dev.loupe.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run the launcher records a class-data-sharing archive from ({@code ./loupe} passes
 * {@code -XX:ArchiveClassesAtExit}; see docs/ARCHITECTURE.md, "Start-up"): the commands people run on small files —
 * {@code evaluate} (recorded, with intervals), {@code runs list}, {@code plot} and {@code report} — once each on the
 * example files in a throw-away store, so that the classes they load come from the archive afterwards.
 */
@Command(name = "cds-training", hidden = true, description = "Internal: the workload ./loupe archives classes from.")
final class CdsTrainingCommand implements Callable<Integer> {
    @Parameters(paramLabel = "EXAMPLES", description = "The examples/ directory.")
    Path examples;

    private static final Pattern RUN = Pattern.compile("recorded run ([0-9a-f]+)");

    @Override
    public Integer call() throws IOException {
        Path dir = Files.createTempDirectory("loupe-cds-");
        try {
            String store = dir.resolve("loupe.db").toString();
            String spam = run("evaluate", "--predictions", examples.resolve("spam-predictions.csv").toString(),
                    "--positive-label", "spam", "--json", dir.resolve("spam.json").toString(), "--store", store);
            String topics = run("evaluate", "--predictions", examples.resolve("topics-predictions.jsonl").toString(),
                    "--json", dir.resolve("topics.json").toString(), "--store", store);
            run("runs", "list", "--store", store);
            run("runs", "show", spam, "--store", store);
            run("plot", spam, "--chart", "roc", "-o", dir.resolve("roc.png").toString(), "--store", store);
            run("plot", topics, "--chart", "confusion", "-o", dir.resolve("confusion.svg").toString(), "--store", store);
            run("report", spam, topics, "-o", dir.resolve("report.html").toString(), "--store", store);
            return 0;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Runs one command in this JVM; returns the id of the run it recorded, if any. */
    private static String run(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(Writer.nullWriter()), new PrintWriter(err, true));
        if (code != 0) {
            throw new UncheckedIOException(new IOException("'" + String.join(" ", args) + "' failed: " + err));
        }
        Matcher m = RUN.matcher(err.toString());
        return m.find() ? m.group(1) : null;
    }
}
