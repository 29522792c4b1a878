#!/usr/bin/env bash
# Normalized EDFs as NDS defines them (one shared complexity range, numpy's histogram/digitize
# bins, models outside dropped) checked against an independent implementation
# (tests/cli/analyze_nds.py) on sweeps of different flops windows; the same numbers whatever the
# order of the sweeps; models.csv; range and bin errors as one line ending in a newline.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/analyze_common.bash"
cd "$work"
py=""
require_python py numpy
nds() { "$py" "$here/analyze_nds.py" "$@"; }

lo='lo,"q"'  # a legend name that needs quoting in CSV
"$REGNET_EXPLORE" sample --space RegNetX -n 90 --seed 3 --flops 200M:600M --out "$lo" >/dev/null
"$REGNET_EXPLORE" sample --space AnyNetXA -n 90 --seed 4 --flops 400M:900M --out hi >/dev/null
nds results "$lo" 40 && nds results hi 40.4

run() {  # OUT ARGS...: analyze --json into OUT.json
  local out=$1
  shift
  "$REGNET_EXPLORE" analyze "$@" --out "$out" --bootstrap 500 --seed 2 --no-render --json >"$out.json" 2>"$out.err" ||
    { cat "$out.err"; fail "analyze $*"; }
}
run ab "$lo" hi
run ba hi "$lo"
nds check ab/summary.json ab/models.csv "$lo" hi || fail "NDS normalized D or weights (automatic range and K)"
nds rows ab/models.csv "$lo" hi "$lo" hi || fail "models.csv rows"
nds order ab.json ba.json || fail "analyze A B and analyze B A differ"
grep -q "models outside the range" ab.err && fail "the outside counts belong on stdout, not stderr"

# An explicit range and K; SI suffixes.
run r "$lo" hi --range 450M:560M --bins 3
nds check r/summary.json r/models.csv "$lo" hi --range 450e6 560e6 --bins 3 || fail "NDS with --range 450M:560M --bins 3"
"$REGNET_EXPLORE" analyze "$lo" hi --out txt --bootstrap 200 --no-render --range 450M:560M >txt.out 2>/dev/null || fail "text run"
grep -q "normalized EDFs: by flops over \[450M, 560M\] (--range)" txt.out || { cat txt.out; fail "range line"; }
grep -Eq "models outside the range .*: lo,\"q\" [0-9]+ of [0-9]+, hi [0-9]+ of [0-9]+" txt.out || fail "outside counts"
grep -Eq "^  hi - lo,\"q\": mean [-+][0-9.]+ \[[-+][0-9.]+, [-+][0-9.]+\], median .*models per space$" txt.out ||
  fail "pair line"

expect_error() {  # PATTERN ARGS...: exit 2, one error line matching PATTERN, stderr ends in a newline
  local pattern=$1 rc=0
  shift
  "$@" >/dev/null 2>err.txt || rc=$?
  [[ $rc == 2 ]] || { cat err.txt; fail "expected exit 2, got $rc for: $*"; }
  grep -q "^regnet-explore: error: .*$pattern" err.txt || { cat err.txt; fail "expected '$pattern' for: $*"; }
  [[ $(wc -l <err.txt) == 1 && $(tail -c 1 err.txt | od -An -c | tr -d ' ') == '\n' ]] ||
    { od -c err.txt | tail -3; fail "the error is not one line ending in a newline: $*"; }
}
"$REGNET_EXPLORE" sample --space RegNetX -n 30 --seed 5 --flops 1G:1.5G --out far >/dev/null
fill_results far fashion-mnist 35
expect_error "flops ranges of the samples do not overlap.*--range LO:HI, or skip normalization with --normalize none" \
  "$REGNET_EXPLORE" -q analyze "$lo" far --out e1 --no-render
expect_error "bins: 10 flops bins over the shared range .* leave bin [0-9]* \[.*) of .* empty .*smaller --bins, e.g. [0-9]" \
  "$REGNET_EXPLORE" -q analyze "$lo" hi --out e2 --no-render --range 450M:460M --bins 10
expect_error "range: the shared flops range \[2G, 3G\] holds none of the" \
  "$REGNET_EXPLORE" -q analyze "$lo" hi --out e3 --no-render --range 2G:3G
expect_error "bins: 3 complexity bins over the shared range \[0, 10\] leave bin 2 \[3.333, 6.667) of sample 1 empty" \
  "$REGNET_EXPLORE" stats nds --a 0,1,9,10 --b 0,5,10 --bins 3
expect_error "leave bin 2" "$REGNET_EXPLORE" stats nds --a 0,1,9,10 --bins 3 --json
"$REGNET_EXPLORE" analyze "$lo" far --out e4 --no-render --normalize none >/dev/null 2>&1 || fail "--normalize none"
echo "analyze_nds: ok"
