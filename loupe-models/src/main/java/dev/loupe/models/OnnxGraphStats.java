package dev.loupe.models;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Static facts read from an ONNX file's protobuf without a protobuf library: parameter count (elements of all
 * initialisers), operator counts, and a FLOP estimate for a transformer encoder.
 *
 * <p>FLOP model (multiply-add = 2 FLOPs): every matrix multiply with a rank-2 initialiser operand {@code [K, N]}
 * ({@code MatMul}, {@code Gemm}, {@code MatMulInteger}, {@code FusedMatMul}, ...) costs {@code 2·K·N} per
 * token; every matrix multiply between two activations is taken to be attention ({@code Q·Kᵀ} or
 * {@code A·V}), costing {@code 2·L²·H} per sequence of length {@code L}, with {@code H} the hidden size
 * (the {@code K} of the first weight multiply). Element-wise work, softmax and layer norm are left out (a few
 * per cent). For MiniLM-L6 at 128 tokens this gives ≈ 2.9 GFLOP.
 *
 * @param parameters        total elements over all initialisers
 * @param initializers      number of initialiser tensors
 * @param opCounts          node count per operator type
 * @param weightFlopsPerToken FLOPs per token of the weight multiplies
 * @param activationMatmuls number of activation × activation multiplies
 * @param hidden            hidden size used for attention FLOPs (0 if unknown)
 */
public record OnnxGraphStats(long parameters, int initializers, Map<String, Integer> opCounts,
                             long weightFlopsPerToken, int activationMatmuls, long hidden) {
    private static final Set<String> MATMULS = Set.of("MatMul", "Gemm", "MatMulInteger", "FusedMatMul",
            "DynamicQuantizeMatMul", "MatMulIntegerToFloat", "QLinearMatMul", "MatMulNBits");

    /** FLOPs for one sequence of {@code seqLen} tokens. */
    public double flopsPerSequence(int seqLen) {
        return (double) weightFlopsPerToken * seqLen + (double) activationMatmuls * 2.0 * seqLen * seqLen * hidden;
    }

    /** Parses an ONNX model's bytes. Fails with IllegalArgumentException on a malformed protobuf. */
    public static OnnxGraphStats read(byte[] model) {
        Reader r = new Reader(model, 0, model.length);
        Reader graph = null;
        while (r.more()) {
            int tag = r.varint32();
            if (tag >>> 3 == 7 && (tag & 7) == 2) {
                graph = r.sub();
            } else {
                r.skip(tag & 7);
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException("no graph in the ONNX model");
        }
        Map<String, long[]> initShapes = new HashMap<>();
        List<String[]> nodes = new ArrayList<>(); // op, in0, in1
        Map<String, Integer> ops = new TreeMap<>();
        long params = 0;
        while (graph.more()) {
            int tag = graph.varint32();
            int field = tag >>> 3;
            if (field == 5 && (tag & 7) == 2) {
                Reader t = graph.sub();
                List<Long> dims = new ArrayList<>();
                String name = "";
                while (t.more()) {
                    int tt = t.varint32();
                    if (tt >>> 3 == 1 && (tt & 7) == 0) {
                        dims.add(t.varint64());
                    } else if (tt >>> 3 == 1 && (tt & 7) == 2) {
                        Reader packed = t.sub();
                        while (packed.more()) {
                            dims.add(packed.varint64());
                        }
                    } else if (tt >>> 3 == 8 && (tt & 7) == 2) {
                        name = t.string();
                    } else {
                        t.skip(tt & 7);
                    }
                }
                long n = 1;
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i);
                    n *= shape[i];
                }
                params += n;
                initShapes.put(name, shape);
            } else if (field == 1 && (tag & 7) == 2) {
                Reader nd = graph.sub();
                List<String> inputs = new ArrayList<>();
                String op = "";
                while (nd.more()) {
                    int nt = nd.varint32();
                    if (nt >>> 3 == 1 && (nt & 7) == 2) {
                        inputs.add(nd.string());
                    } else if (nt >>> 3 == 4 && (nt & 7) == 2) {
                        op = nd.string();
                    } else {
                        nd.skip(nt & 7);
                    }
                }
                ops.merge(op, 1, Integer::sum);
                nodes.add(new String[] {op, inputs.size() > 0 ? inputs.get(0) : "", inputs.size() > 1 ? inputs.get(1) : ""});
            } else {
                graph.skip(tag & 7);
            }
        }
        long weightFlops = 0;
        int activation = 0;
        long hidden = 0;
        for (String[] node : nodes) {
            if (!MATMULS.contains(node[0])) {
                continue;
            }
            long[] w = initShapes.get(node[2]);
            if (w == null) {
                w = initShapes.get(node[1]);
            }
            if (w != null && w.length == 2) {
                long k = w[0];
                long nOut = w[1];
                if (node[0].equals("Gemm") && initShapes.get(node[2]) == w) {
                    // Gemm weights are often stored transposed (transB=1): the product is the same
                    k = Math.min(w[0], w[1]);
                    nOut = Math.max(w[0], w[1]);
                }
                weightFlops += 2 * k * nOut;
                if (hidden == 0) {
                    hidden = k;
                }
            } else if (w == null) {
                activation++;
            }
        }
        return new OnnxGraphStats(params, initShapes.size(), Map.copyOf(ops), weightFlops, activation, hidden);
    }

    /** Minimal protobuf wire-format reader over a byte range. */
    private static final class Reader {
        private final byte[] b;
        private int pos;
        private final int end;

        Reader(byte[] b, int from, int to) {
            this.b = b;
            this.pos = from;
            this.end = to;
        }

        boolean more() {
            return pos < end;
        }

        long varint64() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new IllegalArgumentException("truncated varint");
                }
                byte x = b[pos++];
                result |= (long) (x & 0x7f) << shift;
                if (x >= 0) {
                    return result;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        int varint32() {
            return (int) varint64();
        }

        Reader sub() {
            long len = varint64();
            if (len < 0 || pos + len > end) {
                throw new IllegalArgumentException("length " + len + " past the end");
            }
            Reader r = new Reader(b, pos, pos + (int) len);
            pos += (int) len;
            return r;
        }

        String string() {
            Reader s = sub();
            return new String(b, s.pos, s.end - s.pos, StandardCharsets.UTF_8);
        }

        void skip(int wireType) {
            switch (wireType) {
                case 0 -> varint64();
                case 1 -> pos += 8;
                case 2 -> sub();
                case 5 -> pos += 4;
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
            }
            if (pos > end) {
                throw new IllegalArgumentException("field past the end");
            }
        }
    }
}
