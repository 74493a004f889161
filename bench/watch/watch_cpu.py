"""CPU cost of `loupe watch`: N TensorBoard event files growing at R points/s each, written by this (separate) Python
process with tensorboardX's record framing; the CPU time of the `loupe watch` process (user + system, from
/proc/PID/stat) over a measuring window after a warm-up, as a share of one core. Also checks every point arrived.

    python bench/watch/watch_cpu.py [--files 100] [--rate 10] [--warmup 15] [--seconds 60] [--jar loupe-cli/target/loupe.jar]

Needs tensorboardX (`pip install tensorboardX`) and a built jar (`./loupe --version` builds it).
"""
import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

from tensorboardX.proto import event_pb2, summary_pb2
from tensorboardX.record_writer import masked_crc32c
import struct


def record(data):
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


def event(step, value):
    e = event_pb2.Event(wall_time=time.time(), step=step)
    e.summary.value.add(tag="loss", simple_value=value)
    return record(e.SerializeToString())


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / tick  # utime, stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=100)
    ap.add_argument("--rate", type=int, default=10)
    ap.add_argument("--warmup", type=float, default=15)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--jar", default="loupe-cli/target/loupe.jar")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="loupe-watch-bench-")
    root = os.path.join(tmp, "runs")
    outs = []
    for i in range(a.files):
        d = os.path.join(root, f"run{i:03d}")
        os.makedirs(d)
        f = open(os.path.join(d, f"events.out.tfevents.1700000000.host.{i}"), "ab")
        f.write(record(event_pb2.Event(wall_time=time.time(), file_version="brain.Event:2").SerializeToString()))
        f.flush()
        outs.append(f)
    db = os.path.join(tmp, "loupe.db")
    env = dict(os.environ, LOUPE_HOME=tmp)
    proc = subprocess.Popen(["java", "-Xmx512m", "-jar", a.jar, "watch", root, "--store", db],
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "watch.log"), "w"), env=env)
    try:
        time.sleep(3)
        t0 = time.time()
        step = 0
        measuring = None
        end = a.warmup + a.seconds
        while True:
            now = time.time() - t0
            if now >= end:
                break
            if measuring is None and now >= a.warmup:
                measuring = (time.time(), cpu_seconds(proc.pid))
            for f in outs:
                f.write(event(step, 1.0 / (step + 1)))
                f.flush()
            step += 1
            due = t0 + step / a.rate
            time.sleep(max(0.0, due - time.time()))
        wall = time.time() - measuring[0]
        cpu = cpu_seconds(proc.pid) - measuring[1]
        time.sleep(2)
        con = sqlite3.connect(db)
        counts = [n for (n,) in con.execute("SELECT COUNT(*) FROM series_points GROUP BY series_id")]
        print(f"loupe watch: {a.files} event files x {a.rate} points/s, {a.seconds:.0f} s measured after {a.warmup:.0f} s"
              f" warm-up: {100 * cpu / wall:.2f} % of one core ({cpu:.2f} s CPU over {wall:.1f} s);"
              f" {len(counts)} series, points per series min {min(counts)} max {max(counts)} (written {step})")
        if len(counts) != a.files or min(counts) != step:
            print("MISSING POINTS", file=sys.stderr)
            sys.exit(1)
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
