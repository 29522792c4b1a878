#!/usr/bin/env bash
# refine end to end: an AnyNetXA sweep made by `sample`, results written here with a planted truth
# (error lower by 3 points for every 4 blocks fewer); the table, --json, the child spaces in --out
# (each an ordinary space that `sample` draws from), and the errors (no results, --out not empty).
set -euo pipefail
: "${REGNET_EXPLORE:?path to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # results are written and JSON read with it
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

"$REGNET_EXPLORE" sample --space AnyNetXA --preset fashion-mnist --flops 2M:20M -n 120 --seed 4 --out sw >/dev/null
# No results yet: one line, exit 2.
rc=0
"$REGNET_EXPLORE" refine sw 2>err.txt || rc=$?
[[ $rc == 2 && $(wc -l <err.txt) == 1 ]] || fail "refine without results: rc $rc, $(cat err.txt)"
grep -q "refine needs at least 2" err.txt || fail "the message: $(cat err.txt)"

python3 - <<'PY'
import json, random
rng = random.Random(1)
for i in range(120):
    s = json.load(open(f"sw/samples/{i:06d}.json"))
    err = 20 + 0.75 * sum(s["spec"]["depths"]) + rng.gauss(0, 0.5)
    json.dump({"id": i, "status": "done", "best_top1_err": err, "final_top1_err": err, "best_top5_err": 0,
               "final_top5_err": 0, "history": []}, open(f"sw/results/{i:06d}.json", "w"))
PY

"$REGNET_EXPLORE" refine sw --draws 500 --bootstrap 500 >table.txt
head -1 table.txt | grep -q "120 trained models" || fail "the header: $(head -1 table.txt)"
grep -q "tie" table.txt || fail "no tie in the table"

"$REGNET_EXPLORE" refine sw --draws 500 --bootstrap 500 --json --out children >refine.json
python3 - <<'PY' || fail "refine --json"
import json, os
j = json.load(open("refine.json"))
assert j["models"] == 120, j["models"]
c = j["candidates"]
assert [x["rank"] for x in c] == list(range(1, len(c) + 1))
ids = {x["id"]: x for x in c}
for k in ["tie-depth", "tie-width", "tie-bottleneck_ratio", "tie-group_width", "order-width-non_decreasing"]:
    assert k in ids, k
# The planted truth: fewer blocks, lower error.
td = ids["range-total_depth"]
assert td["outlook"] == "gain", td
assert td["interval"][1] < 0, td
assert c[0]["outlook"] == "gain", c[0]
files = sorted(os.listdir("children"))
assert len(files) == len(c), (files, len(c))
assert files[0].startswith("01-" + c[0]["id"]), files[0]
PY

# A child space samples like any space, with its restriction.
first=$(ls children | head -1)
"$REGNET_EXPLORE" sample --space "children/$first" --preset fashion-mnist --flops 2M:20M -n 5 --seed 1 --out child >/dev/null
"$REGNET_EXPLORE" spaces "children/$first" | grep -q "restriction:\|constraint: " || fail "the child's restriction"

# --out is checked first: a non-empty directory is refused without --force, and nothing is written.
rc=0
"$REGNET_EXPLORE" refine sw --draws 500 --out children 2>err.txt || rc=$?
[[ $rc == 2 ]] || fail "refine --out into a non-empty directory: rc $rc"
grep -q "\-\-out" err.txt || fail "the message names --out: $(cat err.txt)"
# An output inside the sweep is refused.
rc=0
"$REGNET_EXPLORE" refine sw --draws 500 --out sw/children 2>err.txt || rc=$?
[[ $rc == 2 ]] || fail "refine --out inside the sweep: rc $rc"
echo "refine: OK"
