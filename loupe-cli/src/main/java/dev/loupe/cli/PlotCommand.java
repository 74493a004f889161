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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code loupe plot RUN --chart roc|pr|det|confusion|calibration|scores|curves --format svg -o FILE}. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Draw one chart of a run as an SVG file (for papers), from the same view model as the dashboard.",
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
    @Option(names = "--format", defaultValue = "svg", paramLabel = "FORMAT", description = "svg (default; png is not supported yet).")
    String format;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the chart.")
    Path output;

    @Override
    public Integer call() {
        if (!format.equals("svg")) {
            throw InvalidInputException.parameter("format", "svg", "'" + format + "'");
        }
        String svg;
        try (RunStore s = store.open()) {
            svg = SvgPlot.render(chart, RunData.load(s, run), PanelRegistry.standard());
        }
        try {
            Path abs = output.toAbsolutePath();
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            Files.writeString(abs, svg, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InternalException("Cannot write " + output + ": " + e.getMessage(), e);
        }
        spec.commandLine().getOut().println("Wrote " + output + ".");
        return 0;
    }
}
