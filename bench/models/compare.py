"""Drives the Java and Python encoder workers side by side and writes the comparison.

Both workers load every model once, then the driver sends them the same commands, alternating sides cell by cell
(and swapping which side goes first from one cell and round to the next) so that load from other processes on
the machine falls on both sides alike. Called by bench/models/run.sh; see there for the options.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time


def now():
    return time.strftime("%H:%M:%S")


def log(*a):
    print(f"[{now()}]", *a, file=sys.stderr, flush=True)


class Worker:
    def __init__(self, name, argv, env, err_path):
        self.name = name
        self.err = open(err_path, "w")
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err,
                                  text=True, bufsize=1, env=env)
        self.ready = self.read()
        if not self.ready.get("ready"):
            raise SystemExit(f"{name} worker did not start: {self.ready} (see {err_path})")

    def read(self):
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise SystemExit(f"{self.name} worker exited (rc {self.p.poll()}); see its stderr file")
            line = line.strip()
            if line.startswith("{"):
                return json.loads(line)

    def ask(self, cmd):
        self.p.stdin.write(cmd + "\n")
        self.p.stdin.flush()
        r = self.read()
        if "error" in r:
            raise SystemExit(f"{self.name} failed on '{cmd}': {r['error']}")
        return r

    def close(self):
        try:
            self.p.stdin.write("quit\n")
            self.p.stdin.flush()
            self.p.wait(timeout=60)
        except Exception:
            self.p.kill()
        self.err.close()


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def peak(py, n, reps, threads):
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    here = os.path.dirname(__file__)
    out = subprocess.run([py, os.path.join(here, "peak.py"), str(n), str(reps)],
                         capture_output=True, text=True, env=env, check=True).stdout
    r = json.loads(out.strip().splitlines()[-1])
    # ONNX Runtime's own MatMul (MLAS) often beats OpenBLAS here: keep the higher of the two as the peak
    o = subprocess.run([py, os.path.join(here, "peak_ort.py"), str(n), str(reps), str(threads)],
                       capture_output=True, text=True, env=env)
    if o.returncode == 0 and o.stdout.strip():
        r["ort_gflops"] = json.loads(o.stdout.strip().splitlines()[-1])["gflops"]
        r["numpy_gflops"] = r["gflops"]
        r["gflops"] = max(r["gflops"], r["ort_gflops"])
    return r


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True, help="java command line prefix (JSON list)")
    ap.add_argument("--python", required=True, help="python executable")
    ap.add_argument("--texts", required=True)
    ap.add_argument("--models", required=True, help="name=onnx:tokenizer,...")
    ap.add_argument("--batches", default="1,8,32")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--warmup-n", type=int, default=256)
    ap.add_argument("--split-n", type=int, default=512)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-length", type=int, default=128)
    ap.add_argument("--spinning", default="1")
    ap.add_argument("--peak-n", type=int, default=2048)
    ap.add_argument("--out", required=True)
    ap.add_argument("--logs", required=True)
    a = ap.parse_args()

    models = [m.split("=", 1)[0] for m in a.models.split(",")]
    batches = [int(b) for b in a.batches.split(",")]
    res = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "uptime_before": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
           "settings": {"n": a.n, "rounds": a.rounds, "warmup_n": a.warmup_n, "split_n": a.split_n,
                        "threads_intra": a.threads, "threads_inter": 1, "max_length": a.max_length,
                        "allow_spinning_python": a.spinning, "batches": batches, "models": models},
           "load": [], "peak": [], "passes": [], "splits": [], "check": {}}
    log("uptime before:", res["uptime_before"])
    res["peak"].append(peak(a.python, a.peak_n, 10, a.threads))
    log(f"matmul peak: {res['peak'][-1]['gflops']:.1f} GFLOP/s")

    # the workers inherit a 2-thread BLAS limit so numpy's pooling does not spawn more threads than ORT uses
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(a.threads), OMP_NUM_THREADS=str(a.threads))
    jcmd = json.loads(a.java)
    jcmd = jcmd[:1] + [f"-Dloupe.bench.spinning={a.spinning}"] + jcmd[1:]  # both sides get the same setting
    java = Worker("java", jcmd + ["serve", a.texts, str(a.threads), str(a.max_length)] + models,
                  env, os.path.join(a.logs, "models_java.err"))
    py = Worker("python", [a.python, os.path.join(os.path.dirname(__file__), "py_worker.py"), a.texts,
                           str(a.threads), str(a.max_length), a.spinning] + a.models.split(","),
                env, os.path.join(a.logs, "models_python.err"))
    res["java_runtime"] = java.ready["runtime"]
    res["python_runtime"] = py.ready["runtime"]
    res["flops128"] = {m: java.ready.get("flops128_" + m) for m in models}
    log("java:", java.ready["runtime"])
    log("python:", py.ready["runtime"])
    sides = {"java": java, "python": py}
    try:
        # agreement: same texts in one padded batch of 16 on both sides
        for m in models:
            cj = java.ask(f"check {m} 16")
            cp = py.ask(f"check {m} 16")
            cos = [cosine(x, y) for x, y in zip(cj["embeddings"], cp["embeddings"])]
            res["check"][m] = {"min_cosine": min(cos), "token_counts_equal": cj["token_counts"] == cp["token_counts"]}
            log(f"check {m}: min cosine {min(cos):.6f}, token counts equal: {cj['token_counts'] == cp['token_counts']}")

        cells = [(m, b) for m in models for b in batches]
        log("warm-up (split-timed passes over", a.warmup_n, "texts per cell and side)")
        for i, (m, b) in enumerate(cells):
            for s in (("java", "python") if i % 2 == 0 else ("python", "java")):
                r = sides[s].ask(f"split {m} {b} {a.warmup_n}")
                r.update(model=m, batch=b, phase="warmup")
                res["splits"].append(r)
        for rnd in range(a.rounds):
            res["load"].append({"round": rnd + 1, "loadavg": loadavg()})
            for i, (m, b) in enumerate(cells):
                order = ("java", "python") if (i + rnd) % 2 == 0 else ("python", "java")
                for s in order:
                    r = sides[s].ask(f"pass {m} {b} {a.n}")
                    r.update(model=m, batch=b, round=rnd + 1, loadavg=loadavg())
                    res["passes"].append(r)
                    log(f"round {rnd + 1} {m:9s} b={b:<3d} {s:6s} {r['texts'] / r['seconds']:7.1f} texts/s"
                        f"  (load {r['loadavg']})")
            res["peak"].append(peak(a.python, a.peak_n, 10, a.threads))
            log(f"matmul peak: {res['peak'][-1]['gflops']:.1f} GFLOP/s")
        log("split timing (tokenise / session / pooling) over", a.split_n, "texts per cell and side")
        for i, (m, b) in enumerate(cells):
            for s in (("java", "python") if i % 2 == 0 else ("python", "java")):
                r = sides[s].ask(f"split {m} {b} {a.split_n}")
                r.update(model=m, batch=b, phase="split")
                res["splits"].append(r)
    finally:
        java.close()
        py.close()
    res["uptime_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    res["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    log("uptime after:", res["uptime_after"])
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)  # raw first, so that a summary bug loses nothing
    summarize(res)
    with open(a.out, "w") as f:
        json.dump(res, f, indent=1)
    print(report(res))


def summarize(res):
    cells = {}
    for p in res["passes"]:
        key = (p["model"], p["batch"])
        c = cells.setdefault(key, {"model": p["model"], "batch": p["batch"], "java": [], "python": []})
        c[p["side"]].append(p["texts"] / p["seconds"])
        if p["side"] == "java" and "flops_useful" in p:
            c["flops_useful_per_text"] = p["flops_useful"] / p["texts"]
            c["flops_padded_per_text"] = p["flops_padded"] / p["texts"]
            c["tokens_per_text"] = p["tokens"] / p["texts"]
    splits = {}
    for s in res["splits"]:
        if s.get("phase") == "split":
            splits[(s["model"], s["batch"], s["side"])] = s
    peak = max(p["gflops"] for p in res["peak"])
    res["peak_gflops"] = peak
    out = []
    for (m, b), c in cells.items():
        j, p = max(c["java"]), max(c["python"])
        row = {"model": m, "batch": b, "java_tps": j, "python_tps": p, "ratio": j / p,
               "java_all": c["java"], "python_all": c["python"], "tokens_per_text": c.get("tokens_per_text")}
        if c.get("flops_useful_per_text"):
            row["java_gflops_useful"] = j * c["flops_useful_per_text"] / 1e9
            row["java_gflops_padded"] = j * c["flops_padded_per_text"] / 1e9
            row["python_gflops_useful"] = p * c["flops_useful_per_text"] / 1e9
            row["flops_useful_per_text"] = c["flops_useful_per_text"]
        for side in ("java", "python"):
            s = splits.get((m, b, side))
            if s:
                row[side + "_split_ms_per_text"] = {k: 1000 * s[k + "_s"] / s["texts"]
                                                    for k in ("tokenize", "session", "pool")}
        out.append(row)
    res["table"] = out


def report(res):
    peak = res["peak_gflops"]
    lines = ["| model | batch | Java texts/s | Python texts/s | Java / Python |", "|---|---:|---:|---:|---:|"]
    for r in res["table"]:
        lines.append(f"| {r['model']} | {r['batch']} | {r['java_tps']:.1f} | {r['python_tps']:.1f} | {r['ratio']:.2f} |")
    lines.append("")
    lines.append("Split (ms per text; tokenise / session / pooling), from the split pass:")
    lines.append("| model | batch | Java tok | Java session | Java pool | Python tok | Python session | Python pool |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in res["table"]:
        js, ps = r.get("java_split_ms_per_text"), r.get("python_split_ms_per_text")
        if js and ps:
            lines.append(f"| {r['model']} | {r['batch']} | {js['tokenize']:.2f} | {js['session']:.2f} | "
                         f"{js['pool']:.3f} | {ps['tokenize']:.2f} | {ps['session']:.2f} | {ps['pool']:.3f} |")
    lines.append("")
    lines.append(f"matmul peak (float32 {res['peak'][0]['n']}^2, {res['settings']['threads_intra']} threads, max of numpy "
                 f"and onnxruntime MatMul, best of each probe): " + ", ".join(f"{p['gflops']:.1f}" for p in res["peak"])
                 + f" GFLOP/s; max {peak:.1f}")
    for r in res["table"]:
        if r["model"] == "minilm" and r.get("java_gflops_useful"):
            lines.append(f"minilm b={r['batch']}: {r['flops_useful_per_text'] / 1e9:.2f} GFLOP/text "
                         f"({r['tokens_per_text']:.1f} tokens/text); Java {r['java_gflops_useful']:.1f} GFLOP/s "
                         f"= {100 * r['java_gflops_useful'] / peak:.0f}% of peak (padded work "
                         f"{100 * r['java_gflops_padded'] / peak:.0f}%), Python {r['python_gflops_useful']:.1f} GFLOP/s "
                         f"= {100 * r['python_gflops_useful'] / peak:.0f}%")
    lines.append("")
    lines.append("uptime before: " + res["uptime_before"])
    lines.append("uptime after:  " + res["uptime_after"])
    lines.append("load per round: " + "; ".join(f"{x['round']}: {x['loadavg']}" for x in res["load"]))
    for m, c in res["check"].items():
        lines.append(f"agreement {m}: min cosine {c['min_cosine']:.6f} over 16 texts in one padded batch, "
                     f"token counts equal: {c['token_counts_equal']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
