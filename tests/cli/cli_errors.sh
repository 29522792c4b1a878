#!/usr/bin/env bash
# Argument errors that CLI11 finds (bad number, unknown option, missing option, unknown
# subcommand): one line "regnet-explore: error: ...", exit 2, nothing on stdout, nothing written.
# --help and --version print and exit 0.
set -euo pipefail
: "${REGNET_EXPLORE:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$tmp"

# expect_error PATTERN ARGS...
expect_error() {
  local pattern=$1 rc=0
  shift
  "$REGNET_EXPLORE" "$@" >stdout 2>stderr || rc=$?
  [[ $rc -eq 2 ]] || fail "exit $rc (want 2) for: $* -- $(cat stderr)"
  [[ $(wc -l <stderr) -eq 1 ]] || fail "stderr is not one line for: $*: $(cat stderr)"
  grep -q "^regnet-explore: error: " stderr || fail "no error prefix for: $*: $(cat stderr)"
  grep -qF -- "$pattern" stderr || fail "want '$pattern' for: $*, got: $(cat stderr)"
  [[ ! -s stdout ]] || fail "stdout not empty for: $*"
  [[ ! -e out ]] || fail "something was written for: $*"
}

expect_error "-n: '2.5' is not a whole number" sample --space AnyNetXA -n 2.5 --out out
expect_error "--seed: 'abc' is not a whole number" sample --space AnyNetXA -n 5 --seed abc --out out
expect_error "--bogus" sample --space AnyNetXA -n 5 --out out --bogus
expect_error "--out is required" sample --space AnyNetXA -n 5
expect_error "unknown command 'nosuchcommand' (see regnet-explore --help)" nosuchcommand
expect_error "subcommand is required"
# A torch command goes to regnet-explore-torch with every argument, global options first or not.
if [[ -x $(dirname "$REGNET_EXPLORE")/regnet-explore-torch ]]; then
  expect_error "--bogus" -q train "$tmp" --bogus
  expect_error "not a sweep directory" -v train "$tmp/none"
  "$REGNET_EXPLORE" train --help >thelp.txt || fail "train --help exited $?"
  grep -qF -- "--jobs" thelp.txt || fail "train --help is not train's help"
fi

"$REGNET_EXPLORE" --help >help.txt 2>help.err || fail "--help exited $?"
grep -q "sample" help.txt || fail "--help does not list the commands"
[[ ! -s help.err ]] || fail "--help wrote to stderr"
"$REGNET_EXPLORE" sample --help >shelp.txt || fail "sample --help exited $?"
grep -qF -- "--space" shelp.txt || fail "sample --help does not list its options"
[[ $("$REGNET_EXPLORE" --version) =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "--version"
echo "cli_errors: OK"
