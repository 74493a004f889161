package dev.loupe.cli;

import dev.loupe.api.InternalException;
import dev.loupe.api.InvalidInputException;
import dev.loupe.report.PanelRegistry;
import dev.loupe.report.RunData;
import dev.loupe.report.SvgPlot;
import dev.loupe.store.RunStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code loupe plot RUN --chart roc|pr|det|confusion|calibration|scores|curves [--format svg|png] -o FILE}. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draw one chart of a run as an SVG or PNG file (for papers), from the same view model as the dashboard.",
                "PNG images are drawn at twice the SVG's size (1280 × 960 pixels)."},
        footer = {"", "Exit codes: 0 ok, 2 bad input, unknown run or a chart the run has no data for, 1 internal error."})
final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Parameters(paramLabel = "RUN", description = "Run id (or a unique prefix of at least 4 characters).")
    String run;
    @Option(names = "--chart", required = true, paramLabel = "CHART", description = "roc, pr, det, confusion, calibration, scores or curves.")
    String chart;
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "svg or png (default: from the output file's extension, .png → png, anything else → svg).")
    String format;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the chart.")
    Path output;

    /** The format given, else the one the output file's extension names, else svg. */
    static String format(String given, Path output) {
        if (given != null) {
            String f = given.trim().toLowerCase(Locale.ROOT);
            if (!SvgPlot.FORMATS.contains(f)) {
                throw InvalidInputException.parameter("--format", "one of " + String.join(", ", SvgPlot.FORMATS), "'" + given + "'");
            }
            return f;
        }
        Path name = output.getFileName();
        return name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "png" : "svg";
    }

    @Override
    public Integer call() {
        String f = format(format, output);
        byte[] bytes;
        try (RunStore s = store.open()) {
            bytes = SvgPlot.render(chart, f, RunData.load(s, run), PanelRegistry.standard());
        }
        try {
            Path abs = output.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            OutputFiles.write(abs, os -> os.write(bytes));
        } catch (IOException e) {
            throw new InternalException("Cannot write " + output + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "Wrote %s (%s, %,d bytes).%n", output, f, bytes.length);
        return 0;
    }
}
