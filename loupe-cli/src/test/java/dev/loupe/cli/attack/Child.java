package dev.loupe.cli.attack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers of the attack's tests: the CLI in this process (with a time limit), a separate JVM on the test class path
 * for faults only another process can suffer (kill -9, -Xmx), generated prediction files, and the privileges mounts need.
 */
final class Child {
    private Child() {
    }

    /** What a command did: its exit status, standard output and standard error. */
    record Run(int exit, String out, String err) {
    }

    /** Runs the CLI in this process; a command that takes over a minute fails the test as a hang. */
    static Run cli(String... args) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = dev.loupe.cli.Main.run(args, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true));
            return new Run(code, out.toString(), err.toString());
        }, () -> "hung: " + String.join(" ", args));
    }

    /** A binary prediction file (id, label, prob_ham, prob_spam) of {@code rows} seeded rows. */
    static Path predictions(Path dir, int rows, long seed) throws IOException {
        java.util.Random r = new java.util.Random(seed);
        StringBuilder b = new StringBuilder("id,label,prob_ham,prob_spam\n");
        for (int i = 0; i < rows; i++) {
            double p = r.nextDouble();
            b.append(i).append(',').append(r.nextDouble() < p ? "spam" : "ham").append(',')
                    .append(String.format(java.util.Locale.ROOT, "%.6f,%.6f", 1 - p, p)).append('\n');
        }
        Path f = dir.resolve("predictions-" + rows + ".csv");
        java.nio.file.Files.writeString(f, b);
        return f;
    }

    static ProcessBuilder java(List<String> jvmOptions, Path home, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dloupe.home=" + home);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** Runs {@code command} (e.g. mount) and returns its exit status; its output goes to {@code log}. */
    static int system(Path log, String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start().waitFor();
    }

    /** Whether this process runs as root (disk-full and read-only mounts need it). */
    static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** CI must run every fault test: outside CI a missing privilege skips, under CI it fails. */
    static boolean ci() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equals("0") && !ci.equalsIgnoreCase("false");
    }
}
