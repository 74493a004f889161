/**
 * Model adapters: turn a batch of texts into class probabilities or embeddings with ONNX Runtime and the
 * Hugging Face tokenizer (DJL's binding of the Rust {@code tokenizers} library).
 *
 * <p>Every adapter is three parts, each testable alone (DJL's {@code Translator} split):
 * <ol>
 *   <li><b>pre</b> — {@link dev.loupe.models.TextTokenizer}: texts to a padded, columnar
 *       {@link dev.loupe.models.EncodedBatch} (ids, attention mask, token types). Truncation to the adapter's
 *       max length keeps special tokens; padding is to the longest text of the batch. Whatever padding or
 *       truncation a {@code tokenizer.json} hard-wires is overridden.</li>
 *   <li><b>run</b> — {@link dev.loupe.models.OnnxSession}: one ONNX Runtime session; inputs are found from the
 *       graph; input buffers are reused across batches.</li>
 *   <li><b>post</b> — {@link dev.loupe.models.PostProcessing}: softmax, masked mean pooling, L2 normalisation.</li>
 * </ol>
 *
 * <p>Entry points: {@link dev.loupe.models.Models#open} (a bundled encoder's short name, see
 * {@link dev.loupe.models.BundledEncoder}, or a model directory), {@link dev.loupe.models.OnnxTextClassifier},
 * {@link dev.loupe.models.OnnxTextEncoder}; {@link dev.loupe.models.EfficiencyProfiler} times a model and
 * {@link dev.loupe.models.OnnxGraphStats} reads parameter counts and FLOPs from the graph.
 *
 * <p>Conventions:
 * <ul>
 *   <li>{@link dev.loupe.models.ModelAdapter#predict} returns a columnar {@link dev.loupe.models.ModelOutput}
 *       (row-major {@code double[n*K]} probabilities, {@code float[n*D]} embeddings): no object per row or
 *       per token.</li>
 *   <li>Adapters are not meant to be shared across threads: {@code predict} is synchronised and reuses buffers;
 *       the parallelism is inside (tokenisation in parallel, ONNX Runtime intra-op threads set explicitly).</li>
 *   <li>Every problem with a model (missing file, corrupt graph, unexpected inputs) is an
 *       {@link dev.loupe.api.InvalidInputException} with a stable code and a message that names the path and
 *       what was found.</li>
 * </ul>
 */
package dev.loupe.models;
