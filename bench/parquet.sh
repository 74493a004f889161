#!/usr/bin/env bash
# Parquet vs CSV: the same predictions read by Loupe from each format, side by side in one run (issue 16).
#
#   bench/parquet.sh            # 10M binary rows (id,label,score) and 1M rows x 10 classes
#   bench/parquet.sh --quick    # 1M binary rows, 100k x 10
#   bench/parquet.sh --no-build # reuse the jars in */target
#
# Data: bench/gen_data.py (the CSVs of bench/run.sh), written as Parquet by bench/to_parquet.py (pyarrow's
# defaults: Snappy, dictionary pages). Measures, per file: (1) reading alone — every PredictionBatch, no metrics —
# in one JVM (dev.loupe.bench.ReadSpeed: the first run, which for Parquet loads DuckDB's native library, and the
# best of REPEAT); (2) `java -jar loupe.jar evaluate --bootstrap 0 --no-store`, wall time with JVM start, best of
# CLI_REPEAT, and checks that CSV and Parquet give the same metrics JSON; (3) pandas read_csv vs read_parquet.
# Writes bench/out/parquet_results.json and prints a table. Env: REPEAT (3), CLI_REPEAT (2), JAVA_OPTS (-Xmx8g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${OUT_DIR:-bench/out}"
mkdir -p "$out"
PY="${PY:-tools/.venv/bin/python}"
BIN_ROWS=10000000
MULTI_ROWS=1000000
REPEAT="${REPEAT:-3}"
CLI_REPEAT="${CLI_REPEAT:-2}"
JAVA_OPTS="${JAVA_OPTS:--Xmx8g}"
build=1
for a in "$@"; do
  case "$a" in
    --quick) BIN_ROWS=1000000; MULTI_ROWS=100000 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "== $*" >&2; }
if [ "$build" = 1 ]; then
  say "building loupe-bench and loupe-cli"
  mvn -B -q -DskipTests package -pl loupe-bench,loupe-cli -am >"$out/build.log" 2>&1 \
    || { echo "error: the build failed, see $out/build.log" >&2; exit 1; }
fi
cp="loupe-bench/target/loupe-bench.jar:loupe-cli/target/lib/duckdb_jdbc.jar"

say "data"
"$PY" bench/gen_data.py --out "$out" --binary-rows "$BIN_ROWS" --multi-rows "$MULTI_ROWS" --classes 10
read -r bin multi < <("$PY" bench/gen_data.py --print-names --binary-rows "$BIN_ROWS" --multi-rows "$MULTI_ROWS" --classes 10)
"$PY" bench/to_parquet.py "$out/$bin.csv" "$out/$multi.csv" >/dev/null
ls -l "$out/$bin.csv" "$out/$bin.parquet" "$out/$multi.csv" "$out/$multi.parquet" >&2
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

say "reading alone (ReadSpeed, $REPEAT runs in one JVM)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$cp" dev.loupe.bench.ReadSpeed --repeat "$REPEAT" --positive-label 1 \
  "$out/$bin.csv" "$out/$bin.parquet" >"$out/parquet_read_binary.jsonl"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$cp" dev.loupe.bench.ReadSpeed --repeat "$REPEAT" \
  "$out/$multi.csv" "$out/$multi.parquet" >"$out/parquet_read_multi.jsonl"
cat "$out/parquet_read_binary.jsonl" "$out/parquet_read_multi.jsonl" >&2

