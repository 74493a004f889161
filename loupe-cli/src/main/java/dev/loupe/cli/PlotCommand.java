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

/** {@code loupe plot RUN --chart roc|pr|det|confusion|calibration|scores|curves|projection [--format svg|png|jpg] -o FILE}. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draw one chart of a run as an SVG, PNG or JPEG file (for papers), from the same view model as the dashboard.",
                "PNG and JPEG images are drawn at twice the SVG's size (1280 × 960 pixels)."},
        footer = {"", "Exit codes: 0 ok, 2 bad input, unknown run or a chart the run has no data for, 1 internal error."})
final class PlotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Parameters(paramLabel = "RUN", description = "Run id (or a unique prefix of at least 4 characters).")
    String run;
    @Option(names = "--chart", required = true, paramLabel = "CHART", description = "roc, pr, det, confusion, calibration, scores, curves or projection.")
    String chart;
    @Option(names = "--format", paramLabel = "FORMAT",
            description = "svg, png or jpg (default: from the output file's extension: .svg, .png, .jpg or .jpeg; svg without one).")
    String format;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the chart.")
    Path output;

    /**
     * The format: the one {@code --format} gives, else the one the output file's extension names ({@code .svg},
     * {@code .png}, {@code .jpg} / {@code .jpeg}), else svg for a name without an extension. Refused (exit 2): an
     * extension naming no format we write (no SVG in a .pdf), and a {@code --format} that contradicts the extension
     * (no SVG in a .jpg).
     */
    static String format(String given, Path output) {
        String f = null;
        if (given != null) {
            f = given.trim().toLowerCase(Locale.ROOT);
            f = f.equals("jpeg") ? "jpg" : f;
            if (!SvgPlot.FORMATS.contains(f)) {
                throw InvalidInputException.parameter("--format", "one of " + String.join(", ", SvgPlot.FORMATS), "'" + given + "'");
            }
        }
        Path name = output.getFileName();
        String file = name == null ? "" : name.toString();
        int dot = file.lastIndexOf('.');
        String ext = dot <= 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
        String byExt = switch (ext) {
            case "svg" -> "svg";
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpg";
            default -> null;
        };
        if (f != null && byExt != null && !f.equals(byExt)) {
            throw new InvalidInputException("FORMAT_MISMATCH", "--format " + given + " does not match the output file "
                    + file + " (." + ext + " is " + byExt + "): change the file's extension or drop --format.");
        }
        if (f == null && byExt == null && !ext.isEmpty()) {
            throw new InvalidInputException("FORMAT_UNKNOWN", "Cannot tell which format to write to " + file + ": ." + ext
                    + " is not one of .svg, .png, .jpg. Use one of those extensions, or say --format svg|png|jpg.");
        }
        return f != null ? f : byExt != null ? byExt : "svg";
    }

    @Override
    public Integer call() {
        String f = format(format, output);
        byte[] bytes;
        try (RunStore s = store.openReadOnly()) {
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
