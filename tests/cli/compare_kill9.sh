#!/usr/bin/env bash
# A real tiny `compare --until decided` on Fashion-MNIST (smoke schedule, tiny models, --threads 1):
# kill -9 the whole process tree mid-run, resume with the same command, and check that no model was
# trained twice (one finishing event per sample in SWEEP/log/events.jsonl), that each sweep's trained
# models are a prefix of its samples, and that compare.json's looks and decision are what
# `stats sequential` computes from the same errors in id order.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
require_fashion_mnist  # the models train on it
W=$(mktemp -d /tmp/regnet-compare.XXXXXX)
P=""
cleanup() {
  set +e
  [[ -z $P ]] || kill_tree "$P" >/dev/null
  rm -rf "$W"
}
trap cleanup EXIT

for space in AnyNetXA RegNetX; do
  "$REGNET_EXPLORE" sample --space "$space" -n 8 --preset fashion-mnist --flops :2M --seed 3 --out "$W/$space" >/dev/null
done
args=("$W/AnyNetXA" "$W/RegNetX" --until decided --looks 4,8 --alpha 0.05 --schedule smoke --jobs 2 --threads 1
      --out "$W/cmp")

"$REGNET_EXPLORE" compare "${args[@]}" --quiet >"$W/first.txt" &
P=$!
# Wait until a model is trained but the comparison is far from over.
for _ in $(seq 1 3000); do
  compgen -G "$W/*/results/*.json" >/dev/null && break
  sleep 0.02
done
killed=$(kill_tree "$P")
wait "$P" 2>/dev/null || true
P=""
sleep 0.2
before=$(cat "$W"/*/results/*.json 2>/dev/null | grep -c '"id"' || true)
echo "compare_kill9: killed $killed descendant(s) with $before result(s) written"
((before < 16)) || { echo "FAIL: the kill came too late: everything was trained"; exit 1; }
[[ -f $W/cmp/compare.json ]] || { echo "FAIL: no compare.json before the first batch"; exit 1; }

"$REGNET_EXPLORE" compare "${args[@]}" >"$W/second.txt"
cat "$W/second.txt"
"$REGNET_EXPLORE" compare "${args[@]}" --json --no-train >"$W/third.json"

python3 - "$W" "$REGNET_EXPLORE" <<'EOF'
import collections, json, math, os, subprocess, sys
w, tool = sys.argv[1], sys.argv[2]
cmp = json.load(open(os.path.join(w, "cmp", "compare.json")))
errors = {}
for name in ("AnyNetXA", "RegNetX"):
    sweep = os.path.join(w, name)
    ids = sorted(int(f[:6]) for f in os.listdir(os.path.join(sweep, "results")))
    assert ids == list(range(len(ids))), (name, "trained ids are not a prefix", ids)
    events = [json.loads(l) for l in open(os.path.join(sweep, "log", "events.jsonl"))]
    finished = collections.Counter(e["id"] for e in events if e["event"] in ("done", "diverged", "failed"))
    assert all(finished[i] == 1 for i in ids) and set(finished) == set(ids), (name, "trained twice or lost", finished)
    res = [json.load(open(os.path.join(sweep, "results", "%06d.json" % i))) for i in ids]
    assert all(r["status"] == "done" for r in res), [r["message"] for r in res]
    errors[name] = [r["best_top1_err"] for r in res]
    entry = next(s for s in cmp["sweeps"] if s["name"] == name)
    assert entry["trained"] == len(ids) and entry["path"] == "../" + name, entry
status = cmp["status"]
assert status in ("decided", "undecided"), status
n = {"decided": None, "undecided": 8}[status]
a, b = errors["AnyNetXA"], errors["RegNetX"]
if status == "undecided":
    assert len(a) == len(b) == 8, (len(a), len(b))
ref = json.loads(subprocess.run([tool, "stats", "sequential", "--a", ",".join(map(repr, a)), "--b",
                                 ",".join(map(repr, b)), "--looks", "4,8", "--alpha", "0.05", "--json"],
                                check=True, capture_output=True, text=True).stdout)
assert ref["status"] == status, (ref["status"], status)
pair = cmp["pairs"][0]
assert pair["decided_at"] == ref["decided_at"], (pair, ref["decided_at"])
assert len(cmp["looks"]) == len(ref["looks"]), (cmp["looks"], ref["looks"])
for ours, theirs in zip(cmp["looks"], ref["looks"]):
    p = ours["pairs"][0]
    for k in ("n_a", "n_b", "d", "boundary", "reject"):
        assert p[k] == theirs[k], (k, p[k], theirs[k])
if status == "decided":  # it stopped at the deciding look: nothing beyond it was trained
    look = cmp["looks"][-1]["n"]
    assert len(a) == len(b) == look, (len(a), len(b), look)
assert json.load(open(os.path.join(w, "third.json")))["decision"] == cmp["decision"]
print("compare_kill9:", status, "-", cmp["decision"][0])
EOF
grep -q "^AnyNetXA vs RegNetX: " "$W/second.txt" || { echo "FAIL: no decision line"; exit 1; }
echo "PASS"
