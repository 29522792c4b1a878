#!/usr/bin/env bash
# Stopping cleanly: SIGTERM mid-model exits 75 (SLURM requeues on it), SIGINT to a --jobs 2 run
# exits 130 after its workers stop; neither writes a result for an unfinished model, both keep
# the checkpoint and release the claims, and the next run resumes from the checkpoint.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
require_fashion_mnist  # the models train on it
W=$(mktemp -d /tmp/regnet-signals.XXXXXX)
P=""
cleanup() {
  set +e
  if [[ -n $P ]]; then
    for c in $(ps -o pid= --ppid "$P" 2>/dev/null); do kill -9 "$c"; done
    kill -9 "$P" 2>/dev/null
  fi
  rm -rf "$W"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
S=$W/sweep
"$REGNET_EXPLORE" sample --space RegNetX -n 2 --preset fashion-mnist --flops :2M --seed 41 --out "$S" >/dev/null
cat >"$W/three.json" <<'EOF'
{"name": "signals-test", "epochs": 3, "batch_size": 64, "base_lr": 0.1, "train_limit": 512, "test_limit": 128,
 "test_batch_size": 128, "seed": 1}
EOF
events() { grep -c "\"event\":\"$1\"" "$S/log/events.jsonl" || true; }

# 1. SIGTERM after the first epoch's checkpoint: exit 75, no result, checkpoint kept, claim released.
"$REGNET_EXPLORE" train "$S" --schedule "$W/three.json" --threads 1 --quiet &
P=$!
for _ in $(seq 1 3000); do
  [[ -e $S/checkpoints/000000.pt ]] && break
  sleep 0.02
done
[[ -e $S/checkpoints/000000.pt ]] || fail "no checkpoint appeared"
kill -TERM "$P"
rc=0
wait "$P" || rc=$?
P=""
((rc == 75)) || fail "SIGTERM: exit code $rc, expected 75"
[[ ! -e $S/results/000000.json ]] || fail "SIGTERM: a result was written for the interrupted model"
[[ -e $S/checkpoints/000000.pt ]] || fail "SIGTERM: the checkpoint was removed"
[[ -z $(ls "$S/claims") ]] || fail "SIGTERM: claims left: $(ls "$S/claims")"
[[ $(events interrupted) == 1 ]] || fail "SIGTERM: expected one interrupted event"

# 2. SIGINT to the parent of a --jobs 2 run once both workers have a model: exit 130.
starts=$(($(events started) + $(events resumed)))
"$REGNET_EXPLORE" train "$S" --schedule "$W/three.json" --jobs 2 --threads 1 --quiet &
P=$!
for _ in $(seq 1 3000); do
  (($(events started) + $(events resumed) >= starts + 2)) && break
  sleep 0.02
done
kids=$(ps -o pid= --ppid "$P" || true)
[[ -n $kids ]] || fail "SIGINT: no worker processes"
kill -INT "$P"
rc=0
wait "$P" || rc=$?
P=""
((rc == 130)) || fail "SIGINT: exit code $rc, expected 130"
[[ -z $(ls "$S/claims") ]] || fail "SIGINT: claims left: $(ls "$S/claims")"
for k in $kids; do ! kill -0 "$k" 2>/dev/null || fail "SIGINT: worker $k outlived the run"; done

# 3. The next run finishes the sweep, resuming model 0 from a checkpoint.
"$REGNET_EXPLORE" train "$S" --schedule "$W/three.json" --threads 1 --quiet --json >"$W/last.json"
python3 - "$S" <<'EOF'
import json, os, sys, collections
sweep = sys.argv[1]
assert sorted(os.listdir(os.path.join(sweep, "results"))) == ["000000.json", "000001.json"]
events = [json.loads(l) for l in open(os.path.join(sweep, "log", "events.jsonl"))]
finished = collections.Counter(e["id"] for e in events if e["event"] in ("done", "diverged", "failed"))
assert finished == {0: 1, 1: 1}, finished
r0 = json.load(open(os.path.join(sweep, "results", "000000.json")))
assert r0["status"] == "done", r0["message"]
assert r0["provenance"]["worker"]["resumed"] is True and r0["provenance"]["resumed_from_epoch"] >= 1, r0["provenance"]
assert [h["epoch"] for h in r0["history"]] == [1, 2, 3], r0["history"]
assert not os.listdir(os.path.join(sweep, "checkpoints"))
print("train_signals: model 0 resumed from epoch", r0["provenance"]["resumed_from_epoch"])
EOF
echo "PASS"
