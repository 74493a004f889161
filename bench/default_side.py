#!/usr/bin/env python3
"""scikit-learn side of the default-path benchmark (bench/default.sh): what a user would run instead of
`loupe evaluate --predictions FILE`, on the same file, without intervals:

  import pandas, sklearn.metrics; df = pandas.read_csv(FILE); y_pred from the scores; the point metrics
  (the same calls as bench/sklearn_side.py: label metrics, ROC/PR curves and AUC/AP, log loss, Brier).

  python bench/default_side.py --kind binary FILE
Prints one JSON object: seconds for the imports, read_csv and the metrics, each measured inside the process
(the caller also times the whole process, interpreter start included).
"""
import argparse
import json
import time

t0 = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn import metrics as M  # noqa: E402,F401

import sklearn_side  # noqa: E402  (the metric calls, shared with the metrics benchmark)

t_import = time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=("binary", "multi"), required=True)
    ap.add_argument("file")
    a = ap.parse_args()
    t = sklearn_side.Timer()
    start = time.perf_counter()
    df = pd.read_csv(a.file)
    t_read = time.perf_counter() - start
    y = df["label"].to_numpy()
    if a.kind == "binary":
        if y.dtype == object:  # text labels (the examples): the positive class is the second in sorted order
            classes = sorted(set(y))
            y = (y == classes[-1]).astype(np.int64)
        s = df["score"].to_numpy()
        values = sklearn_side.binary_metrics(t, y, s, (s >= 0.5).astype(y.dtype))
    else:
        cols = [c for c in df.columns if c.startswith("prob_")]
        p = df[cols].to_numpy()
        values = sklearn_side.multi_metrics(t, y, p, p.argmax(axis=1))
    total = time.perf_counter() - start
    print(json.dumps({"import_s": t_import, "read_csv_s": t_read, "metrics_s": total - t_read,
                      "read_and_metrics_s": total, "accuracy": float(values["accuracy"])}))


if __name__ == "__main__":
    main()
