#!/usr/bin/env bash
# Embedding projections side by side (docs/BENCHMARKS.md, "Embedding projections"): t-SNE against scikit-learn and
# Rtsne, UMAP against umap-learn, on N paragraphs of the SpamAssassin corpus encoded with minilm-q (384 dimensions),
# then 200,000 × 384 timings. Needs: Maven (the classes are compiled here), a venv
# with scikit-learn (PY, default tools/.venv/bin/python), Debian's umap-learn and r-cran-rtsne, and the SpamAssassin
# corpus in LOUPE_HOME's cache (./loupe demo fetches it).
# Usage: bench/projection.sh [DIR] [N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-$root/target/projection-bench}"
n="${2:-10000}"
py="${PY:-$root/tools/.venv/bin/python}"
mkdir -p "$dir"
(cd "$root" && mvn -B -q -pl loupe-bench -am compile dependency:build-classpath -Dmdep.outputFile="$dir.classpath")
cp="$root/loupe-bench/target/classes:$(cat "$dir.classpath")"
java=(java -Xmx4g -cp "$cp" dev.loupe.bench.ProjectionBench)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$dir/emb.npy" ] || "${java[@]}" embed "$dir" "$n"
[ -f "$dir/emb.csv" ] || "$py" -c "import numpy as np,sys; np.savetxt(sys.argv[1]+'/emb.csv', np.load(sys.argv[1]+'/emb.npy'), delimiter=',', fmt='%.7g')" "$dir"
"${java[@]}" run "$dir" tsne
"${java[@]}" run "$dir" tsne-fft   # the FFT gradient at 10,000 points (AUTO takes Barnes-Hut there)
"$py" "$root/bench/projection_side.py" tsne "$dir"
Rscript "$root/bench/rtsne_side.R" "$dir"
"${java[@]}" run "$dir" umap
/usr/bin/python3 "$root/bench/projection_side.py" umap "$dir"
"$py" "$root/bench/projection_side.py" trust "$dir"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for m in pca umap tsne tsne-bh; do   # tsne: AUTO, the FFT gradient at 200,000 points; tsne-bh: Barnes-Hut
  /usr/bin/time -f "$m 200k: max RSS %M KB, wall %e s" "${java[@]}" run "$dir" "$m" 20
done
