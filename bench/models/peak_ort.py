"""Matrix-multiply peak as ONNX Runtime's own kernels (MLAS) reach it: one float32 MatMul [N,N] x [N,N] (B an
initialiser, as in a transformer's weight multiplies), THREADS intra-op threads, best of R. One JSON line.

    peak_ort.py [N] [R] [THREADS]
"""
import json
import sys
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
rng = np.random.default_rng(0)
b = numpy_helper.from_array(rng.standard_normal((n, n), dtype=np.float32), "B")
g = helper.make_graph([helper.make_node("MatMul", ["A", "B"], ["C"])], "mm",
                      [helper.make_tensor_value_info("A", TensorProto.FLOAT, [n, n])],
                      [helper.make_tensor_value_info("C", TensorProto.FLOAT, [n, n])], [b])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])
m.ir_version = 8
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
s = ort.InferenceSession(m.SerializeToString(), sess_options=so, providers=["CPUExecutionProvider"])
a = rng.standard_normal((n, n), dtype=np.float32)
s.run(None, {"A": a})
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    s.run(None, {"A": a})
    times.append(time.perf_counter() - t0)
times.sort()
flops = 2.0 * n ** 3
print(json.dumps({"n": n, "reps": reps, "threads": threads, "kernel": f"onnxruntime {ort.__version__} MatMul (MLAS)",
                  "best_s": times[0], "gflops": flops / times[0] / 1e9, "median_gflops": flops / times[reps // 2] / 1e9}))
