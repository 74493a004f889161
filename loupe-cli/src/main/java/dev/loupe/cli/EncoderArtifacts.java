package dev.loupe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.loupe.api.InternalException;
import dev.loupe.models.probe.LogisticProbe;
import dev.loupe.report.Float32Matrix;
import dev.loupe.store.RunStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an encoder-with-probe run keeps for the projector: the test rows' embeddings ({@code embeddings.f32}, in the
 * order of the stored predictions' row indices) and the probe ({@code probe.json}: classes, dimension and the
 * row-major k × (d + 1) weights, bias last), from which the panel draws the probe's exact decision regions.
 */
final class EncoderArtifacts {
    private EncoderArtifacts() {
    }

    static void put(RunStore store, String runId, ProbeRun run) {
        put(store, runId, run.embeddings(), run.probe(), run.classes());
    }

    static void put(RunStore store, String runId, float[][] embeddings, LogisticProbe trained, List<String> classes) {
        store.putArtifact(runId, "embeddings.f32", "application/octet-stream",
                new ByteArrayInputStream(Float32Matrix.of(embeddings).toBytes()));
        Map<String, Object> probe = new LinkedHashMap<>();
        probe.put("kind", "multinomial logistic regression");
        probe.put("classes", classes);
        probe.put("dimension", trained.dimension());
        probe.put("weights", trained.weights());
        try {
            store.putArtifact(runId, "probe.json", "application/json",
                    new ByteArrayInputStream(new ObjectMapper().writeValueAsBytes(probe)));
        } catch (IOException e) {
            throw new InternalException("cannot encode the probe: " + e.getMessage(), e);
        }
    }
}
