package dev.loupe.cli;

import dev.loupe.api.InternalException;
import dev.loupe.report.HtmlReport;
import dev.loupe.report.PanelRegistry;
import dev.loupe.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code loupe report RUN [RUN...] -o report.html}: one self-contained HTML file. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML report (all JavaScript, CSS and data inline; opens offline from file://)"
                + " with the dashboard's panels for one or more runs.",
                "Curves hold at most 1,000 points; the samples table holds the most confident errors and a random sample (--errors, --random)."},
        footer = {"", "Exit codes: 0 ok, 2 bad input or unknown run, 1 internal error."})
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Run ids (or unique prefixes of at least 4 characters).")
    List<String> runs;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", defaultValue = "report.html",
            description = "Where to write the report (default: ${DEFAULT-VALUE}).")
    Path output;
    @Option(names = "--errors", defaultValue = "50", paramLabel = "N",
            description = "Keep the N most confident errors in the samples table (default: ${DEFAULT-VALUE}).")
    int errors;
    @Option(names = "--random", defaultValue = "50", paramLabel = "N",
            description = "And N other rows drawn at random, seed 0 (default: ${DEFAULT-VALUE}).")
    int random;

    @Override
    public Integer call() {
        if (errors < 0 || errors > 100_000) {
            throw dev.loupe.api.InvalidInputException.parameter("--errors", "an integer in [0, 100000]", errors);
        }
        if (random < 0 || random > 100_000) {
            throw dev.loupe.api.InvalidInputException.parameter("--random", "an integer in [0, 100000]", random);
        }
        String html;
        try (RunStore s = store.openReadOnly()) {
            html = HtmlReport.render(s, runs, PanelRegistry.standard(), errors, random);
        }
        try {
            Path abs = output.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            OutputFiles.write(abs, os -> os.write(html.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new InternalException("Cannot write the report to " + output + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "Wrote %s (%,d bytes, %d run%s).%n", output, html.length(),
                runs.size(), runs.size() == 1 ? "" : "s");
        return 0;
    }
}
