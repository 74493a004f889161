"""Golden file for Loupe's logistic probe: scikit-learn's multinomial LogisticRegression (lbfgs) on a small
3-class problem, with and without balanced class weights.

    tools/.venv/bin/python tools/golden/make_probe_golden.py

Loupe minimises mean cross-entropy + l2/2 * ||W||^2 (biases unpenalised), which is scikit-learn's objective
with C = 1 / (l2 * sum of sample weights); for class_weight='balanced' the sum is over the balanced weights.
"""
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.utils.class_weight import compute_sample_weight

rng = np.random.default_rng(7)
n, d, k = 300, 8, 3
centers = rng.normal(0, 1.2, size=(k, d))
y = rng.choice(k, size=n, p=[0.5, 0.3, 0.2])
x = (centers[y] + rng.normal(0, 1.0, size=(n, d))).astype(np.float32)
xt = (centers[rng.choice(k, size=60)] + rng.normal(0, 1.0, size=(60, d))).astype(np.float32)
l2 = 0.01
cases = {}
for balanced in (False, True):
    sw = compute_sample_weight("balanced", y) if balanced else np.ones(n)
    clf = LogisticRegression(C=1.0 / (l2 * sw.sum()), tol=1e-12, max_iter=100000,
                             class_weight="balanced" if balanced else None)
    clf.fit(x.astype(np.float64), y)
    cases["balanced" if balanced else "plain"] = {
        "proba": clf.predict_proba(xt.astype(np.float64)).tolist(),
        "coef": clf.coef_.tolist(), "intercept": clf.intercept_.tolist()}
out = Path(__file__).resolve().parents[2] / "loupe-models/src/test/resources/probe/logistic_golden.json"
out.parent.mkdir(parents=True, exist_ok=True)
out.write_text(json.dumps({"l2": l2, "k": k, "x": x.tolist(), "y": y.tolist(), "x_test": xt.tolist(), "cases": cases}))
print("wrote", out)
