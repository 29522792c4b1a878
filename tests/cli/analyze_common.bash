# Helpers for tests/cli/analyze_*.sh (sourced, not a test itself): synthetic sweeps with
# made-up results, so no training is needed. skip, require_command and friends: requires.bash.
set -euo pipefail
: "${REGNET_EXPLORE:?path to the regnet-explore binary}"
source "$(dirname "${BASH_SOURCE[0]}")/requires.bash"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# make_sweep DIR SPACE N SEED
make_sweep() {
  "$REGNET_EXPLORE" sample --space "$2" -n "$3" --seed "$4" --out "$1" >/dev/null
}

# fill_results DIR DATASET OFFSET [SKIP] [CONSTANT]: a done result for every sample except every
# SKIP-th (a partial sweep). best error = OFFSET + ((id * 37) mod 50) / 10 (or OFFSET when CONSTANT
# is 1); the final error is 1 point higher.
fill_results() {
  local dir=$1 dataset=$2 offset=$3 skip=${4:-0} constant=${5:-0} f id t best final
  mkdir -p "$dir/results"
  for f in "$dir"/samples/*.json; do
    id=$((10#$(basename "$f" .json)))
    if ((skip > 0 && id % skip == skip - 1)); then continue; fi
    t=$((offset * 10))
    ((constant == 1)) || t=$((t + (id * 37) % 50))
    best="$((t / 10)).$((t % 10))"
    final="$((t / 10 + 1)).$((t % 10))"
    printf '{"id": %d, "status": "done", "message": "", "best_top1_err": %s, "final_top1_err": %s, "best_top5_err": 5, "final_top5_err": 5, "best_epoch": 3, "history": [], "seconds": 1, "device": "cpu", "provenance": {"dataset": {"name": "%s"}}}\n' \
      "$id" "$best" "$final" "$dataset" >"$dir/results/$(basename "$f")"
  done
}

# json_get FILE EXPR: a value from a JSON file by a Python expression on `j` (require_command python3).
json_get() {
  /usr/bin/env python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print($2)" "$1"
}
