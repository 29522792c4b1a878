#!/usr/bin/env bash
# `describe` of zoo models against tests/data/regnet_zoo.json (pycls's numbers), --list, rounding.
set -euo pipefail
: "${REGNET_EXPLORE:?}" "${REGNET_TEST_DATA:?}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$REGNET_EXPLORE" describe RegNetX-400MF --json >"$tmp/x400.json"
"$REGNET_EXPLORE" describe regnet_y_1_6gf --json >"$tmp/y1.6.json"
"$REGNET_EXPLORE" describe RegNetX-400MF --torchvision-rounding --json >"$tmp/tv.json"
"$REGNET_EXPLORE" describe RegNetX-200MF --preset fashion-mnist --json >"$tmp/fm.json"
"$REGNET_EXPLORE" describe --list --json >"$tmp/list.json"
python3 - "$tmp" "$REGNET_TEST_DATA/regnet_zoo.json" <<'PY'
import json, sys
t, zoo = sys.argv[1], {m["name"]: m for m in json.load(open(sys.argv[2]))}
for f, name in [("x400.json", "RegNetX-400MF"), ("y1.6.json", "RegNetY-1.6GF")]:
    d, ref = json.load(open(f"{t}/{f}")), zoo[name]
    assert d["name"] == name and d["source"] == "zoo" and d["rounding"] == "pycls"
    for k in ("flops", "params", "acts"):
        assert d["complexity"][k] == ref[k], (name, k, d["complexity"][k], ref[k])
    assert [s["width"] for s in d["stages"]] == ref["stage_widths"]
    assert [s["depth"] for s in d["stages"]] == ref["stage_depths"]
    assert [s["group_width"] for s in d["stages"]] == ref["stage_group_widths"]
    assert d["regnet"]["depth"] == ref["depth"] and d["regnet"]["wa"] == ref["wa"] and d["regnet"]["wm"] == ref["wm"]
    assert d["depth"] == ref["depth"] and len(d["block_widths"]) == ref["depth"]
    assert d["spec"]["widths"] == ref["stage_widths"] and d["spec"]["se_ratio"] == ref["se_ratio"]
x = json.load(open(f"{t}/x400.json"))
assert [s["output_resolution"] for s in x["stages"]] == [56, 28, 14, 7]
assert x["complexity_human"]["params"] == "5.16M"
# torchvision's rounding (docs/reference.md §2): regnet_x_400mf has 5,495,976 params.
tv = json.load(open(f"{t}/tv.json"))
assert tv["complexity"]["params"] == 5495976 and tv["rounding"] == "torchvision", tv["complexity"]
fm = json.load(open(f"{t}/fm.json"))
assert fm["spec"]["input_size"] == 28 and fm["spec"]["num_classes"] == 10 and fm["stem"]["stride"] == 1
assert fm["complexity"]["flops"] < zoo["RegNetX-200MF"]["flops"]
lst = json.load(open(f"{t}/list.json"))
assert len(lst) == 24 and [m["name"] for m in lst] == list(zoo)
for m in lst:
    assert m["complexity"]["flops"] == zoo[m["name"]]["flops"], m["name"]
PY
"$REGNET_EXPLORE" describe RegNetX-200MF >"$tmp/x200.txt"
grep -q "199,040,872" "$tmp/x200.txt" || fail "RegNetX-200MF flops: $(cat "$tmp/x200.txt")"
grep -q "flops (MACs)" "$tmp/x200.txt" || fail "the table does not say MACs"
[[ $("$REGNET_EXPLORE" describe --list | grep -c '^RegNet') -eq 24 ]] || fail "--list does not show 24 models"
echo "describe_zoo: OK"
