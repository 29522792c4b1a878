#!/usr/bin/env bash
# Bad input to `sample`: one clear error line, exit 2, and nothing written.
set -euo pipefail
: "${REGNET_EXPLORE:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_error PATTERN ARGS...: runs `sample ARGS --out $tmp/work/out`.
expect_error() {
  local pattern=$1 rc=0
  shift
  mkdir -p "$tmp/work"
  "$REGNET_EXPLORE" sample "$@" --out "$tmp/work/out" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
  [[ $rc -eq 2 ]] || fail "exit $rc (want 2) for: $* -- $(cat "$tmp/stderr")"
  [[ $(wc -l <"$tmp/stderr") -eq 1 ]] || fail "stderr is not one line for: $*: $(cat "$tmp/stderr")"
  grep -q "^regnet-explore: error: " "$tmp/stderr" || fail "no error prefix: $(cat "$tmp/stderr")"
  grep -qF -- "$pattern" "$tmp/stderr" || fail "want '$pattern', got: $(cat "$tmp/stderr")"
  [[ ! -s $tmp/stdout ]] || fail "stdout not empty for: $*"
  [[ -z $(ls -A "$tmp/work") ]] || fail "something was written for: $*: $(ls -A "$tmp/work")"
}

expect_error "unknown design space 'NoSuchSpace'" --space NoSuchSpace -n 5

printf '{\n  "type": "anynet",\n  "parameters": {\n    "depth": [1, 16\n  }\n}\n' >"$tmp/malformed.json"
expect_error "malformed.json: invalid JSON at line 5, column" --space "$tmp/malformed.json" -n 5

sed 's/"low": 1, "high": 16/"low": 0, "high": 16/' "$REGNET_SOURCE_DIR/configs/spaces/AnyNetXA.json" >"$tmp/range.json"
expect_error "range.json: parameters.depth.low: 0 must be in [1, 1000]" --space "$tmp/range.json" -n 5

sed 's/"high": 1024/"high": 1000.5/' "$REGNET_SOURCE_DIR/configs/spaces/AnyNetXA.json" >"$tmp/nonint.json"
expect_error "nonint.json: parameters.width.high: 1000.5 is not an integer" --space "$tmp/nonint.json" -n 5

expect_error "--flops: '400M:360M' is empty" --space AnyNetXA -n 5 --flops 400M:360M
expect_error "--flops: 'abc' is not a count" --space AnyNetXA -n 5 --flops abc:400M
expect_error "--params: '3M' is not a window" --space AnyNetXA -n 5 --params 3M
expect_error "-n: 0 must be in [1, 1000000]" --space AnyNetXA -n 0
expect_error "--preset: 'mnist' is not one of" --space AnyNetXA -n 5 --preset mnist
expect_error "--input-size: 0 must be in [1, 2147483647]" --space AnyNetXA -n 5 --input-size 0
expect_error "only 0 of 5 models found in 20,000 attempts" --space AnyNetXA -n 5 --flops :1k --max-attempts 20000

# An existing, non-empty --out is never overwritten.
mkdir -p "$tmp/existing"
echo keep >"$tmp/existing/note.txt"
rc=0
"$REGNET_EXPLORE" sample --space AnyNetXA -n 5 --out "$tmp/existing" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
[[ $rc -eq 2 ]] || fail "existing --out: exit $rc"
grep -qF "already exists and is not empty" "$tmp/stderr" || fail "existing --out: $(cat "$tmp/stderr")"
[[ $(ls -A "$tmp/existing") == note.txt && $(cat "$tmp/existing/note.txt") == keep ]] || fail "existing --out was touched"
echo "sample_errors: OK"
