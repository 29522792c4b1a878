#!/usr/bin/env bash
# A real tiny `refine --confirm` on Fashion-MNIST (smoke schedule, tiny models, --threads 1): the
# exploration sweep trained by `train`, two proposals confirmed; kill -9 the whole process tree once
# the first fresh model is trained, resume with the same command, and check that no model was trained
# twice (one finishing event per sample in each sweep's log/events.jsonl), that each fresh sweep's
# trained models are a prefix of its samples, that refine.json records a decision per candidate
# matching its compare.json, and that the refined space samples as an ordinary space file.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
require_fashion_mnist  # the models train on it
W=$(mktemp -d /tmp/regnet-refine.XXXXXX)
P=""
cleanup() {
  set +e
  [[ -z $P ]] || kill_tree "$P" >/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

"$REGNET_EXPLORE" sample --space AnyNetXA -n 8 --preset fashion-mnist --flops :2M --seed 3 --out "$W/xa" >/dev/null
"$REGNET_EXPLORE" train "$W/xa" --schedule smoke --jobs 2 --threads 1 --quiet
args=("$W/xa" --proposals tie-bottleneck_ratio,tie-group_width --max-n 6 --looks 3,6 --margin 20 --draws 200
      --schedule smoke --jobs 2 --threads 1 --out "$W/ref")

"$REGNET_EXPLORE" refine "${args[@]}" --quiet >"$W/first.txt" &
P=$!
for _ in $(seq 1 6000); do
  compgen -G "$W/ref/step-1/*/results/*.json" >/dev/null && break
  sleep 0.02
done
killed=$(kill_tree "$P")
wait "$P" 2>/dev/null || true
P=""
sleep 0.2
before=$(cat "$W"/ref/step-1/*/results/*.json 2>/dev/null | grep -c '"id"' || true)
echo "refine_confirm_kill9: killed $killed descendant(s) with $before fresh result(s) written"
((before < 18)) || { echo "FAIL: the kill came too late: everything was trained"; exit 1; }

"$REGNET_EXPLORE" refine "${args[@]}" >"$W/second.txt"
cat "$W/second.txt"
"$REGNET_EXPLORE" refine "${args[@]}" --json --no-train >"$W/third.json"

python3 - "$W" <<'PY'
import collections, json, os, sys
w = sys.argv[1]
ref = json.load(open(os.path.join(w, "ref", "refine.json")))
assert ref["status"] == "done", ref["status"]
step = ref["steps"][0]
assert [c["id"] for c in step["candidates"]] == ["tie-bottleneck_ratio", "tie-group_width"], step["candidates"]
trained = 0
for sweep in [step["parent_sweep"]] + [c["sweep"] for c in step["candidates"]]:
    d = os.path.join(w, "ref", sweep)
    ids = sorted(int(f[:6]) for f in os.listdir(os.path.join(d, "results")))
    assert ids == list(range(len(ids))), (sweep, "trained ids are not a prefix", ids)
    events = [json.loads(l) for l in open(os.path.join(d, "log", "events.jsonl"))]
    finished = collections.Counter(e["id"] for e in events if e["event"] in ("done", "diverged", "failed"))
    assert all(finished[i] == 1 for i in ids) and set(finished) == set(ids), (sweep, "trained twice or lost", finished)
    trained += len(ids)
assert ref["trainings"] == trained == step["trainings"], (ref["trainings"], trained)
for c in step["candidates"]:
    cmp = json.load(open(os.path.join(w, "ref", c["compare"], "compare.json")))
    pair = cmp["pairs"][0]
    status = {"equivalent": "equivalent", "undecided": "undecided"}.get(pair["status"], pair["status"])
    want = {"different": ("better", "worse")}.get(status, (status,))
    assert c["adoption"] in want, (c["adoption"], pair["status"])
    assert c["verdict"] == cmp["decision"][0], (c["verdict"], cmp["decision"])
    assert c["adopted"] == (c["adoption"] in ("better", "equivalent"))
assert step["adopted"] == [c["id"] for c in step["candidates"] if c["adopted"]]
assert json.load(open(os.path.join(w, "third.json")))["trainings"] == trained
print("refine_confirm_kill9:", [(c["id"], c["adoption"]) for c in step["candidates"]], trained, "trainings")
PY
space=$W/ref/step-1/refined-space.json
[[ -f $space ]] || { echo "FAIL: no refined space"; exit 1; }
"$REGNET_EXPLORE" sample --space "$space" -n 4 --flops :2M --preset fashion-mnist --out "$W/again" >/dev/null
grep -q "^refine: done: 1 step, " "$W/second.txt" || { echo "FAIL: no closing line"; exit 1; }

# The report of the path: analyze REFINE_DIR stands for the sweeps it trained, with a refine section.
"$REGNET_EXPLORE" analyze "$W/ref" --out "$W/report" --bootstrap 200 --normalize none --quiet >/dev/null
python3 - "$W" <<'PY'
import json, os, sys
w = sys.argv[1]
s = json.load(open(os.path.join(w, "report", "summary.json")))
names = [x["name"] for x in s["sweeps"]]
assert len(names) == 3, names
r = s["refinements"][0]["refine"]
assert r["status"] == "done" and len(r["steps"]) == 1, r["status"]
html = open(os.path.join(w, "report", "index.html")).read()
for needle in ('id="refine"', "tie-bottleneck_ratio", "interval (equivalence)", "the paper&#39;s"):
    assert needle in html or needle.replace("&#39;", "'") in html, needle
assert os.path.exists(os.path.join(w, "report", "figures", "refine_1_1.csv")), os.listdir(os.path.join(w, "report", "figures"))
print("refine_confirm_kill9: report with", names)
PY
echo "PASS"
