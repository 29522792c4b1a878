#!/usr/bin/env bash
# `sample` writes a complete sweep; the same seed gives the same samples on 1 and 2 threads;
# presets, custom spaces by path and by REGNET_CONFIG_DIR; `spaces` lists them.
set -euo pipefail
: "${REGNET_EXPLORE:?}" "${REGNET_SOURCE_DIR:?}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$REGNET_EXPLORE" sample --space AnyNetXA -n 30 --flops 360M:400M --seed 3 --threads 1 --out "$tmp/a" >"$tmp/a.txt"
grep -q "sampled 30 models from AnyNetXA (seed 3)" "$tmp/a.txt" || fail "summary: $(cat "$tmp/a.txt")"
grep -q "acceptance" "$tmp/a.txt" || fail "no acceptance rate printed"
"$REGNET_EXPLORE" sample --space AnyNetXA -n 30 --flops 360M:400M --seed 3 --threads 2 --out "$tmp/b" --json >"$tmp/b.json"
diff -r "$tmp/a/samples" "$tmp/b/samples" >/dev/null || fail "1 and 2 threads differ"
"$REGNET_EXPLORE" sample --space AnyNetXA -n 30 --flops 360M:400M --seed 4 --out "$tmp/c" >/dev/null
if diff -r "$tmp/a/samples" "$tmp/c/samples" >/dev/null; then fail "seeds 3 and 4 gave the same samples"; fi

python3 - "$tmp" <<'PY'
import glob, json, re, sys
tmp = sys.argv[1]
s = json.load(open(f"{tmp}/a/sweep.json"))
assert s["format_version"] == 1, s["format_version"]
assert re.fullmatch(r"\d+\.\d+\.\d+", s["tool_version"]), s["tool_version"]
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s["created"]), s["created"]
assert s["request"]["space"] == "AnyNetXA" and s["request"]["n"] == 30 and s["request"]["flops"] == "360M:400M"
assert s["space"]["name"] == "AnyNetXA" and s["space"]["parameters"]["width"]["high"] == 1024
assert s["seed"] == 3 and s["window"]["flops"] == {"lo": 360000000, "hi": 400000000}
acc = s["acceptance"]
assert acc["accepted"] == 30 and acc["attempts"] >= 30 and abs(acc["rate"] - 30 / acc["attempts"]) < 1e-12
assert acc["attempts"] == 30 + acc["rejected_window"] + acc["rejected_constraints"] + acc["rejected_stages"] + acc["duplicates"]
files = sorted(glob.glob(f"{tmp}/a/samples/*.json"))
assert len(files) == 30, len(files)
specs = set()
for i, f in enumerate(files):
    r = json.load(open(f))
    assert r["id"] == i and f.endswith(f"{i:06d}.json")
    assert 360e6 <= r["complexity"]["flops"] <= 400e6
    assert len(r["spec"]["depths"]) == 4 and len(r["draw"]["width"]) == 4
    specs.add(json.dumps(r["spec"], sort_keys=True))
assert len(specs) == 30
b = json.load(open(f"{tmp}/b.json"))
assert b["acceptance"] == acc and b["n"] == 30 and b["flops"]["min"] >= 360e6
PY

# The Fashion-MNIST preset with the window docs/spaces.md suggests.
"$REGNET_EXPLORE" sample --space RegNetX -n 10 --preset fashion-mnist --flops 4M:12M --seed 1 --out "$tmp/fm" >/dev/null
python3 - "$tmp/fm" <<'PY'
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/samples/*.json"):
    r = json.load(open(f))
    s = r["spec"]
    assert (s["input_size"], s["input_channels"], s["num_classes"], s["stem_type"], s["stem_width"]) == (28, 1, 10, "res_stem_cifar", 16), s
    assert r["regnet"]["depth"] == sum(s["depths"]) and 12 <= r["regnet"]["depth"] <= 28
    assert 4e6 <= r["complexity"]["flops"] <= 12e6
net = json.load(open(sys.argv[1] + "/sweep.json"))["network"]
assert net["input_size"] == 28 and net["stem_type"] == "res_stem_cifar"
PY

# describe reads a sample of the sweep back.
"$REGNET_EXPLORE" describe "$tmp/fm" --id 3 --json >"$tmp/d3.json"
python3 - "$tmp" <<'PY'
import json, sys
t = sys.argv[1]
d, r = json.load(open(f"{t}/d3.json")), json.load(open(f"{t}/fm/samples/000003.json"))
assert d["spec"] == r["spec"] and d["complexity"] == r["complexity"] and d["regnet"] == r["regnet"], (d, r)
assert d["source"] == "sweep"
PY

# A space of one's own, by path and by REGNET_CONFIG_DIR; no rebuild.
mkdir -p "$tmp/cfg/spaces"
sed -e 's/"name": "AnyNetXE"/"name": "Mine"/' -e 's/"high": 16/"high": 4/' \
  "$REGNET_SOURCE_DIR/configs/spaces/AnyNetXE.json" >"$tmp/cfg/spaces/Mine.json"
"$REGNET_EXPLORE" sample --space "$tmp/cfg/spaces/Mine.json" -n 5 --input-size 64 --out "$tmp/m1" >/dev/null
REGNET_CONFIG_DIR="$tmp/cfg" "$REGNET_EXPLORE" sample --space mine -n 5 --input-size 64 --out "$tmp/m2" >/dev/null
diff -r "$tmp/m1/samples" "$tmp/m2/samples" >/dev/null || fail "path and name gave different samples"
python3 -c "
import glob, json
for f in glob.glob('$tmp/m1/samples/*.json'):
    s = json.load(open(f))['spec']
    assert max(s['depths']) <= 4 and s['depths'] == sorted(s['depths']) and s['widths'] == sorted(s['widths']), s
"
REGNET_CONFIG_DIR="$tmp/cfg" "$REGNET_EXPLORE" spaces >"$tmp/mine.txt"
grep -q "^Mine " "$tmp/mine.txt" || fail "spaces does not list Mine"

"$REGNET_EXPLORE" spaces --json >"$tmp/spaces.json"
python3 - "$tmp/spaces.json" <<'PY'
import json, sys
names = [s["name"] for s in json.load(open(sys.argv[1]))["spaces"]]
for n in ["AnyNetXA", "AnyNetXB", "AnyNetXC", "AnyNetXD", "AnyNetXE", "RegNetX", "RegNetY"]:
    assert n in names, names
PY
"$REGNET_EXPLORE" spaces AnyNetXE | grep -q "w_{i+1} >= w_i" || fail "spaces AnyNetXE shows no width constraint"
echo "sample_basic: OK"
