"""The Python side of the encoder benchmark: onnxruntime + tokenizers on the same ONNX file and texts.

    py_worker.py TEXTS.jsonl THREADS MAXLEN SPINNING NAME=ONNX:TOKENIZER_JSON ...

Then reads the same commands as dev.loupe.bench.models.EncoderWorker on stdin (pass / split / check / quit) and
answers one JSON line each. The pipeline is the one sentence-transformers users write by hand: encode_batch with
truncation to MAXLEN and padding to the longest text of the batch, session.run, masked mean pooling, L2 norm.
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort
import tokenizers
from tokenizers import Tokenizer


def load_texts(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


class Encoder:
    def __init__(self, onnx_path, tokenizer_path, threads, max_length, spinning):
        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.add_session_config_entry("session.intra_op.allow_spinning", spinning)
        self.session = ort.InferenceSession(onnx_path, sess_options=so, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        tok = Tokenizer.from_file(tokenizer_path)
        # the file hard-wires padding and truncation to 128: set both as Loupe does (pad to the longest of the batch)
        tok.no_padding()
        tok.no_truncation()
        tok.enable_truncation(max_length=max_length, strategy="longest_first")
        pad = tok.token_to_id("[PAD]")
        tok.enable_padding(pad_id=0 if pad is None else pad, pad_token="[PAD]")
        self.tok = tok

    def encode(self, texts):
        encs = self.tok.encode_batch(texts)
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encs], dtype=np.int64)
        return feed

    def run(self, feed):
        return self.session.run(["last_hidden_state"], feed)[0]

    @staticmethod
    def pool(hidden, mask):
        m = mask[:, :, None].astype(hidden.dtype)
        summed = (hidden * m).sum(axis=1)
        counts = np.maximum(m.sum(axis=1), 1e-9)
        mean = summed / counts
        norm = np.linalg.norm(mean, axis=1, keepdims=True)
        return mean / np.maximum(norm, 1e-12)

    def predict(self, texts):
        feed = self.encode(texts)
        return self.pool(self.run(feed), feed["attention_mask"]), feed["attention_mask"]


def cmd_pass(enc, texts, batch, n):
    n = min(n, len(texts))
    tokens = 0
    checksum = 0.0
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        emb, mask = enc.predict(texts[start:start + batch])
        tokens += int(mask.sum())
        checksum += float(emb[0, 0])
    s = time.perf_counter() - t0
    return {"cmd": "pass", "seconds": s, "texts": n, "tokens": tokens, "checksum": checksum}


def cmd_split(enc, texts, batch, n):
    n = min(n, len(texts))
    tokens = padded = 0
    t_tok = t_run = t_pool = 0.0
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        a = time.perf_counter()
        feed = enc.encode(texts[start:start + batch])
        b = time.perf_counter()
        hidden = enc.run(feed)
        c = time.perf_counter()
        emb = enc.pool(hidden, feed["attention_mask"])
        d = time.perf_counter()
        t_tok += b - a
        t_run += c - b
        t_pool += d - c
        tokens += int(feed["attention_mask"].sum())
        padded += feed["input_ids"].size
        assert emb.shape[0] > 0
    s = time.perf_counter() - t0
    return {"cmd": "split", "seconds": s, "texts": n, "tokens": tokens, "padded_tokens": padded,
            "tokenize_s": t_tok, "session_s": t_run, "pool_s": t_pool}


def cmd_tok(enc, texts, batch, n):
    n = min(n, len(texts))
    tokens = 0
    t0 = time.perf_counter()
    for start in range(0, n, batch):
        feed = enc.encode(texts[start:start + batch])
        tokens += int(feed["attention_mask"][0].sum())
    return {"cmd": "tok", "seconds": time.perf_counter() - t0, "texts": n, "first_tokens": tokens}


def cmd_check(enc, texts, n):
    emb, mask = enc.predict(texts[:n])
    return {"cmd": "check", "embeddings": emb.astype(float).tolist(),
            "token_counts": mask.sum(axis=1).astype(int).tolist()}


def main():
    texts_path, threads, max_length, spinning = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    texts = load_texts(texts_path)
    encoders = {}
    for spec in sys.argv[5:]:
        name, files = spec.split("=", 1)
        onnx_path, tok_path = files.split(":", 1)
        encoders[name] = Encoder(onnx_path, tok_path, threads, max_length, spinning)
    print(json.dumps({"side": "python", "ready": True, "texts": len(texts),
                      "runtime": f"onnxruntime {ort.__version__}, tokenizers {tokenizers.__version__}, "
                                 f"numpy {np.__version__}, Python {sys.version.split()[0]}"}), flush=True)
    for line in sys.stdin:
        c = line.split()
        if not c:
            continue
        if c[0] == "quit":
            break
        try:
            enc = encoders[c[1]]
            if c[0] == "pass":
                r = cmd_pass(enc, texts, int(c[2]), int(c[3]))
            elif c[0] == "split":
                r = cmd_split(enc, texts, int(c[2]), int(c[3]))
            elif c[0] == "tok":
                r = cmd_tok(enc, texts, int(c[2]), int(c[3]))
            elif c[0] == "check":
                r = cmd_check(enc, texts, int(c[2]))
            else:
                raise ValueError("unknown command " + c[0])
        except Exception as e:  # report, keep serving
            r = {"error": repr(e)}
        r["side"] = "python"
        print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
