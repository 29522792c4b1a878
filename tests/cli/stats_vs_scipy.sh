#!/usr/bin/env bash
# lib/core's statistics (EDF, NDS weights, KS D and p, kstwo, best-of-m, bootstrap) against
# scipy/numpy on random data sets that the helper generates (tests/cli/stats_vs_scipy.py, or the
# checker named as the first argument: tests/cli/rank_vs_scipy.sh passes rank_vs_scipy.py).
set -euo pipefail
: "${REGNET_EXPLORE:?path to the regnet-explore binary}"
here=$(cd "$(dirname "$0")" && pwd)
source "$here/requires.bash"
# Debian's python3 has python3-scipy (scripts/install-deps.sh); a python3 earlier on PATH may not.
py=""
require_python py scipy numpy
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$py" "$here/${1:-stats_vs_scipy.py}" "$REGNET_EXPLORE" "$work"
