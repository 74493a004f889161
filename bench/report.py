#!/usr/bin/env python3
"""Reads the per-side outputs of bench/run.sh, prints the comparison table, writes bench/out/results.json."""
import argparse
import json
import os
import platform
import re
import subprocess
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def num(s):
    return None if s in (None, "", "null") else float(s)


def sh(cmd):
    try:
        r = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30)
        return r.stdout + r.stderr
    except Exception:
        return ""


def machine():
    model = re.search(r"Model name:\s*(.*)", sh("lscpu"))
    java = sh("java -version 2>&1").strip().splitlines()
    return {"cpu": model.group(1).strip() if model else platform.processor(), "cores": os.cpu_count(),
            "java": java[0] if java else None, "os": platform.platform()}


def max_diff(a, b):
    keys = sorted(set(a) & set(b))
    diffs = {k: abs(a[k] - b[k]) for k in keys if a[k] is not None and b[k] is not None}
    worst = max(diffs, key=diffs.get) if diffs else None
    return {"compared": len(diffs), "max_abs_diff": diffs[worst] if worst else None, "worst": worst}


def cli_values(path):
    j = load(path)
    if not j:
        return None
    return {k: v.get("value") for k, v in j.get("metrics", {}).items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--cli-binary", nargs=2, default=[None, None], metavar=("WALL", "CPU"))
    ap.add_argument("--cli-multi", nargs=2, default=[None, None], metavar=("WALL", "CPU"))
    ap.add_argument("--cli-boot", nargs=2, default=[None, None], metavar=("WALL", "CPU"))
    ap.add_argument("--cli-binary-store", nargs=2, default=[None, None], metavar=("WALL", "CPU"))
    ap.add_argument("--cli-multi-store", nargs=2, default=[None, None], metavar=("WALL", "CPU"))
    ap.add_argument("--load-before", default="")
    ap.add_argument("--load-after", default="")
    ap.add_argument("--jmh", default="")
    a = ap.parse_args()
    o = a.out
    lo = load(os.path.join(o, "loupe_inmemory.json"))
    sb = load(os.path.join(o, "sklearn_binary.json"))
    sm = load(os.path.join(o, "sklearn_multi.json"))
    (cb, cbc), (cm, cmc), (cboot, cbootc), (cbs, cbsc), (cms, cmsc) = (
        [num(x) for x in v] for v in (a.cli_binary, a.cli_multi, a.cli_boot, a.cli_binary_store, a.cli_multi_store))

    rows = []

    def row(case, data, sk, lp, target, kind, skc=None, lpc=None):
        ratio = sk / lp if sk and lp else None
        if kind == "ratio":
            ok = None if ratio is None else ratio >= target
        else:
            ok = None if lp is None else lp < target
        rows.append({"case": case, "data": data, "sklearn_s": sk, "loupe_s": lp, "ratio": ratio,
                     "target": (f">= {target}x" if kind == "ratio" else f"< {target} s"), "met": ok,
                     "sklearn_cpu_s": skc, "loupe_cpu_s": lpc, "cpu_ratio": skc / lpc if skc and lpc else None})

    b, m, boot = lo["binary"], lo["multi"], lo.get("bootstrap")
    bdesc = f"{b['rows']:,} x 2 ({b['name']})"
    mdesc = f"{m['rows']:,} x {m['classes']} ({m['name']})"
    row("(a) in-memory metrics", bdesc, sb["memory_s"], b["seconds"], 5, "ratio", sb.get("memory_cpu_s"), b.get("cpu_s"))
    row("(a) in-memory metrics", mdesc, sm["memory_s"], m["seconds"], 5, "ratio", sm.get("memory_cpu_s"), m.get("cpu_s"))
    row("(b) CSV end to end", bdesc, sb.get("csv_s"), cb, 2, "ratio", sb.get("csv_cpu_s"), cbc)
    row("(b) CSV end to end", mdesc, sm.get("csv_s"), cm, 2, "ratio", sm.get("csv_cpu_s"), cmc)
    if cbs is not None:
        row("(b') CSV, recording the run", bdesc, sb.get("csv_s"), cbs, 2, "ratio", sb.get("csv_cpu_s"), cbsc)
    if cms is not None:
        row("(b') CSV, recording the run", mdesc, sm.get("csv_s"), cms, 2, "ratio", sm.get("csv_cpu_s"), cmsc)
    if boot:
        bd = f"{boot['rows']:,} binary rows x {boot['replicates']} replicates"
        row("(c) bootstrap, in memory", bd, None, boot["seconds"], 30, "time", None, boot.get("cpu_s"))
        if cboot is not None:
            row("(c) bootstrap, loupe evaluate CSV", bd, None, cboot, 30, "time", None, cbootc)

    checks = {"binary_inmemory": max_diff(sb["values"], b["values"]),
              "multi_inmemory": max_diff(sm["values"], m["values"])}
    for name, skv in (("binary", sb), ("multi", sm)):
        cv = cli_values(os.path.join(o, f"loupe_cli_{name}.json"))
        if cv:
            checks[f"{name}_cli"] = max_diff(skv["values"], cv)

    jmh = []
    for p in filter(None, a.jmh.split(",")):
        for r in load(p) or []:
            jmh.append({"benchmark": r["benchmark"].replace("dev.loupe.bench.", ""), "params": r.get("params"),
                        "mode": r["mode"], "score": r["primaryMetric"]["score"],
                        "error": r["primaryMetric"]["scoreError"], "unit": r["primaryMetric"]["scoreUnit"]})

    res = {"machine": machine(), "versions": {k: sb[k] for k in ("python", "sklearn", "numpy", "pandas")},
           "java_runtime": lo.get("java"), "load_average_before_after": [a.load_before, a.load_after],
           "results": rows, "value_checks": checks,
           "loupe_breakdown_s": {"binary": b.get("breakdown_s"), "multi": m.get("breakdown_s"),
                                 "bootstrap": boot.get("breakdown_s") if boot else None},
           "loupe_update_result_s": {"binary": [b["update_s"], b["result_s"]], "multi": [m["update_s"], m["result_s"]],
                                     "bootstrap": [boot["update_s"], boot["result_s"]] if boot else None},
           "sklearn_breakdown_s": {"binary": sb["memory_breakdown_s"], "multi": sm["memory_breakdown_s"]},
           "sklearn_read_csv_s": {"binary": sb.get("csv_read_s"), "multi": sm.get("csv_read_s")},
           "jmh": jmh}
    with open(os.path.join(o, "results.json"), "w") as f:
        json.dump(res, f, indent=1)

    def fmt(x, spec="{:.3f}"):
        return "—" if x is None else spec.format(x)

    print()
    print(f"machine: {res['machine']['cpu']}, {res['machine']['cores']} cores; {res['machine']['java']}; "
          f"scikit-learn {sb['sklearn']}, numpy {sb['numpy']}, pandas {sb['pandas']}")
    print(f"load average before / after: {a.load_before} / {a.load_after}")
    print("times: wall seconds, best of N; cpu = process CPU seconds of that run (all threads; the JVM's include")
    print("JIT and GC) — on a shared machine wall >> cpu for single-threaded work means the run was time-sliced")
    print()
    hdr = (f"{'case':<34} {'data':<38} {'sklearn s':>9} {'Loupe s':>8} {'ratio':>6} {'target':>7}  met"
           f"  | cpu s: {'sklearn':>7} {'Loupe':>7} {'ratio':>6}")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        met = "—" if r["met"] is None else ("yes" if r["met"] else "NO")
        print(f"{r['case']:<34} {r['data']:<38} {fmt(r['sklearn_s']):>9} {fmt(r['loupe_s']):>8} "
              f"{fmt(r['ratio'], '{:.1f}x'):>6} {r['target']:>7}  {met:<3}  |        "
              f"{fmt(r['sklearn_cpu_s'], '{:.2f}'):>7} {fmt(r['loupe_cpu_s'], '{:.2f}'):>7} {fmt(r['cpu_ratio'], '{:.1f}x'):>6}")
    print()
    for k, v in checks.items():
        print(f"values {k}: {v['compared']} metrics compared with scikit-learn, max |diff| = {fmt(v['max_abs_diff'], '{:.2e}')}"
              + (f" ({v['worst']})" if v["worst"] else ""))
    for j in jmh:
        p = ",".join(f"{k}={v}" for k, v in (j["params"] or {}).items() if k != "dir")
        print(f"jmh {j['benchmark']:<40} {p:<40} {j['score']:10.1f} ± {j['error']:.1f} {j['unit']}")
    print(f"\nwrote {os.path.join(o, 'results.json')}")


if __name__ == "__main__":
    main()
