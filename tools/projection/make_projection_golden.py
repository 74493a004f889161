"""Golden files for loupe-projection (PCA, t-SNE affinities, trustworthiness, t-SNE/UMAP quality bounds).

Run from the repository root with the tools venv (numpy, scikit-learn 1.9.1):
    tools/.venv/bin/python tools/projection/make_projection_golden.py
UMAP's parts (find_ab_params, the fuzzy simplicial set, umap-learn's trustworthiness on the clustered set) need
umap-learn, which Debian packages for its own Python: run the same script with /usr/bin/python3 and --umap to add
them (it keeps the other entries).
Writes loupe-projection/src/test/resources/golden/projection.json.
"""
import json
import sys
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[2] / "loupe-projection/src/test/resources/golden/projection.json"


def clustered(n=1500, d=32, centers=8, seed=0):
    rng = np.random.default_rng(seed)
    c = rng.normal(scale=4.0, size=(centers, d))
    y = rng.integers(0, centers, size=n)
    x = c[y] + rng.normal(size=(n, d))
    return x, y


def base():
    from sklearn.manifold import TSNE, trustworthiness
    from sklearn.manifold._t_sne import _joint_probabilities_nn
    from sklearn.neighbors import NearestNeighbors

    g = {"generator": "tools/projection/make_projection_golden.py", "numpy": np.__version__}
    import sklearn
    g["sklearn"] = sklearn.__version__
    rng = np.random.default_rng(42)
    # PCA: anisotropic data, eigenvalues well separated
    n, d = 400, 24
    x = rng.normal(size=(n, d)) * np.linspace(5, 0.2, d) @ np.linalg.qr(rng.normal(size=(d, d)))[0] + rng.normal(size=d)
    mean = x.mean(axis=0)
    cov = np.cov(x - mean, rowvar=False)
    w, v = np.linalg.eigh(cov)
    order = np.argsort(w)[::-1]
    w, v = w[order], v[:, order]
    k = 5
    coords = (x - mean) @ v[:, :k]
    g["pca"] = {"x": x.tolist(), "components": k, "coords": coords.tolist(),
                "explained_variance": w[:k].tolist(), "explained_ratio": (w[:k] / w.sum()).tolist()}
    # trustworthiness on a random 2-D view of clustered data
    xc, yc = clustered(n=300, d=12, centers=4, seed=1)
    proj = xc @ rng.normal(size=(12, 2)) + rng.normal(scale=3, size=(300, 2))
    g["trustworthiness"] = {"x": xc.tolist(), "y": proj.tolist(),
                            "t5": float(trustworthiness(xc, proj, n_neighbors=5)),
                            "t10": float(trustworthiness(xc, proj, n_neighbors=10))}
    # t-SNE joint probabilities on exact neighbours (perplexity 10 → 31 neighbours)
    xa, _ = clustered(n=200, d=10, centers=3, seed=2)
    perplexity = 10.0
    kk = min(len(xa) - 1, int(3.0 * perplexity + 1))
    nn = NearestNeighbors(n_neighbors=kk).fit(xa)
    dist = nn.kneighbors_graph(mode="distance")
    dist.data **= 2
    p = _joint_probabilities_nn(dist, perplexity, 0).tocoo()
    g["tsne_affinities"] = {"x": xa.tolist(), "perplexity": perplexity, "row": p.row.tolist(), "col": p.col.tolist(),
                            "val": p.data.tolist()}
    # quality bound: scikit-learn's t-SNE on a clustered set
    xq, yq = clustered()
    emb = TSNE(n_components=2, random_state=0, init="pca").fit_transform(xq)
    g["clustered"] = {"n": 1500, "d": 32, "centers": 8, "seed": 0,
                      "x": xq.tolist(), "labels": yq.tolist(),
                      "sklearn_tsne_trustworthiness": float(trustworthiness(xq, emb, n_neighbors=10))}
    return g


def add_umap(g):
    import umap
    from umap.umap_ import find_ab_params, fuzzy_simplicial_set
    from sklearn.manifold import trustworthiness
    from sklearn.neighbors import NearestNeighbors

    g["umap_version"] = umap.__version__
    g["find_ab"] = [{"spread": s, "min_dist": m, "ab": [float(v) for v in find_ab_params(s, m)]}
                    for s, m in [(1.0, 0.1), (1.0, 0.5), (1.0, 0.0), (2.0, 0.3)]]
    xa = np.array(g["tsne_affinities"]["x"])
    k = 10
    nn = NearestNeighbors(n_neighbors=k).fit(xa)
    dist, idx = nn.kneighbors(xa)  # the point itself first, as umap-learn
    graph, _, _ = fuzzy_simplicial_set(xa, k, 0, "euclidean", knn_indices=idx, knn_dists=dist)
    graph = graph.tocoo()
    g["umap_fuzzy"] = {"n_neighbors": k, "row": graph.row.tolist(), "col": graph.col.tolist(),
                       "val": graph.data.tolist()}
    xq = np.array(g["clustered"]["x"])
    emb = umap.UMAP(random_state=0).fit_transform(xq)
    g["clustered"]["umap_learn_trustworthiness"] = float(trustworthiness(xq, emb, n_neighbors=10))


if __name__ == "__main__":
    if "--umap" in sys.argv:
        g = json.loads(OUT.read_text())
        add_umap(g)
    else:
        g = base()
        if OUT.exists():
            old = json.loads(OUT.read_text())
            for key in ("umap_version", "find_ab", "umap_fuzzy"):
                if key in old:
                    g[key] = old[key]
            if "umap_learn_trustworthiness" in old.get("clustered", {}):
                g["clustered"]["umap_learn_trustworthiness"] = old["clustered"]["umap_learn_trustworthiness"]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(g))
    print("wrote", OUT, OUT.stat().st_size, "bytes")
