package dev.loupe.models;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which ONNX Runtime native library this JVM runs. {@link OrtEnvironment#getVersion()} reports the version the JNI
 * glue was compiled against, not the {@code libonnxruntime.so} actually loaded, which differs when a user points
 * {@code -Donnxruntime.native.path=DIR} (ONNX Runtime Java's own property: {@code DIR/libonnxruntime.so} and
 * {@code DIR/libonnxruntime4j_jni.so}) at another build. On Linux the loaded file is read from
 * {@code /proc/self/maps} and its version from its ELF symbol-version definition ({@code VERS_x.y.z}).
 */
public final class OrtNative {
    /** ONNX Runtime Java's system property for a directory holding the native libraries. */
    public static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    /** ONNX Runtime Java's system property for the full path of {@code libonnxruntime.so} alone. */
    public static final String LIBRARY_PATH_PROPERTY = "onnxruntime.native.onnxruntime.path";
    private static final Pattern VERS = Pattern.compile("VERS_(\\d+\\.\\d+\\.\\d+)");

    private OrtNative() {}

    /** True when the user chose the native libraries ({@link #NATIVE_PATH_PROPERTY} or {@link #LIBRARY_PATH_PROPERTY}). */
    public static boolean userSupplied() {
        return System.getProperty(NATIVE_PATH_PROPERTY) != null || System.getProperty(LIBRARY_PATH_PROPERTY) != null;
    }

    /** The loaded {@code libonnxruntime.so*} (resolved path), loading ONNX Runtime if needed; null when unknown. */
    public static Path library() {
        OrtEnvironment.getEnvironment();
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(maps);
            for (String line : lines) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path p = Path.of(line.substring(slash));
                String name = p.getFileName().toString();
                if (name.startsWith("libonnxruntime.so")) {
                    return p;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The version of the loaded native library ({@code 1.30.0}), or the JNI's version when it cannot be read. */
    public static String version() {
        Path lib = library();
        if (lib != null) {
            String v = elfVersion(lib);
            if (v != null) {
                return v;
            }
        }
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** One line for logs: native version, file, and the JNI's compiled-in version. */
    public static String describe() {
        Path lib = library();
        return "onnxruntime native " + version() + " (" + (lib == null ? "unknown file" : lib) + "), JNI "
                + OrtEnvironment.getEnvironment().getVersion()
                + (userSupplied() ? ", user-supplied via -D" + NATIVE_PATH_PROPERTY : ", bundled");
    }

    /** The symbol-version name the library defines ({@code VERS_1.30.0} → {@code 1.30.0}), read from its head. */
    static String elfVersion(Path lib) {
        try (InputStream in = Files.newInputStream(lib)) {
            byte[] head = in.readNBytes(1 << 20); // .dynstr and .gnu.version_d sit in the first pages
            Matcher m = VERS.matcher(new String(head, StandardCharsets.ISO_8859_1));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
