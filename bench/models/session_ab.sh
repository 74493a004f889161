#!/usr/bin/env bash
# The session alone, Java (onnxruntime-java, plain OrtSession with Loupe's options) vs Python (onnxruntime), on the
# same ONNX files and one synthetic BATCH x 128 batch; sides alternate, ALTS times. Needs bench/models/run.sh to
# have extracted the models (bench/out/models/) and loupe-bench compiled. Prints JSON lines; best_ms per run.
#   bench/models/session_ab.sh            # ALTS=3, BATCHES="1 32", REPS=10, THREADS=2, ORT_JAVA=1.29.0
#   ORT_NATIVE_DIR=/tmp/ort130 bench/models/session_ab.sh   # adds a third side, "java-native": the same JNI on the
#       native libraries in that directory (-Donnxruntime.native.path; make it with bench/models/ort_native_dir.py)
# MODELS (the two minilm files), JAVA_OPTS (none). The order of the sides rotates from one alternation to the next.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
PY="${PY:-tools/.venv/bin/python}"
ALTS="${ALTS:-3}"; BATCHES="${BATCHES:-1 32}"; REPS="${REPS:-10}"; THREADS="${THREADS:-2}"
ORT_JAVA="${ORT_JAVA:-1.29.0}"; SPINNING="${SPINNING:-default}"
ort_jar="$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/$ORT_JAVA/onnxruntime-$ORT_JAVA.jar"
cp="loupe-bench/target/classes:loupe-models/target/classes:$ort_jar"
MODELS="${MODELS:-all-minilm-l6-v2.onnx all-minilm-l6-v2-q.onnx}"
sides=(java python)
[ -n "${ORT_NATIVE_DIR:-}" ] && sides=(java java-native python)
java_run() { # extra JVM options, model, batch
  local opts=("${@:1:$#-2}")
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} "${opts[@]}" -cp "$cp" dev.loupe.bench.models.RawSessionBench "bench/out/models/${*: -2:1}" \
    "${*: -1}" 128 "$REPS" "$THREADS" "$SPINNING" copy 2>/dev/null
}
{
for alt in $(seq "$ALTS"); do
  for model in $MODELS; do
    for b in $BATCHES; do
      k=${#sides[@]}
      for i in $(seq 0 $((k - 1))); do
        side=${sides[$(((i + alt) % k))]}
        case "$side" in
          java) java_run "$model" "$b" ;;
          java-native) java_run "-Donnxruntime.native.path=$ORT_NATIVE_DIR" "$model" "$b" | sed 's/"side":"java"/"side":"java-native"/' ;;
          python) "$PY" bench/models/raw_session.py "bench/out/models/$model" "$b" 128 "$REPS" "$THREADS" "$SPINNING" ;;
        esac
      done
    done
  done
done
}
