#!/usr/bin/env bash
# Bad input to `describe`: one clear error line naming file, field and value; exit 2.
set -euo pipefail
: "${REGNET_EXPLORE:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

expect_error() {
  local pattern=$1 rc=0
  shift
  "$REGNET_EXPLORE" describe "$@" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
  [[ $rc -eq 2 ]] || fail "exit $rc (want 2) for: $* -- $(cat "$tmp/stderr")"
  [[ $(wc -l <"$tmp/stderr") -eq 1 ]] || fail "stderr is not one line for: $*: $(cat "$tmp/stderr")"
  grep -q "^regnet-explore: error: " "$tmp/stderr" || fail "no error prefix: $(cat "$tmp/stderr")"
  grep -qF -- "$pattern" "$tmp/stderr" || fail "want '$pattern', got: $(cat "$tmp/stderr")"
  [[ ! -s $tmp/stdout ]] || fail "stdout not empty for: $*"
}

expect_error "unknown model 'RegNetZ-400MF'" RegNetZ-400MF
printf '{"depths": [1, 2], "widths": [32, 64, 128], "group_widths": [8, 8]}' >"$tmp/inconsistent.json"
expect_error "inconsistent.json: widths: has 3 stages, depths has 2" --spec "$tmp/inconsistent.json"
printf '{"depths": [1, 2.5], "widths": [32, 64], "group_widths": [8, 8]}' >"$tmp/nonint.json"
expect_error "nonint.json: depths[1]: 2.5 is not an integer" --spec "$tmp/nonint.json"
printf '{"depths": [1],\n "widths": [32,,]}' >"$tmp/malformed.json"
expect_error "malformed.json: invalid JSON at line 2, column" --spec "$tmp/malformed.json"
printf '[{"depths": [1], "widths": [32], "group_widths": [8]}, {"depths": [1], "widths": [30], "group_widths": [8]}]' >"$tmp/array.json"
expect_error "array.json[1]: widths[0]: 30" --spec "$tmp/array.json"
expect_error "--torchvision-rounding: needs RegNet parameters" --spec "$tmp/array.json" --torchvision-rounding
expect_error "missing.json: cannot open" --spec "$tmp/missing.json"
mkdir "$tmp/notasweep"
expect_error "--id" "$tmp/notasweep"
expect_error "not a sweep directory" "$tmp/notasweep" --id 0
expect_error "--input-size: -1 must be in [1, 2147483647]" RegNetX-400MF --input-size -1
echo "describe_errors: OK"
