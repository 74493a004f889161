#!/usr/bin/env python3
"""Generate the benchmark data sets (the same data for Loupe and scikit-learn).

Writes, under --out (default bench/out):
  binary_<n>.csv          id,label,score         labels 0/1, score = P(label 1), 6 decimals
  binary_<n>_labels.npy   int32[n]
  binary_<n>_scores.npy   float64[n]             exactly the values the CSV spells
  multi<k>_<n>.csv        id,label,prob_0..prob_<k-1>  each row sums to 1 within 1e-6
  multi<k>_<n>_labels.npy int32[n]
  multi<k>_<n>_probs.npy  float64[n, k] (C order)

Probabilities are integers in millionths (m / 1e6), so the .npy doubles are bit-identical to what a correct
decimal parser reads from the CSV. <n> is written 10m, 1m, 250k, ... Existing files are kept unless --force.

  tools/.venv/bin/python bench/gen_data.py                      # 10M binary rows, 1M rows x 10 classes
  tools/.venv/bin/python bench/gen_data.py --binary-rows 1000000 --multi-rows 100000   # quick
"""
import argparse
import os
import sys
import time

import numpy as np
import pandas as pd

MICRO = 1_000_000


def tag(n):
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def binary_name(n):
    return f"binary_{tag(n)}"


def multi_name(n, k):
    return f"multi{k}_{tag(n)}"


def micro_strings(m):
    """'0.123456' for each integer m in [0, 1e6], vectorised (pandas' float formatting is slow)."""
    m = np.asarray(m, dtype=np.int64)
    whole = (m // MICRO).astype(str)
    frac = pd.Series(m % MICRO).astype(str).str.zfill(6).to_numpy()
    return np.char.add(np.char.add(whole, "."), frac.astype(str))


def write_csv(path, columns, chunk=1_000_000):
    """columns: list of (name, array of str or int). Writes in chunks, atomically."""
    tmp = path + ".tmp"
    n = len(columns[0][1])
    with open(tmp, "w", newline="\n") as f:
        f.write(",".join(name for name, _ in columns) + "\n")
        for lo in range(0, n, chunk):
            hi = min(n, lo + chunk)
            df = pd.DataFrame({name: col[lo:hi] for name, col in columns})
            df.to_csv(f, header=False, index=False, lineterminator="\n")
    os.replace(tmp, path)


def gen_binary(n, out, seed, force):
    name = binary_name(n)
    csv = os.path.join(out, name + ".csv")
    if not force and all(os.path.exists(os.path.join(out, name + s)) for s in (".csv", "_labels.npy", "_scores.npy")):
        print(f"keep {csv}", file=sys.stderr)
        return
    t0 = time.time()
    rng = np.random.default_rng(seed)
    labels = (rng.random(n) < 0.3).astype(np.int32)           # 30% positives
    z = rng.normal(0.0, 1.0, n) + np.where(labels == 1, 1.2, -0.8)
    p = 1.0 / (1.0 + np.exp(-z))
    m = np.rint(p * MICRO).astype(np.int64)
    scores = m / MICRO                                       # == float("0.xxxxxx")
    np.save(os.path.join(out, name + "_labels.npy"), labels)
    np.save(os.path.join(out, name + "_scores.npy"), scores)
    write_csv(csv, [("id", np.arange(n)), ("label", labels), ("score", micro_strings(m))])
    print(f"wrote {csv} ({n} rows, {os.path.getsize(csv) / 1e6:.0f} MB) in {time.time() - t0:.1f} s", file=sys.stderr)


def gen_multi(n, k, out, seed, force):
    name = multi_name(n, k)
    csv = os.path.join(out, name + ".csv")
    if not force and all(os.path.exists(os.path.join(out, name + s)) for s in (".csv", "_labels.npy", "_probs.npy")):
        print(f"keep {csv}", file=sys.stderr)
        return
    t0 = time.time()
    rng = np.random.default_rng(seed + 1)
    prior = np.linspace(2.0, 0.5, k)
    prior /= prior.sum()                                     # unequal supports: macro != weighted
    labels = rng.choice(k, size=n, p=prior).astype(np.int32)
    logits = rng.normal(0.0, 1.0, (n, k))
    logits[np.arange(n), labels] += 1.5
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    p = e / e.sum(axis=1, keepdims=True)
    m = np.rint(p * MICRO).astype(np.int64)
    top = m.argmax(axis=1)
    m[np.arange(n), top] += MICRO - m.sum(axis=1)              # residual into the largest column: sum exactly 1e6
    assert (m >= 0).all()
    probs = m / MICRO
    assert np.abs(probs.sum(axis=1) - 1.0).max() <= 1e-6
    np.save(os.path.join(out, name + "_labels.npy"), labels)
    np.save(os.path.join(out, name + "_probs.npy"), np.ascontiguousarray(probs))
    cols = [("id", np.arange(n)), ("label", labels)]
    cols += [(f"prob_{c}", micro_strings(m[:, c])) for c in range(k)]
    write_csv(csv, cols)
    print(f"wrote {csv} ({n} rows x {k} classes, {os.path.getsize(csv) / 1e6:.0f} MB) in {time.time() - t0:.1f} s",
          file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    ap.add_argument("--binary-rows", type=int, default=10_000_000)
    ap.add_argument("--multi-rows", type=int, default=1_000_000)
    ap.add_argument("--classes", type=int, default=10)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--force", action="store_true", help="regenerate even when the files exist")
    ap.add_argument("--print-names", action="store_true", help="print the two base names and exit")
    a = ap.parse_args()
    if a.print_names:
        print(binary_name(a.binary_rows), multi_name(a.multi_rows, a.classes))
        return
    os.makedirs(a.out, exist_ok=True)
    if a.binary_rows > 0:
        gen_binary(a.binary_rows, a.out, a.seed, a.force)
    if a.multi_rows > 0:
        gen_multi(a.multi_rows, a.classes, a.out, a.seed, a.force)


if __name__ == "__main__":
    main()
