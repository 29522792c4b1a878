#!/usr/bin/env bash
# The table of bad inputs (tests/cli/bad_inputs.tsv), one row each:
#   name <TAB> command <TAB> expected exit code <TAB> a substring of the one expected stderr line
# Each command runs with `bash -c` in a fresh empty directory, with $RE the regnet-explore binary,
# $SRC the source directory and $DATA tests/data; it may set up files first (`...; $RE ...`).
# A row passes when the exit code matches and stderr is exactly one line, ending in a newline,
# that contains the substring. Every row is run; the failures are listed at the end.
set -uo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
here=$(cd "$(dirname "$0")" && pwd)
source "$here/requires.bash"
require_command python3 "apt-get install python3"  # rows of bad_inputs.tsv write their input with it
table=${1:-$here/bad_inputs.tsv}
export RE=$REGNET_EXPLORE SRC=${REGNET_SOURCE_DIR:-$here/../..} DATA=${REGNET_TEST_DATA:-$here/../data}
tmp=$(mktemp -d /tmp/regnet-bad-inputs.XXXXXX)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT

rows=0 failed=0 skipped=0
while IFS=$'\t' read -r name command want substring; do
  [[ -z $name || $name == \#* ]] && continue
  rows=$((rows + 1))
  work=$tmp/$rows
  mkdir "$work"
  rc=0
  (cd "$work" && timeout 300 bash -c "$command") >"$tmp/stdout" 2>"$tmp/stderr" </dev/null || rc=$?
  why=""
  # A build without LibTorch (the sanitizer build) skips the rows that need train or export.
  if [[ -n ${REGNET_NO_TORCH:-} ]] && grep -q 'regnet-explore-torch: No such file' "$tmp/stderr"; then
    skipped=$((skipped + 1))
    chmod -R u+rwx "$work" 2>/dev/null
    rm -rf "$work"
    continue
  fi
  if [[ $rc != "$want" ]]; then
    why="exit $rc, want $want"
  elif [[ $(wc -l <"$tmp/stderr") -ne 1 || $(tail -c 1 "$tmp/stderr" | od -An -tx1 | tr -d ' ') != 0a ]]; then
    why="stderr is not exactly one line"
  elif ! grep -qF -- "$substring" "$tmp/stderr"; then
    why="stderr lacks '$substring'"
  fi
  if [[ -n $why ]]; then
    failed=$((failed + 1))
    echo "FAIL $name: $why; stderr: $(head -c 2000 "$tmp/stderr")"
  else
    echo "ok $name: $(cat "$tmp/stderr")"
  fi
  chmod -R u+rwx "$work" 2>/dev/null
  rm -rf "$work"
done <"$table"

[[ $rows -gt 0 ]] || { echo "FAIL: no rows in $table"; exit 1; }
[[ $failed -eq 0 ]] || { echo "bad_inputs: $failed of $rows rows failed"; exit 1; }
note=""
((skipped == 0)) || note=", $skipped skipped (no LibTorch in this build)"
echo "bad_inputs: $((rows - skipped)) rows OK$note"
