#!/usr/bin/env bash
# The session alone, Java (onnxruntime-java, plain OrtSession with Loupe's options) vs Python (onnxruntime), on the
# same ONNX files and one synthetic BATCH x 128 batch; sides alternate, ALTS times. Needs bench/models/run.sh to
# have extracted the models (bench/out/models/) and loupe-bench compiled. Prints JSON lines; best_ms per run.
#   bench/models/session_ab.sh            # ALTS=3, BATCHES="1 32", REPS=10, THREADS=2, ORT_JAVA=1.29.0
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
PY="${PY:-tools/.venv/bin/python}"
ALTS="${ALTS:-3}"; BATCHES="${BATCHES:-1 32}"; REPS="${REPS:-10}"; THREADS="${THREADS:-2}"
ORT_JAVA="${ORT_JAVA:-1.29.0}"; SPINNING="${SPINNING:-default}"
ort_jar="$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/$ORT_JAVA/onnxruntime-$ORT_JAVA.jar"
cp="loupe-bench/target/classes:$ort_jar"
{
for alt in $(seq "$ALTS"); do
  for model in all-minilm-l6-v2.onnx all-minilm-l6-v2-q.onnx; do
    for b in $BATCHES; do
      if [ $((alt % 2)) = 1 ]; then order="java python"; else order="python java"; fi
      for side in $order; do
        if [ "$side" = java ]; then
          java -cp "$cp" dev.loupe.bench.models.RawSessionBench "bench/out/models/$model" "$b" 128 "$REPS" "$THREADS" "$SPINNING" copy 2>/dev/null
        else
          "$PY" bench/models/raw_session.py "bench/out/models/$model" "$b" 128 "$REPS" "$THREADS" "$SPINNING"
        fi
      done
    done
  done
done
}
