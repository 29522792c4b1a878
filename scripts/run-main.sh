#!/usr/bin/env bash
# The main job on the embedded default (Fashion-MNIST, CPU): installs what is missing, builds,
# then runs the whole flow of the paper in miniature:
#   sample AnyNetXA and RegNetX into the same complexity window (28 px, small-image stem),
#   train every model with a quick schedule, compare the two design spaces (EDFs, KS, bootstrap
#   trends, HTML report) and fit the linear width curve to the best models.
# About 10 minutes on a 2-core machine. Re-running it keeps every finished model (nothing is
# trained twice) and redoes only what is missing.
#
# Usage: scripts/run-main.sh [OUT_DIR]     (default: out/quickstart)
# Environment: N (models per space, default 32), FLOPS (window, default 2M:5M),
#              SCHEDULE (default fashion-mnist-quick), JOBS (worker processes, default: cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/out/quickstart}
n=${N:-32}
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
for space in AnyNetXA RegNetX; do
  echo "== train $space ($schedule, $jobs workers)"
  "$bin" train "$out/$space" --data fashion-mnist --schedule "$schedule" --jobs "$jobs"
done
echo "== analyze"
"$bin" analyze "$out/AnyNetXA" "$out/RegNetX" --out "$out/report" --bootstrap 2000
echo "== fit the linear width curve to the best AnyNetXA models"
"$bin" fit "$out/AnyNetXA" --top 5
echo
echo "Done in $(( $(date +%s) - start )) s (after the build)."
echo "Report: $out/report/index.html"
