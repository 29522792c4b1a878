#!/usr/bin/env bash
# analyze's --out and gnuplot (docs/analyze.md, "The report directory"): names with shell and
# gnuplot syntax in them stay text (no command runs, neither when analyze renders nor when a
# user re-runs a figure's script); --out "", a sweep or a directory inside one, a file, and a
# directory holding other files are refused before anything is computed; a hanging gnuplot is
# stopped; on a full disk (root only: a tmpfs) one line, and the earlier report is left as it was.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/analyze_common.bash"
require_command gnuplot "apt-get install gnuplot-nox"  # hostile names are rendered and their scripts re-run
cd "$work"
export HOME=$work  # `cd` in a hostile name goes here, so a command that ran would leave its file here
make_sweep xr RegNetX 30 2
fill_results xr fashion-mnist 30

# expect_refused PATTERN ARGS...: exit 2, exactly one stderr line, naming PATTERN.
expect_refused() {
  local pattern=$1 rc=0
  shift
  "$REGNET_EXPLORE" analyze "$@" >/dev/null 2>err.txt || rc=$?
  [[ $rc == 2 ]] || { cat err.txt; fail "expected exit 2, got $rc for: $*"; }
  [[ $(wc -l <err.txt) == 1 ]] || { cat err.txt; fail "expected one line on stderr for: $*"; }
  grep -q "^regnet-explore: error: .*$pattern" err.txt || { cat err.txt; fail "expected '$pattern' for: $*"; }
}

# 1. Hostile names: a sweep directory and --names entries with backquotes, $(...), a quote that
# would end a gnuplot string, a system() call and a macro; a line break is refused.
hostile='x`cd;touch pwned1`$(cd;touch pwned2)'
cp -r xr "$hostile"
names=("\`touch $work/pwned3\`" "a'.system('touch $work/pwned4').'b" '@GPVAL_PWD`touch pwned5`')
# A line break in a name is refused (names are shown in tables and figures), before anything runs.
"$REGNET_EXPLORE" analyze xr "$hostile" --out never --names a $'b\n`touch pwned6`' >/dev/null 2>nl.err && fail "a line break in --names was accepted"
grep -q "holds a control character" nl.err || { cat nl.err; fail "line break in --names: wrong message"; }
[[ ! -e never ]] || fail "a refused --names wrote its report"
"$REGNET_EXPLORE" analyze "$hostile" xr --out hostile_default --bootstrap 100 >/dev/null 2>h0.err || { cat h0.err; fail "hostile dir"; }
cp -r xr xr2
"$REGNET_EXPLORE" analyze xr "$hostile" xr2 --out hostile --bootstrap 100 --names "${names[@]}" >/dev/null 2>h.err ||
  { cat h.err; fail "hostile names"; }
