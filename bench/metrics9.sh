#!/usr/bin/env bash
# The metrics of issue 9 (F-beta, Jaccard, weighted kappa, one-vs-one AUC, micro/weighted AP, D², DET ...): what they
# cost Loupe, with and without their bootstrap intervals, beside scikit-learn computing the same new metrics.
#
#   bench/metrics9.sh [BEFORE_JAR]   # BEFORE_JAR: a loupe.jar without them (e.g. built from an older commit)
#
# Generates bench/out/m5_100k.csv (100,000 rows x 5 classes, seed 5) when missing, then times
# `loupe evaluate --no-store` (--bootstrap 0 and the default 1000) with each jar twice, and the scikit-learn calls.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
PY="${PY:-tools/.venv/bin/python}"
mkdir -p bench/out
data=bench/out/m5_100k.csv
[ -f "$data" ] || "$PY" bench/metrics9_side.py --generate "$data"
jars=(loupe-cli/target/loupe.jar)
[ $# -ge 1 ] && jars=("$1" "${jars[@]}")
for jar in "${jars[@]}"; do
  for boot in 0 1000; do
    for i in 1 2; do
      /usr/bin/time -f "$jar --bootstrap $boot: wall %e s, CPU %U + %S s" \
        java -Xmx4g -jar "$jar" evaluate --predictions "$data" --no-store -q --bootstrap "$boot" --json bench/out/m5_100k.json >/dev/null
    done
  done
done
"$PY" bench/metrics9_side.py "$data"
