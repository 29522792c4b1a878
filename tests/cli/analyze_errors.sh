#!/usr/bin/env bash
# analyze on bad or awkward input: no results, not a sweep, too many bins, --names mismatch,
# all errors equal, mixed datasets, gnuplot missing; a failed run leaves the old report intact.
# Without gnuplot itself the two checks that render are skipped, the rest runs, and the test ends
# skipped (exit 77).
here=$(cd "$(dirname "$0")" && pwd)
source "$here/analyze_common.bash"
require_command python3 "apt-get install python3"  # json_get
gnuplot=$(command -v gnuplot || true)
cd "$work"
make_sweep empty RegNetX 10 1
make_sweep xr RegNetX 30 2
fill_results xr fashion-mnist 30

expect_error() {  # PATTERN ARGS...: exit status 2 and one "regnet-explore: error:" line matching PATTERN
  local pattern=$1
  shift
  local rc=0
  "$REGNET_EXPLORE" analyze "$@" >/dev/null 2>err.txt || rc=$?
  [[ $rc == 2 ]] || { cat err.txt; fail "expected exit 2, got $rc for: $*"; }
  grep -q "^regnet-explore: error: .*$pattern" err.txt || { cat err.txt; fail "expected '$pattern' for: $*"; }
  ! grep -qi "terminate\|abort\|stack" err.txt || fail "crash output for: $*"
}

# A good report first; failures afterwards must leave it as it was.
"$REGNET_EXPLORE" analyze xr --out rep --bootstrap 100 --no-render >/dev/null 2>&1 || fail "good run"
cp rep/index.html before.html
expect_error "no finished results to analyze (10 samples: 10 without a result" empty --out rep
expect_error "not a sweep directory" . --out rep
expect_error "bins: 1000 flops bins over the shared range .* of xr empty .*smaller --bins" xr --out rep --bins 1000
expect_error "--names: 1 names for 2 sweeps" xr empty --out rep --names a
cmp rep/index.html before.html || fail "a failed run changed index.html"
! ls rep | grep -q '\.tmp' || fail "temporary files left behind"

# All errors equal: flat EDF, KS D = 0, no crash (figures included).
make_sweep c1 RegNetX 12 3
make_sweep c2 RegNetX 12 4
fill_results c1 fashion-mnist 40 0 1
fill_results c2 fashion-mnist 40 0 1
"$REGNET_EXPLORE" analyze c1 c2 --out flat --bootstrap 100 --json >flat.json 2>flat.err || { cat flat.err; fail "equal errors"; }
[[ $(json_get flat.json "j['ks'][0]['d']") == 0.0 ]] || fail "KS D of equal errors"
[[ -s flat/index.html ]] || fail "equal errors: no page"
if [[ -n $gnuplot ]]; then
  [[ -s flat/figures/edf.svg ]] || fail "equal errors: no figures"
else
  skip_part "equal errors' rendered figures (gnuplot is not on PATH: apt-get install gnuplot-nox)"
fi

# Different datasets warn, and an empty sweep beside a full one is reported, not fatal.
make_sweep cf RegNetX 20 5
fill_results cf cifar10 35
"$REGNET_EXPLORE" analyze xr cf empty --out mixed --bootstrap 100 --no-render >/dev/null 2>mixed.err || fail "mixed"
grep -q "warning: sweeps were trained on different datasets (xr: fashion-mnist, cf: cifar10)" mixed.err || fail "dataset warning"
grep -q "warning: empty: no finished results" mixed.err || fail "empty-sweep warning"

# Without gnuplot on PATH: CSV and scripts, a note, and a page that says so.
mkdir -p nobin
PATH="$work/nobin" "$REGNET_EXPLORE" analyze xr --out nognu --bootstrap 100 >/dev/null 2>nognu.err || fail "no gnuplot"
grep -q "note: gnuplot not found on PATH" nognu.err || fail "no gnuplot note"
[[ -s nognu/figures/edf.csv && -s nognu/figures/edf.gp && ! -e nognu/figures/edf.png ]] || fail "no-gnuplot files"
grep -q "gnuplot not found" nognu/index.html || fail "page does not say gnuplot is missing"
if [[ -n $gnuplot ]]; then
  (cd nognu && "$gnuplot" figures/edf.gp) && [[ -s nognu/figures/edf.png ]] || fail "scripts written without gnuplot do not render"
else
  skip_part "rendering the scripts written without gnuplot (gnuplot is not on PATH)"
fi
end_with_skips
echo "analyze_errors: ok"
