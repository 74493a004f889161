package dev.loupe.models;

import java.util.List;

/**
 * A model that Loupe can run: its spec and a batch prediction. One call is one batch (one ONNX Runtime run);
 * the caller chooses the batch size. Implementations hold native resources: close them.
 */
public interface ModelAdapter extends AutoCloseable {

    ModelSpec spec();

    /** Scores a batch of texts; an empty list gives an empty output. */
    ModelOutput predict(List<String> texts);

    @Override
    void close();
}
