"""Where Java loses time: tokenisation alone on both sides (alternating, best of ALTS), and the Java worker's GC
activity during end-to-end passes (the JVM runs with -Xlog:gc, see bench/out/models_diag_gc.log).

    diagnose.py JAVA_CMD_JSON PYTHON TEXTS name=onnx:tok,... [N] [ALTS]
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from compare import Worker, log  # noqa: E402

java_cmd, py, texts, specs = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
n = int(sys.argv[5]) if len(sys.argv) > 5 else 1000
alts = int(sys.argv[6]) if len(sys.argv) > 6 else 2
models = [s.split("=", 1)[0] for s in specs.split(",")]
env = dict(os.environ, OPENBLAS_NUM_THREADS="2", OMP_NUM_THREADS="2")
gc_log = "bench/out/models_diag_gc.log"
java = Worker("java", java_cmd[:1] + [f"-Xlog:gc:file={gc_log}"] + java_cmd[1:] + ["serve", texts, "2", "128"] + models,
              env, "bench/out/models_diag_java.err")
pyw = Worker("python", [py, os.path.join(os.path.dirname(__file__), "py_worker.py"), texts, "2", "128", "1", *specs.split(",")],
             env, "bench/out/models_diag_python.err")
out = {"tok": {}, "gc": {}}
m = models[0]
for b in (1, 8, 32):
    java.ask(f"tok {m} {b} 200")
    pyw.ask(f"tok {m} {b} 200")
for a in range(alts):
    for b in (1, 8, 32):
        for side, w in ((("java", java), ("python", pyw)) if a % 2 == 0 else (("python", pyw), ("java", java))):
            r = w.ask(f"tok {m} {b} {n}")
            key = f"{side} b={b}"
            out["tok"][key] = min(out["tok"].get(key, 1e9), 1000 * r["seconds"] / r["texts"])
            log(f"tok {key}: {1000 * r['seconds'] / r['texts']:.3f} ms/text")
for mm in models:
    for b in (1, 32):
        before = sum(1 for _ in open(gc_log)) if os.path.exists(gc_log) else 0
        r = java.ask(f"pass {mm} {b} 512")
        lines = open(gc_log).read().splitlines()[before:]
        pauses = [float(x) for x in re.findall(r"([0-9.]+)ms$", "\n".join(lines), re.M)]
        out["gc"][f"{mm} b={b}"] = {"texts_per_s": r["texts"] / r["seconds"], "gc_events": len(lines),
                                    "gc_pause_ms_total": sum(pauses), "pass_s": r["seconds"]}
        log(f"gc {mm} b={b}: {len(lines)} GC log lines, pauses {sum(pauses):.1f} ms over {r['seconds']:.1f} s")
java.close()
pyw.close()
print(json.dumps(out, indent=1))
