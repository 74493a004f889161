#!/usr/bin/env python3
"""scikit-learn side of the Loupe benchmark: the metrics `loupe evaluate --bootstrap 0` reports, timed.

  tools/.venv/bin/python bench/sklearn_side.py --kind binary --name binary_10m
  tools/.venv/bin/python bench/sklearn_side.py --kind multi  --name multi10_1m

(a) "memory": the metric calls on numpy arrays already in memory (loaded from the .npy files, y_pred
    precomputed — Loupe's in-memory side also gets its batches prebuilt). Best of --repeat-memory runs.
(b) "csv": pandas.read_csv(FILE) + deriving y_pred (argmax / score >= 0.5, as Loupe does without a pred
    column) + the same calls. Best of --repeat-csv runs.
Prints one JSON object on stdout: seconds, per-call breakdown of the best in-memory run, and a few metric
values to cross-check against Loupe's output.
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as M

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def idle_percent(seconds=2.0):
    """% of CPU time idle over the next `seconds`, from /proc/stat (None where there is none)."""
    def read():
        with open("/proc/stat") as f:
            return [int(x) for x in f.readline().split()[1:9]]
    try:
        a = read()
        time.sleep(seconds)
        b = read()
    except OSError:
        return None
    total = sum(b) - sum(a)
    return 100 if total <= 0 else 100 * (b[3] - a[3]) // total


def wait_idle(max_seconds):
    """Before a timed run: wait up to max_seconds until the CPUs are >= 90% idle (a shared machine)."""
    if max_seconds <= 0:
        return
    deadline = time.time() + max_seconds
    said = False
    while True:
        p = idle_percent()
        if p is None or p >= 90:
            return
        if time.time() > deadline:
            print(f"  (CPUs only {p}% idle; timing anyway)", file=sys.stderr)
            return
        if not said:
            print(f"  waiting for idle CPUs ({p}% idle)...", file=sys.stderr)
            said = True


class Timer:
    def __init__(self):
        self.parts = {}

    def __call__(self, name, fn, *args, **kw):
        t = time.perf_counter()
        r = fn(*args, **kw)
        self.parts[name] = self.parts.get(name, 0.0) + time.perf_counter() - t
        return r


def label_metrics(t, y, yp, k, values):
    """accuracy, balanced accuracy, P/R/F1 per class + macro/micro/weighted (+ binary), MCC, kappa, confusion."""
    values["accuracy"] = t("accuracy_score", M.accuracy_score, y, yp)
    values["balanced_accuracy"] = t("balanced_accuracy_score", M.balanced_accuracy_score, y, yp)
    labels = np.arange(k)
    for avg in (None, "macro", "micro", "weighted"):
        r = t("precision_recall_fscore_support", M.precision_recall_fscore_support, y, yp, labels=labels,
              average=avg, zero_division=0)
        if avg is not None:
            values["f1_" + avg] = r[2]
    if k == 2:
        r = t("precision_recall_fscore_support", M.precision_recall_fscore_support, y, yp, average="binary",
              pos_label=1, zero_division=0)
        values["f1"] = r[2]
    values["mcc"] = t("matthews_corrcoef", M.matthews_corrcoef, y, yp)
    values["cohen_kappa"] = t("cohen_kappa_score", M.cohen_kappa_score, y, yp)
    t("confusion_matrix", M.confusion_matrix, y, yp, labels=labels)


def binary_metrics(t, y, s, yp):
    v = {}
    label_metrics(t, y, yp, 2, v)
    t("roc_curve", M.roc_curve, y, s)
    v["roc_auc"] = t("roc_auc_score", M.roc_auc_score, y, s)
    t("precision_recall_curve", M.precision_recall_curve, y, s)
    v["average_precision"] = t("average_precision_score", M.average_precision_score, y, s)
    v["log_loss"] = t("log_loss", M.log_loss, y, s)
    v["brier"] = t("brier_score_loss", M.brier_score_loss, y, s)
    return v


def multi_metrics(t, y, p, yp):
    k = p.shape[1]
    labels = np.arange(k)
    v = {}
    label_metrics(t, y, yp, k, v)
    v["top_2_accuracy"] = t("top_k_accuracy_score", M.top_k_accuracy_score, y, p, k=2, labels=labels)
    v["roc_auc"] = t("roc_auc_score_ovr", M.roc_auc_score, y, p, multi_class="ovr", average="macro", labels=labels)
    v["roc_auc_ovr_weighted"] = t("roc_auc_score_ovr", M.roc_auc_score, y, p, multi_class="ovr",
                                  average="weighted", labels=labels)
    aps = []
    for c in range(k):
        yc = y == c
        t("roc_curve", M.roc_curve, yc, p[:, c])
        t("precision_recall_curve", M.precision_recall_curve, yc, p[:, c])
        aps.append(t("average_precision_score", M.average_precision_score, yc, p[:, c]))
    v["average_precision"] = float(np.mean(aps))
    v["log_loss"] = t("log_loss", M.log_loss, y, p, labels=labels)
    v["brier"] = t("brier_score_loss", M.brier_score_loss, y, p, labels=labels)
    return v


def run_memory(kind, arrays):
    t = Timer()
    cpu = time.process_time()
    start = time.perf_counter()
    if kind == "binary":
        y, s, yp = arrays
        v = binary_metrics(t, y, s, yp)
    else:
        y, p, yp = arrays
        v = multi_metrics(t, y, p, yp)
    return time.perf_counter() - start, t.parts, v, time.process_time() - cpu


def run_csv(kind, path):
    t = Timer()
    cpu = time.process_time()
    start = time.perf_counter()
    df = t("read_csv", pd.read_csv, path)
    y = df["label"].to_numpy()
    if kind == "binary":
        s = df["score"].to_numpy()
        yp = (s >= 0.5).astype(y.dtype)
        binary_metrics(t, y, s, yp)
    else:
        cols = [c for c in df.columns if c.startswith("prob_")]
        p = df[cols].to_numpy()
        yp = p.argmax(axis=1)
        multi_metrics(t, y, p, yp)
    return time.perf_counter() - start, t.parts, time.process_time() - cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kind", choices=("binary", "multi"), required=True)
    ap.add_argument("--name", required=True, help="base name in --dir, e.g. binary_10m")
    ap.add_argument("--dir", default=OUT)
    ap.add_argument("--repeat-memory", type=int, default=3)
    ap.add_argument("--repeat-csv", type=int, default=1)
    ap.add_argument("--skip-csv", action="store_true")
    ap.add_argument("--wait-idle", type=int, default=0, metavar="SECONDS",
                    help="before each timed run, wait up to SECONDS for idle CPUs (0: don't)")
    a = ap.parse_args()
    base = os.path.join(a.dir, a.name)
    y = np.load(base + "_labels.npy")
    if a.kind == "binary":
        s = np.load(base + "_scores.npy")
        arrays = (y, s, (s >= 0.5).astype(y.dtype))
    else:
        p = np.load(base + "_probs.npy")
        arrays = (y, p, p.argmax(axis=1).astype(y.dtype))
    res = {"kind": a.kind, "name": a.name, "rows": int(len(y)), "sklearn": sklearn.__version__,
           "numpy": np.__version__, "pandas": pd.__version__, "python": platform.python_version()}

    mem = []
    for i in range(a.repeat_memory):
        wait_idle(a.wait_idle)
        total, parts, values, cpu = run_memory(a.kind, arrays)
        mem.append((total, parts, cpu))
        print(f"  sklearn {a.name} in-memory run {i + 1}: {total:.3f} s (cpu {cpu:.3f} s)", file=sys.stderr)
    best = min(mem, key=lambda x: x[0])
    res["memory_s"] = best[0]
    res["memory_cpu_s"] = best[2]
    res["memory_runs_s"] = [m[0] for m in mem]
    res["memory_runs_cpu_s"] = [m[2] for m in mem]
    res["memory_breakdown_s"] = dict(sorted(best[1].items(), key=lambda kv: -kv[1]))
    res["values"] = {k: float(v) for k, v in values.items()}

    if not a.skip_csv:
        del arrays, y
        runs = []
        for i in range(a.repeat_csv):
            wait_idle(a.wait_idle)
            total, parts, cpu = run_csv(a.kind, base + ".csv")
            runs.append((total, parts, cpu))
            print(f"  sklearn {a.name} read_csv+metrics run {i + 1}: {total:.3f} s "
                  f"(cpu {cpu:.3f} s, read_csv {parts['read_csv']:.3f} s)", file=sys.stderr)
        bestc = min(runs, key=lambda x: x[0])
        res["csv_s"] = bestc[0]
        res["csv_cpu_s"] = bestc[2]
        res["csv_runs_s"] = [r[0] for r in runs]
        res["csv_runs_cpu_s"] = [r[2] for r in runs]
        res["csv_read_s"] = bestc[1]["read_csv"]
    json.dump(res, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
