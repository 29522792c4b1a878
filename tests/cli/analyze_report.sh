#!/usr/bin/env bash
# The HTML report opens in a browser: Debian's headless chromium renders it (screenshot) and its
# DOM has the tables and the inline SVG figures.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/analyze_common.bash"
cd "$work"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[[ -n $browser ]] || skip "no chromium on PATH (apt-get install chromium)"
require_command gnuplot "apt-get install gnuplot-nox"  # the page's inline SVG figures
make_sweep xr RegNetX 40 1
make_sweep xa AnyNetXA 40 1
fill_results xr fashion-mnist 30
fill_results xa fashion-mnist 32 4
"$REGNET_EXPLORE" analyze xr xa --out rep --bootstrap 500 >/dev/null 2>err.txt || { cat err.txt; fail "analyze"; }

flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --user-data-dir="$work/chrome" --no-first-run)
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$work/rep/index.html" >dom.html 2>chrome.err || {
  tail -5 chrome.err
  fail "chromium --dump-dom failed"
}
for id in summary ks ks-normalized best-values fits random-search; do
  grep -q "<table id=\"$id\"" dom.html || fail "DOM has no table #$id"
done
svgs=$(grep -o '<svg' dom.html | wc -l)
((svgs >= 20)) || fail "only $svgs inline SVG figures in the DOM"
grep -q 'xr 40|30.00|' dom.html || fail "EDF legend missing"

timeout 120 "$browser" "${flags[@]}" --window-size=1280,2000 --screenshot="$work/shot.png" "file://$work/rep/index.html" \
  >/dev/null 2>>chrome.err || fail "chromium --screenshot failed"
size=$(stat -c %s shot.png)
((size > 50000)) || fail "screenshot is only $size bytes (blank page?)"
echo "analyze_report: ok ($svgs inline SVGs, screenshot $size bytes)"
