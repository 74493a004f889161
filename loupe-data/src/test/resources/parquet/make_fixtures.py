"""Writes the Parquet test files next to this script (pyarrow 25). Run: python make_fixtures.py

Each file holds the same small table (see ROWS) written with a different codec, encoding and page
version, so ParquetReaderTest can check that the Java reader gives the same cells for all of them.
"""
import os

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))

ROWS = {
    "id": ["r1", "r2", "r3", "r4", "r5"],
    "text": ["Great movie, would watch again", None, "Caf\u00e9 \u2713 \U0001F389 \u4f60\u597d", "", "meh"],
    "label": pa.array([1, 0, 1, 0, 1], type=pa.int64()),
    "lang": ["en", "en", None, "fr", "en"],
    "score": [0.5, None, 1.25, -2.0, 3.0],
    "flag": [True, False, None, True, False],
    "small": pa.array([1, -2, 3, None, 5], type=pa.int32()),
    "tags": [["a"], [], None, ["b", "c"], ["d"]],
}


def table():
    return pa.table(ROWS)


def main():
    t = table()
    pq.write_table(t, os.path.join(HERE, "reviews-snappy.parquet"), compression="snappy", row_group_size=3)
    pq.write_table(t, os.path.join(HERE, "reviews-gzip-plain-v2.parquet"), compression="gzip",
                   use_dictionary=False, data_page_version="2.0")
    pq.write_table(t, os.path.join(HERE, "reviews-zstd-v2.parquet"), compression="zstd", data_page_version="2.0",
                   row_group_size=2)
    pq.write_table(t, os.path.join(HERE, "reviews-lz4.parquet"), compression="lz4")
    pq.write_table(t, os.path.join(HERE, "reviews-none.parquet"), compression="none")
    pq.write_table(t, os.path.join(HERE, "reviews-brotli.parquet"), compression="brotli")
    pq.write_table(t, os.path.join(HERE, "reviews-delta.parquet"), compression="none", use_dictionary=False,
                   column_encoding={"text": "DELTA_BYTE_ARRAY"})
    # many pages and long runs: 1,000 rows, tiny pages, a dictionary and nulls
    n = 1000
    big = pa.table({
        "text": [None if i % 97 == 0 else "row %d %s" % (i, "x" * (i % 13)) for i in range(n)],
        "label": ["c%d" % (i % 3) for i in range(n)],
        "group": ["g%d" % (i // 100) for i in range(n)],
    })
    pq.write_table(big, os.path.join(HERE, "many-pages.parquet"), compression="snappy", data_page_size=512,
                   row_group_size=400)


if __name__ == "__main__":
    main()
