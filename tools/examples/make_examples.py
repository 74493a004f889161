"""Writes the example prediction files under examples/ (deterministic).

    python3 tools/examples/make_examples.py

spam-predictions.csv: a spam filter's scores on 1,200 emails (binary, score column, a `source`
metadata column where the hard-ham folder is harder — a natural out-of-distribution slice).
topics-predictions.jsonl: a 4-class topic classifier with per-class probabilities and sample weights.
Uses only the standard library so it runs anywhere.
"""
import json
import math
import random
from pathlib import Path

out = Path(__file__).resolve().parents[2] / "examples"
out.mkdir(exist_ok=True)
rnd = random.Random(20261129)

with open(out / "spam-predictions.csv", "w", newline="") as f:
    f.write("id,label,score,source\n")
    sources = [("easy-ham-1", "ham", 0.35, 2.2), ("easy-ham-2", "ham", 0.25, 2.2),
               ("hard-ham-1", "ham", 0.10, 0.6), ("spam-1", "spam", 0.15, 2.0), ("spam-2", "spam", 0.15, 1.8)]
    i = 0
    for name, label, share, sep in sources:
        for _ in range(int(1200 * share)):
            i += 1
            z = rnd.gauss(sep if label == "spam" else -sep, 1.3)
            s = 1 / (1 + math.exp(-z))
            f.write(f"msg-{i:05d},{label},{s:.6f},{name}\n")

topics = ["sports", "politics", "science", "arts"]
with open(out / "topics-predictions.jsonl", "w") as f:
    for i in range(800):
        t = rnd.randrange(4)
        logits = [rnd.gauss(0, 1) + (2.2 if j == t else 0) for j in range(4)]
        if t == 3:  # arts is often confused with science
            logits[2] += 1.2
        m = max(logits)
        e = [math.exp(x - m) for x in logits]
        p = [x / sum(e) for x in e]
        row = {"id": i + 1, "label": topics[t]}
        row.update({f"prob_{c}": p[j] for j, c in enumerate(topics)})
        row["weight"] = round(rnd.uniform(0.5, 2.0), 3)
        row["lang"] = rnd.choice(["en", "de", "fr"])
        f.write(json.dumps(row) + "\n")
print("wrote", out / "spam-predictions.csv", "and", out / "topics-predictions.jsonl")
