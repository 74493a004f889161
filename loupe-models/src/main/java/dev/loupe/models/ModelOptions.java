package dev.loupe.models;

import dev.loupe.api.InvalidInputException;

/**
 * How to run a model.
 *
 * @param maxLength      truncation length in tokens, special tokens included; 0 = the model's own maximum
 * @param intraOpThreads ONNX Runtime intra-op threads; 0 = the number of available processors
 * @param allowSpinning  ONNX Runtime's {@code session.intra_op.allow_spinning}: whether idle intra-op threads
 *                       busy-wait for the next parallel section; {@code null} = ONNX Runtime's default (on)
 */
public record ModelOptions(int maxLength, int intraOpThreads, Boolean allowSpinning) {
    public ModelOptions(int maxLength, int intraOpThreads) {
        this(maxLength, intraOpThreads, null);
    }

    public ModelOptions {
        if (maxLength < 0) {
            throw InvalidInputException.parameter("max-length", "a positive number of tokens (or 0 for the model's maximum)", maxLength);
        }
        if (intraOpThreads < 0) {
            throw InvalidInputException.parameter("threads", "a positive number (or 0 for all processors)", intraOpThreads);
        }
    }

    public static ModelOptions defaults() {
        return new ModelOptions(0, 0);
    }

    public ModelOptions withMaxLength(int n) {
        return new ModelOptions(n, intraOpThreads, allowSpinning);
    }

    public ModelOptions withThreads(int n) {
        return new ModelOptions(maxLength, n, allowSpinning);
    }

    /** {@code null} leaves ONNX Runtime's default (spinning on). */
    public ModelOptions withAllowSpinning(Boolean spin) {
        return new ModelOptions(maxLength, intraOpThreads, spin);
    }

    int threads() {
        return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
    }

    /** The effective max length, checked against the model's limit. */
    int resolveMaxLength(int modelMax) {
        if (maxLength == 0) {
            return modelMax;
        }
        if (maxLength > modelMax) {
            throw InvalidInputException.parameter("max-length", "at most " + modelMax
                    + " (the model's position embeddings)", maxLength);
        }
        if (maxLength < 2) {
            throw InvalidInputException.parameter("max-length", "at least 2 (room for the special tokens)", maxLength);
        }
        return maxLength;
    }
}
