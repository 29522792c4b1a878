#!/usr/bin/env bash
# regnet-explore's flops/params/acts against an independent Python implementation of docs/reference.md §3
# (complexity_ref.py): 200 random specs (input sizes, stems, channels, classes, SE, strides), a
# sampled sweep, and the 24 zoo models with the RegNetX-200MF check values; then counts near 2^63.
set -euo pipefail
: "${REGNET_EXPLORE:?}" "${REGNET_SOURCE_DIR:?}" "${REGNET_TEST_DATA:?}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # complexity_ref.py needs only the standard library
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ref="$REGNET_SOURCE_DIR/tests/cli/complexity_ref.py"

python3 "$ref" gen 200 20240601 >"$tmp/specs.json"
"$REGNET_EXPLORE" describe --spec "$tmp/specs.json" --json >"$tmp/described.json"
python3 "$ref" check "$tmp/specs.json" "$tmp/described.json"

# Counts near 2^63 (huge input sizes) are still exact, and beyond it an error, never a wrapped number.
python3 "$ref" gen-big 40 7 >"$tmp/big.json"
"$REGNET_EXPLORE" describe --spec "$tmp/big.json" --json >"$tmp/big_described.json"
python3 "$ref" check "$tmp/big.json" "$tmp/big_described.json"
rc=0
"$REGNET_EXPLORE" describe RegNetX-400MF --input-size 2000000000 --json >"$tmp/out" 2>"$tmp/err" || rc=$?
[[ $rc -eq 2 && ! -s $tmp/out ]] || { echo "FAIL: overflow gave exit $rc: $(cat "$tmp/out" "$tmp/err")" >&2; exit 1; }

"$REGNET_EXPLORE" sample --space RegNetY -n 40 --preset cifar10 --stem-width 24 --seed 4 --out "$tmp/sweep" >/dev/null
python3 "$ref" sweep "$tmp/sweep"

"$REGNET_EXPLORE" describe --list --json >"$tmp/zoo.json"
python3 "$ref" zoo "$REGNET_TEST_DATA/regnet_zoo.json" "$tmp/zoo.json"
echo "complexity_vs_python: OK"
