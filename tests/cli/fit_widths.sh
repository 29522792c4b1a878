#!/usr/bin/env bash
# fit --widths: exact recovery of generated widths (e_fit 0) and a close fit of the paper's
# AnyNetXE pattern w_j = 48 (j + 1).
set -euo pipefail
: "${REGNET_EXPLORE:?path to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
fail() { echo "FAIL: $*" >&2; exit 1; }
# RegNetX-400MF before group rounding: 24x1, 64x2, 152x7, 392x12 (docs/reference.md §2).
w=24,64,64,$(printf '152,%.0s' {1..7})$(printf '392,%.0s' {1..11})392
out=$("$REGNET_EXPLORE" fit --widths "$w" --json)
python3 - "$out" "$w" <<'PY' || fail "exact recovery"
import json, sys
j = json.loads(sys.argv[1]); obs = [int(x) for x in sys.argv[2].split(",")]
assert j["e_fit"] == 0 and j["predicted"] == obs and j["depth"] == 22, j
assert j["stage_widths"] == [24, 64, 152, 392] and j["stage_depths"] == [1, 2, 7, 12], j
PY
out=$("$REGNET_EXPLORE" fit --widths 48,96,144,192,240,288,336,384,432,480,528,576)
echo "$out"
grep -Eq "^depth 12: w0 = [0-9]+, wa = [0-9.]+, wm = [0-9.]+, e_fit = 0\.0[0-9]+" <<<"$out" || fail "text output"
echo "fit_widths: ok"
