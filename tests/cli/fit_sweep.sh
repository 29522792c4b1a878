#!/usr/bin/env bash
# fit end to end: a RegNetX sweep made by `sample`, results written here with errors that rank the
# models in a known order; the top K, e_fit recomputed from observed and predicted widths, the
# summary medians, --metric, --out-space (sampled again), --out-specs (described again), clamping.
set -euo pipefail
: "${REGNET_EXPLORE:?path to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
py() { python3 - "$@"; }

"$REGNET_EXPLORE" sample --space RegNetX -n 40 --seed 3 --out sw >/dev/null
# best error: 20 + |d - 16| + |ln(w0 / 48)| (lowest for d = 16, w0 = 48); final error: 60 - id.
# Every 7th sample diverged; ids >= 36 have no result yet.
py <<'PY'
import json, math, os
for i in range(36):
    s = json.load(open(f"sw/samples/{i:06d}.json"))
    r = s["regnet"]
    best = 20 + abs(r["depth"] - 16) + abs(math.log(r["w0"] / 48))
    res = {"id": i, "status": "diverged" if i % 7 == 3 else "done", "best_top1_err": best,
           "final_top1_err": 60 - i, "best_top5_err": 0, "final_top5_err": 0, "history": []}
    json.dump(res, open(f"sw/results/{i:06d}.json", "w"))
PY

"$REGNET_EXPLORE" fit sw --top 6 --json --resamples 2000 --out-space XFit.json --out-specs specs >fit.json
py <<'PY' || fail "fit --json"
import json, math, statistics
j = json.load(open("fit.json"))
done = []
for i in range(36):
    r = json.load(open(f"sw/results/{i:06d}.json"))
    if r["status"] == "done":
        done.append((r["best_top1_err"], i))
done.sort()
ids = [m["id"] for m in j["models"]]
assert j["done"] == len(done) == 31, j["done"]
assert ids == [i for _, i in done[:6]], (ids, done[:6])
for m in j["models"]:
    obs, pred = m["observed"], m["fit"]["predicted"]
    s = json.load(open(f"sw/samples/{m['id']:06d}.json"))
    assert obs == s["block_widths"] and len(pred) == len(obs) == s["regnet"]["depth"]
    e = sum(abs(math.log(p / o)) for p, o in zip(pred, obs)) / len(obs)
    assert abs(e - m["fit"]["e_fit"]) < 1e-12, (e, m["fit"]["e_fit"])
    assert m["fit"]["e_fit"] < 0.1, m  # group rounding moves sampled RegNets a little off the curve
    assert m["fit"]["w0"] % 8 == 0 and 1.5 <= m["fit"]["wm"] <= 3 and 0 <= m["fit"]["wa"] <= 256
for key in ("d", "w0", "wa", "wm", "e_fit"):
    vals = [m["fit"]["depth" if key == "d" else key] for m in j["models"]]
    s = j["summary"][key]
    assert abs(s["median"] - statistics.median(vals)) < 1e-12, (key, s, vals)
    assert min(vals) <= s["lo"] <= s["median"] <= s["hi"] <= max(vals), (key, s)
sug = j["suggested"]
assert sug["depth"] == [min(m["fit"]["depth"] for m in j["models"]), max(m["fit"]["depth"] for m in j["models"])]
print("top", ids, "median w0", j["summary"]["w0"]["median"], "median e_fit", j["summary"]["e_fit"]["median"])
PY

# The suggested space is a design space that `sample` reads; the specs are records `describe` reads.
"$REGNET_EXPLORE" sample --space XFit.json -n 3 --seed 1 --out sw2 >/dev/null || fail "sampling the suggested space"
n=$(ls specs | wc -l); [[ $n == 6 ]] || fail "expected 6 fitted specs, got $n"
first=$(py <<'PY'
import json; print("%06d" % json.load(open("fit.json"))["models"][0]["id"])
PY
)
"$REGNET_EXPLORE" describe "specs/$first.json" >/dev/null || fail "describe a fitted spec"

# --metric final ranks by the last epoch's error: highest ids first (60 - id), skipping diverged 31.
"$REGNET_EXPLORE" fit sw --top 3 --metric final --json --resamples 100 >final.json
py <<'PY' || fail "--metric final"
import json
assert [m["id"] for m in json.load(open("final.json"))["models"]] == [35, 34, 33]
PY

# Human-readable table and summary.
"$REGNET_EXPLORE" fit sw --top 4 --resamples 100 >table.txt
grep -q "top 4 of 31 finished models by best top-1 error" table.txt || fail "table header"
grep -q "suggested RegNet range: d " table.txt || fail "suggested range line"
grep -Eq "^  w0 " table.txt || fail "w0 summary line"

# K above the finished models: clamped, with a warning.
"$REGNET_EXPLORE" fit sw --top 100 --json --resamples 100 >all.json 2>warn.txt
grep -q "warning: --top 100 exceeds the 31 finished models" warn.txt || fail "no clamp warning"
py <<'PY' || fail "clamped count"
import json
j = json.load(open("all.json")); assert j["top"] == 31 and j["top_requested"] == 100
PY

# Errors: one line, exit 2.
expect_error() {
  local pattern=$1; shift
  set +e; "$REGNET_EXPLORE" "$@" >/dev/null 2>err.txt; local rc=$?; set -e
  [[ $rc == 2 ]] || fail "$* exited $rc, expected 2"
  grep -q "$pattern" err.txt || { cat err.txt; fail "$*: no '$pattern'"; }
  [[ $(wc -l <err.txt) == 1 ]] || fail "$*: more than one line"
}
"$REGNET_EXPLORE" sample --space RegNetX -n 5 --seed 1 --out empty >/dev/null
expect_error "no finished models yet" fit empty
expect_error "not a sweep" fit nowhere
expect_error "must be in \\[1, 1000000\\]" fit sw --top 0
expect_error "one of them" fit
expect_error "not a whole width in \\[1, 1000000\\]" fit --widths 8,x
echo "fit_sweep: ok"
