#!/usr/bin/env bash
# Two `train` processes started at once on one sweep share it through claims: every sample is
# trained exactly once, and both return only when the sweep is done.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
require_fashion_mnist  # the models train on it
W=$(mktemp -d /tmp/regnet-concurrent.XXXXXX)
PIDS=()
cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$W"
}
trap cleanup EXIT

"$REGNET_EXPLORE" sample --space RegNetX -n 6 --preset fashion-mnist --flops :2M --seed 31 --out "$W/sweep" >/dev/null
cat >"$W/tiny.json" <<'EOF'
{"name": "concurrent-test", "epochs": 1, "batch_size": 64, "base_lr": 0.1, "train_limit": 256, "test_limit": 128,
 "test_batch_size": 128, "seed": 1}
EOF

"$REGNET_EXPLORE" train "$W/sweep" --schedule "$W/tiny.json" --threads 1 --json >"$W/a.json" 2>"$W/a.err" &
PIDS+=($!)
"$REGNET_EXPLORE" train "$W/sweep" --schedule "$W/tiny.json" --threads 1 --json >"$W/b.json" 2>"$W/b.err" &
PIDS+=($!)
rc=0
for p in "${PIDS[@]}"; do wait "$p" || rc=$?; done
PIDS=()
((rc == 0)) || { echo "FAIL: a train process exited $rc"; cat "$W/a.err" "$W/b.err"; exit 1; }

python3 - "$W" <<'EOF'
import json, os, sys, collections
w = sys.argv[1]
sweep = os.path.join(w, "sweep")
results = sorted(os.listdir(os.path.join(sweep, "results")))
assert results == ["%06d.json" % i for i in range(6)], results
events = [json.loads(l) for l in open(os.path.join(sweep, "log", "events.jsonl"))]
started = collections.Counter(e["id"] for e in events if e["event"] in ("started", "resumed"))
finished = collections.Counter(e["id"] for e in events if e["event"] in ("done", "diverged", "failed"))
assert started == {i: 1 for i in range(6)}, ("a sample was started twice", started)
assert finished == {i: 1 for i in range(6)}, finished
a, b = (json.load(open(os.path.join(w, f))) for f in ("a.json", "b.json"))
assert a["trained"] + b["trained"] == 6, (a["trained"], b["trained"])
assert a["sweep_done"] == 6 and b["sweep_done"] == 6, (a, b)
runs = collections.Counter(json.load(open(os.path.join(sweep, "results", f)))["provenance"]["worker"]["run"]
                           for f in results)
assert not os.listdir(os.path.join(sweep, "claims"))
print("train_concurrent: models per process:", sorted(runs.values()))
EOF
echo "PASS"
