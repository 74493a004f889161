"""Build the keyword model: an ONNX text classifier whose behaviour under any perturbation is known exactly.

Writes examples/keyword-model/ (model.onnx, tokenizer.json, config.json) in the `optimum-cli export onnx` layout
Loupe reads, and examples/spam-texts.csv (labelled texts to run it on). Run from the repository root:

    python tools/robustness/make_keyword_model.py     # needs numpy and onnx (pip install numpy onnx)

The model says spam with probability sigmoid(3) = 0.9526 when a token of the text is the WordPiece token "free",
else ham with the same probability. The tokenizer is the tiny test tokenizer of tools/models/make_tiny_classifiers.py
(BERT normalisation: lower case, accents stripped; words split at white space and punctuation; WordPiece over a
334-entry vocabulary in which "free" is the only entry starting with "free"). So a text is spam exactly when one of
its words, lower-cased and stripped of accents, starts with "free" and consists of characters the vocabulary holds
(any other character turns the whole word into [UNK]). Tests compute that rule in Java and compare it with what
the model says about every perturbed text (loupe-cli RobustnessCommandTest).
"""
import csv
import json
import os
import random
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join("examples", "keyword-model")
TOKENIZER = os.path.join("loupe-models", "src", "test", "resources", "tiny", "distilbert-2", "tokenizer.json")


def build_model(free_id):
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"])
    mask = helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 2])
    inits = [
        numpy_helper.from_array(np.array(free_id, dtype=np.int64), "free_id"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis1"),
        # logits = [0, 6x - 3]: x = 1 when the keyword is there
        numpy_helper.from_array(np.array([[0.0, 6.0]], dtype=np.float32), "scale"),
        numpy_helper.from_array(np.array([[0.0, -3.0]], dtype=np.float32), "shift"),
    ]
    nodes = [
        helper.make_node("Equal", ["input_ids", "free_id"], ["hit"]),
        helper.make_node("Cast", ["hit"], ["hit_i"], to=TensorProto.INT64),
        helper.make_node("Mul", ["hit_i", "attention_mask"], ["hit_m"]),  # padding never counts
        helper.make_node("Cast", ["hit_m"], ["hit_f"], to=TensorProto.FLOAT),
        helper.make_node("ReduceMax", ["hit_f", "axis1"], ["x"], keepdims=1),
        helper.make_node("Mul", ["x", "scale"], ["scaled"]),
        helper.make_node("Add", ["scaled", "shift"], ["logits"]),
    ]
    graph = helper.make_graph(nodes, "keyword", [ids, mask], [logits], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="loupe-tools")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


SPAM = ["Get your free money now", "Click here for a free offer", "Winner: claim your FREE account today",
        "Free password reset for your account, click now", "This is your last chance for free money",
        "Great offer: free email for a year", "You are a winner, the prize is free", "Free, free, free: click here"]
HAM = ["Hello, are we still on for work tomorrow?", "Here is the state of the account after last year",
       "They said the meeting will be on Monday", "Could you send me the notes from the call?",
       "The people from the office came back with good news", "Thanks for your email, I will read it tonight",
       "My password does not work since the update", "We made some money on the house this year"]
# spam without the keyword and ham with it: the model errs on these, so clean accuracy is below 1
HARD = [("Claim your prize money now, click here", "spam"), ("Feel free to call me after work", "ham")]


def texts():
    rng = random.Random(14)
    rows = []
    for i in range(30):
        rows.append((SPAM[i % len(SPAM)] + (" " + rng.choice(["today", "now", "!", "here"]) if i >= len(SPAM) else ""), "spam"))
        rows.append((HAM[i % len(HAM)] + (" " + rng.choice(["thanks", "best", "cheers"]) if i >= len(HAM) else ""), "ham"))
    rows += HARD * 2
    return rows


def main():
    os.makedirs(OUT, exist_ok=True)
    shutil.copyfile(TOKENIZER, os.path.join(OUT, "tokenizer.json"))
    with open(TOKENIZER, encoding="utf-8") as f:
        free_id = json.load(f)["model"]["vocab"]["free"]
    onnx.save(build_model(free_id), os.path.join(OUT, "model.onnx"))
    with open(os.path.join(OUT, "config.json"), "w", encoding="utf-8") as f:
        json.dump({"model_type": "keyword", "id2label": {"0": "ham", "1": "spam"},
                   "label2id": {"ham": 0, "spam": 1}}, f, indent=2)
        f.write("\n")
    with open(os.path.join("examples", "spam-texts.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "text", "label"])
        for i, (text, label) in enumerate(texts()):
            w.writerow([f"t{i:03d}", text, label])
    print("wrote", OUT, "and examples/spam-texts.csv")


if __name__ == "__main__":
    main()
