"""Build tiny random-initialised Hugging Face classifiers in the `optimum-cli export onnx` layout, plus golden files.

Writes loupe-models/src/test/resources/tiny/{bert-3,distilbert-2}/ with model.onnx, tokenizer.json, config.json
and golden.json (texts, token ids and onnxruntime probabilities). Run from the repository root:

    tools/.venv/bin/python tools/models/make_tiny_classifiers.py

Needs torch, transformers, tokenizers, onnxruntime (see tools/models/README.md). Deterministic: fixed seeds.
"""
import json
import os
import sys

import numpy as np
import onnxruntime as ort
import torch
from tokenizers import Tokenizer, decoders, normalizers, pre_tokenizers, processors
from tokenizers.models import WordPiece
from transformers import BertConfig, BertForSequenceClassification, DistilBertConfig, DistilBertForSequenceClassification

sys.dont_write_bytecode = True  # keep tools/models free of __pycache__
sys.path.insert(0, os.path.dirname(__file__))
from texts import WORDS, texts  # noqa: E402

OUT = os.path.join("loupe-models", "src", "test", "resources", "tiny")
MAX_LENGTH = 48  # golden token ids and probabilities use this truncation


def train_tokenizer():
    """A small WordPiece vocabulary built deterministically (the tokenizers trainer breaks ties by hash order):
    special tokens, single characters with and without the ## prefix, common sub-words and whole words."""
    chars = sorted(set("abcdefghijklmnopqrstuvwxyz0123456789!?.,;:'\"()[]{}<>@#$%&*+-=/\\|~^_`éèàçñüößåøæ"))
    pieces = ["ing", "ed", "er", "ly", "s", "es", "tion", "un", "re", "ment", "able", "ness"]
    extra = "naïve café résumé email spam ham click free winner money account password hello world html".split()
    vocab = {}
    for t in ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + c for c in chars] + \
            ["##" + p for p in pieces] + sorted(set(WORDS + extra)):
        vocab.setdefault(t, len(vocab))
    tok = Tokenizer(WordPiece(vocab=vocab, unk_token="[UNK]", max_input_chars_per_word=100))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=None,
                                                lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece(prefix="##")
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    # Hard-wire padding and truncation like many Hub tokenizers do: Loupe must override both.
    tok.enable_padding(pad_id=0, pad_token="[PAD]", length=64)
    tok.enable_truncation(max_length=64)
    return tok


def scale_weights(model, factor):
    # The default initialiser (std 0.02) gives near-uniform probabilities; widen it so the parity test bites.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                p.mul_(factor)


def export(model, path, with_types):
    model.eval()
    ids = torch.tensor([[2, 10, 11, 3], [2, 12, 3, 0]], dtype=torch.long)
    mask = torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]], dtype=torch.long)
    names = ["input_ids", "attention_mask"]
    args = [ids, mask]
    if with_types:
        names.append("token_type_ids")
        args.append(torch.zeros_like(ids))
    axes = {n: {0: "batch_size", 1: "sequence_length"} for n in names}
    axes["logits"] = {0: "batch_size"}
    torch.onnx.export(model, tuple(args), path, input_names=names, output_names=["logits"], dynamic_axes=axes,
                      opset_version=17, dynamo=False)


def golden(dirpath, tok_path, with_types, labels):
    tok = Tokenizer.from_file(tok_path)
    tok.enable_truncation(max_length=MAX_LENGTH)
    tok.no_padding()
    sample = texts(30, seed=11)
    sess = ort.InferenceSession(os.path.join(dirpath, "model.onnx"), providers=["CPUExecutionProvider"])
    ids_out, probs_out = [], []
    # score one at a time (no padding) so the golden numbers do not depend on batching
    for t in sample:
        enc = tok.encode(t)
        feed = {"input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64)}
        if with_types:
            feed["token_type_ids"] = np.array([enc.type_ids], dtype=np.int64)
        logits = sess.run(["logits"], feed)[0][0].astype(np.float64)
        e = np.exp(logits - logits.max())
        ids_out.append(enc.ids)
        probs_out.append((e / e.sum()).tolist())
    with open(os.path.join(dirpath, "golden.json"), "w", encoding="utf-8") as f:
        json.dump({"max_length": MAX_LENGTH, "labels": labels, "texts": sample, "ids": ids_out,
                   "probabilities": probs_out}, f, ensure_ascii=False)
    spread = np.array(probs_out).max(axis=1)
    print(dirpath, "max-prob range", spread.min(), spread.max())


def main():
    torch.manual_seed(0)
    tok = train_tokenizer()
    vocab = tok.get_vocab_size()

    bert_dir = os.path.join(OUT, "bert-3")
    os.makedirs(bert_dir, exist_ok=True)
    labels = ["negative", "neutral", "positive"]
    cfg = BertConfig(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=64, max_position_embeddings=64, type_vocab_size=2, num_labels=3,
                     id2label={i: l for i, l in enumerate(labels)}, label2id={l: i for i, l in enumerate(labels)},
                     attn_implementation="eager")
    bert = BertForSequenceClassification(cfg)
    scale_weights(bert, 20.0)
    export(bert, os.path.join(bert_dir, "model.onnx"), True)
    cfg.save_pretrained(bert_dir)
    tok.save(os.path.join(bert_dir, "tokenizer.json"))
    golden(bert_dir, os.path.join(bert_dir, "tokenizer.json"), True, labels)

    dist_dir = os.path.join(OUT, "distilbert-2")
    os.makedirs(dist_dir, exist_ok=True)
    labels = ["ham", "spam"]
    cfg = DistilBertConfig(vocab_size=vocab, dim=32, n_layers=2, n_heads=2, hidden_dim=64,
                           max_position_embeddings=64, num_labels=2,
                           id2label={i: l for i, l in enumerate(labels)}, label2id={l: i for i, l in enumerate(labels)},
                           attn_implementation="eager")
    dist = DistilBertForSequenceClassification(cfg)
    scale_weights(dist, 20.0)
    export(dist, os.path.join(dist_dir, "model.onnx"), False)
    cfg.save_pretrained(dist_dir)
    tok.save(os.path.join(dist_dir, "tokenizer.json"))
    golden(dist_dir, os.path.join(dist_dir, "tokenizer.json"), False, labels)
    bad_inputs_model()


def bad_inputs_model():
    """A valid ONNX graph whose input is not a text input: Loupe must refuse it and list what it has."""
    import onnx
    from onnx import TensorProto, helper
    x = helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3])
    y = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 3])
    graph = helper.make_graph([helper.make_node("Identity", ["pixel_values"], ["logits"])], "bad_inputs", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = os.path.join(OUT, "bad-inputs")
    os.makedirs(path, exist_ok=True)
    onnx.save(model, os.path.join(path, "model.onnx"))


if __name__ == "__main__":
    main()
