"""A tiny classifier whose self-attention is one fused com.microsoft `Attention` operator, as ONNX Runtime's
transformer optimiser writes it: there is no Softmax over key positions to expose, so `loupe explain --method
attention` must refuse it (exit 2, with advice) while occlusion/SHAP/LIME still explain it.

Writes loupe-explain/src/test/resources/attention/bert-fused/ (model.onnx + the tiny BERT's config.json and
tokenizer.json). Needs numpy and onnx (the venv in DEVELOPERS.md); onnxruntime checks the model runs.
Usage, from the repository root:  python tools/explain/make_fused_model.py
"""
import json
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
SRC = os.path.join(ROOT, "loupe-explain", "src", "test", "resources", "attention", "bert")
OUT = os.path.join(ROOT, "loupe-explain", "src", "test", "resources", "attention", "bert-fused")


def main():
    cfg = json.load(open(os.path.join(SRC, "config.json")))
    vocab, hidden, heads = cfg["vocab_size"], cfg["hidden_size"], cfg["num_attention_heads"]
    rng = np.random.default_rng(0)
    w = lambda *s: numpy_helper.from_array((rng.standard_normal(s) * 0.3).astype(np.float32))  # noqa: E731
    inits = [w(vocab, hidden), w(hidden, 3 * hidden), w(3 * hidden), w(hidden, 2)]
    for t, name in zip(inits, ["emb", "qkv_w", "qkv_b", "cls_w"]):
        t.name = name
    nodes = [
        helper.make_node("Gather", ["emb", "input_ids"], ["x"]),
        helper.make_node("Cast", ["attention_mask"], ["mask32"], to=TensorProto.INT32),
        helper.make_node("Attention", ["x", "qkv_w", "qkv_b", "mask32"], ["att"], domain="com.microsoft", num_heads=heads),
        helper.make_node("ReduceMean", ["att"], ["pooled"], axes=[1], keepdims=0),
        helper.make_node("MatMul", ["pooled", "cls_w"], ["logits"]),
    ]
    graph = helper.make_graph(
        nodes, "fused-attention",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)],
                              producer_name="tools/explain/make_fused_model.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    os.makedirs(OUT, exist_ok=True)
    onnx.save(model, os.path.join(OUT, "model.onnx"))
    for f in ("config.json", "tokenizer.json"):
        shutil.copy(os.path.join(SRC, f), os.path.join(OUT, f))
    import onnxruntime as ort
    s = ort.InferenceSession(os.path.join(OUT, "model.onnx"), providers=["CPUExecutionProvider"])
    ids = np.array([[2, 10, 11, 3, 0]], dtype=np.int64)
    print("logits", s.run(None, {"input_ids": ids, "attention_mask": (ids > 0).astype(np.int64)})[0])


if __name__ == "__main__":
    main()
