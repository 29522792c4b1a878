#!/usr/bin/env bash
# Every row of bad_inputs.tsv: a bad input must end with its exit code and exactly one line on
# stderr that contains the expected text. Each command runs with bash -c in a fresh temporary
# directory, with $RE the regnet-explore binary and $DATA tests/data.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
here=$(cd "$(dirname "$0")" && pwd)
table=${1:-$here/bad_inputs.tsv}
export RE=$REGNET_EXPLORE DATA=${REGNET_TEST_DATA:-$here/../data}
W=$(mktemp -d /tmp/regnet-bad-inputs.XXXXXX)
trap 'rm -rf "$W"' EXIT
failed=0 rows=0
while IFS=$'\t' read -r name command code expected; do
  [[ -z $name || $name == \#* ]] && continue
  rows=$((rows + 1))
  dir=$W/$rows
  mkdir "$dir"
  rc=0
  (cd "$dir" && bash -c "$command") >"$dir.out" 2>"$dir.err" </dev/null || rc=$?
  lines=$(wc -l <"$dir.err")
  why=""
  ((rc == code)) || why="exit $rc, expected $code"
  [[ -n $why || $lines == 1 ]] || why="$lines lines on stderr, expected 1"
  [[ -n $why ]] || grep -qF -- "$expected" "$dir.err" || why="stderr lacks '$expected'"
  if [[ -n $why ]]; then
    echo "FAIL: $name: $why; stderr: $(cat "$dir.err")"
    failed=$((failed + 1))
  else
    echo "ok: $name: $(cat "$dir.err")"
  fi
  rm -rf "$dir"
done <"$table"
((rows > 0)) || { echo "FAIL: no rows in $table"; exit 1; }
((failed == 0)) || { echo "FAIL: $failed of $rows bad inputs"; exit 1; }
echo "PASS: $rows bad inputs"
