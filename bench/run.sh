#!/usr/bin/env bash
# Loupe vs scikit-learn, side by side on the same generated data, in one run.
#
#   bench/run.sh            # full: 10M binary rows, 1M rows x 10 classes, bootstrap 1000 x 1M rows
#   bench/run.sh --quick    # 1M binary rows, 100k x 10 classes (about a minute)
#   bench/run.sh --jmh      # also run the JMH kernels (bench/out/jmh.json; a few minutes more)
#   bench/run.sh --no-build # reuse the jars in */target
#
# Environment: BIN_ROWS, MULTI_ROWS, CLASSES (data sizes), BOOT_ROWS, BOOT_REPS (target c),
# REPEAT (in-memory runs, best of; 3), CSV_REPEAT (end-to-end runs, best of; 2), JAVA_OPTS (-Xmx8g),
# WAIT_IDLE (before each timed run, wait up to this many seconds for idle CPUs; 60, 0 = don't wait),
# OUT_DIR (data and results; bench/out).
# Writes bench/out/results.json and prints the table; the raw per-side outputs stay in bench/out/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${OUT_DIR:-bench/out}"
mkdir -p "$out"
PY="${PY:-tools/.venv/bin/python}"
BIN_ROWS="${BIN_ROWS:-10000000}"
MULTI_ROWS="${MULTI_ROWS:-1000000}"
CLASSES="${CLASSES:-10}"
BOOT_ROWS="${BOOT_ROWS:-1000000}"
BOOT_REPS="${BOOT_REPS:-1000}"
REPEAT="${REPEAT:-3}"
CSV_REPEAT="${CSV_REPEAT:-2}"
JAVA_OPTS="${JAVA_OPTS:--Xmx8g}"
build=1
jmh=0
for a in "$@"; do
  case "$a" in
    --quick) BIN_ROWS=1000000; MULTI_ROWS=100000 ;;
    --jmh) jmh=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
[ "$BOOT_ROWS" -gt "$BIN_ROWS" ] && BOOT_ROWS="$BIN_ROWS"
say() { echo "== $*" >&2; }
now() { date +%s.%N; }

if [ "$build" = 1 ]; then
  say "building loupe-bench and loupe-cli"
  # -fae: the benchmark jar still builds when the CLI does not compile (then (b) is skipped)
  mvn -B -q -fae -DskipTests package -pl loupe-bench,loupe-cli -am >"$out/build.log" 2>&1 \
    || echo "warning: the build had errors, see $out/build.log" >&2
fi
bench_jar=loupe-bench/target/loupe-bench.jar
[ -f "$bench_jar" ] || { echo "error: $bench_jar is missing (build failed?), see $out/build.log" >&2; exit 1; }
cli=0
[ -f loupe-cli/target/loupe.jar ] && cli=1

say "data"
"$PY" bench/gen_data.py --out "$out" --binary-rows "$BIN_ROWS" --multi-rows "$MULTI_ROWS" --classes "$CLASSES"
read -r bin multi < <("$PY" bench/gen_data.py --print-names --binary-rows "$BIN_ROWS" --multi-rows "$MULTI_ROWS" --classes "$CLASSES")
boot_csv="$out/${bin}_head${BOOT_ROWS}.csv"
[ -f "$boot_csv" ] || head -n "$((BOOT_ROWS + 1))" "$out/$bin.csv" >"$boot_csv"

# The machine may be shared: before each timed run, wait (up to WAIT_IDLE seconds, default 60) until the
# CPUs are >= 90% idle over 2 s, so that no run starts while something else runs. WAIT_IDLE=0: don't wait.
idle_pct() { # % idle over $1 seconds, from /proc/stat (100 where there is none)
  [ -r /proc/stat ] || { echo 100; return; }
  local a b
  a=($(head -1 /proc/stat)); sleep "$1"; b=($(head -1 /proc/stat))
  local tot=0 i
  for i in 1 2 3 4 5 6 7 8; do tot=$((tot + b[i] - a[i])); done
  echo $(( tot > 0 ? 100 * (b[4] - a[4]) / tot : 100 ))
}
wait_idle() {
  local limit="${WAIT_IDLE:-60}" waited=0 p
  [ "$limit" = 0 ] && return 0
  while p="$(idle_pct 2)"; [ "$p" -lt 90 ]; do
    waited=$((waited + 2))
    if [ "$waited" -ge "$limit" ]; then echo "warning: CPUs only $p% idle after ${limit}s; timing anyway" >&2; return 0; fi
    [ $((waited % 60)) = 0 ] && echo "  waiting for idle CPUs ($p% idle)..." >&2
    true
  done
  return 0
}
wait_idle
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

say "Loupe in memory (EvaluationState update + result; bootstrap $BOOT_REPS x $BOOT_ROWS rows)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$bench_jar" dev.loupe.bench.InMemory --dir "$out" --binary "$bin" --multi "$multi" \
  --repeat "$REPEAT" --boot-rows "$BOOT_ROWS" --boot-reps "$BOOT_REPS" --breakdown \
  --json "$out/loupe_inmemory.json" --wait-idle "${WAIT_IDLE:-60}" >/dev/null

wait_idle
say "scikit-learn (in memory, then pandas.read_csv + metrics)"
"$PY" bench/sklearn_side.py --dir "$out" --kind binary --name "$bin" --repeat-memory "$REPEAT" --repeat-csv "$CSV_REPEAT" --wait-idle "${WAIT_IDLE:-60}" >"$out/sklearn_binary.json"
"$PY" bench/sklearn_side.py --dir "$out" --kind multi --name "$multi" --repeat-memory "$REPEAT" --repeat-csv "$CSV_REPEAT" --wait-idle "${WAIT_IDLE:-60}" >"$out/sklearn_multi.json"

