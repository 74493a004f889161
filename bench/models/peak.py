"""The machine's matrix-multiply peak: numpy float32 (OpenBLAS) N x N @ N x N on THREADS threads, best of R.

    OPENBLAS_NUM_THREADS=2 peak.py [N] [R]     # prints one JSON line: {"gflops": ..., ...}
"""
import json
import os
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
rng = np.random.default_rng(0)
a = rng.standard_normal((n, n), dtype=np.float32)
b = rng.standard_normal((n, n), dtype=np.float32)
c = np.empty((n, n), dtype=np.float32)
np.matmul(a, b, out=c)  # warm-up
best = float("inf")
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    np.matmul(a, b, out=c)
    dt = time.perf_counter() - t0
    times.append(dt)
    best = min(best, dt)
flops = 2.0 * n ** 3
print(json.dumps({"n": n, "reps": reps, "threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                  "best_s": best, "gflops": flops / best / 1e9,
                  "median_gflops": flops / sorted(times)[len(times) // 2] / 1e9}))
