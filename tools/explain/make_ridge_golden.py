"""Golden weighted ridge fits for LIME's surrogate (scikit-learn's Ridge, as lime's LimeTextExplainer uses it).

Writes loupe-explain/src/test/resources/golden/ridge.json: binary designs, targets, sample weights and
Ridge(alpha=1, fit_intercept=True).fit(X, y, sample_weight=w)'s coef_ and intercept_. Run from the repository root:

    tools/.venv/bin/python tools/explain/make_ridge_golden.py
"""
import json
import os

import numpy as np
from sklearn.linear_model import Ridge

OUT = os.path.join("loupe-explain", "src", "test", "resources", "golden", "ridge.json")


def main():
    rng = np.random.default_rng(12)
    cases = []
    for n, m in [(40, 5), (200, 17), (500, 60)]:
        x = rng.random((n, m)) < 0.6
        y = rng.random(n)
        w = rng.random(n) + 0.05
        fit = Ridge(alpha=1.0, fit_intercept=True).fit(x.astype(float), y, sample_weight=w)
        cases.append({"x": x.astype(int).tolist(), "y": y.tolist(), "w": w.tolist(),
                      "coef": fit.coef_.tolist(), "intercept": float(fit.intercept_)})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"alpha": 1.0, "cases": cases}, f)


if __name__ == "__main__":
    main()
