#!/usr/bin/env bash
# refine --confirm's error rates on a known truth (docs/refine.md, "Proof with a known truth"): RUNS
# refinements of AnyNetXA with the simulated trainer, each confirming a helpful, a neutral and a
# harmful proposal; prints each outcome's rate with its standard error, the limit alpha + 3 SE, and
# the trainings against every sweep at max-n and the paper's 500 per step.
# Usage: scripts/bench-refine.sh [RUNS (default 200)] [EXPLORE_N (default 48)] [MARGIN (default 1)]
#        MARGIN 1.5 puts the harmful proposal (true shift +1.53) at the margin: the hardest case for it.
# Environment: BENCH_REFINE (the binary; default build/tests/bench_refine).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BENCH_REFINE:-${REGNET_BUILD_DIR:-$root/build}/tests/bench_refine}
[[ -x $bin ]] || { echo "bench-refine: $bin not built (scripts/build.sh)" >&2; exit 2; }
REGNET_CONFIG_DIR=$root/configs exec "$bin" "${1:-200}" "${2:-48}" "${3:-1}"
