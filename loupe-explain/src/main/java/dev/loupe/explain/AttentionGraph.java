package dev.loupe.explain;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.loupe.api.InvalidInputException;
import dev.loupe.explain.onnx.OnnxProto.GraphProto;
import dev.loupe.explain.onnx.OnnxProto.ModelProto;
import dev.loupe.explain.onnx.OnnxProto.NodeProto;
import dev.loupe.explain.onnx.OnnxProto.TensorProto;
import dev.loupe.explain.onnx.OnnxProto.TypeProto;
import dev.loupe.explain.onnx.OnnxProto.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exposes a transformer's attention probabilities without re-exporting it: reads the ONNX graph (classes generated from
 * the vendored {@code onnx.proto}), finds the {@code Softmax} of every self-attention block — a softmax whose output is
 * multiplied with the values ({@code MatMul}, possibly through {@code Dropout}, {@code Cast} or {@code Identity}) — and
 * adds each one's output to the graph outputs, in graph (topological, hence layer) order. The patched bytes stay in
 * memory: the user's model file is never written.
 *
 * <p>A graph whose attention is fused into one operator ({@code Attention}, {@code MultiHeadAttention}, as ONNX
 * Runtime's transformer optimiser writes) has no probabilities to expose: that is bad input (exit 2) with what to do,
 * never a wrong map.
 */
public final class AttentionGraph {
    private static final Set<String> FUSED = Set.of("Attention", "MultiHeadAttention", "PackedAttention",
            "PackedMultiHeadAttention", "GroupQueryAttention", "QAttention", "DecoderMaskedMultiHeadAttention",
            "SparseAttention");
    private static final Set<String> PASS_THROUGH = Set.of("Dropout", "Cast", "Identity");

    /** The patched model and its attention outputs, one per layer in order. */
    public record Patched(byte[] model, List<String> attentionOutputs) {
    }

    private AttentionGraph() {}

    public static Patched patch(byte[] model, String source) {
        ModelProto m;
        try {
            m = ModelProto.parseFrom(model);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInputException("MODEL_CORRUPT", "Cannot read the ONNX graph of " + source + ": "
                    + e.getMessage() + ". Is it a complete ONNX file?", e);
        }
        GraphProto g = m.getGraph();
        for (NodeProto n : g.getNodeList()) {
            if (FUSED.contains(n.getOpType())) {
                throw new InvalidInputException("ATTENTION_FUSED", "The model " + source + " computes attention in one fused"
                        + " '" + n.getOpType() + "' operator (ONNX Runtime's transformer optimiser writes these), so its"
                        + " attention probabilities do not exist as a tensor. Export the model without optimisation (e.g."
                        + " optimum-cli export onnx with no --optimize, or torch.onnx.export) and explain that file.");
            }
        }
        Map<String, List<NodeProto>> consumers = new HashMap<>();
        for (NodeProto n : g.getNodeList()) {
            for (String in : n.getInputList()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        List<String> outs = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (n.getOpType().equals("Softmax") && n.getOutputCount() > 0 && feedsMatMul(n.getOutput(0), consumers, 0)) {
                outs.add(n.getOutput(0));
            }
        }
        if (outs.isEmpty()) {
            throw new InvalidInputException("NO_ATTENTION", "The model " + source + " has no self-attention Softmax whose"
                    + " probabilities multiply the values: Loupe cannot find its attention maps. Attention needs a"
                    + " transformer exported without fused attention (e.g. with torch.onnx.export).");
        }
        Set<String> existing = new HashSet<>();
        g.getOutputList().forEach(o -> existing.add(o.getName()));
        GraphProto.Builder gb = g.toBuilder();
        for (String o : outs) {
            if (existing.add(o)) {
                gb.addOutput(ValueInfoProto.newBuilder().setName(o).setType(TypeProto.newBuilder().setTensorType(
                        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
            }
        }
        return new Patched(m.toBuilder().setGraph(gb).build().toByteArray(), List.copyOf(outs));
    }

    private static boolean feedsMatMul(String value, Map<String, List<NodeProto>> consumers, int depth) {
        for (NodeProto c : consumers.getOrDefault(value, List.of())) {
            if (c.getOpType().equals("MatMul") && c.getInputCount() > 0 && c.getInput(0).equals(value)) {
                return true;
            }
            if (depth < 2 && PASS_THROUGH.contains(c.getOpType()) && c.getOutputCount() > 0
                    && feedsMatMul(c.getOutput(0), consumers, depth + 1)) {
                return true;
            }
        }
        return false;
    }
}
