#!/usr/bin/env bash
# Issue 18 (items 2, 3, 5), what succeeds: analyze --force replaces only the files its earlier
# report's manifest lists (a user's file in figures/ stays); results trained with different schedules
# are analyzed with a warning; a sweep whose name is not UTF-8 is sampled and analyzed (paths stored
# escaped) and compare refuses it in one line; a sweep with a 250-byte name is analyzed.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/analyze_common.bash"
cd "$work"
make_sweep xr RegNetX 12 1
fill_results xr fashion-mnist 30
make_sweep xe RegNetX 12 2
fill_results xe fashion-mnist 32
analyze() { "$REGNET_EXPLORE" analyze "$@" --bootstrap 100 --no-render -q; }

# --force: the earlier report's files go, a user's files stay (in figures/ too).
analyze xr xe --out rep >/dev/null || fail "first report"
[[ -s rep/.regnet-files ]] || fail "no manifest"
grep -qx index.html rep/.regnet-files || fail "the manifest lacks index.html"
echo mine >rep/figures/mine.txt
echo notes >rep/notes.txt
analyze xr --out rep --force >/dev/null || fail "second report"
[[ $(cat rep/figures/mine.txt) == mine && $(cat rep/notes.txt) == notes ]] || fail "--force removed a user's file"
[[ ! -e rep/figures/widths_xe.csv ]] || fail "the earlier report's figure of xe is left behind"
[[ -s rep/figures/widths_xr.csv && -s rep/index.html ]] || fail "the new report is incomplete"
! grep -q mine rep/.regnet-files || fail "a user's file in the manifest"
! ls -a rep | grep -q partial || fail "staging left behind"

# Different schedules: said, not silently mixed.
make_sweep sc RegNetX 12 3
fill_results sc fashion-mnist 31
for f in xr/results/*.json; do python3 - "$f" short <<'PY'; done
import json, sys
j = json.load(open(sys.argv[1])); j["provenance"]["schedule"] = {"name": sys.argv[2], "epochs": 3}
json.dump(j, open(sys.argv[1], "w"))
PY
for f in sc/results/*.json; do python3 - "$f" long <<'PY'; done
import json, sys
j = json.load(open(sys.argv[1])); j["provenance"]["schedule"] = {"name": sys.argv[2], "epochs": 30}
json.dump(j, open(sys.argv[1], "w"))
PY
"$REGNET_EXPLORE" analyze xr sc --out sched --bootstrap 100 --no-render >/dev/null 2>sched.err || fail "schedules"
grep -q "warning: sweeps were trained with different schedules (xr: short, sc: long)" sched.err || {
  cat sched.err
  fail "no schedule warning"
}

# A name that is not UTF-8: sampled and analyzed, stored escaped; compare says why not in one line.
bad=$'s\xff'
"$REGNET_EXPLORE" sample --space RegNetX -n 12 --seed 4 --out "$bad" -q || fail "sample of a non-UTF-8 name"
grep -q '"out": "s\\\\xff"' "$bad/sweep.json" || fail "the path is not stored escaped"
fill_results "$bad" fashion-mnist 30
analyze "$bad" xe --out rutf >/dev/null || fail "analyze of a non-UTF-8 name"
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' rutf/summary.json || fail "summary.json is not JSON"
rc=0
"$REGNET_EXPLORE" compare "$bad" xe --no-train --out cmp 2>cmp.err >/dev/null || rc=$?
[[ $rc == 2 && $(wc -l <cmp.err) == 1 && ! -e cmp ]] || { cat cmp.err; fail "compare of a non-UTF-8 name: exit $rc"; }
grep -q "is not UTF-8" cmp.err || fail "compare's line"

# A legal 250-byte name.
long=$(printf 'n%.0s' {1..250})
cp -r xr "$long"
analyze "$long" xe --out rlong >/dev/null || fail "analyze of a 250-byte name"
echo "outputs_apart: ok"
