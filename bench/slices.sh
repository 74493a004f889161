#!/usr/bin/env bash
# Slices and weak-slice discovery against a plain evaluation, side by side in one run, on the same file:
#   plain:        ./loupe evaluate --predictions F --positive-label 1 --no-store -q
#   sliced:       the same with --slice-by group (20 values, one pass: a mergeable state per slice)
#   weak slices:  the same with --slice-by c1,...,c5 --weak-slices (5 columns x 10 values, conjunctions up to 3)
#
#   bench/slices.sh                # 10M binary rows (bench/gen_data.py) with the slice columns added
#   BIN_ROWS=1000000 bench/slices.sh
#
# Environment: PY (python with numpy + pandas; tools/.venv/bin/python), OUT_DIR (bench/out), BOOTSTRAP (1000),
# SKIP_WEAK=1 (time the plain and sliced cases only).
# Each case is its own process timed from outside (wall; CPU = user + sys); the load average is noted before each.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${OUT_DIR:-bench/out}"
mkdir -p "$out"
PY="${PY:-tools/.venv/bin/python}"
BIN_ROWS="${BIN_ROWS:-10000000}"
BOOTSTRAP="${BOOTSTRAP:-1000}"

./loupe --version >/dev/null # builds the jar first, so no timed run pays for it
"$PY" bench/gen_data.py --out "$out" --binary-rows "$BIN_ROWS" --multi-rows 1000 --classes 10 >&2
read -r bin _ < <("$PY" bench/gen_data.py --print-names --binary-rows "$BIN_ROWS" --multi-rows 1000 --classes 10)
sliced="$out/${bin}_sliced.csv"
if [ ! -f "$sliced" ]; then
  "$PY" - "$out/$bin.csv" "$sliced" <<'PY'
import sys
import numpy as np
import pandas as pd
df = pd.read_csv(sys.argv[1], dtype={"id": str})
rng = np.random.default_rng(14)
n = len(df)
df["group"] = np.char.add("g", rng.integers(0, 20, n).astype(str))
for c in range(1, 6):
    df[f"c{c}"] = np.char.add(f"v{c}_", rng.integers(0, 10, n).astype(str))
df.to_csv(sys.argv[2], index=False)
PY
fi

time_case() {
  local name="$1"; shift
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  local t; t="$(mktemp)"
  /usr/bin/time -f "%e %U %S" -o "$t" "$@" >/dev/null
  read -r wall user sys <"$t"
  rm -f "$t"
  printf '%-14s wall %8.1f s   cpu %8.1f s   load %s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" "$load"
}
common=(./loupe evaluate --predictions "$sliced" --positive-label 1 --no-store -q --bootstrap "$BOOTSTRAP")
echo "$BIN_ROWS rows, $BOOTSTRAP bootstrap replicates ($(nproc) cores)"
time_case plain "${common[@]}"
time_case "sliced (20)" "${common[@]}" --slice-by group
[ -n "${SKIP_WEAK:-}" ] || time_case "weak slices" "${common[@]}" --slice-by c1,c2,c3,c4,c5 --weak-slices --min-support 1000
