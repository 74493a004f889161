#!/usr/bin/env python3
"""scikit-learn side of bench/metrics9.sh: the metrics issue 9 added, timed in memory on a multi-class file.

  metrics9_side.py --generate FILE   # 100,000 rows x 5 classes (seed 5), probabilities rounded to 4 decimals
  metrics9_side.py FILE              # read it (round-trip float parsing, the doubles Loupe reads) and time the calls
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn import metrics as M
from sklearn.preprocessing import label_binarize


def generate(path, n=100_000, k=5):
    rng = np.random.default_rng(5)
    y = rng.integers(0, k, n)
    z = rng.normal(0, 1, (n, k))
    z[np.arange(n), y] += 1.2
    p = np.exp(z)
    p /= p.sum(1, keepdims=True)
    p = np.round(p, 4)
    p[:, -1] = np.clip(1 - p[:, :-1].sum(1), 0, 1)
    with open(path, "w") as f:
        f.write("label," + ",".join(f"prob_c{c}" for c in range(k)) + "\n")
        for i in range(n):
            f.write(f"c{y[i]}," + ",".join(repr(float(v)) for v in p[i]) + "\n")


def main():
    if sys.argv[1] == "--generate":
        generate(sys.argv[2])
        return
    # round_trip: pandas' default parser can be an ulp off, which moves ties between columns (micro AP)
    df = pd.read_csv(sys.argv[1], float_precision="round_trip")
    cols = [c for c in df.columns if c.startswith("prob_")]
    p = df[cols].to_numpy()
    y = df["label"].map({c[5:]: i for i, c in enumerate(cols)}).to_numpy()
    yp = p.argmax(1)
    labels = list(range(len(cols)))
    cpu, wall = time.process_time(), time.perf_counter()
    v = {}
    for b in (2, 0.5):
        for a in ("macro", "weighted"):
            v[f"f{b}_{a}"] = M.fbeta_score(y, yp, beta=b, labels=labels, average=a)
    for a in ("macro", "micro", "weighted"):
        v[f"jaccard_{a}"] = M.jaccard_score(y, yp, labels=labels, average=a)
    v["hamming_loss"] = M.hamming_loss(y, yp)
    M.zero_one_loss(y, yp)
    for w in ("linear", "quadratic"):
        v[f"cohen_kappa_{w}"] = M.cohen_kappa_score(y, yp, labels=labels, weights=w)
    v["balanced_accuracy_adjusted"] = M.balanced_accuracy_score(y, yp, adjusted=True)
    for a in ("macro", "weighted"):
        v[f"roc_auc_ovo_{a}"] = M.roc_auc_score(y, p, multi_class="ovo", average=a, labels=labels)
    yb = label_binarize(y, classes=labels)
    for a in ("micro", "weighted"):
        v[f"average_precision_{a}"] = M.average_precision_score(yb, p, average=a)
    v["d2_log_loss"] = M.d2_log_loss_score(y, p, labels=labels)
    v["d2_brier"] = M.d2_brier_score(y, p, labels=labels)
    for c in labels:
        M.det_curve(y == c, p[:, c])
    print(f"scikit-learn, the new metrics in memory: wall {time.perf_counter() - wall:.2f} s, "
          f"CPU {time.process_time() - cpu:.2f} s")
    for key, val in v.items():
        print(f"  {key} = {float(val)!r}")


if __name__ == "__main__":
    main()
