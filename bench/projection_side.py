"""The reference side of bench/projection.sh: scikit-learn's TSNE, umap-learn's UMAP (first and warm call in one
process), and scikit-learn's trustworthiness (k = 10, all points, exact) of every tool's coordinates.

    python bench/projection_side.py tsne DIR        # /work/venv-style venv with scikit-learn
    /usr/bin/python3 bench/projection_side.py umap DIR   # Debian's umap-learn
    python bench/projection_side.py trust DIR       # trustworthiness of DIR/*-*.csv against DIR/emb.npy
"""
import glob
import os
import sys
import time

import numpy as np


def timed(label, f):
    w, c = time.perf_counter(), time.process_time()
    out = f()
    print(f"{label}: wall {time.perf_counter() - w:.1f} s, cpu {time.process_time() - c:.1f} s", flush=True)
    return out


def save(path, y):
    np.savetxt(path, y, delimiter=",", header="x,y", comments="", fmt="%.6g")


def main():
    mode, d = sys.argv[1], sys.argv[2]
    x = np.load(os.path.join(d, "emb.npy"))
    if mode == "tsne":
        import sklearn
        from sklearn.manifold import TSNE
        for call in (1, 2):
            y = timed(f"sklearn {sklearn.__version__} TSNE n={len(x)} call {call}",
                      lambda: TSNE(n_components=2, perplexity=30, init="pca", random_state=0).fit_transform(x))
        save(os.path.join(d, "sklearn-tsne.csv"), y)
    elif mode == "umap":
        import umap
        for call in (1, 2):
            y = timed(f"umap-learn {umap.__version__} UMAP n={len(x)} call {call}",
                      lambda: umap.UMAP(n_neighbors=15, min_dist=0.1).fit_transform(x))
        save(os.path.join(d, "umap-learn.csv"), y)
    else:
        from sklearn.manifold import trustworthiness
        for f in sorted(glob.glob(os.path.join(d, "*-*.csv"))):
            y = np.loadtxt(f, delimiter=",", skiprows=1)
            print(f"trustworthiness (k = 10, all {len(x)} points) {os.path.basename(f)}: {trustworthiness(x, y, n_neighbors=10):.4f}", flush=True)


if __name__ == "__main__":
    main()
