#!/usr/bin/env bash
# `launch --slurm` on a private two-node SLURM cluster, and one node dying mid-job. Each slurmd runs
# in its own UTS namespace (host names n1 and n2, own ports, on 127.0.0.1), so a task on n2 sees the
# claims of n1's tasks as another machine's: they are stale only once their heartbeat stops for
# --claim-timeout. A job array with one task per node trains a 3-sample sweep; while n1 trains a
# model (checkpoint written), every process of node n1 (slurmd, slurmstepd, the task) is frozen
# and killed with SIGKILL. n2 must take the stale claim over and resume the model, every sample
# must get a result, and none may be trained to completion twice (one `done` event per sample);
# the takeover must come --claim-timeout (8 s) after the claim's last heartbeat (its mtime), not before.
# Prints what happened: the kill, the takeover, the events, the array tasks.
set -euo pipefail
source "$(dirname "$0")/slurm_cluster.bash" unshare

# Every process in the UTS namespace of `pid`: one node's slurmd, slurmstepd and tasks.
node_processes() {
  local ns p
  ns=$(readlink "/proc/$1/ns/uts" 2>/dev/null) || return 0
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/ns/uts" 2>/dev/null) == "$ns" ]] && echo "${p#/proc/}"
  done
  return 0
}

# Ports from this test's pid (apart from slurm_launch.sh's), so parallel clusters do not collide.
PORT=$((28000 + ($$ % 4000) * 3))
# One CPU per node: the two tasks of the array land on different nodes.
{
  slurm_conf regnettwo "$PORT"
  cat <<EOF
SlurmdSpoolDir=$D/spool/%n
SlurmdPidFile=$D/run/slurmd-%n.pid
SlurmdLogFile=$D/log/slurmd-%n.log
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
SlurmdTimeout=5
NodeName=n1 NodeAddr=127.0.0.1 Port=$((PORT + 1)) CPUs=1 RealMemory=1000
NodeName=n2 NodeAddr=127.0.0.1 Port=$((PORT + 2)) CPUs=1 RealMemory=1000
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
} >"$D/slurm.conf"
export SLURM_CONF=$D/slurm.conf
slurmctld -f "$SLURM_CONF" >/dev/null 2>&1 || skip "slurmctld did not start"
for n in n1 n2; do
  # slurmd finds its NodeName from the host name of its namespace; its tasks inherit that name.
  unshare --uts sh -c "hostname $n && exec slurmd -f '$SLURM_CONF'" >/dev/null 2>&1 || skip "slurmd $n did not start"
done
wait_for_nodes "n1 idle n2 idle"
N1_SLURMD=$(cat "$D/run/slurmd-n1.pid")

W=$D/w
mkdir -p "$W"
"$REGNET_EXPLORE" sample --space RegNetX -n 3 --preset fashion-mnist --flops :2M --seed 21 --out "$W/sweep" >/dev/null
cat >"$W/two.json" <<'EOF'
{"name": "slurm-two-nodes", "epochs": 4, "batch_size": 64, "base_lr": 0.1, "train_limit": 1024, "test_limit": 128,
 "test_batch_size": 128, "seed": 1}
EOF
# A claim is stale 8 s after its last heartbeat (every 2 s): before SLURM requeues the dead node's
# task (SlurmdTimeout 5 s, then cred_expire + 1 s), which with --no-wait would leave a live-looking
# claim alone and end.
# Every training step pauses 0.05 s (a failpoint; sbatch passes the environment on): a floor on a
# model's time, so that on an idle machine n1 is still inside a model when the test looks.
export REGNET_FAILPOINT=train-step:pause=0.05
JOB=$("$REGNET_EXPLORE" launch "$W/sweep" --slurm --tasks 2 --schedule "$W/two.json" --claim-timeout 8 \
  --heartbeat 2 --quiet)
echo "slurm_two_nodes: job $JOB on nodes n1 and n2"

claims_of() {  # "ID HOST" per claim file
  python3 - "$W/sweep" <<'EOF'
import json, os, sys
d = os.path.join(sys.argv[1], "claims")
for f in sorted(os.listdir(d)):
    if not f.endswith(".json") or len(f) != 11:
        continue
    try:
        c = json.load(open(os.path.join(d, f)))
        print(c["id"], c["host"])
    except (OSError, ValueError, KeyError):
        pass
EOF
}
signal_node() {  # signal every process of node n1; prints how many
  local sig=$1 pids
  pids=$(node_processes "$N1_SLURMD")
  # shellcheck disable=SC2086
  [[ -z $pids ]] || kill "-$sig" $pids 2>/dev/null || true
  wc -w <<<"$pids"
}
# Freeze n1 while it trains a model past its first epoch (checkpoint, no result): then it dies.
victim=""
for _ in $(seq 1 3000); do
  claims=$(claims_of)
  if grep -q ' n2$' <<<"$claims" && grep -q ' n1$' <<<"$claims"; then
    signal_node STOP >/dev/null
    for id in $(claims_of | awk '$2 == "n1" {print $1}'); do
      f=$(printf '%06d' "$id")
      if [[ -e $W/sweep/checkpoints/$f.pt && ! -e $W/sweep/results/$f.json ]]; then
        # The claim's last heartbeat (its mtime), read while n1 is frozen: under ctest -j2 the kill below
        # can take seconds, and a claim read after it may already be n2's.
        last_beat=$(stat -c %.9Y "$W/sweep/claims/$f.json")
        victim=$id
        break 2
      fi
    done
    signal_node CONT >/dev/null
  fi
  [[ $(find "$W/sweep/results" -name '*.json' | wc -l) -lt 3 ]] || break  # finished before we caught n1
  sleep 0.1
done
[[ -n $victim ]] || { echo "FAIL: never saw n1 train past an epoch while n2 trained"; claims_of;
                      cat "$W"/sweep/slurm/*.out; exit 1; }
killed=0
while n=$(signal_node KILL) && ((n > 0)); do  # until none is left
  killed=$((killed + n))
  sleep 0.2
done
killed_at=$(date +%s.%N)
# n2 may take the dead claim over only --claim-timeout after its last heartbeat (last_beat).
echo "slurm_two_nodes: killed node n1 ($killed processes: slurmd, slurmstepd, its task) while it trained sample $victim"

# n2 finishes the sweep: its own samples, and n1's once the claim's heartbeat is 8 s old.
for _ in $(seq 1 3000); do
  [[ $(find "$W/sweep/results" -name '*.json' | wc -l) -eq 3 ]] && break
  sleep 0.1
done
[[ $(find "$W/sweep/results" -name '*.json' | wc -l) -eq 3 ]] ||
  { echo "FAIL: results missing"; ls "$W/sweep/results"; claims_of; cat "$W"/sweep/slurm/*.out; exit 1; }
# The dead node's task is requeued (node failure) and finds nothing left: the job ends.
for _ in $(seq 1 1200); do
  [[ -z $(squeue -h -j "$JOB" 2>/dev/null) ]] && break
  sleep 0.1
done
[[ -z $(squeue -h -j "$JOB") ]] || { echo "FAIL: job $JOB did not finish"; squeue -j "$JOB"; sinfo -N; exit 1; }

python3 - "$W/sweep" "$victim" "$killed_at" "$last_beat" <<'EOF'
import atexit, collections, json, os, sys
sweep, victim, killed_at, last_beat = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
events = [json.loads(l) for l in open(os.path.join(sweep, "log", "events.jsonl"))]
def show():
    for e in events:
        print("  %6.1f s  %-22s %-8s sample %d %s" % (e["time"] - killed_at, e["worker"], e["event"], e["id"], e["detail"][:60]))
atexit.register(show)
done = collections.Counter(e["id"] for e in events if e["event"] == "done")
assert done == {0: 1, 1: 1, 2: 1}, ("done events per sample", done)
for f in sorted(os.listdir(os.path.join(sweep, "results"))):
    r = json.load(open(os.path.join(sweep, "results", f)))
    assert r["status"] == "done", (f, r["status"], r["message"])
    w = r["provenance"]["worker"]
    assert w["host"] in ("n1", "n2"), w
    if r["id"] == victim:
        assert w["host"] == "n2" and w["resumed"] is True, ("the victim's result", w)
        assert r["provenance"]["resumed_from_epoch"] >= 1, r["provenance"]["resumed_from_epoch"]
mine = [e for e in events if e["id"] == victim]
steps = [(e["host"], e["event"]) for e in mine]
assert steps[0] == ("n1", "started") and steps[-2:] == [("n2", "resumed"), ("n2", "done")], steps
takeover = next(e for e in mine if e["host"] == "n2")
assert takeover["event"] == "took_over", takeover
# By heartbeat timeout (another host: no pid check), not earlier.
assert takeover["time"] - last_beat >= 8, ("taken over before the claim timed out", takeover["time"] - last_beat)
assert not [f for f in os.listdir(os.path.join(sweep, "claims")) if f.endswith(".json")], "claims left behind"
r = json.load(open(os.path.join(sweep, "results", "%06d.json" % victim)))
slurm = r["provenance"]["worker"]["slurm"]
print("slurm_two_nodes: n2 took sample %d over %.1f s after n1 died, %.1f s after its last heartbeat (array task %s, "
      "restart %s), resumed from epoch %d"
      % (victim, takeover["time"] - killed_at, takeover["time"] - last_beat, slurm.get("SLURM_ARRAY_TASK_ID"),
         slurm.get("SLURM_RESTART_COUNT", "0"), r["provenance"]["resumed_from_epoch"]))
print("slurm_two_nodes: events (seconds after the kill):")
EOF
scontrol -o show job "$JOB" | python3 -c '
import re, sys
for line in sys.stdin:
    f = dict(re.findall(r"(\w+)=(\S*)", line))
    print("  array task %s: %s on %s, restarts %s" % (f["ArrayTaskId"], f["JobState"], f["NodeList"], f["Restarts"]))'
echo "PASS"