# End to end: `./loupe evaluate`, wall time including JVM start. ./loupe checks whether any source is newer
# than the jar (and rebuilds), then execs `java $LOUPE_JAVA_OPTS -jar loupe-cli/target/loupe.jar`; the timed runs
# exec that same command directly, after one ./loupe call has brought the jar up to date, so that a source
# edited meanwhile (by someone else on a shared checkout) cannot put a Maven build into a timed run.
# Never --json /dev/null: the CLI writes a temp file next to the target and renames it over the target.
cli_time() { # name args... -> prints "wall cpu" (seconds) of the best of CSV_REPEAT runs
  local name="$1"; shift
  local best="" bestcpu="" t c
  for ((i = 1; i <= CSV_REPEAT; i++)); do
    wait_idle
    # shellcheck disable=SC2086
    /usr/bin/time -f "%e %U %S" -o "$out/loupe_cli_$name.time" \
      java $JAVA_OPTS -jar loupe-cli/target/loupe.jar evaluate "$@" -q --json "$out/loupe_cli_$name.json" \
      >/dev/null 2>"$out/loupe_cli_$name.err" || true
    grep -qi '^error\|exception' "$out/loupe_cli_$name.err" && { cat "$out/loupe_cli_$name.err" >&2; return 1; }
    read -r t u sy < <(tail -1 "$out/loupe_cli_$name.time")
    c="$(echo "$u + $sy" | bc -l)"
    echo "  loupe evaluate $name run $i: $t s (cpu $c s)" >&2
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best="$t"; bestcpu="$c"; fi
  done
  echo "$best $bestcpu"
}
cli_bin="null null"; cli_multi="null null"; cli_boot="null null"; cli_bin_store="null null"; cli_multi_store="null null"
if [ "$cli" = 1 ]; then
  wait_idle
  say "Loupe CLI end to end"
  # warm-up: ./loupe rebuilds the jar if a source changed since; also warms the page cache
  LOUPE_JAVA_OPTS="$JAVA_OPTS" ./loupe evaluate --predictions "$out/$multi.csv" --bootstrap 0 -q --json "$out/loupe_cli_warmup.json" >/dev/null 2>&1 || true
  # what ./loupe's own check adds to each call (reported, not added)
  t0="$(date +%s.%N)"; ./loupe --version >/dev/null 2>&1 || true; t1="$(date +%s.%N)"
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar loupe-cli/target/loupe.jar --version >/dev/null 2>&1 || true; t2="$(date +%s.%N)"
  echo "  ./loupe --version $(echo "$t1 - $t0" | bc -l) s, java -jar loupe.jar --version $(echo "$t2 - $t1" | bc -l) s" >&2
  # Since the run store arrived, evaluate also records each run (SHA-256 of the file, a copy of files up to
  # 256 MB, the metrics JSON) in ~/.loupe: the comparison times it with --no-store, and once more recording
  # into a throw-away store under bench/out to show what recording costs.
  nostore=()
  store=()
  if java -jar loupe-cli/target/loupe.jar evaluate --help 2>/dev/null | grep -q -- '--no-store'; then
    nostore=(--no-store)
    store=(--store "$out/bench-store.db")
    rm -rf "$out/bench-store.db"*
  fi
  if cli_bin="$(cli_time binary --predictions "$out/$bin.csv" --positive-label 1 --bootstrap 0 "${nostore[@]}")" \
     && cli_multi="$(cli_time multi --predictions "$out/$multi.csv" --bootstrap 0 "${nostore[@]}")"; then
    CSV_REPEAT=1 cli_boot="$(cli_time boot --predictions "$boot_csv" --positive-label 1 --bootstrap "$BOOT_REPS" "${nostore[@]}")" \
      || cli_boot="null null"
    if [ ${#store[@]} -gt 0 ]; then
      CSV_REPEAT=1 cli_bin_store="$(cli_time binary_store --predictions "$out/$bin.csv" --positive-label 1 --bootstrap 0 "${store[@]}")" \
        || cli_bin_store="null null"
      CSV_REPEAT=1 cli_multi_store="$(cli_time multi_store --predictions "$out/$multi.csv" --bootstrap 0 "${store[@]}")" \
        || cli_multi_store="null null"
    fi
  else
    echo "warning: loupe evaluate failed; see $out/loupe_cli_*.err" >&2
    cli_bin="null null"; cli_multi="null null"
  fi
else
  echo "warning: loupe-cli/target/loupe.jar is missing (CLI not built); (b) is skipped" >&2
fi

jmh_json=""
if [ "$jmh" = 1 ]; then
  say "JMH kernels"
  java -jar "$bench_jar" -p dir="$out" -p dataset="$bin,$multi" -rf json -rff "$out/jmh.json" \
    'EvaluateBench|RankingBench' >"$out/jmh.txt" 2>&1
  java -jar "$bench_jar" -p dir="$out" -p dataset="$bin" -p rows="$BOOT_ROWS" -rf json -rff "$out/jmh_bootstrap.json" \
    BootstrapBench >>"$out/jmh.txt" 2>&1
  jmh_json="$out/jmh.json,$out/jmh_bootstrap.json"
fi
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# shellcheck disable=SC2086
"$PY" bench/report.py --out "$out" --cli-binary $cli_bin --cli-multi $cli_multi --cli-boot $cli_boot \
  --cli-binary-store $cli_bin_store --cli-multi-store $cli_multi_store \
  --load-before "$load_before" --load-after "$load_after" --jmh "$jmh_json"
