"""Tiny BERT and DistilBERT classifiers for the attention tests, with PyTorch's own attention maps as golden files.

Builds two random-initialised Hugging Face classifiers (eager attention), exports each with torch.onnx (opset 17,
the layout `optimum-cli export onnx` writes: model.onnx, tokenizer.json, config.json), then runs the PyTorch model with
`output_attentions=True` on a few texts — one at a time and as one padded batch — and writes golden.json: texts, token
ids, attention masks and the maps [layer][head][query][key] per text. Writes
loupe-explain/src/test/resources/attention/{bert,distilbert}/. Run from the repository root:

    tools/.venv/bin/python tools/explain/make_attention_golden.py

Needs torch, transformers, tokenizers (see DEVELOPERS.md). Deterministic: fixed seeds.
"""
import json
import os
import sys

import numpy as np
import torch
from transformers import BertConfig, BertForSequenceClassification, DistilBertConfig, DistilBertForSequenceClassification

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "models"))
from make_tiny_classifiers import export, scale_weights, train_tokenizer  # noqa: E402

OUT = os.path.join("loupe-explain", "src", "test", "resources", "attention")
TEXTS = ["free money, click here now!", "the meeting notes are attached", "Naïve café: hello <b>html</b>", "win"]


def rounded(a):
    """Nested lists of floats rounded to 9 decimals (the tests compare to 1e-5): small golden files."""
    return np.round(a.double().numpy(), 9).tolist()


def golden(model, tok, dirpath, with_types):
    model.eval()
    enc = [tok.encode(t) for t in TEXTS]
    out = {"texts": TEXTS, "ids": [], "single": [], "batch": None}
    with torch.no_grad():
        for e in enc:
            ids = torch.tensor([e.ids])
            kw = {"attention_mask": torch.ones_like(ids)}
            if with_types:
                kw["token_type_ids"] = torch.zeros_like(ids)
            r = model(ids, output_attentions=True, **kw)
            out["ids"].append(e.ids)
            out["single"].append([rounded(a[0]) for a in r.attentions])  # [layer][head][q][k]
        n = max(len(e.ids) for e in enc)
        ids = torch.tensor([e.ids + [0] * (n - len(e.ids)) for e in enc])
        mask = torch.tensor([[1] * len(e.ids) + [0] * (n - len(e.ids)) for e in enc])
        kw = {"attention_mask": mask}
        if with_types:
            kw["token_type_ids"] = torch.zeros_like(ids)
        r = model(ids, output_attentions=True, **kw)
        out["batch"] = {"seq_len": n, "attentions": [[rounded(a[i]) for a in r.attentions]
                                                     for i in range(len(enc))],
                        "logits": rounded(r.logits)}
    with open(os.path.join(dirpath, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)


def main():
    torch.manual_seed(7)
    tok = train_tokenizer()
    vocab = tok.get_vocab_size()
    tok.no_padding()
    tok.no_truncation()

    bert_dir = os.path.join(OUT, "bert")
    os.makedirs(bert_dir, exist_ok=True)
    labels = ["negative", "positive"]
    cfg = BertConfig(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                     max_position_embeddings=64, type_vocab_size=2, num_labels=2,
                     id2label={i: l for i, l in enumerate(labels)}, label2id={l: i for i, l in enumerate(labels)},
                     attn_implementation="eager")
    bert = BertForSequenceClassification(cfg)
    scale_weights(bert, 20.0)
    export(bert, os.path.join(bert_dir, "model.onnx"), True)
    cfg.save_pretrained(bert_dir)
    tok.save(os.path.join(bert_dir, "tokenizer.json"))
    golden(bert, tok, bert_dir, True)

    dist_dir = os.path.join(OUT, "distilbert")
    os.makedirs(dist_dir, exist_ok=True)
    labels = ["ham", "spam"]
    cfg = DistilBertConfig(vocab_size=vocab, dim=32, n_layers=3, n_heads=4, hidden_dim=64, max_position_embeddings=64,
                           num_labels=2, id2label={i: l for i, l in enumerate(labels)},
                           label2id={l: i for i, l in enumerate(labels)}, attn_implementation="eager")
    dist = DistilBertForSequenceClassification(cfg)
    scale_weights(dist, 20.0)
    export(dist, os.path.join(dist_dir, "model.onnx"), False)
    cfg.save_pretrained(dist_dir)
    tok.save(os.path.join(dist_dir, "tokenizer.json"))
    golden(dist, tok, dist_dir, False)


if __name__ == "__main__":
    main()
