"""Operator counts of ONNX graphs side by side (e.g. the optimised graphs two ONNX Runtime versions write).

    graph_ops.py A.onnx B.onnx ...
"""
import collections
import sys

import onnx

counts = {}
for path in sys.argv[1:]:
    m = onnx.load(path, load_external_data=False)
    counts[path] = collections.Counter(n.op_type for n in m.graph.node)
ops = sorted(set().union(*counts.values()))
print("op".ljust(28) + "".join(p.split("/")[-1][:24].rjust(26) for p in counts))
for op in ops:
    print(op.ljust(28) + "".join(str(c.get(op, 0)).rjust(26) for c in counts.values()))
