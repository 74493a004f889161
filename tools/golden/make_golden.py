#!/usr/bin/env python3
"""Generate golden test files for Loupe's metric implementations.

For every case this writes ``<case>.csv`` (the input table as Loupe reads it)
and ``<case>.json`` (the same input as class indices plus the reference values
computed with scikit-learn / numpy) into
``loupe-metrics/src/test/resources/golden/``.

Run from anywhere:  tools/.venv/bin/python tools/golden/make_golden.py

Output is deterministic: every case uses its own fixed numpy seed, and floats
are written with repr() so that the CSV and JSON values parse to the very same
doubles. Python is used only here, never at Loupe runtime.
"""

import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    balanced_accuracy_score,
    brier_score_loss,
    cohen_kappa_score,
    confusion_matrix,
    class_likelihood_ratios,
    confusion_matrix_at_thresholds,
    d2_brier_score,
    d2_log_loss_score,
    det_curve,
    f1_score,
    fbeta_score,
    hamming_loss,
    jaccard_score,
    log_loss,
    matthews_corrcoef,
    precision_recall_curve,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
    top_k_accuracy_score,
    zero_one_loss,
)
from sklearn.preprocessing import label_binarize

EXPECTED_SKLEARN = "1.9.1"
ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "loupe-metrics" / "src" / "test" / "resources" / "golden"

CAL_BINS = 15
HIST_BINS = 20
# F-beta scores Loupe reports by default (key f<beta>, '.' written as '_')
BETAS = [2.0, 0.5]
# partial ROC AUC (binary): max_fpr values checked
MAX_FPRS = [0.1, 0.3, 0.5]


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def clean(x):
    """Convert numpy types to JSON-safe python values (NaN -> None, inf -> str)."""
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [clean(v) for v in x]
    if isinstance(x, np.ndarray):
        return [clean(v) for v in x.tolist()]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    return x


class Recorder:
    """Runs scikit-learn calls, capturing exceptions and warnings per key."""

    def __init__(self):
        self.errors = {}
        self.warnings = {}

    def call(self, key, fn, *args, **kwargs):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = fn(*args, **kwargs)
            except Exception as e:  # noqa: BLE001 - we record every failure
                self.errors[key] = f"{type(e).__name__}: {e}"
                result = None
        msgs = []
        for w in caught:
            m = f"{w.category.__name__}: {w.message}"
            if m not in msgs:
                msgs.append(m)
        if msgs:
            self.warnings.setdefault(key, []).extend(msgs)
        return result


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def round_rows(p, decimals=4):
    """Round to `decimals`; put the residual into the last column.

    If that would make the last column negative, the residual goes into the
    row's largest column instead. Rows then sum to 1 within ~1e-15.
    """
    p = np.round(p, decimals)
    for i in range(p.shape[0]):
        last = round(1.0 - float(p[i, :-1].sum()), decimals)
        if last >= 0:
            p[i, -1] = last
        else:
            p[i, -1] = 0.0
            j = int(np.argmax(p[i]))
            p[i, j] = round(p[i, j] + (1.0 - float(p[i].sum())), decimals)
    assert np.all(p >= 0)
    assert np.all(np.abs(p.sum(axis=1) - 1.0) < 1e-12)
    return p


