#!/usr/bin/env bash
# The activation as a design-space parameter, end to end (the paper's §5 study of Swish against
# ReLU): a space that draws relu or silu is sampled, trained on Fashion-MNIST, described and
# analyzed (activation among the report's parameters); `sample --activation silu` fixes it.
# The export of a sampled SiLU model, loaded by PyTorch, is in export_python.sh.
set -euo pipefail
: "${REGNET_EXPLORE:?}" "${REGNET_SOURCE_DIR:?}"
fm=${REGNET_DATA_ROOT:-/usr/share/datasets}/fashion-mnist
if [[ ! -f $fm/train-images-idx3-ubyte.gz ]]; then echo "SKIP: no Fashion-MNIST at $fm (dataset-fashion-mnist)"; exit 77; fi
if ! command -v gnuplot >/dev/null; then echo "SKIP: no gnuplot (gnuplot-nox)"; exit 77; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# RegNetX with the activation drawn: a choice of both words.
python3 - "$REGNET_SOURCE_DIR/configs/spaces/RegNetX.json" "$tmp/RegNetX-act.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s["name"] = "RegNetX-act"
s["parameters"]["activation"] = {"dist": "choice", "values": ["relu", "silu"]}
json.dump(s, open(sys.argv[2], "w"), indent=1)
PY
"$REGNET_EXPLORE" spaces "$tmp/RegNetX-act.json" > "$tmp/spaces.txt"
grep -q "activation .*choice {relu, silu}" "$tmp/spaces.txt" || fail "spaces: $(cat "$tmp/spaces.txt")"
"$REGNET_EXPLORE" sample --space "$tmp/RegNetX-act.json" -n 8 --preset fashion-mnist --flops 1M:12M --seed 5 \
  --out "$tmp/act" > /dev/null
python3 - "$tmp/act" <<'PY'
import glob, json, sys
acts = [json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + "/samples/*.json"))]
words = [r["draw"]["activation"] for r in acts]
assert all(r["spec"].get("activation", "relu") == w for r, w in zip(acts, words)), words
assert set(words) == {"relu", "silu"}, words  # seed 5 draws both
sweep = json.load(open(sys.argv[1] + "/sweep.json"))
assert sweep["space"]["parameters"]["activation"] == {"dist": "choice", "scope": "shared", "values": ["relu", "silu"]}
PY
id=$(python3 -c 'import glob,json,sys; print([json.load(open(f))["id"] for f in sorted(glob.glob(sys.argv[1]+"/samples/*.json")) if json.load(open(f))["spec"].get("activation")=="silu"][0])' "$tmp/act")
"$REGNET_EXPLORE" describe "$tmp/act" --id "$id" > "$tmp/d.txt"
grep -q "activation silu" "$tmp/d.txt" || fail "describe: $(cat "$tmp/d.txt")"
"$REGNET_EXPLORE" describe "$tmp/act" --id "$id" --json | grep -q '"activation": "silu"' || fail "describe --json"
echo "ok: a space drawing relu or silu samples both; describe shows the activation"

"$REGNET_EXPLORE" train "$tmp/act" --schedule smoke --threads 1 --quiet > /dev/null
"$REGNET_EXPLORE" analyze "$tmp/act" --out "$tmp/report" --bootstrap 100 > "$tmp/analyze.txt"
python3 - "$tmp/report" <<'PY'
import csv, json, sys
s = json.load(open(sys.argv[1] + "/summary.json"))
text = json.dumps(s)
assert '"act"' in text, "activation is not among the analyzed parameters"
rows = list(csv.DictReader(open(sys.argv[1] + "/models.csv")))
assert {r["act"] for r in rows} == {"0", "1"}, {r.get("act") for r in rows}
PY
ls "$tmp/report/figures" | grep -q "act" || fail "no activation figure: $(ls "$tmp/report/figures")"
echo "ok: trained, and analyze relates the activation to error (figure, summary.json, models.csv)"

# --activation fixes it: every sample silu, recorded as a network override.
"$REGNET_EXPLORE" sample --space RegNetY -n 3 --preset fashion-mnist --flops 1M:12M --activation silu --seed 1 \
  --out "$tmp/silu" > /dev/null
python3 - "$tmp/silu" <<'PY'
import glob, json, sys
for f in glob.glob(sys.argv[1] + "/samples/*.json"):
    assert json.load(open(f))["spec"]["activation"] == "silu", f
sweep = json.load(open(sys.argv[1] + "/sweep.json"))
assert sweep["request"]["network_overrides"]["activation"] == "silu", sweep["request"]
PY
"$REGNET_EXPLORE" describe RegNetX-200MF --activation silu --json | grep -q '"activation": "silu"' || fail "zoo --activation"
if "$REGNET_EXPLORE" describe RegNetX-200MF --activation gelu 2> "$tmp/err"; then fail "gelu accepted"; fi
grep -q "^regnet-explore: error: --activation: 'gelu' is not one of relu, silu$" "$tmp/err" || fail "$(cat "$tmp/err")"
echo "activation: ok"
