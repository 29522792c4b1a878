#!/usr/bin/env bash
# Chaos test of sweep training (docs/workers.md, "Chaos test"): several `train` commands (--jobs
# parents and plain workers) train one sweep while a seeded series of SIGKILLs hits parents and
# workers at random moments and inside the dangerous windows (checkpoint write, result write,
# claim release, takeover), which test-only failpoints (REGNET_FAILPOINT) widen; every killed
# command is restarted. At the end every sample must have exactly one result that parses and
# matches its history, no model may have been trained to completion twice, nothing may be left
# behind (claims, checkpoints, temporary and status files), and models resumed from a checkpoint
# must have the same final weights as an uninterrupted run (--threads 1 everywhere).
#
# Usage: scripts/chaos.sh [--seed S] [--models N] [--kills K] [--epochs E] [--train-limit L]
#                         [--compare-weights R] [--keep DIR] [--timeout SECONDS]
# The same seed gives the same kill schedule (delays, targets, windows); which process and
# moment each kill meets also depends on timing. REGNET_EXPLORE: the binary (default: build/).
# Exit 0 and "PASS" when every check holds; the summary line counts kills, restarts, resumes,
# takeovers, duplicates and losses.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export REGNET_EXPLORE=${REGNET_EXPLORE:-$root/build/apps/regnet-explore/regnet-explore}
[[ -x $REGNET_EXPLORE ]] || { echo "chaos: no binary at $REGNET_EXPLORE (scripts/build.sh, or set REGNET_EXPLORE)"; exit 2; }
exec python3 - "$@" <<'EOF'
import argparse, collections, filecmp, json, os, random, shutil, signal, subprocess, sys, tempfile, time

ap = argparse.ArgumentParser(prog="chaos.sh")
ap.add_argument("--seed", type=int, default=None, help="kill schedule seed (default: random, printed)")
ap.add_argument("--models", type=int, default=12)
ap.add_argument("--kills", type=int, default=24)
ap.add_argument("--epochs", type=int, default=3)
ap.add_argument("--train-limit", type=int, default=1024)
ap.add_argument("--compare-weights", type=int, default=-1,
                help="resumed models whose weights are compared with an uninterrupted run (-1: all)")
ap.add_argument("--pause", type=float, default=0.4, help="seconds each failpoint holds a window open")
ap.add_argument("--step-pause", type=float, default=0.4,
                help="seconds each training step pauses (a floor on a model's time, so that a fast machine "
                     "does not finish the sweep before the kill series)")
ap.add_argument("--keep", default="", help="work in this directory and keep it")
ap.add_argument("--timeout", type=float, default=900, help="give up (FAIL) after this many seconds")
a = ap.parse_args()
seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 31)
rng = random.Random(seed)
RE = os.environ["REGNET_EXPLORE"]
work = a.keep or tempfile.mkdtemp(prefix="regnet-chaos.")
os.makedirs(work, exist_ok=True)
sweep, pristine = os.path.join(work, "sweep"), os.path.join(work, "pristine")
fplog = os.path.join(work, "failpoints.log")
t_start = time.monotonic()
print(f"chaos: seed {seed}; {a.models} models, {a.kills} kills, {a.epochs} epochs of {a.train_limit} images; in {work}",
      flush=True)

def fail(msg):
    print(f"FAIL: {msg} (seed {seed}; work directory {work} kept)")
    sys.exit(1)

def run(args, **kw):
    return subprocess.run([RE] + args, stdin=subprocess.DEVNULL, capture_output=True, text=True, **kw)

# ------------------------------------------------------------------ the sweep and its schedule
r = run(["sample", "--space", "RegNetX", "-n", str(a.models), "--preset", "fashion-mnist", "--flops", ":2M",
         "--seed", str(seed % 1000 + 1), "--out", sweep, "-q"])
if r.returncode != 0: fail("sample: " + r.stderr.strip())
shutil.copytree(sweep, pristine)
schedule = os.path.join(work, "chaos-schedule.json")
batch = 64
with open(schedule, "w") as f:
    json.dump({"name": "chaos", "epochs": a.epochs, "batch_size": batch, "base_lr": 0.1, "train_limit": a.train_limit,
               "test_limit": 256, "test_batch_size": 256, "seed": 1}, f)
steps_per_epoch = a.train_limit // batch
base = ["train", sweep, "--schedule", schedule, "--threads", "1", "--quiet"]
slots = [base + ["--jobs", "2"], base + ["--jobs", "2"], base]  # 5 workers from 3 commands
P, p2 = a.pause, a.pause / 2
env = dict(os.environ, REGNET_FAILPOINT=",".join(
    [f"checkpoint-write:pause={P}", f"result-write:pause={P}", f"result-written:pause={P}", f"takeover:pause={P}",
     f"claim-release:pause={p2}", f"claim-create:pause={p2}"]
    + ([f"train-step:pause={a.step_pause}"] if a.step_pause > 0 else [])), REGNET_FAILPOINT_LOG=fplog)