def fmt(v):
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def write_csv(path, header, columns):
    n = len(columns[0])
    with open(path, "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for i in range(n):
            f.write(",".join(fmt(c[i]) for c in columns) + "\n")


def safe_div(a, b):
    return a / b if b != 0 else None


# --------------------------------------------------------------------------
# metric computation
# --------------------------------------------------------------------------

def binned(values, n_bins):
    edges = np.arange(n_bins + 1) / n_bins
    return np.searchsorted(edges[1:-1], values, side="right")


def loupe_calibration(y, probs, pred, w):
    conf = probs[np.arange(len(y)), pred]
    correct = (pred == y).astype(float)
    b = binned(conf, CAL_BINS)
    total = float(w.sum())
    weights, confs, accs = [], [], []
    ece, mce = 0.0, None
    for j in range(CAL_BINS):
        m = b == j
        wb = float(w[m].sum())
        weights.append(wb)
        if wb == 0:  # empty bin (or only zero-weight rows)
            confs.append(None)
            accs.append(None)
            continue
        cb = float((w[m] * conf[m]).sum() / wb)
        ab = float((w[m] * correct[m]).sum() / wb)
        confs.append(cb)
        accs.append(ab)
        gap = abs(ab - cb)
        ece += wb / total * gap
        mce = gap if mce is None else max(mce, gap)
    return {
        "n_bins": CAL_BINS,
        "ece": ece,
        "mce": mce,
        "bins": {"weight": weights, "confidence": confs, "accuracy": accs},
    }


def score_histograms(y, probs, w, classes):
    counts = {}
    for c, cname in enumerate(classes):
        b = binned(probs[:, c], HIST_BINS)
        counts[cname] = {}
        for t, tname in enumerate(classes):
            m = y == t
            h = np.bincount(b[m], weights=w[m], minlength=HIST_BINS)
            counts[cname][tname] = h
    return {"n_bins": HIST_BINS, "counts": counts}


def threshold_sweep(rec, y, s, sw):
    res = rec.call(
        "threshold_sweep", confusion_matrix_at_thresholds, y, s, pos_label=1,
        sample_weight=sw,
    )
    if res is None:
        return None
    _tns, fps, _fns, tps, thr = res
    P = float(tps[-1])
    N = float(fps[-1])
    precision, recall, f1, fpr = [], [], [], []
    for tp, fp in zip(tps.tolist(), fps.tolist()):
        p = safe_div(tp, tp + fp)
        r = safe_div(tp, P)
        f = None
        if p is not None and r is not None:
            f = safe_div(2 * p * r, p + r)
        precision.append(p)
        recall.append(r)
        f1.append(f)
        fpr.append(safe_div(fp, N))
    best_f1 = None
    best_v = None
    for t, f in zip(thr.tolist(), f1):
        if f is not None and (best_v is None or f > best_v):
            best_v, best_f1 = f, t
    youden = None
    best_j = None
    for t, r, fp in zip(thr.tolist(), recall, fpr):
        if r is None or fp is None:
            continue
        j = r - fp
        if best_j is None or j > best_j:
            best_j, youden = j, t
    return {
        "thresholds": thr, "tp": tps, "fp": fps,
        "precision": precision, "recall": recall, "f1": f1, "fpr": fpr,
        "best_f1_threshold": best_f1, "youden_threshold": youden,
    }


def beta_key(beta):
    """f2, f0_5: the metric name Loupe gives the F-beta score."""
    return "f" + (str(int(beta)) if beta == int(beta) else repr(beta).replace(".", "_"))


def label_scores(rec, key, M, fn, y, pred, sw, labels, binary, **kw):
    """fn with average binary (of class 1), macro, micro, weighted into M[key], M[key_macro], ..."""
    if binary:
        M[key] = rec.call(key, fn, y, pred, labels=labels, average="binary", pos_label=1,
                          sample_weight=sw, **kw)
    for avg in ["macro", "micro", "weighted"]:
        M[f"{key}_{avg}"] = rec.call(f"{key}_{avg}", fn, y, pred, labels=labels, average=avg,
                                     sample_weight=sw, **kw)


def more_metrics(rec, M, y, pred, probs, sw, labels, binary):
    """The metrics of issue 9: F-beta, Jaccard, losses, weighted kappa, OvO AUC, D^2 ..."""
    for beta in BETAS:
        label_scores(rec, beta_key(beta), M, fbeta_score, y, pred, sw, labels, binary, beta=beta)
        # micro F-beta equals accuracy when every class is counted: Loupe does not repeat it
        del M[beta_key(beta) + "_micro"]
    label_scores(rec, "jaccard", M, jaccard_score, y, pred, sw, labels, binary)
    M["hamming_loss"] = rec.call("hamming_loss", hamming_loss, y, pred, sample_weight=sw)
    M["zero_one_loss"] = rec.call("zero_one_loss", zero_one_loss, y, pred, sample_weight=sw)
    for wt in ["linear", "quadratic"]:
        M[f"cohen_kappa_{wt}"] = rec.call(f"cohen_kappa_{wt}", cohen_kappa_score, y, pred,
                                          labels=labels, weights=wt, sample_weight=sw)
    M["balanced_accuracy_adjusted"] = rec.call(
        "balanced_accuracy_adjusted", balanced_accuracy_score, y, pred, adjusted=True,
        sample_weight=sw)
    if binary:
        lr = rec.call("likelihood_ratios", class_likelihood_ratios, y, pred, labels=labels,
                      sample_weight=sw)
        M["positive_likelihood_ratio"], M["negative_likelihood_ratio"] = (
            (None, None) if lr is None else lr)
    M["d2_log_loss"] = rec.call("d2_log_loss", d2_log_loss_score, y, probs, labels=labels,
                                sample_weight=sw)
    if binary:
        M["d2_brier"] = rec.call("d2_brier", d2_brier_score, y, probs[:, 1], pos_label=1,
                                 labels=labels, sample_weight=sw)
    else:
        M["d2_brier"] = rec.call("d2_brier", d2_brier_score, y, probs, labels=labels,
                                 sample_weight=sw)
        for avg in ["macro", "weighted"]:
            M[f"roc_auc_ovo_{avg}"] = rec.call(
                f"roc_auc_ovo_{avg}", roc_auc_score, y, probs, multi_class="ovo", average=avg,
                labels=labels, sample_weight=sw)
        yb = label_binarize(y, classes=labels)
        for avg in ["micro", "weighted"]:
            M[f"average_precision_{avg}"] = rec.call(
                f"average_precision_{avg}", average_precision_score, yb, probs, average=avg,
                sample_weight=sw)


def sorted_labels(classes):
    """scikit-learn's label order: numeric when every label is a number, else by code point."""
    try:
        keys = [float(c) for c in classes]
    except ValueError:
        keys = list(classes)
    order = sorted(range(len(classes)), key=lambda c: keys[c])
    return order, keys


def top_k(rec, y, probs, sw, classes):
    """top_k_accuracy_score for every k, called as a user would: with the true labels' values
    and the score columns in sorted label order (scikit-learn insists on it; its ties go to
    the later label in that order, whatever the file's column order)."""
    K = len(classes)
    order, keys = sorted_labels(classes)
    y_values = np.array([keys[c] for c in y])
    labels = [keys[c] for c in order]
    scores = probs[:, order[1]] if K == 2 else probs[:, order]
    return {str(k): rec.call(f"top_{k}_accuracy", top_k_accuracy_score, y_values, scores, k=k,
                             labels=labels, sample_weight=sw)
            for k in range(1, K + 1)}


def det_curves(rec, y, probs, sw, classes):
    out = {}
    for c, cname in enumerate(classes):
        d = rec.call(f"det.{cname}", det_curve, (y == c).astype(int), probs[:, c],
                     sample_weight=sw)
        out[cname] = None if d is None else {"fpr": d[0], "fnr": d[1], "thresholds": d[2]}
    return out


def zero_division(rec, y, pred, sw, labels, binary, classes, zd):
    """The label metrics again with zero_division=zd (1 or nan)."""
    M = {}
    for key, fn, kw in ([("precision", precision_score, {}), ("recall", recall_score, {}),
                         ("f1", f1_score, {})]
                        + [(beta_key(b), fbeta_score, {"beta": b}) for b in BETAS]
                        # jaccard_score refuses zero_division=nan (Loupe gives null for its 0/0)
                        + ([("jaccard", jaccard_score, {})] if zd == zd else [])):
        label_scores(rec, f"zd{zd}:{key}", M, fn, y, pred, sw, labels, binary,
                     zero_division=zd, **kw)
    M = {k.split(":", 1)[1]: v for k, v in M.items()}
    for b in BETAS:
        del M[beta_key(b) + "_micro"]
    r = rec.call(f"zd{zd}.prf_per_class", precision_recall_fscore_support, y, pred,
                 labels=labels, average=None, sample_weight=sw, zero_division=zd)
    per_class = {cname: {"precision": r[0][c], "recall": r[1][c], "f1": r[2][c]}
                 for c, cname in enumerate(classes)}
    return {"metrics": M, "per_class": per_class}


def compute(case):
    classes = case["classes"]
    K = len(classes)
    y = np.asarray(case["labels"], dtype=int)
    probs = np.asarray(case["probs"], dtype=float)
    weights = case.get("weights")
    sw = None if weights is None else np.asarray(weights, dtype=float)
    w = np.ones(len(y)) if sw is None else sw
    binary = K == 2
    labels = list(range(K))

    if case.get("pred") is not None:
        pred = np.asarray(case["pred"], dtype=int)
    elif binary:
        pred = (probs[:, 1] >= 0.5).astype(int)
    else:
        pred = np.argmax(probs, axis=1)

    rec = Recorder()
    M = {}
    M["accuracy_score"] = rec.call("accuracy_score", accuracy_score, y, pred, sample_weight=sw)
    M["balanced_accuracy_score"] = rec.call(
        "balanced_accuracy_score", balanced_accuracy_score, y, pred, sample_weight=sw)
    topk = top_k(rec, y, probs, sw, case["classes"])
    if K >= 3:
        M["top_2_accuracy"] = topk["2"]
    for avg in ["macro", "micro", "weighted"]:
        key = f"prf_{avg}"
        r = rec.call(key, precision_recall_fscore_support, y, pred, labels=labels,
                     average=avg, sample_weight=sw)
        p, rc, f = (None, None, None) if r is None else r[:3]
        M[f"precision_{avg}"], M[f"recall_{avg}"], M[f"f1_{avg}"] = p, rc, f
    if binary:
        r = rec.call("prf_binary", precision_recall_fscore_support, y, pred,
                     labels=labels, average="binary", pos_label=1, sample_weight=sw)
        M["precision"], M["recall"], M["f1"] = (None, None, None) if r is None else r[:3]
    M["mcc"] = rec.call("mcc", matthews_corrcoef, y, pred, sample_weight=sw)
    M["cohen_kappa"] = rec.call("cohen_kappa", cohen_kappa_score, y, pred,
                                labels=labels, sample_weight=sw)
    M["log_loss"] = rec.call("log_loss", log_loss, y, probs, labels=labels, sample_weight=sw)
    if binary:
        M["brier"] = rec.call("brier", brier_score_loss, y, probs[:, 1], pos_label=1,
                              sample_weight=sw)
        M["roc_auc"] = rec.call("roc_auc", roc_auc_score, y, probs[:, 1], sample_weight=sw)
        M["average_precision"] = rec.call(
            "average_precision", average_precision_score, y, probs[:, 1], pos_label=1,
            sample_weight=sw)
    else:
        M["brier"] = rec.call("brier", brier_score_loss, y, probs, labels=labels,
                              sample_weight=sw)
        M["roc_auc"] = rec.call("roc_auc", roc_auc_score, y, probs, multi_class="ovr",
                                average="macro", labels=labels, sample_weight=sw)
        M["roc_auc_ovr_weighted"] = rec.call(
            "roc_auc_ovr_weighted", roc_auc_score, y, probs, multi_class="ovr",
            average="weighted", labels=labels, sample_weight=sw)
        M["average_precision"] = rec.call(
            "average_precision", average_precision_score,
            label_binarize(y, classes=labels), probs, average="macro", sample_weight=sw)

    calib = loupe_calibration(y, probs, pred, w)
    M["ece"], M["mce"] = calib["ece"], calib["mce"]
    more_metrics(rec, M, y, pred, probs, sw, labels, binary)
    undefined = {}
    if len(np.unique(y[w > 0])) < 2:
        # One class only: the chance level / null model is perfect, and scikit-learn divides by 0
        # (giving -inf, or a huge negative number where log loss clips at eps). Loupe reports these
        # as undefined (null) with a warning; the value scikit-learn gave is kept here.
        for key in ["balanced_accuracy_adjusted", "d2_log_loss", "d2_brier"]:
            undefined[key] = M[key]
            M[key] = None

    # per class
    per_class = {c: {} for c in classes}
    r = rec.call("prf_per_class", precision_recall_fscore_support, y, pred,
                 labels=labels, average=None, sample_weight=sw)
    for c, cname in enumerate(classes):
        pc = per_class[cname]
        if r is None:
            pc.update(precision=None, recall=None, f1=None, support=None)
        else:
            pc.update(precision=r[0][c], recall=r[1][c], f1=r[2][c], support=r[3][c])
        yc = (y == c).astype(int)
        pc["roc_auc"] = rec.call(f"per_class.{cname}.roc_auc", roc_auc_score, yc,
                                 probs[:, c], sample_weight=sw)
        pc["average_precision"] = rec.call(
            f"per_class.{cname}.average_precision", average_precision_score, yc,
            probs[:, c], sample_weight=sw)

    cm = rec.call("confusion_matrix", confusion_matrix, y, pred, labels=labels,
                  sample_weight=sw)
    cmn = {}
    for norm in ["true", "pred", "all"]:
        cmn[norm] = rec.call(f"confusion_matrix_normalized.{norm}", confusion_matrix,
                             y, pred, labels=labels, sample_weight=sw, normalize=norm)

    roc, pr = {}, {}
    for c, cname in enumerate(classes):
        yc = (y == c).astype(int)
        rr = rec.call(f"roc.{cname}", roc_curve, yc, probs[:, c], sample_weight=sw)
        roc[cname] = (None if rr is None else
                      {"fpr": rr[0], "tpr": rr[1], "thresholds": rr[2]})
        pp = rec.call(f"pr.{cname}", precision_recall_curve, yc, probs[:, c],
                      sample_weight=sw)
        pr[cname] = (None if pp is None else
                     {"precision": pp[0], "recall": pp[1], "thresholds": pp[2]})

    cal_curve = None
    if binary and sw is None:
        cal_curve = {}
        for strat in ["uniform", "quantile"]:
            cc = rec.call(f"calibration_curve.{strat}", calibration_curve, y,
                          probs[:, 1], n_bins=10, strategy=strat)
            cal_curve[strat] = (None if cc is None else
                                {"prob_true": cc[0], "prob_pred": cc[1]})

    sweep = threshold_sweep(rec, y, probs[:, 1], sw) if binary else None

    out = {
        "case": case["name"],
        "description": case["description"],
        "sklearn_version": sklearn.__version__,
        "csv": f"{case['name']}.csv",
        "classes": classes,
        "positive": case.get("positive"),
        "input": {
            "labels": y, "probs": probs, "preds": pred,
            "weights": None if sw is None else sw,
        },
        "metrics": M,
        "per_class": per_class,
        "confusion_matrix": cm,
        "confusion_matrix_normalized": cmn,
        "roc": roc,
        "pr": pr,
        "calibration": calib,
        "calibration_curve": cal_curve,
        "threshold_sweep": sweep,
        "score_histograms": score_histograms(y, probs, w, classes),
        "top_k_accuracy": topk,
        "partial_roc_auc": ({str(m): rec.call(f"partial_roc_auc.{m}", roc_auc_score, y, probs[:, 1],
                                              max_fpr=m, sample_weight=sw) for m in MAX_FPRS}
                            if binary else None),
        "det": det_curves(rec, y, probs, sw, classes),
        "zero_division": {name: zero_division(rec, y, pred, sw, labels, binary, classes, zd)
                          for name, zd in [("1", 1.0), ("nan", np.nan)]},
        "undefined_in_loupe": undefined,
        "sklearn_errors": rec.errors,
        "sklearn_warnings": rec.warnings,
    }
    return clean(out)


# --------------------------------------------------------------------------
# cases
# --------------------------------------------------------------------------

def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def case_binary_ties():
    rng = np.random.default_rng(1001)
    n = 500
    y = (rng.random(n) < 0.4).astype(int)
    s = np.round(sigmoid(rng.normal(0, 1.2, n) + 1.6 * (2 * y - 1)), 1)
    source = rng.choice(["a", "b"], size=n)
    classes = ["ham", "spam"]
    probs = np.column_stack([1 - s, s])
    csv = (["id", "label", "score", "source"],
           [np.arange(1, n + 1), [classes[v] for v in y], s, source])
    return dict(
        name="binary_ties", classes=classes, positive="spam", labels=y, probs=probs,
        csv=csv,
        description=(
            "Binary ham/spam (positive 'spam'), n=500, unweighted. Scores rounded to "
            "1 decimal so there are only 11 distinct values: exercises tie handling in "
            "ROC/PR curves, AUC, AP and the threshold sweep, and the s >= 0.5 -> "
            "positive rule (rows with score exactly 0.5). probs = [1-s, s]; note 1-s "
            "is computed in float. CSV has an extra metadata column 'source'."),
    )


def case_binary_weights():
    rng = np.random.default_rng(1002)
    n = 500
    y = (rng.random(n) < 0.35).astype(int)
    s = np.round(sigmoid(rng.normal(0, 1.0, n) + 1.3 * (2 * y - 1)), 3)
    w = np.round(rng.uniform(0.1, 3.0, n), 4)
    zero_idx = rng.choice(n, size=6, replace=False)
    w[zero_idx] = 0.0
    # give two zero-weight rows a unique score so they vanish from curves/sweep
    s[zero_idx[0]] = 0.9999
    s[zero_idx[1]] = 0.0001
    probs = np.column_stack([1 - s, s])
    csv = (["id", "label", "score", "weight"], [np.arange(1, n + 1), y, s, w])
    return dict(
        name="binary_weights", classes=["0", "1"], positive="1", labels=y, probs=probs,
        weights=w, csv=csv,
        description=(
            "Binary with integer labels 0/1 (positive '1'), n=500, scores rounded to 3 "
            "decimals (some ties), sample weights uniform(0.1,3) rounded to 4 decimals "
            "with 6 exact-zero weights. Two zero-weight rows carry unique scores "
            "(0.9999, 0.0001): scikit-learn drops zero-weight rows before building "
            "ROC/PR curves and the threshold sweep, so those thresholds do not appear. "
            "calibration_curve is null (weighted)."),
    )


def case_multiclass5_weights():
    rng = np.random.default_rng(1003)
    classes = ["cat", "dog", "bird", "fish", "frog"]
    n, K = 600, 5
    y = rng.choice(K, size=n, p=[0.3, 0.25, 0.2, 0.15, 0.1])
    logits = rng.normal(0, 1.0, (n, K))
    logits[np.arange(n), y] += 1.4
    probs = round_rows(softmax(logits), 4)
    w = np.round(rng.uniform(0.5, 2.0, n), 4)
    csv = (["id", "label"] + [f"prob_{c}" for c in classes] + ["weight"],
           [np.arange(1, n + 1), [classes[v] for v in y]]
           + [probs[:, c] for c in range(K)] + [w])
    return dict(
        name="multiclass5_weights", classes=classes, positive=None, labels=y,
        probs=probs, weights=w, csv=csv,
        description=(
            "5 classes in non-sorted order cat,dog,bird,fish,frog (indices follow this "
            "order), n=600, softmax of noisy logits rounded to 4 decimals with the last "
            "column fixed so rows sum to 1; weights uniform(0.5,2). Exercises weighted "
            "multiclass averages, OvR AUC macro/weighted, top-2 accuracy, multiclass "
            "Brier (range [0,2], not halved) and weighted calibration."),
    )


def case_never_predicted():
    rng = np.random.default_rng(1004)
    classes = ["a", "b", "c", "d"]
    n, K = 400, 4
    y = rng.choice(K, size=n, p=[0.3, 0.3, 0.2, 0.2])
    logits = rng.normal(0, 1.0, (n, K))
    logits[np.arange(n), y] += 1.5
    probs = round_rows(softmax(logits), 4)
    # make sure 'd' (index 3) is never the arg-max: swap it with the best other class
    for i in range(n):
        j = int(np.argmax(probs[i, :3]))
        if probs[i, 3] >= probs[i, j]:
            probs[i, 3], probs[i, j] = probs[i, j], probs[i, 3]
    assert not np.any(np.argmax(probs, axis=1) == 3)
    assert np.any(y == 3)
    csv = (["id", "label"] + [f"prob_{c}" for c in classes],
           [np.arange(1, n + 1), [classes[v] for v in y]]
           + [probs[:, c] for c in range(K)])
    return dict(
        name="never_predicted", classes=classes, positive=None, labels=y, probs=probs,
        csv=csv,
        description=(
            "4 classes a,b,c,d, n=400, unweighted. Class 'd' occurs as a true label but "
            "is never the arg-max prediction: precision of 'd' is 0/0 (scikit-learn's "
            "default zero_division='warn' reports 0.0 and warns), which feeds the "
            "macro/weighted averages. Ranking metrics for 'd' are still defined."),
    )


def case_absent_class():
    rng = np.random.default_rng(1005)
    classes = ["a", "b", "c", "d"]
    n, K = 400, 4
    y = rng.choice([0, 1, 3], size=n, p=[0.4, 0.35, 0.25])
    logits = rng.normal(0, 1.0, (n, K))
    logits[np.arange(n), y] += 1.5
    logits[:, 2] += 0.3  # 'c' gets predicted now and then
    probs = round_rows(softmax(logits), 4)
    assert not np.any(y == 2)
    assert np.any(np.argmax(probs, axis=1) == 2)
    csv = (["id", "label"] + [f"prob_{c}" for c in classes],
           [np.arange(1, n + 1), [classes[v] for v in y]]
           + [probs[:, c] for c in range(K)])
    return dict(
        name="absent_class", classes=classes, positive=None, labels=y, probs=probs,
        csv=csv,
        description=(
            "4 classes a,b,c,d, n=400, unweighted. Class 'c' never occurs as a true "
            "label but is sometimes predicted: recall/F1 of 'c' are 0/0 (zero_division), "
            "per-class ROC AUC / AP of 'c' are undefined, OvR macro AUC and macro AP "
            "have to cope with a class without positives, and the 'c' row of the "
            "true-normalised confusion matrix is 0/0."),
    )


def case_one_class():
    rng = np.random.default_rng(1006)
    n = 300
    y = np.zeros(n, dtype=int)
    s = np.round(rng.beta(2, 5, n), 2)
    probs = np.column_stack([1 - s, s])
    classes = ["ham", "spam"]
    assert np.any(s >= 0.5)
    csv = (["id", "label", "score"],
           [np.arange(1, n + 1), [classes[v] for v in y], s])
    return dict(
        name="one_class", classes=classes, positive="spam", labels=y, probs=probs,
        csv=csv,
        description=(
            "Binary ham/spam (positive 'spam'), n=300, unweighted, every true label is "
            "'ham' (some rows still predicted spam). Degenerate: recall/F1/AUC/AP of the "
            "positive class, MCC, balanced accuracy etc. are undefined; shows how "
            "scikit-learn reports each (error, NaN->null, or a warned fallback value). "
            "In the threshold sweep recall and f1 are null (P = 0), so "
            "best_f1_threshold and youden_threshold are null."),
    )


def case_explicit_pred():
    rng = np.random.default_rng(1007)
    classes = ["x", "y", "z"]
    n, K = 450, 3
    y = rng.choice(K, size=n)
    logits = rng.normal(0, 1.0, (n, K))
    logits[np.arange(n), y] += 1.3
    probs = round_rows(softmax(logits), 4)
    pred = np.argmax(probs, axis=1)
    flip = rng.random(n) < 0.10
    pred[flip] = (pred[flip] + rng.integers(1, K, flip.sum())) % K
    w = np.round(rng.uniform(0.5, 2.0, n), 4)
    csv = (["id", "label"] + [f"prob_{c}" for c in classes] + ["pred", "weight"],
           [np.arange(1, n + 1), [classes[v] for v in y]]
           + [probs[:, c] for c in range(K)] + [[classes[v] for v in pred], w])
    return dict(
        name="explicit_pred", classes=classes, positive=None, labels=y, probs=probs,
        pred=pred, weights=w, csv=csv,
        description=(
            "3 classes x,y,z, n=450, weighted (uniform(0.5,2)). The CSV has an explicit "
            f"'pred' column that differs from the arg-max on {int(flip.sum())} rows; "
            "label-based metrics and calibration must use 'pred' (calibration "
            "confidence = probability of the predicted class, which is not the row "
            "max on the flipped rows), ranking metrics use the probabilities."),
    )


def case_multiclass3_ties():
    rng = np.random.default_rng(1008)
    classes = ["0", "1", "2"]
    n, K = 400, 3
    # all rows with entries in {0.1..0.8} (tenths) summing to 1
    cands = np.array([(a, b, 10 - a - b) for a in range(1, 9) for b in range(1, 9)
                      if 1 <= 10 - a - b <= 8], dtype=float)
    y = rng.choice(K, size=n)
    rows = np.empty((n, K))
    for i in range(n):
        # prefer candidates that favour the true class, with some noise
        score = cands[:, y[i]] + rng.normal(0, 2.0, len(cands))
        rows[i] = cands[int(np.argmax(score))]
    # force a block of explicit within-row ties for the arg-max
    tie_rows = [(4, 4, 2), (2, 4, 4), (4, 2, 4), (3, 3, 4), (4, 3, 3), (3, 4, 3),
                (5, 5, 0)]
    tie_rows = [r for r in tie_rows if min(r) >= 1]
    for k, i in enumerate(rng.choice(n, size=60, replace=False)):
        rows[i] = tie_rows[k % len(tie_rows)]
        lo = sorted(range(K), key=lambda c: rows[i][c])[:2]
        if rows[i][lo[0]] == rows[i][lo[1]] and max(rows[i]) > rows[i][lo[0]]:
            # tie for 2nd place (e.g. 0.4,0.3,0.3): label it with the LATER tied
            # class, so that top-2 accuracy depends on the tie-breaking rule
            y[i] = max(lo)
    probs = rows / 10.0  # exact decimal tenths as doubles (0.1, 0.2, ...)
    assert np.all(np.abs(probs.sum(axis=1) - 1.0) < 1e-9)
    csv = (["id", "label"] + [f"prob_{c}" for c in classes],
           [np.arange(1, n + 1), [classes[v] for v in y]]
           + [probs[:, c] for c in range(K)])
    return dict(
        name="multiclass3_ties", classes=classes, positive=None, labels=y, probs=probs,
        csv=csv,
        description=(
            "3 classes '0','1','2', n=400, unweighted, probabilities in tenths "
            "(0.1..0.8, no zeros) so there are ties within rows (e.g. 0.4,0.4,0.2 -> "
            "arg-max goes to the first tied class) and across rows (curve ties). "
            "top_2_accuracy: scikit-learn's top_k_accuracy_score breaks within-row ties "
            "the other way (stable argsort reversed -> the later class index ranks "
            "first); the rows 0.4,0.3,0.3 / 0.3,0.4,0.3 / 0.3,0.3,0.4 are labelled with "
            "the later of the two tied classes, so they count as top-2 hits only "
            "under that rule. "
            "Rows sum to 1 only within ~2e-16 in floating point."),
    )


def case_multiclass3_permuted():
    base = case_multiclass3_ties()
    # the same rows with classes named in sorted order apple < fig < pear, written in the column
    # order pear, apple, fig: scikit-learn's top-k ties follow the sorted label order, not the file's
    names = ["apple", "fig", "pear"]
    perm = [2, 0, 1]
    classes = [names[c] for c in perm]
    position = {old: new for new, old in enumerate(perm)}
    y = np.array([position[v] for v in base["labels"]])
    probs = base["probs"][:, perm]
    n, K = len(y), 3
    csv = (["id", "label"] + [f"prob_{c}" for c in classes],
           [np.arange(1, n + 1), [classes[v] for v in y]]
           + [probs[:, c] for c in range(K)])
    return dict(
        name="multiclass3_permuted", classes=classes, positive=None, labels=y, probs=probs,
        csv=csv,
        description=(
            "multiclass3_ties with its classes renamed apple, fig, pear (sorted order) and its "
            "columns written as pear, apple, fig. scikit-learn's top_k_accuracy_score needs the "
            "score columns in sorted label order and breaks ties towards the later label of "
            "that order, so top-k must not depend on the file's column order."),
    )


CASES = [
    case_binary_ties,
    case_binary_weights,
    case_multiclass5_weights,
    case_never_predicted,
    case_absent_class,
    case_one_class,
    case_explicit_pred,
    case_multiclass3_ties,
    case_multiclass3_permuted,
]


def main():
    if sklearn.__version__ != EXPECTED_SKLEARN:
        print(f"WARNING: scikit-learn {sklearn.__version__} installed, golden files "
              f"are meant to be made with {EXPECTED_SKLEARN}", file=sys.stderr)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for make in CASES:
        case = make()
        header, cols = case["csv"]
        write_csv(OUT_DIR / f"{case['name']}.csv", header, cols)
        out = compute(case)
        text = json.dumps(out, allow_nan=False, separators=(",", ":"))
        (OUT_DIR / f"{case['name']}.json").write_text(text + "\n")
        m = out["metrics"]
        print(f"{case['name']:<20} n={len(out['input']['labels']):<4} "
              f"K={len(out['classes'])} acc={m['accuracy_score']} "
              f"f1_macro={m['f1_macro']} roc_auc={m['roc_auc']} "
              f"errors={len(out['sklearn_errors'])} "
              f"warnings={len(out['sklearn_warnings'])}")


if __name__ == "__main__":
    main()
