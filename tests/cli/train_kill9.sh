#!/usr/bin/env bash
# Crash recovery: kill -9 a `train --jobs 2` run (workers first, then the parent) while a model is
# mid-training; the next run takes over the dead workers' claims, resumes from the checkpoints,
# and leaves every sample with exactly one result, none trained twice.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
require_fashion_mnist  # the models train on it
W=$(mktemp -d /tmp/regnet-kill9.XXXXXX)
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

"$REGNET_EXPLORE" sample --space RegNetX -n 4 --preset fashion-mnist --flops :2M --seed 21 --out "$W/sweep" >/dev/null
cat >"$W/tiny.json" <<'EOF'
{"name": "kill9-test", "epochs": 2, "batch_size": 64, "base_lr": 0.1, "train_limit": 512, "test_limit": 256,
 "test_batch_size": 256, "seed": 1}
EOF

"$REGNET_EXPLORE" train "$W/sweep" --schedule "$W/tiny.json" --jobs 2 --threads 1 --quiet &
P=$!
# Wait until some model has finished epoch 1 (its checkpoint exists) but not the whole sweep.
for _ in $(seq 1 3000); do
  compgen -G "$W/sweep/checkpoints/*.pt" >/dev/null && break
  sleep 0.02
done
kids=$(ps -o pid= --ppid "$P" || true)
# shellcheck disable=SC2086
kill -9 $kids "$P" 2>/dev/null || true
wait "$P" 2>/dev/null || true
P=""
sleep 0.2  # let the orphans' deaths settle

mapfile -t ckpts < <(cd "$W/sweep/checkpoints" && ls ./*.pt 2>/dev/null | sed 's|^\./||; s|\.pt$||' || true)
mapfile -t claims < <(cd "$W/sweep/claims" && ls ./*.json 2>/dev/null || true)
before=$(ls "$W/sweep/results" | wc -l)
echo "train_kill9: killed with ${before} result(s), ${#ckpts[@]} checkpoint(s), ${#claims[@]} claim(s) left"
((${#ckpts[@]} > 0)) || { echo "FAIL: the kill came too late: no checkpoint to resume"; exit 1; }
((before < 4)) || { echo "FAIL: the kill came too late: all done"; exit 1; }
lines_before=$(wc -l <"$W/sweep/log/events.jsonl")

"$REGNET_EXPLORE" train "$W/sweep" --schedule "$W/tiny.json" --jobs 2 --threads 1 --json >"$W/second.json"

python3 - "$W/sweep" "$lines_before" "${ckpts[@]}" <<'EOF'
import json, os, sys, collections
sweep, lines_before, ckpts = sys.argv[1], int(sys.argv[2]), [int(c) for c in sys.argv[3:]]
results = sorted(os.listdir(os.path.join(sweep, "results")))
assert results == ["%06d.json" % i for i in range(4)], results
events = [json.loads(l) for l in open(os.path.join(sweep, "log", "events.jsonl"))]
first, second = events[:lines_before], events[lines_before:]
finished = collections.Counter(e["id"] for e in events if e["event"] in ("done", "diverged", "failed"))
assert all(finished[i] == 1 for i in range(4)), ("a sample finished twice or never", finished)
done_first = {e["id"] for e in first if e["event"] in ("done", "diverged", "failed")}
# Nothing finished before the kill was touched again.
assert not [e for e in second if e["id"] in done_first], second
for i in range(4):
    r = json.load(open(os.path.join(sweep, "results", "%06d.json" % i)))
    assert r["status"] == "done", (i, r["status"], r["message"])
    starts = [e for e in events if e["id"] == i and e["event"] in ("started", "resumed")]
    assert len(starts) <= 2, (i, starts)
    if i in ckpts:  # killed after epoch 1: resumed from its checkpoint, not restarted
        assert r["provenance"]["worker"]["resumed"] is True, (i, r["provenance"]["worker"])
        assert r["provenance"]["resumed_from_epoch"] == 1, (i, r["provenance"]["resumed_from_epoch"])
        assert [e["event"] for e in starts] == ["started", "resumed"], (i, starts)
assert os.listdir(os.path.join(sweep, "claims")) == [], os.listdir(os.path.join(sweep, "claims"))
assert os.listdir(os.path.join(sweep, "checkpoints")) == [], os.listdir(os.path.join(sweep, "checkpoints"))
print("train_kill9: resumed", ckpts, "; every sample has one result")
EOF
echo "PASS"
