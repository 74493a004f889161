package dev.loupe.cli.attack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A separate JVM on the test class path: for faults that only another process can suffer (kill -9, -Xmx). */
final class Child {
    private Child() {
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