[[ -s hostile/figures/edf.png && -s hostile/figures/edf.svg ]] || fail "hostile names: edf not rendered"
grep -qF 'pwned3' hostile/figures/edf.gp || fail "the legend name is not in the script"
(cd hostile && gnuplot figures/*.gp) >/dev/null 2>&1 || fail "re-running the hostile scripts failed"
(cd hostile_default && gnuplot figures/*.gp) >/dev/null 2>&1 || fail "re-running the hostile-dir scripts failed"
pwned=$(find "$work" -name 'pwned*')
[[ -z $pwned ]] || fail "a name ran a command: $pwned"
grep -qF 'x`cd;touch pwned1`$(cd;touch pwned2)' hostile_default/index.html || fail "the hostile dir's name is not on the page"
echo "ok: hostile names are text (analyze and re-run scripts ran no command)"

# 2. --out refused before anything is read or computed (one line: no progress of a bootstrap).
expect_refused "--out: is empty" xr --out ""
expect_refused "is inside the sweep directory xr" xr --out xr/results
expect_refused "is inside the sweep directory xr" xr --out xr
expect_refused "is inside the sweep directory" xr --out "$work/xr/samples/report"
touch afile
expect_refused "afile: --out: exists and is not a directory" xr --out afile --bootstrap 1000000
[[ ! -e xr/results/index.html && ! -e xr/figures && ! -e xr/samples/report ]] || fail "a refused --out wrote into the sweep"
mkdir mine
echo '<html><body>my own page</body></html>' >mine/index.html
echo notes >mine/notes.txt
expect_refused "mine: --out: holds files but no report" xr --out mine
grep -q "my own page" mine/index.html || fail "a page that is not a report was overwritten"
"$REGNET_EXPLORE" analyze xr --out mine --force --bootstrap 100 --no-render >/dev/null 2>&1 || fail "--force"
grep -q 'content="regnet-explore analyze"' mine/index.html && [[ -e mine/notes.txt ]] || fail "--force: report or notes.txt"
"$REGNET_EXPLORE" analyze xr --out mine --bootstrap 100 --no-render >/dev/null 2>&1 || fail "an earlier report is replaced"
[[ -z $(find . -name '.partial-*') ]] || fail "staging directories left behind"
echo "ok: --out refusals, --force, and an earlier report replaced"

# 3. A gnuplot that hangs is stopped after REGNET_GNUPLOT_TIMEOUT; the report is written.
mkdir -p bin
printf '#!/bin/sh\nexec sleep 600\n' >bin/gnuplot
chmod +x bin/gnuplot
rc=0
REGNET_GNUPLOT=$work/bin/gnuplot REGNET_GNUPLOT_TIMEOUT=1 timeout 120 "$REGNET_EXPLORE" analyze xr --out hang \
  --bootstrap 100 >/dev/null 2>hang.err || rc=$?
[[ $rc == 0 ]] || { cat hang.err; fail "hanging gnuplot: exit $rc"; }
grep -q "note: gnuplot ran longer than 1 s (REGNET_GNUPLOT_TIMEOUT) and was stopped" hang.err || { cat hang.err; fail "timeout note"; }
[[ -s hang/index.html ]] || fail "hanging gnuplot: no page"
REGNET_GNUPLOT_TIMEOUT=soon expect_refused "REGNET_GNUPLOT_TIMEOUT: 'soon' is not a positive number" xr --out hang2
[[ ! -e hang2 ]] || fail "a bad REGNET_GNUPLOT_TIMEOUT is found only after the report was started"
echo "ok: a hanging gnuplot is stopped"

# 4. A full disk (root, tmpfs): one line naming the report's path and the cause; the earlier
# report as it was, no staging directory left; a new report directory not left behind.
if [[ $(id -u) == 0 ]] && mkdir tmpfs && mount -t tmpfs -o size=6m tmpfs tmpfs 2>/dev/null; then
  trap 'umount "$work/tmpfs"; rm -rf "$work"' EXIT
  "$REGNET_EXPLORE" analyze xr --out tmpfs/report --bootstrap 100 >/dev/null 2>&1 || fail "report on the tmpfs"
  (cd tmpfs/report && find . -type f -exec md5sum {} + | sort) >before.md5
  avail=$(df --output=avail -B1 tmpfs | tail -1)
  fallocate -l $((avail - 8192)) tmpfs/filler
  expect_refused "tmpfs/report/.*No space left on device" xr --out tmpfs/report --bootstrap 100 -q
  ! grep -q partial err.txt || fail "the error names the staging directory: $(cat err.txt)"
  (cd tmpfs/report && find . -type f -exec md5sum {} + | sort) | cmp -s - before.md5 || fail "the earlier report changed"
  [[ -z $(find tmpfs -name '.partial-*') ]] || fail "a staging directory left on the full disk"
  expect_refused "No space left on device" xr --out tmpfs/new --bootstrap 100 -q
  [[ ! -e tmpfs/new ]] || fail "a half report left in tmpfs/new: $(find tmpfs/new)"
  echo "ok: full disk: one line, the earlier report kept, no half report"
else
  skip_part "the full-disk case (needs root and a tmpfs)"
fi
end_with_skips
echo "analyze_out: ok"
