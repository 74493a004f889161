"""The session alone (Python side of dev.loupe.bench.models.RawSessionBench): the same synthetic batch, options.

    raw_session.py MODEL.onnx BATCH SEQ REPS THREADS SPINNING(1|0|default) [OPTIMIZED_OUT.onnx]
"""
import json
import sys
import time

import numpy as np
import onnxruntime as ort

model, batch, seq, reps, threads, spinning = sys.argv[1], *map(int, sys.argv[2:6]), sys.argv[6]
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
if len(sys.argv) > 7:  # write the optimised graph (after fusions) to compare runtime versions
    so.optimized_model_filepath = sys.argv[7]
if spinning != "default":
    so.add_session_config_entry("session.intra_op.allow_spinning", spinning)
s = ort.InferenceSession(model, sess_options=so, providers=["CPUExecutionProvider"])
i = np.arange(batch)[:, None]
j = np.arange(seq)[None, :]
ids = (1000 + (i * 7919 + j * 31) % 20000).astype(np.int64)
ids[:, 0] = 101
ids[:, seq - 1] = 102
feed = {"input_ids": ids, "attention_mask": np.ones((batch, seq), np.int64)}
if "token_type_ids" in {x.name for x in s.get_inputs()}:
    feed["token_type_ids"] = np.zeros((batch, seq), np.int64)
times = []
for r in range(reps + 3):
    t0 = time.perf_counter()
    out = s.run(["last_hidden_state"], feed)[0]
    dt = (time.perf_counter() - t0) * 1000
    if r >= 3:
        times.append(dt)
times.sort()
print(json.dumps({"side": "python", "ort": ort.__version__, "model": model.split("/")[-1], "batch": batch, "seq": seq,
                  "spinning": spinning, "best_ms": round(times[0], 2), "median_ms": round(times[reps // 2], 2),
                  "checksum": round(float(out[0, 0, 0]), 4)}))
