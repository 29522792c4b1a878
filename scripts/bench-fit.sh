#!/usr/bin/env bash
# Times the width fit (docs/fit.md): fits N random RegNet width lists (d 12..28, w0 8..256,
# wa 8..256, wm 2..3; every other one with +-10% noise) and prints ms per model.
# Usage: scripts/bench-fit.sh [N] [SEED]    (REGNET_EXPLORE or build/ names the binary)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${REGNET_EXPLORE:-${REGNET_BUILD_DIR:-$root/build}/apps/regnet-explore/regnet-explore}
[[ -x $bin ]] || { echo "bench-fit: no binary at $bin (build first, or set REGNET_EXPLORE)" >&2; exit 1; }
n=${1:-1000}
seed=${2:-1}
"$bin" stats fit-bench --models "$n" --seed "$seed" --json | python3 -c '
import json, sys
j = json.load(sys.stdin)
print("fit_widths: %d models, mean depth %.1f: %.2f ms per model (max %.2f ms), total %.0f ms"
      % (j["models"], j["mean_depth"], j["ms_per_model"], j["max_ms"], j["total_ms"]))
print("exact inputs recovered with e_fit 0: %d of %d; mean e_fit %.4f"
      % (j["exact_recovered"], j["exact_inputs"], j["mean_e_fit"]))
'
