#!/usr/bin/env bash
# The default path, side by side in one run: `./loupe evaluate --predictions F --json out.json` (1,000 bootstrap
# replicates, recorded in a store with its kept rows and the compressed file) against what a user would run instead,
# pandas.read_csv + scikit-learn's point metrics without intervals (bench/default_side.py), on the same files.
#
#   bench/default.sh              # 10M binary rows and 1M x 10 classes (generated once by bench/gen_data.py), and
#                                 # the 1,200-row example; about 15 minutes on 2 idle cores
#   bench/default.sh --quick      # 1M binary rows and 100k x 10
#   BIG=1 bench/default.sh        # also 100M binary rows with --bins 10000 --bootstrap 0 (peak heap: binned state and
#                                 # bootstrap state do not grow with rows; writes a 1.9 GB file)
#
# Environment: PY (python with pandas + scikit-learn; tools/.venv/bin/python), OUT_DIR (data and results;
# bench/out), BIN_ROWS, MULTI_ROWS, SMALL_REPEAT (runs of each small-file command; 5).
# Each case runs as its own process and is timed from outside (wall) with its CPU time (user + sys); Loupe's peak
# heap is the largest heap occupancy in its GC log (before a collection, or at exit). The load average is recorded
# before each case: on a shared machine read the ratios, measured side by side, rather than the absolute times.
# Writes $OUT_DIR/default.json and prints a table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${OUT_DIR:-bench/out}"
mkdir -p "$out"
PY="${PY:-tools/.venv/bin/python}"
BIN_ROWS="${BIN_ROWS:-10000000}"
MULTI_ROWS="${MULTI_ROWS:-1000000}"
SMALL_REPEAT="${SMALL_REPEAT:-5}"
for a in "$@"; do
  case "$a" in
    --quick) BIN_ROWS=1000000; MULTI_ROWS=100000 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "== $*" >&2; }

./loupe --version >/dev/null # builds the jar and the start-up archive if stale, so no timed run pays for them
"$PY" bench/gen_data.py --out "$out" --binary-rows "$BIN_ROWS" --multi-rows "$MULTI_ROWS" --classes 10 >&2
read -r bin multi < <("$PY" bench/gen_data.py --print-names --binary-rows "$BIN_ROWS" --multi-rows "$MULTI_ROWS" --classes 10)

home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
results="$out/default.jsonl"
: >"$results"

# time_case NAME CMD...: runs CMD once; appends {"case", "wall_s", "cpu_s", "load", "peak_heap_mb"} to $results
time_case() {
  local name="$1"; shift
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  local gclog="$home/gc.log"; rm -f "$gclog"
  local t="$home/time.txt"
  /usr/bin/time -f "%e %U %S" -o "$t" "$@" >"$home/stdout.txt" 2>"$home/stderr.txt" || {
    echo "error: $name failed:" >&2; tail -5 "$home/stderr.txt" >&2; return 1; }
  local peak=null
  if [ -f "$gclog" ]; then # the largest occupancy before a collection ("1234M->567M") or at exit ("used 12345K")
    peak="$( { grep -oE '[0-9]+M->' "$gclog" | sed 's/M->//'; grep -oE 'used [0-9]+K' "$gclog" | tr -dc '0-9\n' \
      | awk '{print int($1 / 1024)}'; } | sort -n | tail -1)"
    [ -n "$peak" ] || peak=null
  fi
  read -r wall user sys <"$t"
  printf '{"case": "%s", "wall_s": %s, "cpu_s": %s, "load": %s, "peak_heap_mb": %s}\n' "$name" "$wall" \
    "$(echo "$user $sys" | awk '{printf "%.2f", $1 + $2}')" "$load" "$peak" | tee -a "$results" >&2
}

loupe_opts() { echo "-Xmx4g -Xlog:gc:file=$home/gc.log -Xlog:gc+heap+exit:file=$home/gc.log"; }
# the store exists before the first timed run, as it does for every run after a user's first: creating it (the
# schema migration) is a one-time cost that would otherwise land on whichever case runs first
LOUPE_HOME="$home/h" ./loupe evaluate --predictions examples/spam-predictions.csv --positive-label spam -q >/dev/null