def done_count():
    try: return sum(1 for n in os.listdir(os.path.join(sweep, "results")) if n.endswith(".json"))
    except FileNotFoundError: return 0

def children(pid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f: st = f.read()
                if int(st[st.rfind(")") + 2:].split()[1]) == pid: out.append(int(d))
            except (OSError, ValueError, IndexError): pass
    return sorted(out)

class Slot:
    def __init__(self, k, args): self.k, self.args, self.proc, self.starts, self.exits = k, args, None, 0, []
    def start(self):
        self.err = open(os.path.join(work, f"slot{self.k}.err"), "a")
        self.proc = subprocess.Popen([RE] + self.args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.err, env=env)
        self.starts += 1
    def poll(self):  # reaps an ended command; True if it is running
        if self.proc and self.proc.poll() is not None:
            self.exits.append(self.proc.returncode); self.proc = None; self.err.close()
        return self.proc is not None

slots = [Slot(k, s) for k, s in enumerate(slots)]
for s in slots: s.start()

def keep_running():
    if time.monotonic() - t_start > a.timeout: fail(f"timed out after {a.timeout:.0f} s")
    for s in slots:
        if not s.poll() and done_count() < a.models: s.start()

def wait(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        keep_running(); time.sleep(0.02)

def our_pids():
    pids = set()
    for s in slots:
        if s.proc: pids.add(s.proc.pid); pids.update(children(s.proc.pid))
    return pids

# ------------------------------------------------------------------ the kills
# The schedule depends on the seed alone: after a delay, a kill of a parent or a worker some
# seconds into its model (a process holding a claim), of whoever next reaches a failpoint (its
# window held open by the pause), or of whatever runs at that moment (start-up included).
# `into`: how far into its model (0-1, from the workers' status files) a worker is killed.
WINDOWS = ["checkpoint-write", "result-write", "result-written", "claim-release", "takeover", "claim-create"]
plan = [(rng.uniform(0.3, 1.5), rng.choice(["parent", "worker", "worker", "window", "window", "anytime"]),
         rng.randrange(len(slots)), rng.random(), rng.random(), rng.choice(WINDOWS)) for _ in range(2 * a.kills)]
log_pos = 0
def next_in_window(timeout, wanted):
    """The next of our processes to reach failpoint `wanted` (after half the time, any failpoint)."""
    global log_pos
    start = time.monotonic()
    end = start + timeout
    while time.monotonic() < end:
        keep_running()
        with open(fplog, "a+") as f:
            f.seek(log_pos); text = f.read()
        whole = text[:text.rfind("\n") + 1]  # a line being appended is read next time
        log_pos += len(whole)
        mine = our_pids()
        for line in whole.splitlines():
            pid, name = line.split()
            if int(pid) in mine and (name == wanted or time.monotonic() > start + timeout / 2): return int(pid), name
        time.sleep(0.005)
    return None

def claim_pids():
    pids = set()
    d = os.path.join(sweep, "claims")
    for n in os.listdir(d) if os.path.isdir(d) else []:
        try:
            if n.endswith(".json"): pids.add(json.load(open(os.path.join(d, n)))["pid"])
        except (OSError, ValueError, KeyError): pass
    return pids

def target_of(slot, kind, pick, busy_only):
    if not slot.proc: return None
    kids, held = children(slot.proc.pid), claim_pids()
    workers = [k for k in kids if k in held or not busy_only] if kids else \
              [slot.proc.pid] if slot.proc.pid in held or not busy_only else []
    if not workers: return None
    return slot.proc.pid if kind == "parent" else workers[int(pick * len(workers))]

def progress_of(pid):
    """How far worker `pid` is into its model (0-1), from its status file; None if unknown."""
    d = os.path.join(sweep, "status")
    for n in os.listdir(d) if os.path.isdir(d) else []:
        try:
            st = json.load(open(os.path.join(d, n)))
            if st["pid"] == pid and st["epochs"] > 0 and st["epoch"] > 0:
                within = st["step"] / st["steps"] if st["steps"] > 0 else 0
                return (st["epoch"] - 1 + min(within, 1)) / st["epochs"]
        except (OSError, ValueError, KeyError, ZeroDivisionError): pass
    return None

def until_into(slot, kind, pick, into, timeout):
    """Waits until the worker to be killed (a parent: its busy worker) is `into` its model."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        worker = target_of(slot, "worker", pick, True)
        if worker is None: return
        f = progress_of(worker)
        if f is not None and f >= into: return
        wait(0.05)

def busy(kind, pick, timeout, first):
    """Waits until a slot has a worker holding a claim, the planned slot first; busy.slot says which."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for j in range(len(slots)):
            busy.slot = (first + j) % len(slots)
            if target_of(slots[busy.slot], kind, pick, True): return True
        wait(0.05)
    return False

kills = []  # (kind, where)
for delay, kind, k, pick, into, window in plan:  # twice what is needed: a planned target may be gone
    if done_count() >= a.models or len(kills) >= a.kills: break
    # Behind the sweep (a fast machine finishes models sooner than the planned kills come): kill
    # sooner (delay at most 0.5 s, half the progress point), so the series ends before the sweep does.
    if a.kills - len(kills) > 2 * (a.models - done_count()): delay, into = min(delay, 0.5), into / 2
    wait(delay)
    target, where, s = None, "random moment", slots[k]
    if kind == "window":
        hit = next_in_window(30.0, window)
        if hit: target, where = hit
        else: kind = "worker"  # nobody reached a window in time
    if target is None and kind != "anytime" and busy(kind, pick, 30.0, k):
        s = slots[busy.slot]
        until_into(s, kind, pick, into, 60.0)
    if target is None: target = target_of(s, kind, pick, kind != "anytime") or target_of(s, kind, pick, False)
    if target is None: continue
    try: os.kill(target, signal.SIGKILL); kills.append((kind, where))
    except ProcessLookupError: pass
# Let the commands still running finish the sweep (restarting any that a kill left broken).
while done_count() < a.models or any(s.poll() for s in slots): keep_running(); time.sleep(0.05)
if len(kills) < a.kills:
    fail(f"only {len(kills)} of {a.kills} kills happened before the sweep was done: use a longer schedule "
         f"(--epochs, --train-limit)")
restarts = sum(s.starts - 1 for s in slots)
chaos_seconds = time.monotonic() - t_start

# One more plain run: nothing left to train; it tidies whatever the last kills left.
r = run(["train", sweep, "--schedule", schedule, "--threads", "1", "--json"])
if r.returncode != 0: fail("the final train: " + r.stderr.strip())
if json.loads(r.stdout)["trained"] != 0: fail("the final train trained " + r.stdout)

# ------------------------------------------------------------------ the checks
problems = []
# What the commands said: only that a worker of theirs was killed (then they exit 2).
for s in slots:
    for line in open(os.path.join(work, f"slot{s.k}.err")):
        if "was killed by signal 9" not in line: problems.append(f"command {s.k} said: {line.strip()}")
    odd = [c for c in s.exits if c not in (0, 2, -signal.SIGKILL)]
    if odd: problems.append(f"command {s.k} exited with {odd}")
ids = list(range(a.models))
names = sorted(os.listdir(os.path.join(sweep, "results")))
if names != ["%06d.json" % i for i in ids]: problems.append(f"results/ holds {names}")
resumed_from = {}
for i in ids:
    try: res = json.load(open(os.path.join(sweep, "results", "%06d.json" % i)))
    except (OSError, ValueError) as e: problems.append(f"result {i}: {e}"); continue
    h = res.get("history", [])
    if res.get("id") != i or res.get("status") != "done": problems.append(f"result {i}: {res.get('id')} {res.get('status')} {res.get('message')}")
    elif [e["epoch"] for e in h] != list(range(1, a.epochs + 1)): problems.append(f"result {i}: epochs {[e['epoch'] for e in h]}")
    elif res["final_top1_err"] != h[-1]["top1_err"] or res["best_top1_err"] != min(e["top1_err"] for e in h):
        problems.append(f"result {i}: final/best errors do not match its history")
    resumed_from[i] = res.get("provenance", {}).get("resumed_from_epoch", 0)
events, torn = [], 0
for line in open(os.path.join(sweep, "log", "events.jsonl")):
    try: events.append(json.loads(line))
    except ValueError: torn += 1
count = collections.Counter((e["id"], e["event"]) for e in events)
finished = {i: count[(i, "done")] + count[(i, "diverged")] + count[(i, "failed")] for i in ids}
duplicates = sum(max(0, n - 1) for n in finished.values())
if duplicates: problems.append(f"trained to completion more than once: { {i: n for i, n in finished.items() if n > 1} }")
unlogged = [i for i, n in finished.items() if n == 0]
if unlogged: problems.append(f"no done event for {unlogged}")
losses = a.models - done_count()
lost = sum(count[(i, "lost")] for i in ids)
if lost: problems.append(f"{lost} model(s) trained and discarded (lost claims) on one machine")
left = {}
for sub in ("claims", "checkpoints", "status"):
    d = os.path.join(sweep, sub)
    if os.path.isdir(d) and os.listdir(d): left[sub] = sorted(os.listdir(d))
weights = sorted(os.listdir(os.path.join(sweep, "weights")))
if weights != ["%06d.pt" % i for i in ids]: left["weights"] = weights
tmp = [os.path.join(dp, n) for dp, _, fs in os.walk(sweep) for n in fs if ".tmp." in n or n.startswith(".tmp-")]
if tmp: left["temporary"] = tmp
if left: problems.append(f"left behind: {left}")

# Resumed models against uninterrupted runs, byte for byte (tensor for tensor where bytes differ);
# plus one model killed mid-epoch on purpose (train-step:kill), so the check never goes unexercised.
# The runs go side by side (one thread each), each in a fresh copy of the sweep.
def start_alone(i, name, failpoint=""):
    d = os.path.join(work, name)
    shutil.rmtree(d, ignore_errors=True); shutil.copytree(pristine, d)
    e = dict(os.environ, REGNET_FAILPOINT=failpoint); e.pop("REGNET_FAILPOINT_LOG", None)
    args = [RE, "train", d, "--schedule", schedule, "--threads", "1", "--ids", str(i), "--quiet"]
    return d, args, e, subprocess.Popen(args, env=e, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)

def finish_alone(i, run, expect=0):
    d, args, e, p = run
    err = p.communicate()[1]
    if p.returncode != expect: fail(f"training sample {i} alone: exit {p.returncode}: {err.strip()}")
    return os.path.join(d, "weights", "%06d.pt" % i), os.path.join(d, "results", "%06d.json" % i)

def same_weights(x, y):
    if filecmp.cmp(x, y, shallow=False): return "bytes"
    check = ("import sys, torch\na, b = (torch.load(p) for p in sys.argv[1:])\n"
             "sys.exit(0 if a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a) else 1)")
    return "tensors" if subprocess.run([sys.executable, "-c", check, x, y]).returncode == 0 else None

resumed = [i for i in ids if resumed_from.get(i, 0) > 0]
compared = resumed if a.compare_weights < 0 else resumed[:a.compare_weights]
victim = compared[0] if compared else 0
mid = steps_per_epoch + steps_per_epoch // 2 + 1  # half-way through epoch 2
runs = {i: start_alone(i, f"reference-{i}") for i in set(compared) | {victim}}
killed = start_alone(victim, "killed-mid-epoch", f"train-step:kill@{mid}")
reference = {i: finish_alone(i, r)[0] for i, r in runs.items()}
finish_alone(victim, killed, -signal.SIGKILL)
d, args, e, _ = killed
killed_weights, killed_result = finish_alone(victim, (d, args, e, subprocess.Popen(
    args, env=dict(e, REGNET_FAILPOINT=""), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
    stderr=subprocess.PIPE, text=True)))
matches = collections.Counter()
for i in compared:
    how = same_weights(reference[i], os.path.join(sweep, "weights", "%06d.pt" % i))
    if how: matches[how] += 1
    else: problems.append(f"sample {i}, resumed from epoch {resumed_from[i]}: weights differ from an uninterrupted run")
kfrom = json.load(open(killed_result))["provenance"]["resumed_from_epoch"]
if kfrom != 1: problems.append(f"sample {victim} killed at step {mid} resumed from epoch {kfrom}, not 1")
how0 = same_weights(reference[victim], killed_weights)
if not how0: problems.append(f"sample {victim} killed at step {mid} and resumed: weights differ from an uninterrupted run")

where = collections.Counter(w for _, w in kills)
kinds = collections.Counter(k for k, _ in kills)
print(f"chaos: {len(kills)} kills ({kinds['parent']} parents, {kinds['worker']} workers, {kinds['anytime']} at any "
      f"moment, {kinds['window']} in windows: "
      + ", ".join(f"{n} {w}" for w, n in sorted(where.items()) if w != "random moment") + f"), {restarts} restarts in "
      f"{chaos_seconds:.0f} s; {sum(count[(i, 'resumed')] for i in ids)} resumes, "
      f"{sum(count[(i, 'took_over')] for i in ids)} takeovers, {duplicates} duplicates, {losses} losses"
      + (f", {torn} torn log lines" if torn else ""))
print(f"chaos: weights of {len(compared)} model(s) resumed under chaos equal uninterrupted runs' "
      f"({matches['bytes']} byte for byte, {matches['tensors']} tensor for tensor) of {len(resumed)} resumed; "
      f"sample {victim} killed at step {mid} and resumed: {how0 or 'DIFFERENT'}")
if problems:
    for p in problems: print("  " + p)
    fail(f"{len(problems)} check(s) failed")
if not a.keep: shutil.rmtree(work)
print("PASS")
EOF
