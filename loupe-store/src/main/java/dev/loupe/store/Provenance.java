package dev.loupe.store;

/**
 * Where a run's numbers came from. Every field may be {@code null} when unknown.
 *
 * @param modelSha256  SHA-256 of the model file (or of the predictions file for a file evaluation)
 * @param datasetHash  hash of the evaluated data set
 * @param splitSeed    seed of the data split or of the bootstrap
 * @param configJson   the run's configuration as a JSON object (text)
 * @param loupeVersion version of Loupe that wrote the run
 * @param command      command line that produced it
 * @param host         host name of the machine
 */
public record Provenance(String modelSha256, String datasetHash, Long splitSeed, String configJson,
                         String loupeVersion, String command, String host) {
    public static final Provenance EMPTY = new Provenance(null, null, null, null, null, null, null);

    /** The local host name, or {@code null} when it cannot be found. */
    public static String localHost() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    public Provenance withModelSha256(String v) {
        return new Provenance(v, datasetHash, splitSeed, configJson, loupeVersion, command, host);
    }

    public Provenance withDatasetHash(String v) {
        return new Provenance(modelSha256, v, splitSeed, configJson, loupeVersion, command, host);
    }

    public Provenance withSplitSeed(Long v) {
        return new Provenance(modelSha256, datasetHash, v, configJson, loupeVersion, command, host);
    }

    public Provenance withConfigJson(String v) {
        return new Provenance(modelSha256, datasetHash, splitSeed, v, loupeVersion, command, host);
    }

    public Provenance withLoupeVersion(String v) {
        return new Provenance(modelSha256, datasetHash, splitSeed, configJson, v, command, host);
    }

    public Provenance withCommand(String v) {
        return new Provenance(modelSha256, datasetHash, splitSeed, configJson, loupeVersion, v, host);
    }

    public Provenance withHost(String v) {
        return new Provenance(modelSha256, datasetHash, splitSeed, configJson, loupeVersion, command, v);
    }
}
