#!/usr/bin/env bash
# Two Loupe jars side by side with scikit-learn on one predictions file, one case after the other, each Loupe run in a
# fresh store: the default (1,000 replicates, recorded) and --bootstrap 0 (recorded). Prints wall and CPU (user + sys)
# seconds and the load average before each case; on a shared machine compare the CPU times.
#   bench/ab.sh OLD.jar NEW.jar FILE binary|multi [evaluate options, e.g. --positive-label 1]
# Environment: PY (python with pandas + scikit-learn; default tools/.venv/bin/python).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
old="$1"; new="$2"; f="$3"; kind="$4"; shift 4
PY="${PY:-$root/tools/.venv/bin/python}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
t() {
  local name="$1"; shift
  local load; load="$(cut -d' ' -f1 /proc/loadavg)"
  rm -rf "$work/home"
  LOUPE_HOME="$work/home" /usr/bin/time -f "%e %U %S" -o "$work/t" "$@" >"$work/out" 2>"$work/err" || {
    echo "$name failed:" >&2; tail -3 "$work/err" >&2; return 1; }
  read -r wall user sys <"$work/t"
  echo "$name: wall ${wall} s, cpu $(echo "$user + $sys" | bc) s, load $load"
}
t "scikit-learn" "$PY" "$root/bench/default_side.py" --kind "$kind" "$f"
for b in 1000 0; do
  for side in old new; do
    jar="$old"; [ "$side" = new ] && jar="$new"
    t "$side --bootstrap $b" java -Xmx4g -jar "$jar" evaluate --predictions "$f" "$@" --json "$work/$side-$b.json" -q --bootstrap "$b"
  done
  # the two jars must agree on every metric and interval (intervals differ, by Monte-Carlo noise only, across a change
  # of the bootstrap's random stream, as at issue 11's quad draws: then the values must still agree)
  "$PY" -c 'import json,sys; a,b=(json.load(open(p))["metrics"] for p in sys.argv[1:]); v=[k for k in a if a[k].get("value")!=b.get(k,{}).get("value")]; d=[k for k in a if a[k]!=b.get(k)]; print("values differing:", v or "none", "| values or intervals differing:", len(d), "of", len(a))' \
    "$work/old-$b.json" "$work/new-$b.json"
done
