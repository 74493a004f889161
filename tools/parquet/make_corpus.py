"""Writes the Parquet test corpus into loupe-data/src/test/resources/parquet/ (committed; the tests need only Java).

    python tools/parquet/make_corpus.py        # pyarrow, polars, duckdb and pandas from the venv (DEVELOPERS.md)

Three groups of files:

* predictions (PredictionParquetTest): the same 240 rows of 3-class predictions (label, prob_cat, prob_dog,
  prob_bird, weight, id, text), and a binary version (label 0/1, score), written by every writer and setting Loupe
  must read: pyarrow (defaults; v2 data pages; every codec incl. Brotli; every encoding pyarrow can write:
  PLAIN, dictionary, DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT), pandas'
  DataFrame.to_parquet, polars (defaults and other codecs), DuckDB (parquet_version v1 and v2) and a Spark-style v2
  writer. pyspark is not on the package mirror, so "spark-v2" emulates Spark's writer with
  parquet.writer.version=v2 through pyarrow: data page v2, DELTA_BINARY_PACKED integers, DELTA_BYTE_ARRAY strings,
  PLAIN doubles, Snappy, INT96 timestamps, Spark's key-value metadata. The same rows are written as
  CSV (multi.csv, binary.csv, with every double spelled exactly) so the tests can check that the metrics agree.
* data sets (TextDatasetParquetTest): reviews-*.parquet (one small table, several codecs and encodings) and
  types.parquet (timestamps, dates, decimals, INT96, list<float> and fixed-size embeddings, nested columns).
* bad files: corrupt-rowgroup1.parquet (a damaged compressed page in row group 1 of column prob_dog),
  wrong-type.parquet (prob_dog as strings), nulls.parquet (a null probability in row 130, row group 2).

Every file is a pure function of this script (fixed seeds), so re-running it rewrites the same data.
"""
import decimal
import os

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "loupe-data", "src", "test", "resources", "parquet")
N = 240
CLASSES = ["cat", "dog", "bird"]


def predictions():
    """240 rows of 3-class predictions; probabilities are m/1000 for integers m summing to 1000, so each row
    sums to 1 within rounding (the reader's tolerance is 1e-6)."""
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 3, N)
    m = np.zeros((N, 3), dtype=np.int64)
    for i in range(N):
        a = rng.integers(0, 1001)
        b = rng.integers(0, 1001 - a)
        parts = [a, b, 1000 - a - b]
        rng.shuffle(parts)
        m[i] = parts
    probs = m / 1000.0
    weight = rng.integers(1, 5, N) / 2.0
    text = ["example %d %s" % (i, "é✓" if i % 7 == 0 else "") for i in range(N)]
    return pd.DataFrame({
        "id": np.arange(1, N + 1, dtype=np.int64),
        "label": [CLASSES[k] for k in labels],
        "prob_cat": probs[:, 0], "prob_dog": probs[:, 1], "prob_bird": probs[:, 2],
        "weight": weight,
        "text": text,
    })


def binary(multi):
    return pd.DataFrame({
        "id": multi["id"],
        "label": (multi["label"] == "dog").astype(np.int64),
        "score": multi["prob_dog"],
    })


def write_csv(df, path):
    # repr() spells every double exactly (shortest round trip), so the Java CSV reader gets the same bits
    with open(path, "w", newline="\n") as f:
        f.write(",".join(df.columns) + "\n")
        for row in df.itertuples(index=False):
            f.write(",".join(repr(float(v)) if isinstance(v, float) else str(v) for v in row) + "\n")


def p(name):
    return os.path.join(OUT, name)