for spec in "binary:$bin:--positive-label 1" "multi:$multi:"; do
  IFS=: read -r kind name extra <<<"$spec"
  f="$out/$name.csv"
  say "$name: scikit-learn, then Loupe default (recorded), --bootstrap 0 (recorded), and both unrecorded"
  time_case "$name sklearn read_csv+metrics" "$PY" bench/default_side.py --kind "$kind" "$f"
  cp "$home/stdout.txt" "$out/$name.sklearn.json"
  # shellcheck disable=SC2086
  LOUPE_HOME="$home/h" LOUPE_JAVA_OPTS="$(loupe_opts)" time_case "$name loupe default" \
    ./loupe evaluate --predictions "$f" $extra --json "$home/out.json" -q
  # shellcheck disable=SC2086
  LOUPE_HOME="$home/h" LOUPE_JAVA_OPTS="$(loupe_opts)" time_case "$name loupe default --no-store" \
    ./loupe evaluate --predictions "$f" $extra --json "$home/out.json" -q --no-store
  # shellcheck disable=SC2086
  LOUPE_HOME="$home/h" LOUPE_JAVA_OPTS="$(loupe_opts)" time_case "$name loupe --bootstrap 0" \
    ./loupe evaluate --predictions "$f" $extra --json "$home/out.json" -q --bootstrap 0
  # shellcheck disable=SC2086
  LOUPE_HOME="$home/h" LOUPE_JAVA_OPTS="$(loupe_opts)" time_case "$name loupe --bootstrap 0 --no-store" \
    ./loupe evaluate --predictions "$f" $extra --json "$home/out.json" -q --bootstrap 0 --no-store
done

if [ -n "${BIG:-}" ]; then
  big="$out/binary_100m.csv"
  if [ ! -f "$big" ]; then
    say "writing $big (10 copies of $bin's rows)"
    { head -1 "$out/$bin.csv"; for _ in 1 2 3 4 5 6 7 8 9 10; do tail -n +2 "$out/$bin.csv"; done; } >"$big"
  fi
  LOUPE_HOME="$home/h" LOUPE_JAVA_OPTS="$(loupe_opts)" time_case "binary_100m loupe --bins 10000 --bootstrap 0" \
    ./loupe evaluate --predictions "$big" --positive-label 1 --bins 10000 --bootstrap 0 --json "$home/out.json" -q
  LOUPE_HOME="$home/h" LOUPE_JAVA_OPTS="$(loupe_opts)" time_case "$bin loupe default --bins 10000" \
    ./loupe evaluate --predictions "$out/$bin.csv" --positive-label 1 --bins 10000 --json "$home/out.json" -q
fi

say "the 1,200-row example, ${SMALL_REPEAT} runs of each (./loupe as users run it: launcher, start-up archive)"
spam=examples/spam-predictions.csv
LOUPE_HOME="$home/s" ./loupe evaluate --predictions "$spam" --positive-label spam --json "$home/o.json" -q # creates the store
for i in $(seq "$SMALL_REPEAT"); do
  time_case "spam sklearn (python process)" "$PY" bench/default_side.py --kind binary "$spam"
  LOUPE_HOME="$home/s" time_case "spam loupe default" ./loupe evaluate --predictions "$spam" --positive-label spam \
    --json "$home/o.json" -q
  LOUPE_HOME="$home/s" time_case "spam loupe runs list" ./loupe runs list
done
run_id="$(LOUPE_HOME="$home/s" ./loupe runs list | awk 'NR==2{print $1}')"
for i in $(seq "$SMALL_REPEAT"); do
  LOUPE_HOME="$home/s" time_case "spam loupe plot roc" ./loupe plot "$run_id" --chart roc -o "$home/roc.png"
  LOUPE_HOME="$home/s" time_case "spam loupe report" ./loupe report "$run_id" -o "$home/report.html"
done

"$PY" - "$results" "$out/default.json" <<'EOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
by = {}
for r in rows:
    by.setdefault(r["case"], []).append(r)
summary = {}
for case, rs in by.items():
    walls = [r["wall_s"] for r in rs]
    summary[case] = {"best_wall_s": min(walls), "median_wall_s": statistics.median(walls), "runs": rs}
json.dump(summary, open(sys.argv[2], "w"), indent=1)
def w(c):
    return summary[c]["best_wall_s"] if c in summary else None
print(f"{'case':<48} {'best s':>8} {'median s':>9} {'cpu s':>7} {'heap MB':>8} {'load':>5}")
for case, s in summary.items():
    r = min(s["runs"], key=lambda x: x["wall_s"])
    print(f"{case:<48} {s['best_wall_s']:8.2f} {s['median_wall_s']:9.2f} {r['cpu_s']:7.2f} {str(r['peak_heap_mb']):>8} {r['load']:>5}")
print()
for name in sorted({c.split()[0] for c in summary}):
    sk = w(f"{name} sklearn read_csv+metrics") or w(f"{name} sklearn (python process)")
    for c in (f"{name} loupe default", f"{name} loupe --bootstrap 0"):
        if sk and w(c):
            print(f"{c:<48} sklearn / loupe = {sk / w(c):.2f}x")
    if w(f"{name} loupe default") and w(f"{name} loupe default --no-store"):
        print(f"{name:<48} recording adds {100 * (w(f'{name} loupe default') / w(f'{name} loupe default --no-store') - 1):+.1f} % (default)")
    if w(f"{name} loupe --bootstrap 0") and w(f"{name} loupe --bootstrap 0 --no-store"):
        print(f"{name:<48} recording adds {100 * (w(f'{name} loupe --bootstrap 0') / w(f'{name} loupe --bootstrap 0 --no-store') - 1):+.1f} % (--bootstrap 0)")
EOF
