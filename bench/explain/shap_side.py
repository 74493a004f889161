"""The Python side of bench/explain/explain.sh: shap's KernelExplainer driving onnxruntime on the same model, masking,
probe and coalition count as `loupe explain --method shap`.

    python bench/explain/shap_side.py ONNX TOKENIZER_JSON PROBE_JSON TEXT_FILE SAMPLES MAX_LENGTH

A word is removed by replacing all its tokens with the tokenizer's mask token (as Loupe does); f(z) is the probe's
probability of the predicted class on the mean-pooled, L2-normalised embedding. The background is one all-masked row,
so KernelExplainer's coalitions are exactly Loupe's masks. Prints JSON: seconds (explain only, model loaded), model
rows, f(text), the sum of the scores.
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort
import shap
from tokenizers import Tokenizer


def main():
    onnx, tok_path, probe_path, text_path, samples, max_length = sys.argv[1:7]
    samples, max_length = int(samples), int(max_length)
    text = open(text_path, encoding="utf-8").read().strip()
    tok = Tokenizer.from_file(tok_path)
    tok.no_padding()
    tok.enable_truncation(max_length=max_length)
    vocab = tok.get_vocab()
    mask_id = vocab.get("[MASK]", vocab.get("[UNK]"))
    enc = tok.encode(text)
    ids = np.array(enc.ids, dtype=np.int64)
    # whitespace words and the tokens inside each (offsets are characters)
    words, start = [], None
    for i, ch in enumerate(text + " "):
        if ch.isspace():
            if start is not None:
                words.append((start, i))
                start = None
        elif start is None:
            start = i
    unit = np.full(len(ids), -1)
    kept = []
    for t, (s, e) in enumerate(enc.offsets):
        if enc.special_tokens_mask[t] or e <= s:
            continue
        for w, (ws, we) in enumerate(words):
            if ws <= s < we:
                if w not in kept:
                    kept.append(w)
                unit[t] = kept.index(w)
                break
    m = len(kept)
    probe = json.load(open(probe_path))
    k, d = len(probe["classes"]), probe["dimension"]
    w = np.array(probe["weights"]).reshape(k, d + 1)
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 0
    sess = ort.InferenceSession(onnx, opts, providers=["CPUExecutionProvider"])
    names = [i.name for i in sess.get_inputs()]
    rows = [0]

    def proba(z):
        z = np.atleast_2d(z)
        out = np.empty((len(z), k))
        for b in range(0, len(z), 64):
            zz = z[b:b + 64]
            batch = np.tile(ids, (len(zz), 1))
            for r, row in enumerate(zz):
                off = unit >= 0
                drop = off.copy()
                drop[off] = row[unit[off]] == 0
                batch[r, drop] = mask_id
            feed = {"input_ids": batch, "attention_mask": np.ones_like(batch)}
            if "token_type_ids" in names:
                feed["token_type_ids"] = np.zeros_like(batch)
            h = sess.run(["last_hidden_state"], feed)[0].astype(np.float64).mean(axis=1)
            h /= np.linalg.norm(h, axis=1, keepdims=True)
            logits = h @ w[:, :d].T + w[:, d]
            e = np.exp(logits - logits.max(axis=1, keepdims=True))
            out[b:b + len(zz)] = e / e.sum(axis=1, keepdims=True)
            rows[0] += len(zz)
        return out

    target = int(np.argmax(proba(np.ones((1, m)))[0]))
    rows[0] = 0
    f = lambda z: proba(z)[:, target]  # noqa: E731
    t0 = time.perf_counter()
    explainer = shap.KernelExplainer(f, np.zeros((1, m)))
    values = explainer.shap_values(np.ones((1, m)), nsamples=samples, l1_reg=False, silent=True)
    secs = time.perf_counter() - t0
    print(json.dumps({"seconds": secs, "words": m, "tokens": len(ids), "model_rows": rows[0],
                      "f_text": float(f(np.ones((1, m)))[0]), "sum": float(np.sum(values))}))


if __name__ == "__main__":
    main()
