package dev.loupe.cli;

import dev.loupe.store.StoreLocation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * SQLite's and zstd's native libraries, kept unpacked under {@code $LOUPE_HOME/cache/native/} so that a command does
 * not unpack them from the jar into the temporary directory on every start, as the two libraries do by default (about
 * a tenth of a second of a small evaluation, and SQLite's loader also lists the whole temporary directory). Each file
 * is unpacked once (to a temporary name, then moved into place, so processes racing for it never see half a file;
 * its name and folder carry the library's version) and handed to the library through its documented override
 * ({@code org.sqlite.lib.path} / {@code org.sqlite.lib.name}, {@code ZstdNativePath}). Anything unexpected (no
 * library for this platform, a read-only home) leaves the library to its own loader, as before.
 */
final class NativeLibraries {
    private NativeLibraries() {
    }

    /** Points SQLite and zstd at their unpacked libraries, unpacking them first when needed. */
    static void useCached() {
        Path dir = StoreLocation.home().resolve("cache").resolve("native");
        try {
            String folder = sqliteFolder();
            if (folder != null && System.getProperty("org.sqlite.lib.path") == null) {
                String resource = "/org/sqlite/native/" + folder + "/libsqlitejdbc.so";
                Path lib = unpacked(resource, dir.resolve("sqlite-" + org.sqlite.SQLiteJDBCLoader.getVersion()));
                if (lib != null) {
                    System.setProperty("org.sqlite.lib.path", lib.getParent().toString());
                    System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
                }
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // SQLite unpacks its library itself
        }
        try {
            if (System.getProperty("ZstdNativePath") == null) {
                java.lang.reflect.Method name = com.github.luben.zstd.util.Native.class.getDeclaredMethod("resourceName");
                name.setAccessible(true);
                Path lib = unpacked((String) name.invoke(null), dir.resolve("zstd"));
                if (lib != null) {
                    System.setProperty("ZstdNativePath", lib.toString());
                }
            }
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            // zstd unpacks its library itself
        }
    }

    /**
     * SQLite's folder in the jar for glibc Linux on x86-64 or ARM64, else null (the library's own loader then finds it):
     * named here because asking the library ({@code OSInfo}) starts a {@code uname} process on every start, a cost
     * this class exists to save. Should this ever name the wrong library, loading it fails and SQLite unpacks its own.
     */
    private static String sqliteFolder() {
        String arch = System.getProperty("os.arch", "");
        arch = arch.equals("amd64") ? "x86_64" : arch;
        boolean musl = Files.exists(Path.of("/lib/ld-musl-" + arch + ".so.1"));
        return System.getProperty("os.name", "").equals("Linux") && !musl && (arch.equals("x86_64") || arch.equals("aarch64"))
                && System.getenv("ANDROID_ROOT") == null ? "Linux/" + arch : null;
    }

    /**
     * The jar's {@code resource} as a file in {@code dir} (same name; both names carry the library's version), unpacked
     * if missing; null if the jar has no such resource. A file there is whole: it only ever appears by an atomic move.
     */
    private static Path unpacked(String resource, Path dir) throws IOException {
        Path file = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
        if (Files.isRegularFile(file)) {
            return file;
        }
        try (InputStream in = NativeLibraries.class.getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".unpacking-", ".tmp");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return file;
    }
}
