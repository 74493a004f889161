"""Writes loupe-spark/src/test/resources/probe-minilm-q.json: a probe in Loupe's stored format (loupe-probe/1, what a
probe run keeps as probe.json) over minilm-q's 384-dimensional embeddings, for the labels of texts.csv, with fixed
pseudo-random weights (numpy's default_rng(15)). Not a trained probe: .ci/spark-cluster.sh only needs the same
probabilities from the cluster as from local mode. Run from the repository root: python tools/spark/make_probe_fixture.py
"""
import json

import numpy as np

classes = ["negative", "neutral", "positive"]
d = 384
w = np.round(np.random.default_rng(15).normal(0.0, 2.0, size=len(classes) * (d + 1)), 4)
doc = {"format": "loupe-probe/1", "encoder": "minilm-q", "max_length": 128, "classes": classes, "dimension": d,
       "weights": [float(x) for x in w]}
with open("loupe-spark/src/test/resources/probe-minilm-q.json", "w") as f:
    json.dump(doc, f, separators=(",", ":"))
    f.write("\n")
