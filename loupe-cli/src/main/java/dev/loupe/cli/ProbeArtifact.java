package dev.loupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import dev.loupe.models.probe.LogisticProbe;
import dev.loupe.store.Artifact;
import dev.loupe.store.RunStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe's weights kept with its run ({@code probe.json}), so that a stored run can be re-scored and explained
 * without training again: the encoder (short name or directory), its SHA-256, the max length, the classes in probe
 * order and the weights {@code [k][d + 1]} row-major, bias last.
 */
public record ProbeArtifact(String encoder, String encoderSha256, int maxLength, List<String> classes, LogisticProbe probe) {
    public static final String NAME = "probe.json";
    static final String FORMAT = "loupe-probe/1";

    void put(RunStore store, String runId) {
        store.putArtifact(runId, NAME, "application/json", new ByteArrayInputStream(json()));
    }

    /** Writes the probe as a file, as the store keeps it. */
    public void write(java.nio.file.Path file) throws IOException {
        Files.write(file, json());
    }

    private byte[] json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("encoder", encoder);
        m.put("encoder_sha256", encoderSha256);
        m.put("max_length", maxLength);
        m.put("classes", classes);
        m.put("dimension", probe.dimension());
        m.put("weights", probe.weights());
        try {
            return new ObjectMapper().writeValueAsBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The probe of a stored run; a clear error when the run has none (runs recorded before probes were kept). */
    public static ProbeArtifact load(RunStore store, String runId) {
        for (Artifact a : store.artifacts(runId)) {
            if (a.name().equals(NAME)) {
                return parse(store, a, runId);
            }
        }
        throw new NotFoundException("NO_PROBE", "The run " + runId + " has no stored probe (" + NAME + "): it was not a"
                + " probe run, or it was recorded before Loupe kept probe weights. Re-run 'loupe demo' or 'loupe evaluate"
                + " --model ENCODER --data FILE' to record one.");
    }

    private static ProbeArtifact parse(RunStore store, Artifact a, String runId) {
        return parse(store.artifactPath(a.sha256()), "The probe of run " + runId);
    }

    /** A probe saved as a file (the {@code probe.json} artifact of a probe run, copied out of the store). */
    public static ProbeArtifact read(java.nio.file.Path file) {
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("NO_PROBE", "No probe file " + file + ": pass the probe.json of a probe run.");
        }
        return parse(file, "The probe " + file);
    }

    private static ProbeArtifact parse(java.nio.file.Path file, String what) {
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readAllBytes(file));
            if (!FORMAT.equals(n.path("format").asText())) {
                throw new InvalidInputException("PROBE_FORMAT", what + " is in format '"
                        + n.path("format").asText() + "'; this Loupe reads " + FORMAT + ".");
            }
            List<String> classes = new java.util.ArrayList<>();
            n.path("classes").forEach(c -> classes.add(c.asText()));
            double[] w = new double[n.path("weights").size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = n.path("weights").get(i).asDouble();
            }
            return new ProbeArtifact(n.path("encoder").asText(), n.path("encoder_sha256").asText(null),
                    n.path("max_length").asInt(0), classes, LogisticProbe.of(classes.size(), n.path("dimension").asInt(), w));
        } catch (IOException e) {
            throw new InvalidInputException("PROBE_FORMAT", "Cannot read " + what.replace("The probe", "the probe") + ": "
                    + e.getMessage(), e);
        }
    }
}