def pyarrow_variants(t, stem):
    pq.write_table(t, p(stem + "-pyarrow-default.parquet"))
    pq.write_table(t, p(stem + "-pyarrow-v2pages-zstd.parquet"), data_page_version="2.0", compression="zstd")
    for codec in ["none", "snappy", "gzip", "brotli", "lz4", "zstd"]:
        pq.write_table(t, p(stem + "-pyarrow-" + codec + ".parquet"), compression=codec, row_group_size=100)
    pq.write_table(t, p(stem + "-pyarrow-plain.parquet"), use_dictionary=False, compression="none")
    ints = [f.name for f in t.schema if pa.types.is_integer(f.type)]
    strings = [f.name for f in t.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    floats = [f.name for f in t.schema if pa.types.is_floating(f.type)]
    enc = {c: "DELTA_BINARY_PACKED" for c in ints}
    enc.update({c: "DELTA_BYTE_ARRAY" for c in strings})
    enc.update({c: "BYTE_STREAM_SPLIT" for c in floats})
    pq.write_table(t, p(stem + "-pyarrow-delta-bss.parquet"), use_dictionary=False, column_encoding=enc,
                   data_page_version="2.0", compression="snappy")
    if strings:
        enc = {c: "DELTA_LENGTH_BYTE_ARRAY" for c in strings}
        pq.write_table(t, p(stem + "-pyarrow-delta-length.parquet"), use_dictionary=False, column_encoding=enc,
                       compression="gzip")
    # many row groups and tiny pages
    pq.write_table(t, p(stem + "-pyarrow-rowgroups.parquet"), row_group_size=17, data_page_size=256,
                   compression="snappy")


def spark_v2(t, path):
    """What Spark writes with parquet.writer.version=v2 (see the module docs): emulated through pyarrow."""
    ints = [f.name for f in t.schema if pa.types.is_integer(f.type)]
    strings = [f.name for f in t.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    enc = {c: "DELTA_BINARY_PACKED" for c in ints}
    enc.update({c: "DELTA_BYTE_ARRAY" for c in strings})
    enc.update({f.name: "PLAIN" for f in t.schema if f.name not in enc})
    t = t.replace_schema_metadata({"org.apache.spark.version": "3.5.1",
                                   "org.apache.spark.sql.parquet.row.metadata": "{}"})
    pq.write_table(t, path, use_dictionary=False, column_encoding=enc, data_page_version="2.0",
                   compression="snappy", use_deprecated_int96_timestamps=True, row_group_size=120)


def duckdb_variants(df, stem):
    con = duckdb.connect()
    con.register("t", df)
    con.execute("COPY t TO '%s' (FORMAT parquet)" % p(stem + "-duckdb-v1.parquet"))
    con.execute("COPY t TO '%s' (FORMAT parquet, PARQUET_VERSION v2)" % p(stem + "-duckdb-v2.parquet"))
    con.execute("COPY t TO '%s' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 64)"
                % p(stem + "-duckdb-zstd-rowgroups.parquet"))
    con.close()


def polars_variants(df, stem):
    d = pl.from_pandas(df)
    d.write_parquet(p(stem + "-polars-default.parquet"))
    d.write_parquet(p(stem + "-polars-brotli.parquet"), compression="brotli", row_group_size=100)
    d.write_parquet(p(stem + "-polars-lz4.parquet"), compression="lz4", statistics=False)


def predictions_corpus():
    multi = predictions()
    write_csv(multi, p("multi.csv"))
    bin_ = binary(multi)
    write_csv(bin_, p("binary.csv"))
    for df, stem in [(multi, "multi"), (bin_, "binary")]:
        t = pa.Table.from_pandas(df, preserve_index=False)
        pyarrow_variants(t, stem)
        df.to_parquet(p(stem + "-pandas.parquet"))  # pandas' own call, as users write predictions
        polars_variants(df, stem)
        duckdb_variants(df, stem)
        spark_v2(t, p(stem + "-spark-v2.parquet"))
    # float32 probabilities with BYTE_STREAM_SPLIT, and their exact float64 values as CSV
    f32 = multi.copy()
    for c in ["prob_cat", "prob_dog", "prob_bird"]:
        f32[c] = f32[c].astype(np.float32)
    t = pa.Table.from_pandas(f32, preserve_index=False)
    pq.write_table(t, p("multi-float32-bss.parquet"), use_dictionary=["label", "text"],
                   column_encoding={c: "BYTE_STREAM_SPLIT" for c in ["prob_cat", "prob_dog", "prob_bird"]})
    as64 = f32.copy()
    for c in ["prob_cat", "prob_dog", "prob_bird"]:
        as64[c] = as64[c].astype(np.float64)
    write_csv(as64, p("multi-float32.csv"))
    return multi


def bad_files(multi):
    t = pa.Table.from_pandas(multi, preserve_index=False)
    # a damaged zstd page: row group 1 of prob_dog (column 3)
    path = p("corrupt-rowgroup1.parquet")
    pq.write_table(t, path, row_group_size=100, compression="zstd", use_dictionary=False)
    col = pq.ParquetFile(path).metadata.row_group(1).column(3)
    start = col.data_page_offset
    with open(path, "r+b") as f:
        f.seek(start + col.total_compressed_size - 24)
        f.write(bytes(range(200, 216)))
    wrong = multi.copy()
    wrong["prob_dog"] = wrong["prob_dog"].map(lambda v: "%.3f" % v)
    pq.write_table(pa.Table.from_pandas(wrong, preserve_index=False), p("wrong-type.parquet"))
    nulls = pa.Table.from_pandas(multi, preserve_index=False)
    cat = nulls.column("prob_cat").to_pylist()
    cat[129] = None
    nulls = nulls.set_column(2, "prob_cat", pa.array(cat, pa.float64()))
    pq.write_table(nulls, p("nulls.parquet"), row_group_size=60)


REVIEWS = {
    "id": ["r1", "r2", "r3", "r4", "r5"],
    "text": ["Great movie, would watch again", None, "Caf\u00e9 \u2713 \U0001F389 \u4f60\u597d", "", "meh"],
    "label": pa.array([1, 0, 1, 0, 1], type=pa.int64()),
    "lang": ["en", "en", None, "fr", "en"],
    "score": [0.5, None, 1.25, -2.0, 3.0],
    "flag": [True, False, None, True, False],
    "small": pa.array([1, -2, 3, None, 5], type=pa.int32()),
    "tags": [["a"], [], None, ["b", "c"], ["d"]],
    "embedding": pa.array([[0.5, -1.0], [0.25, 2.0], None, [1.0, 0.0], []], type=pa.list_(pa.float32())),
}


def dataset_corpus():
    t = pa.table(REVIEWS)
    pq.write_table(t, p("reviews-snappy.parquet"), compression="snappy", row_group_size=3)
    pq.write_table(t, p("reviews-gzip-plain-v2.parquet"), compression="gzip", use_dictionary=False,
                   data_page_version="2.0")
    pq.write_table(t, p("reviews-zstd-v2.parquet"), compression="zstd", data_page_version="2.0", row_group_size=2)
    pq.write_table(t, p("reviews-lz4.parquet"), compression="lz4")
    pq.write_table(t, p("reviews-none.parquet"), compression="none")
    pq.write_table(t, p("reviews-brotli.parquet"), compression="brotli")
    pq.write_table(t, p("reviews-delta.parquet"), compression="none", use_dictionary=False,
                   column_encoding={"text": "DELTA_BYTE_ARRAY", "id": "DELTA_LENGTH_BYTE_ARRAY",
                                    "label": "DELTA_BINARY_PACKED", "score": "BYTE_STREAM_SPLIT"})
    # logical types
    types = pa.table({
        "text": ["a", "b"],
        "label": ["x", "y"],
        "ts_ms": pa.array([1706702400000, 0], type=pa.timestamp("ms")),
        "ts_us_utc": pa.array([1706702400123456, None], type=pa.timestamp("us", tz="UTC")),
        "day": pa.array([19753, -1], type=pa.date32()),
        "price": pa.array([decimal.Decimal("12.50"), decimal.Decimal("-0.01")], type=pa.decimal128(10, 2)),
        "big": pa.array([2 ** 62, -1], type=pa.int64()),
        "ratio": pa.array([0.1, 1e-300], type=pa.float64()),
        "vec3": pa.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], type=pa.list_(pa.float32(), 3)),
        "vec_double": pa.array([[0.125], [1e10]], type=pa.list_(pa.float64())),
        "meta": pa.array([{"k": 1}, {"k": 2}], type=pa.struct([("k", pa.int32())])),
    })
    pq.write_table(types, p("types.parquet"))
    # many pages and long runs: 1,000 rows, tiny pages, a dictionary and nulls
    n = 1000
    big = pa.table({
        "text": [None if i % 97 == 0 else "row %d %s" % (i, "x" * (i % 13)) for i in range(n)],
        "label": ["c%d" % (i % 3) for i in range(n)],
        "group": ["g%d" % (i // 100) for i in range(n)],
    })
    pq.write_table(big, p("many-pages.parquet"), compression="snappy", data_page_size=512, row_group_size=400)
    spark_like = pa.table({"text": ["a", "b"], "label": ["x", "y"],
                           "ts": pa.array([1706702400000000, 0], type=pa.timestamp("us"))})
    spark_v2(spark_like, p("types-int96.parquet"))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".parquet") or f.endswith(".csv"):
            os.remove(os.path.join(OUT, f))
    multi = predictions_corpus()
    bad_files(multi)
    dataset_corpus()
    print("wrote %d files to %s" % (len(os.listdir(OUT)), OUT))


if __name__ == "__main__":
    main()
