#!/usr/bin/env bash
# The main job on the embedded default (Fashion-MNIST, CPU): installs what is missing, builds,
# then runs the flow of the paper in miniature, deciding instead of counting:
#   sample AnyNetXA and RegNetX into the same complexity window (28 px, small-image stem),
#   `compare --until decided`: train both interleaved in sample-id order and stop at the first
#   look where the group-sequential KS test tells the design spaces apart (docs/compare.md), at
#   most N models each; then analyze the trained models (EDFs, KS, bootstrap trends, HTML report)
#   and fit the linear width curve to the best AnyNetXA models.
# It ends with the decision line and the report's path. Re-running it keeps every finished model
# (nothing is trained twice), resumes an interrupted comparison and redoes only what is missing.
#
# Usage: scripts/run-main.sh [OUT_DIR]     (default: out/quickstart)
# Environment: N (models sampled per space and max-n of the comparison, default 32), ALPHA (0.05),
#              FLOPS (window, default 2M:5M), SCHEDULE (default fashion-mnist-quick),
#              JOBS (worker processes, default: cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/out/quickstart}
n=${N:-32}
alpha=${ALPHA:-0.05}
flops=${FLOPS:-2M:5M}
schedule=${SCHEDULE:-fashion-mnist-quick}
jobs=${JOBS:-$(nproc)}

bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh"
bin=${REGNET_BUILD_DIR:-$root/build}/apps/regnet-explore/regnet-explore

start=$(date +%s)
mkdir -p "$out"
for space in AnyNetXA RegNetX; do
  dir=$out/$space
  if [[ -f $dir/sweep.json ]]; then
    echo "== $space: sweep exists at $dir (kept)"
  else
    echo "== sample $space: $n models, flops $flops (MACs), Fashion-MNIST preset"
    "$bin" sample --space "$space" -n "$n" --flops "$flops" --preset fashion-mnist --seed 1 --out "$dir"
  fi
done
echo "== compare AnyNetXA vs RegNetX until decided (at most $n models each, alpha $alpha; $schedule, $jobs workers)"
"$bin" compare "$out/AnyNetXA" "$out/RegNetX" --until decided --max-n "$n" --alpha "$alpha" \
  --data fashion-mnist --schedule "$schedule" --jobs "$jobs" --out "$out/compare" | tee "$out/compare.txt"
echo "== analyze the trained models"
"$bin" analyze "$out/compare" --out "$out/report" --bootstrap 2000
echo "== fit the linear width curve to the best AnyNetXA models"
"$bin" fit "$out/AnyNetXA" --top 5
echo
echo "Done in $(( $(date +%s) - start )) s (after the build), on $(nproc) cores."
tail -n 1 "$out/compare.txt"
echo "Report: $out/report/index.html"
