#!/usr/bin/env bash
# analyze end to end on two synthetic sweeps (one partial): tables, files, figures that re-render
# from their scripts, --json, --names, --metric, determinism.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/analyze_common.bash"
require_command gnuplot "apt-get install gnuplot-nox"  # the figures are rendered and re-rendered
require_command python3 "apt-get install python3"      # json_get
cd "$work"
make_sweep xr RegNetX 60 1
make_sweep xe AnyNetXE 60 1
fill_results xr fashion-mnist 30
fill_results xe fashion-mnist 33 5  # every 5th sample has no result yet

"$REGNET_EXPLORE" analyze xr xe --out rep --bootstrap 1000 --seed 1 >out.txt 2>err.txt || { cat err.txt; fail "analyze failed"; }
cat out.txt
grep -q "xe: 12 of 60 samples have no result yet (partial sweep)" err.txt || fail "no partial-sweep warning"
grep -Eq "^xr +fashion-mnist +60 +60 +0 +0 +0 +30.00" out.txt || fail "xr summary row"
grep -Eq "^xe +fashion-mnist +60 +48 +0 +0 +12 +33.00" out.txt || fail "xe summary row"
grep -q "xr vs xe: D = " out.txt || fail "no KS line"
grep -q "report: rep/index.html" out.txt || fail "no report line"

for f in index.html summary.json figures/edf.csv figures/edf.gp figures/edf.png figures/edf.svg \
  figures/edf_normalized.svg figures/error_vs_flops.svg figures/error_vs_d.svg figures/error_vs_w1.svg \
  figures/widths_xr.svg figures/random_search.svg figures/trend_error.svg; do
  [[ -s rep/$f ]] || fail "missing rep/$f"
done
if echo 'print GPVAL_TERMINALS' | gnuplot 2>&1 | grep -q pdfcairo; then
  [[ -s rep/figures/edf.pdf ]] || fail "no PDF although gnuplot has pdfcairo"
fi
[[ $(head -c 4 rep/figures/edf.png | od -An -c | tr -d ' ') == '211PNG' ]] || fail "edf.png is not a PNG"
# Numbers: xr's minimum is 30.0, 60 models; the EDF's last value is 1.
[[ $(json_get rep/summary.json "j['sweeps'][0]['error']['min']") == 30.0 ]] || fail "summary.json min"
[[ $(tail -n +2 rep/figures/edf.csv | cut -d, -f2 | grep -v '^$' | tail -1) == 1 ]] || fail "EDF does not reach 1"
[[ $(json_get rep/summary.json "j['sweeps'][1]['missing']") == 12 ]] || fail "summary.json missing"

# A figure re-renders from its script, run from the report directory.
rm rep/figures/error_vs_d.png
(cd rep && gnuplot figures/error_vs_d.gp) || fail "script does not re-render"
[[ -s rep/figures/error_vs_d.png ]] || fail "re-render wrote no PNG"

# Same seed, same numbers; --json prints the tables; --names relabels; --metric final adds 1 point.
"$REGNET_EXPLORE" analyze xr xe --out rep2 --bootstrap 1000 --seed 1 --no-render --json --names R,E >j.json 2>/dev/null
cmp <(json_get rep/summary.json "j['ks']") <(json_get j.json "j['ks']" | sed 's/R/xr/; s/E/xe/') >/dev/null ||
  fail "KS differs between identical runs"
cmp <(json_get rep/summary.json "j['sweeps'][0]['best_values']") <(json_get j.json "j['sweeps'][0]['best_values']") ||
  fail "bootstrap not deterministic in the seed"
[[ $(json_get j.json "j['sweeps'][1]['name']") == E ]] || fail "--names"
[[ $(json_get j.json "j['report']['rendered']") == False ]] || fail "--no-render rendered"
[[ ! -e rep2/figures/edf.png && -s rep2/figures/edf.gp ]] || fail "--no-render files"
"$REGNET_EXPLORE" analyze xr --out rep3 --metric final --bootstrap 100 --no-render --json >f.json 2>/dev/null
[[ $(json_get f.json "j['sweeps'][0]['error']['min']") == 31.0 ]] || fail "--metric final"
[[ $(json_get f.json "j['metric']") == final ]] || fail "metric name"
echo "analyze_basic: ok"
