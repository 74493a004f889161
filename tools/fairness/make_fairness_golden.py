"""Golden values of Fairlearn's group-fairness gaps for Loupe's tests (loupe-metrics FairnessGoldenTest).

Fairlearn is not on every package index: run this with a checkout of its public source on PYTHONPATH
(fairlearn/fairlearn on GitHub; it is pure Python over numpy, pandas, scikit-learn, scipy and
narwhals). Nothing of Fairlearn is committed; only the JSON written here is. From the repository root:

    PYTHONPATH=/path/to/fairlearn python tools/fairness/make_fairness_golden.py

Writes loupe-metrics/src/test/resources/golden/fairness.json: per case the rows (true label, predicted label, group,
weight; positive class 1) and Fairlearn's demographic parity difference and ratio, equalized odds difference and ratio
(agg='worst_case'), equal opportunity difference (all method='between_groups'), with and without sample weights, plus
each group's selection rate, true positive rate and false positive rate.
"""
import json
import os

import numpy as np
import fairlearn
from fairlearn.metrics import (MetricFrame, demographic_parity_difference, demographic_parity_ratio,
                               equal_opportunity_difference, equalized_odds_difference, equalized_odds_ratio,
                               false_positive_rate, selection_rate, true_positive_rate)

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "loupe-metrics", "src", "test", "resources", "golden",
                   "fairness.json")


def case(name, description, y, p, g, w, weighted_cases=(False, True)):
    y, p, w = np.asarray(y), np.asarray(p), np.asarray(w, dtype=float)
    g = np.asarray(g, dtype=object)
    out = {"name": name, "description": description, "y_true": y.tolist(), "y_pred": p.tolist(),
           "group": g.tolist(), "weight": w.tolist()}
    for weighted in weighted_cases:
        sw = w if weighted else None
        kw = {"sensitive_features": g, "sample_weight": sw}
        r = {
            "demographic_parity_difference": demographic_parity_difference(y, p, **kw),
            "demographic_parity_ratio": demographic_parity_ratio(y, p, **kw),
            "equalized_odds_difference": equalized_odds_difference(y, p, **kw),
            "equalized_odds_ratio": equalized_odds_ratio(y, p, **kw),
            "equal_opportunity_difference": equal_opportunity_difference(y, p, **kw),
        }
        fns = {"selection_rate": selection_rate, "tpr": true_positive_rate, "fpr": false_positive_rate}
        sp = {k: {"sample_weight": sw} for k in fns} if weighted else None
        mf = MetricFrame(metrics=fns, y_true=y, y_pred=p, sensitive_features=g, sample_params=sp)
        by = {str(k): {m: float(mf.by_group.loc[k, m]) for m in fns} for k in mf.by_group.index}
        out["weighted" if weighted else "unweighted"] = {
            "gaps": {k: (None if np.isnan(v) else float(v)) for k, v in r.items()}, "by_group": by}
    return out


def main():
    rng = np.random.default_rng(14)
    cases = []
    n = 400
    g = rng.choice(["a", "b", "c"], size=n, p=[0.5, 0.3, 0.2])
    y = rng.integers(0, 2, size=n)
    bias = np.where(g == "a", 0.15, np.where(g == "b", -0.1, 0.0))
    p = (rng.random(n) + bias + 0.3 * y > 0.65).astype(int)
    w = rng.choice([0.5, 1.0, 2.0, 3.0], size=n)
    cases.append(case("three_groups", "three groups of unequal size, biased selection, weights", y, p, g, w))

    g2 = np.array(["x"] * 30 + ["y"] * 20 + ["solo"])
    y2 = np.concatenate([rng.integers(0, 2, 30), np.zeros(20, int), [1]])
    p2 = np.concatenate([rng.integers(0, 2, 30), rng.integers(0, 2, 20), [1]])
    w2 = rng.choice([1.0, 2.0], size=len(g2))
    # unweighted only: with sample weights Fairlearn's selection_rate of a one-row group is an array (np.squeeze of
    # one weight is 0-d), which MetricFrame.difference() turns into NaN and then leaves out of the gap
    cases.append(case("one_row_and_no_positives", "a group of one row, and a group without true positives "
                      "(its TPR is 0, as scikit-learn's normalised confusion matrix gives)", y2, p2, g2, w2,
                      weighted_cases=(False,)))

    g3 = np.array(["m"] * 10 + ["f"] * 10)
    y3 = np.array([0, 1] * 10)
    p3 = np.zeros(20, int)
    cases.append(case("nobody_selected", "no row predicted positive: ratios are 0/0 (null)", y3, p3, g3, np.ones(20)))

    # the example file, as `loupe evaluate --predictions examples/spam-predictions.csv --positive-label spam
    # --group-col source` reads it: positive iff score >= 0.5 (the default --threshold)
    import csv
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "spam-predictions.csv")) as f:
        rows = list(csv.DictReader(f))
    y4 = [int(r["label"] == "spam") for r in rows]
    p4 = [int(float(r["score"]) >= 0.5) for r in rows]
    cases.append(case("spam_example", "examples/spam-predictions.csv grouped by source", y4, p4,
                      [r["source"] for r in rows], np.ones(len(rows)), weighted_cases=(False,)))

    with open(OUT, "w") as f:
        json.dump({"fairlearn_version": fairlearn.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
