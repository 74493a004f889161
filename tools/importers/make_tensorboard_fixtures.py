"""Writes the TensorBoard event files the importer and watcher tests replay (loupe-store/src/test/resources/importers/tb).

They are written by tensorboardX's SummaryWriter (the writer PyTorch's torch.utils.tensorboard mirrors), laid out as
Keras' TensorBoard callback lays out a log directory: one folder per phase (train/, validation/), scalars by tag, plus
the summaries Loupe skips (histograms, text). A second event file in train/ is a restarted run (its steps continue).

    python -m venv tools/.venv && tools/.venv/bin/pip install tensorboardX numpy
    tools/.venv/bin/python tools/importers/make_tensorboard_fixtures.py
"""
import math
import os
import pathlib
import shutil

import numpy as np
from tensorboardX import SummaryWriter

OUT = pathlib.Path(__file__).resolve().parents[2] / "loupe-store/src/test/resources/importers/tb"
T0 = 1_700_000_000.0


def write(folder, name, steps, first_step, with_extras):
    tmp = OUT / "_tmp"
    w = SummaryWriter(str(tmp), flush_secs=1)
    for i in range(steps):
        step = first_step + i
        wall = T0 + step * 2.0
        w.add_scalar("epoch_loss", 1.0 / (1 + step) + 0.01 * math.sin(step), step, walltime=wall)
        w.add_scalar("epoch_accuracy", 1.0 - 0.5 / (1 + step), step, walltime=wall)
        if with_extras and step % 5 == 0:
            w.add_histogram("dense/kernel", np.linspace(-1, 1, 50) * (1 + step), step, bins=8, walltime=wall)
            w.add_text("notes", f"step {step}", step, walltime=wall)
    w.close()
    (src,) = tmp.glob("events.out.tfevents.*")
    dest = OUT / folder
    dest.mkdir(parents=True, exist_ok=True)
    shutil.move(str(src), str(dest / name))
    shutil.rmtree(tmp)


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    write("train", "events.out.tfevents.1700000000.host.1.v2", 20, 0, True)
    write("train", "events.out.tfevents.1700000100.host.2.v2", 10, 20, False)  # restarted: steps continue
    write("validation", "events.out.tfevents.1700000000.host.1.v2", 30, 0, False)
    for p in sorted(OUT.rglob("events.*")):
        print(p.relative_to(OUT), os.path.getsize(p))


if __name__ == "__main__":
    main()