say "loupe evaluate end to end (best of $CLI_REPEAT)"
cli_time() { # tag file args... -> prints wall seconds of the best run
  local tag="$1" best="" t
  shift
  for ((i = 1; i <= CLI_REPEAT; i++)); do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e" -o "$out/pq_cli_$tag.time" java $JAVA_OPTS -jar loupe-cli/target/loupe.jar evaluate \
      --bootstrap 0 --no-store -q --json "$out/pq_cli_$tag.json" "$@" >/dev/null 2>"$out/pq_cli_$tag.err" \
      || { cat "$out/pq_cli_$tag.err" >&2; exit 1; }
    t="$(tail -1 "$out/pq_cli_$tag.time")"
    echo "  $tag run $i: $t s" >&2
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best="$t"; fi
  done
  echo "$best"
}
cli_bin_csv="$(cli_time bin_csv --predictions "$out/$bin.csv" --positive-label 1)"
cli_bin_pq="$(cli_time bin_parquet --predictions "$out/$bin.parquet" --positive-label 1)"
cli_multi_csv="$(cli_time multi_csv --predictions "$out/$multi.csv")"
cli_multi_pq="$(cli_time multi_parquet --predictions "$out/$multi.parquet")"
same=true
cmp -s "$out/pq_cli_bin_csv.json" "$out/pq_cli_bin_parquet.json" || same=false
cmp -s "$out/pq_cli_multi_csv.json" "$out/pq_cli_multi_parquet.json" || same=false
echo "  same metrics JSON from CSV and Parquet: $same" >&2

say "pandas read_csv vs read_parquet (best of 2)"
pd_bin="$("$PY" bench/to_parquet.py --time-pandas "$out/$bin.csv" "$out/$bin.parquet")"
pd_multi="$("$PY" bench/to_parquet.py --time-pandas "$out/$multi.csv" "$out/$multi.parquet")"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

"$PY" - "$out" "$bin" "$multi" "$cli_bin_csv" "$cli_bin_pq" "$cli_multi_csv" "$cli_multi_pq" "$same" \
  "$pd_bin" "$pd_multi" "$load_before" "$load_after" <<'PY'
import json, os, sys
out, b, m, bc, bp, mc, mp, same, pdb, pdm, lb, la = sys.argv[1:]
def reads(name):
    return [json.loads(l) for l in open(os.path.join(out, "parquet_read_%s.jsonl" % name))]
res = {"load_before": lb, "load_after": la, "same_json": same == "true", "cases": []}
for kind, name, cli_c, cli_p, pd_ in [("binary", b, bc, bp, pdb), ("multi", m, mc, mp, pdm)]:
    r = reads(kind)
    csv, pq = r[0], r[1]
    pd_ = json.loads(pd_)
    res["cases"].append({"data": name, "rows": csv["rows"],
        "csv_mb": round(os.path.getsize(os.path.join(out, name + ".csv")) / 1e6, 1),
        "parquet_mb": round(os.path.getsize(os.path.join(out, name + ".parquet")) / 1e6, 1),
        "read_csv_best_s": csv["best_s"], "read_parquet_best_s": pq["best_s"],
        "read_csv_first_s": csv["first_s"], "read_parquet_first_s": pq["first_s"],
        "cli_csv_s": float(cli_c), "cli_parquet_s": float(cli_p),
        "pandas_read_csv_s": pd_["read_csv"], "pandas_read_parquet_s": pd_["read_parquet"],
        "checksums_equal": abs(csv["checksum"] - pq["checksum"]) < 1e-6 * max(1, abs(csv["checksum"]))})
json.dump(res, open(os.path.join(out, "parquet_results.json"), "w"), indent=1)
print("| data | CSV / Parquet MB | Loupe read CSV s | Loupe read Parquet s | ratio | first run CSV / Parquet s "
      "| evaluate CSV s | evaluate Parquet s | pandas read_csv / read_parquet s |")
print("|---|---|---|---|---|---|---|---|---|")
for c in res["cases"]:
    print("| %s (%s rows) | %s / %s | %.2f | %.2f | **%.1f×** | %.2f / %.2f | %.2f | %.2f | %.2f / %.2f |" % (
        c["data"], format(c["rows"], ","), c["csv_mb"], c["parquet_mb"], c["read_csv_best_s"],
        c["read_parquet_best_s"], c["read_csv_best_s"] / c["read_parquet_best_s"], c["read_csv_first_s"],
        c["read_parquet_first_s"], c["cli_csv_s"], c["cli_parquet_s"], c["pandas_read_csv_s"],
        c["pandas_read_parquet_s"]))
print("same metrics JSON from CSV and Parquet: %s; checksums equal: %s; load average before %s, after %s" % (
    res["same_json"], all(c["checksums_equal"] for c in res["cases"]), lb, la))
PY
