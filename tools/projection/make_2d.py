"""Two small 2-D data sets for `loupe project --boundary` (README, "Decision boundary of a 2-D data set"):
scikit-learn's make_blobs (3 classes) and make_moons (2 classes), 300 points each, seeded.

    python tools/projection/make_2d.py examples/2d      # writes blobs.csv, blobs-labels.csv, moons.csv, moons-labels.csv
"""
import os
import sys

import numpy as np
from sklearn.datasets import make_blobs, make_moons


def save(d, name, x, y, classes):
    np.savetxt(os.path.join(d, name + ".csv"), x, delimiter=",", header="x,y", comments="", fmt="%.6f")
    with open(os.path.join(d, name + "-labels.csv"), "w") as f:
        f.write("label\n")
        f.writelines(classes[int(v)] + "\n" for v in y)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "examples/2d"
    os.makedirs(d, exist_ok=True)
    x, y = make_blobs(n_samples=300, centers=[[-4, -2], [3, -3], [0, 4]], cluster_std=1.6, random_state=0)
    save(d, "blobs", x, y, ["north-west", "south-east", "north"])
    x, y = make_moons(n_samples=300, noise=0.2, random_state=0)
    save(d, "moons", x, y, ["upper", "lower"])


if __name__ == "__main__":
    main()
