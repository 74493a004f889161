#!/usr/bin/env python3
"""Write a benchmark CSV (bench/gen_data.py) as Parquet with pyarrow's defaults (Snappy, dictionary pages), the
same rows and types (id and label int64, probabilities float64), and time pandas reading both.

  tools/.venv/bin/python bench/to_parquet.py bench/out/binary_10m.csv      # writes bench/out/binary_10m.parquet
  tools/.venv/bin/python bench/to_parquet.py --time-pandas FILE.csv FILE.parquet   # prints JSON timings
"""
import json
import os
import sys
import time

import pyarrow.csv as pacsv
import pyarrow.parquet as pq


def convert(csv):
    out = csv[:-4] + ".parquet"
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(csv):
        return out
    t = pacsv.read_csv(csv)
    pq.write_table(t, out + ".tmp")
    os.replace(out + ".tmp", out)
    return out


def time_pandas(csv, parquet, repeat=2):
    import pandas as pd
    res = {}
    for name, fn in [("read_csv", lambda: pd.read_csv(csv)), ("read_parquet", lambda: pd.read_parquet(parquet))]:
        best = None
        for _ in range(repeat):
            t0 = time.perf_counter()
            df = fn()
            t = time.perf_counter() - t0
            best = t if best is None else min(best, t)
        res[name] = round(best, 3)
        res["rows"] = len(df)
    return res


if __name__ == "__main__":
    if sys.argv[1] == "--time-pandas":
        print(json.dumps(time_pandas(sys.argv[2], sys.argv[3])))
    else:
        for f in sys.argv[1:]:
            print(convert(f))
