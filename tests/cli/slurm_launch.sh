#!/usr/bin/env bash
# `launch --slurm` on a private one-node SLURM cluster (docs/workers.md): a job array of
# 3 tasks drains a 4-sample sweep; every sample gets exactly one result, trained once, by a task of
# that job; a preempted task is requeued and resumes; `compare --slurm` trains each look's batch as job
# arrays, and so does `refine --confirm --slurm`. Everything lives under a directory whose name has a space, a quote, '%' and '#' (the
# batch script is data: each task's log lands in SWEEP/slurm/), and one sweep's path has a line
# break and a backslash, which no #SBATCH line can name (the tasks open their logs themselves). Where SLURM cannot run here (not installed, not root, daemons do not come up) the test
# prints "SKIP: ..." and exits 77 (ctest: Skipped).
set -euo pipefail
: "${REGNET_SOURCE_DIR:?set REGNET_SOURCE_DIR to the repository root}"
source "$(dirname "$0")/slurm_cluster.bash"

# Non-default ports derived from this test's pid, so parallel clusters do not collide.
PORT=$((20000 + ($$ % 4000) * 2))
read -r CPUS SOCKETS CORES THREADS MEM < <(slurmd -C | python3 -c '
import sys, re
t = sys.stdin.read()
g = lambda k: re.search(k + r"=(\d+)", t).group(1)
print(g("CPUs"), g("SocketsPerBoard"), g("CoresPerSocket"), g("ThreadsPerCore"), int(int(g("RealMemory")) * 0.95))')
{
  slurm_conf regnettest "$PORT"
  cat <<EOF
SlurmdPort=$((PORT + 1))
SlurmdSpoolDir=$D/spool
SlurmdPidFile=$D/run/slurmd.pid
SlurmdLogFile=$D/log/slurmd.log
SelectTypeParameters=CR_Core
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$CPUS SocketsPerBoard=$SOCKETS CoresPerSocket=$CORES ThreadsPerCore=$THREADS RealMemory=$MEM
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
} >"$D/slurm.conf"
export SLURM_CONF=$D/slurm.conf
slurmctld -f "$SLURM_CONF" >/dev/null 2>&1 || skip "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N localhost >/dev/null 2>&1 || skip "slurmd did not start"
wait_for_nodes "localhost idle"

# A tiny sweep and a tiny schedule, under a name sbatch's tokenizer and filename patterns would split.
W="$D/w a'b%c#d"
mkdir -p "$W"
"$REGNET_EXPLORE" sample --space RegNetX -n 4 --preset fashion-mnist --flops :2M --seed 11 --out "$W/sweep" >/dev/null
cat >"$W/tiny.json" <<'EOF'
{"name": "slurm-test", "epochs": 1, "batch_size": 64, "base_lr": 0.1, "train_limit": 256, "test_limit": 128,
 "test_batch_size": 128, "seed": 1}
EOF

# The script is what --dry-run shows; the real launch waits for the job.
"$REGNET_EXPLORE" launch "$W/sweep" --slurm --tasks 3 --schedule "$W/tiny.json" --dry-run >"$W/dry.sh"
grep -q -- '--array=0-2' "$W/dry.sh"
grep -q 'exec .*regnet-explore train' "$W/dry.sh"
[[ ! -d $W/sweep/slurm ]] || { echo "FAIL: --dry-run wrote $W/sweep/slurm"; exit 1; }

"$REGNET_EXPLORE" launch "$W/sweep" --slurm --tasks 3 --schedule "$W/tiny.json" --wait --json >"$W/launch.json" ||
  { echo "FAIL: launch --wait"; cat "$W/launch.json"; cat "$W"/sweep/slurm/*.out; tail -20 "$D/log/slurmctld.log"; exit 1; }
JOB=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$W/launch.json")

python3 - "$W/sweep" "$JOB" <<'EOF'
import json, os, sys, collections
sweep, job = sys.argv[1], sys.argv[2]
results = sorted(os.listdir(os.path.join(sweep, "results")))
assert results == ["%06d.json" % i for i in range(4)], results
tasks = set()
for f in results:
    r = json.load(open(os.path.join(sweep, "results", f)))
    assert r["status"] == "done", (f, r["status"], r["message"])
    slurm = r["provenance"]["worker"]["slurm"]
    assert slurm["SLURM_ARRAY_JOB_ID"] == job, (slurm, job)
    tasks.add(slurm["SLURM_ARRAY_TASK_ID"])
events = [json.loads(l) for l in open(os.path.join(sweep, "log", "events.jsonl"))]
started = collections.Counter(e["id"] for e in events if e["event"] in ("started", "resumed"))
finished = collections.Counter(e["id"] for e in events if e["event"] in ("done", "diverged", "failed"))
assert started == {i: 1 for i in range(4)}, started
assert finished == {i: 1 for i in range(4)}, finished
assert not [f for f in os.listdir(os.path.join(sweep, "claims"))], "claims left behind"
print("slurm_launch: job %s, %d task(s) trained 4 samples once each" % (job, len(tasks)))
EOF
# Each task logged to SWEEP/slurm/NAME-JOB_TASK.out, nowhere else.
for t in 0 1 2; do
  grep -q "^regnet-explore: task $t of job $JOB on " "$W/sweep/slurm/regnet-sweep-${JOB}_$t.out" ||
    { echo "FAIL: no log of task $t in $W/sweep/slurm"; ls -la "$W/sweep/slurm" "$D"; exit 1; }
done
[[ ! -e $D/w ]] || { echo "FAIL: a log named after the path's first word"; exit 1; }

# An option value is one sbatch word: a partition cannot smuggle in an --output.
N=$W/$'new\nline\\x'
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset fashion-mnist --flops :2M --seed 14 --out "$N/sweep" >/dev/null
rc=0
"$REGNET_EXPLORE" launch "$N/sweep" --slurm --partition "local --output=$W/injected" 2>"$W/inject.err" || rc=$?
[[ $rc == 2 && $(wc -l <"$W/inject.err") == 1 ]] && grep -q "invalid partition" "$W/inject.err" ||
  { echo "FAIL: --partition with a space: exit $rc"; cat "$W/inject.err"; exit 1; }
[[ ! -e $W/injected && ! -e $N/sweep/slurm ]] || { echo "FAIL: the refused job left files"; exit 1; }
# A path with a line break and a backslash: SLURM's output goes to /dev/null, the task logs itself.
"$REGNET_EXPLORE" launch "$N/sweep" --slurm --tasks 1 --schedule "$W/tiny.json" --wait --json >"$W/nl.json" ||
  { echo "FAIL: launch under a line break"; cat "$N"/sweep/slurm/*.out; exit 1; }
JOB=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$W/nl.json")
grep -q "^regnet-explore: task 0 of job $JOB on " "$N/sweep/slurm/regnet-sweep-${JOB}_0.out" ||
  { echo "FAIL: no log of the task under the line break"; ls -la "$N/sweep/slurm"; exit 1; }
[[ -e $N/sweep/results/000000.json ]] || { echo "FAIL: the sample under the line break was not trained"; exit 1; }
echo "slurm_launch: logs under \"w a'b%c#d\" and under a line break and a backslash where they belong"

# Launching again submits nothing: everything is done.
"$REGNET_EXPLORE" launch "$W/sweep" --slurm --tasks 3 2>&1 | grep -q "nothing to train"

# Preemption: SIGTERM to a task mid-model makes it exit 75; RequeueExit=75 requeues it and the
# retry resumes the model from its checkpoint.
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset fashion-mnist --flops :2M --seed 12 --out "$W/sweep2" >/dev/null
cat >"$W/three.json" <<'EOF'
{"name": "slurm-requeue", "epochs": 3, "batch_size": 64, "base_lr": 0.1, "train_limit": 512, "test_limit": 128,
 "test_batch_size": 128, "seed": 1}
EOF
JOB=$("$REGNET_EXPLORE" launch "$W/sweep2" --slurm --tasks 1 --schedule "$W/three.json" --quiet)
for _ in $(seq 1 1200); do
  [[ -e $W/sweep2/checkpoints/000000.pt || -e $W/sweep2/results/000000.json ]] && break
  sleep 0.05
done
[[ -e $W/sweep2/checkpoints/000000.pt && ! -e $W/sweep2/results/000000.json ]] ||
  { echo "FAIL: no checkpoint to preempt"; cat "$W"/sweep2/slurm/*.out; exit 1; }
scancel --batch --signal=TERM "$JOB"
for _ in $(seq 1 1200); do
  [[ -z $(squeue -h -j "$JOB" 2>/dev/null) ]] && break
  sleep 0.1
done
[[ -z $(squeue -h -j "$JOB") ]] || { echo "FAIL: job $JOB did not finish"; squeue -j "$JOB"; exit 1; }
python3 - "$W/sweep2" <<'EOF'
import json, os, sys
sweep = sys.argv[1]
r = json.load(open(os.path.join(sweep, "results", "000000.json")))
assert r["status"] == "done", r["message"]
w = r["provenance"]["worker"]
assert w["slurm"].get("SLURM_RESTART_COUNT") == "1", w
assert w["resumed"] is True and r["provenance"]["resumed_from_epoch"] >= 1, (w, r["provenance"]["resumed_from_epoch"])
events = [json.loads(l)["event"] for l in open(os.path.join(sweep, "log", "events.jsonl"))]
assert events == ["started", "interrupted", "resumed", "done"], events
print("slurm_launch: preempted task requeued and resumed from epoch", r["provenance"]["resumed_from_epoch"])
EOF

# compare --slurm: each look's batch is one job array per sweep; the compare waits and goes on.
for s in AnyNetXA RegNetX; do
  "$REGNET_EXPLORE" sample --space $s -n 4 --preset fashion-mnist --flops :2M --seed 13 --out "$W/c-$s" >/dev/null
done
"$REGNET_EXPLORE" compare "$W/c-AnyNetXA" "$W/c-RegNetX" --looks 2,4 --schedule "$W/tiny.json" --slurm --tasks 2 \
  --threads 1 --out "$W/cmp" --json >"$W/compare.json" || { echo "FAIL: compare --slurm"; cat "$W"/c-*/slurm/*.out; exit 1; }
python3 - "$W" <<'EOF'
import json, os, sys
w = sys.argv[1]
jobs = set()
for name in ("c-AnyNetXA", "c-RegNetX"):
    sweep = os.path.join(w, name)
    results = [json.load(open(os.path.join(sweep, "results", f))) for f in sorted(os.listdir(os.path.join(sweep, "results")))]
    assert [r["id"] for r in results] in ([0, 1], [0, 1, 2, 3]), [r["id"] for r in results]
    jobs |= {r["provenance"]["worker"]["slurm"]["SLURM_ARRAY_JOB_ID"] for r in results}
c = json.load(open(os.path.join(w, "compare.json")))
assert c["status"] in ("decided", "undecided") and len(jobs) == 2 * len(c["looks"]), (c["status"], jobs, c["looks"])
print("slurm_launch: compare --slurm,", len(c["looks"]), "look(s) in", len(jobs), "job arrays:", c["decision"][0])
EOF

# refine --confirm --slurm: the fresh sweeps' batches go to SLURM as compare's do.
"$REGNET_EXPLORE" refine "$W/c-AnyNetXA" --proposals tie-bottleneck_ratio --max-n 4 --looks 2,4 --margin 50 \
  --draws 200 --schedule "$W/tiny.json" --slurm --tasks 2 --threads 1 --out "$W/ref" --json >"$W/refine.json" \
  || { echo "FAIL: refine --slurm"; cat "$W"/ref/step-1/*/slurm/*.out; exit 1; }
python3 - "$W" <<'EOF'
import json, os, sys
w = sys.argv[1]
r = json.load(open(os.path.join(w, "refine.json")))
assert r["status"] == "done", r["status"]
step = r["steps"][0]
for sweep in (step["parent_sweep"], step["candidates"][0]["sweep"]):
    d = os.path.join(w, "ref", sweep, "results")
    results = [json.load(open(os.path.join(d, f))) for f in sorted(os.listdir(d))]
    assert results and all(x["provenance"]["worker"]["slurm"]["SLURM_ARRAY_JOB_ID"] for x in results), sweep
print("slurm_launch: refine --slurm:", step["candidates"][0]["verdict"])
EOF
echo "PASS"
