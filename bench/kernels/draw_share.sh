#!/usr/bin/env bash
# What the random draws cost in the two bootstrap kernels (docs/BENCHMARKS.md, "Slices and weak-slice discovery"):
# bench/kernels/DrawShare.java times the AUC/AP replicate walk and the bootstrap update on 1M rows x 1,000 replicates,
# on one thread, first with the kernels as built, then with copies of ExactRankingState and BootstrapState whose
# SplitMix64 mix (Poisson.quadBits) is replaced by an add (wrong draws, same table lookups and arithmetic).
#   bench/kernels/draw_share.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
./loupe --version >/dev/null # builds the jar
jar=loupe-cli/target/loupe.jar
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
javac -cp "$jar" -d "$work/bench" bench/kernels/DrawShare.java
src=loupe-metrics/src/main/java/dev/loupe/metrics
mkdir -p "$work/src"
sed 's/Poisson\.quadBits(hj, quad)/hj + quad * 0x9E3779B97F4A7C15L/' "$src/ExactRankingState.java" >"$work/src/ExactRankingState.java"
sed 's/Poisson\.quadBits(h, quad)/h + quad * 0x9E3779B97F4A7C15L/' "$src/BootstrapState.java" >"$work/src/BootstrapState.java"
grep -q '0x9E3779B97F4A7C15L' "$work/src/ExactRankingState.java" && grep -q '0x9E3779B97F4A7C15L' "$work/src/BootstrapState.java" \
  || { echo "the kernels no longer call Poisson.quadBits as this script expects" >&2; exit 1; }
javac -nowarn -cp "$jar" -d "$work/nomix" "$work/src/ExactRankingState.java" "$work/src/BootstrapState.java" 2>/dev/null
echo "load $(cut -d' ' -f1 /proc/loadavg)"
echo "kernels as built:"
java -XX:ActiveProcessorCount=1 -Xmx3g -cp "$jar:$work/bench" DrawShare
echo "without the mix:"
java -XX:ActiveProcessorCount=1 -Xmx3g -cp "$work/nomix:$jar:$work/bench" DrawShare
