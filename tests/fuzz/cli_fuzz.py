#!/usr/bin/env python3
"""The CLI fuzzer: every command of regnet-explore with hostile argument values (tests/fuzz/README.md).

Each run gets a fresh scratch directory holding two small sweeps with results (s, t), a plain
file, a FIFO, a symbolic-link loop and a link out of the scratch directory. The command runs
there with one to three of its options (read from its --help, so a new option is fuzzed without
an edit here) set to values drawn from a dictionary of hostile values, under an address-space
limit and a time limit. Each run must:
  - exit 0 or 2 (never 3, a signal, or the time limit),
  - print at most one error line, and no raw control character on stdout or stderr,
  - change nothing outside its scratch directory,
  - leave nothing half-written (no *.tmp.* file).
Runs are seeded (--seed) and bounded in time (--seconds). --replay FILE replays recorded argument
lists (tests/fuzz/cli_regressions.jsonl) with the same checks. Findings are printed and, with
--findings FILE, written one JSON line each. Exit: 0 no finding, 1 findings, 77 a tool is missing.
"""
import argparse
import json
import os
import random
import re
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
import time

# Values an option may be given: numbers at and past every boundary, non-numbers, paths into and
# out of the scratch directory, special files, terminal escapes, format strings, bad UTF-8.
NUMBERS = ["0", "-1", "1", "2", "3", "8", "100", "1024", "1025", "65536", "2147483647", "2147483648",
           "-2147483649", "9223372036854775807", "9223372036854775808", "18446744073709551615",
           "18446744073709551616", "1e9", "1e400", "-1e400", "1e-400", "nan", "inf", "-inf", "0x10", "010",
           "2.5", "+5", "-0", " 5", "5 ", "1,2,3", "5,1000000000", "0.5", "1e-9", "4M:1M", ":2M", "0-9,12",
           "0-99999999999"]
PATHS = ["s", "t", "s/", "./s", "garbage", "empty", "s,t", "s,s", "garbage/sweep.json", "s/results", "s/samples/000000.json", "s/sweep.json", "file", "fifo", "loop",
         "link-out", "link-out/file", "../outside", "../outside/file", "/dev/null", "/dev/zero", "/proc/self/mem",
         "/", ".", "..", "new", "new/deeper/x", "s/new", "r", "-", "--", "wrong", "wrong-audit", "wrong-compare",
         "new\nsplit-line"]
TEXT = ["", "x\ny", "x\nsplit-line", "a\nregnet-explore: error: fake", "\x1b[2J\x1b]0;pwned\x07", "\x9b31m", "%s%n%d", "{}", "{0}",
        "#", "'", '"', "a b", "\\", "$(touch pwned)", "`id`", ";", "*", "\udcff\udcfe", "\u00e9", "\u202e",
        "a" * 5000, "RegNetX", "AnyNetXA", "fashion-mnist", "smoke", "cpu", "cuda:99", "best", "final",
        "flops", "auto", "png,svg", "gpu:1", "04:00:00", "8G", "--json"]
VALUES = NUMBERS + PATHS + TEXT

SCHEDULE = "smoke"
# Each command's fixed part: enough to reach its work; --dry-run / --no-train / --no-render keep a
# run short (nothing is trained, no gnuplot).
COMMANDS = {
    "spaces": [],
    "sample": ["--space", "RegNetX", "-n", "2", "--preset", "fashion-mnist", "--flops", ":2M", "--out", "new"],
    "describe": ["RegNetX-400MF"],
    "train": ["s", "--dry-run"],
    "launch": ["s", "--slurm", "--dry-run"],
    "export": ["--model", "RegNetX-200MF", "--out", "m.pt"],
    "analyze": ["s", "t", "--out", "r", "--no-render", "--bootstrap", "100"],
    "fit": ["s", "--resamples", "100"],
    "compare": ["s", "t", "--no-train"],
    "audit": ["s", "--schedule", SCHEDULE, "--no-train", "-k", "3"],
    "data pack": ["folder", "--out", "p.pack"],
    "data info": ["file"],
    "stats": ["ks"],
}
NO_FUZZ = {"--help", "-h", "--help-all", "--version"}
ERROR = re.compile(rb"^regnet-explore: (internal )?error", re.M)
SPLIT = re.compile(rb"^split-line", re.M)  # a value's line break printed raw: a path split a line
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def options_of(binary, command):
    """(name, takes_value) for each option `command --help` lists."""
    out = subprocess.run([binary, *command.split(), "--help"], capture_output=True, timeout=60).stdout.decode()
    options, section = [], None
    for line in out.splitlines():
        if re.match(r"^\S.*:$", line):
            section = line
            continue
        m = re.match(r"^  (-\S+)( [A-Z]\S*)?", line)
        if section and section.startswith("Options") and m:
            names = [n for n in m.group(1).split(",") if n.startswith("-")]
            name = max(names, key=len)
            if name not in NO_FUZZ:
                options.append((name, m.group(2) is not None))
    return options


def run_sample(binary, where, name, n):
    subprocess.run([binary, "sample", "--space", "RegNetX", "-n", str(n), "--preset", "fashion-mnist", "--flops", ":2M",
                    "--seed", "1", "--out", os.path.join(where, name), "-q"], check=True, capture_output=True)
    for i in range(n):
        with open(os.path.join(where, name, "results", "%06d.json" % i), "w") as f:
            json.dump({"id": i, "status": "done", "best_top1_err": 10 + (i * 7) % 13, "final_top1_err": 11 + i % 5}, f)


# Fields of the wrong type in files commands read (fixture, file, JSON path, value): each must be one
# error line naming file and field, or be skipped where that is the design (a damaged claim or status).
WRONG_TYPES = [
    ("wrong", "results/000000.json", ["provenance"],
     {"schedule": {"name": 7, "epochs": "x"}, "worker": {"run": 5}, "dataset": {"name": []}}),
    ("wrong", "status/w.json", [], {"worker": "w", "step": "x", "steps": None, "epoch": 2.5, "updated": 4e9}),
    ("wrong", "claims/000002.json", [], {"id": 2, "host": [], "pid": "7", "pid_start": 1.5, "token": 5}),
    ("wrong-audit", "sweep.json", ["audit"],
     {"of": 5, "source_ids": "0", "schedule": {"name": 3}, "short_errors": {"best": [20, 21, 22]}}),
    ("wrong-compare", "compare.json", ["looks"], [5, {"look": "1", "pairs": [{"reject": "yes", "d": "x"}]}]),
]


def put_wrong_types(binary, template):
    shutil.copytree(os.path.join(template, "s"), os.path.join(template, "wrong"))
    shutil.copytree(os.path.join(template, "s"), os.path.join(template, "wrong-audit"))
    subprocess.run([binary, "compare", "s", "t", "--no-train", "-q", "--out", "wrong-compare"], cwd=template,
                   check=True, capture_output=True)
    for fixture, name, keys, value in WRONG_TYPES:
        path = os.path.join(template, fixture, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        j = json.load(open(path)) if keys else None
        if keys:
            node = j
            for k in keys[:-1]:
                node = node[k]
            node[keys[-1]] = value
        with open(path, "w") as f:
            json.dump(j if keys else value, f)


def make_fixtures(binary, root):
    """The template every run's scratch directory is copied from, and the directory outside it: two
    sweeps with results (s, t), one with damaged files (garbage), files with fields of the wrong type
    (wrong, wrong-audit, wrong-compare: WRONG_TYPES), an empty directory, a plain file, an ImageFolder
    without images, a symbolic-link loop and a link out (the FIFO is made per run)."""
    outside = os.path.join(root, "outside")
    os.makedirs(os.path.join(outside, "dir"))
    with open(os.path.join(outside, "file"), "w") as f:
        f.write("outside\n")
    template = os.path.join(root, "template")
    os.makedirs(os.path.join(template, "folder", "train"))
    run_sample(binary, template, "s", 12)
    run_sample(binary, template, "t", 12)
    with open(os.path.join(template, "file"), "w") as f:
        f.write("plain file\n")
    shutil.copytree(os.path.join(template, "s"), os.path.join(template, "garbage"))
    for name in ("sweep.json", "samples/000001.json", "results/000002.json"):
        with open(os.path.join(template, "garbage", name), "w") as f:
            f.write('{"id": 1e999, "\x1b[2J": [')
    put_wrong_types(binary, template)
    os.makedirs(os.path.join(template, "empty"))
    os.symlink("loop", os.path.join(template, "loop"))
    os.symlink("../../outside", os.path.join(template, "link-out"))
    return template, outside


def snapshot(path):
    """Every entry under `path` with its size, mtime and mode (links not followed)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            s = os.lstat(p)
            out[p] = (s.st_size, s.st_mtime_ns, s.st_mode)
    return out


def limit_memory(megabytes):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
        os.setsid()
    return apply


def to_bytes(s):
    return s.encode("utf-8", "surrogateescape")


def check_run(argv, scratch, outside, before_outside, args):
    """Runs argv in `scratch` and returns the list of broken rules."""
    env = dict(os.environ, REGNET_LOG="info", REGNET_SLURM_TIMEOUT="2", HOME=scratch)
    env.pop("SLURM_JOB_ID", None)
    try:
        p = subprocess.run([to_bytes(a) for a in argv], cwd=scratch, capture_output=True, timeout=args.timeout,
                           preexec_fn=limit_memory(args.vmem_mb), env=env, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        return ["ran longer than %g s" % args.timeout], b"", (e.stderr or b"")
    broken = []
    if p.returncode not in (0, 2):
        broken.append("exit %d" % p.returncode if p.returncode >= 0 else "signal %d" % -p.returncode)
    if len(ERROR.findall(p.stderr)) > 1:
        broken.append("%d error lines" % len(ERROR.findall(p.stderr)))
    for name, stream in (("stdout", p.stdout), ("stderr", p.stderr)):
        if SPLIT.search(stream):
            broken.append("a line break of a value raw on " + name)
    for name, stream in (("stdout", p.stdout), ("stderr", p.stderr)):
        if CONTROL.search(stream):
            broken.append("a raw control character on " + name)
    if snapshot(outside) != before_outside:
        broken.append("changed a file outside its scratch directory")
    for dirpath, _, filenames in os.walk(scratch):
        for name in filenames:
            if ".tmp." in name:
                broken.append("left %s half-written" % os.path.relpath(os.path.join(dirpath, name), scratch))
    return broken, p.stdout, p.stderr


def draw(rng, binary, command, options):
    argv = [binary, *command.split(), *COMMANDS[command]]
    if COMMANDS[command] and rng.random() < 0.2:  # a hostile value in the fixed part too
        i = rng.randrange(len(command.split()) + 1, len(argv))
        argv[i] = rng.choice(VALUES)
    for name, takes_value in rng.sample(options, min(len(options), rng.randint(1, 3))):
        argv += [name, rng.choice(VALUES)] if takes_value else [name]
    return argv


def fresh_scratch(root, template, n):
    scratch = os.path.join(root, "run-%06d" % n)
    shutil.copytree(template, scratch, symlinks=True)
    os.mkfifo(os.path.join(scratch, "fifo"))
    return scratch


def remove(path):
    for dirpath, dirnames, _ in os.walk(path):  # a run may leave a read-only directory
        for d in dirnames:
            p = os.path.join(dirpath, d)
            if not os.path.islink(p):
                os.chmod(p, stat.S_IRWXU)
    shutil.rmtree(path, ignore_errors=True)


def report(findings, argv, broken, out, err):
    shown = [a if len(a) < 80 else a[:40] + "...(%d chars)" % len(a) for a in argv[1:]]
    print("FINDING: %s\n  argv: %s\n  stderr: %s" % ("; ".join(broken), json.dumps(shown),
                                                     err[-400:].decode("utf-8", "replace").strip()), flush=True)
    findings.append({"argv": argv[1:], "broken": broken})


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary")
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30, help="seconds one run may take")
    ap.add_argument("--vmem-mb", type=int, default=6144, help="address-space limit of each run (MiB)")
    ap.add_argument("--replay", help="a JSON-lines file of {\"argv\": [...]} to replay first")
    ap.add_argument("--findings", help="append each finding here as a JSON line")
    ap.add_argument("--commands", help="comma-separated subset of the commands")
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        print("no regnet-explore binary at %s" % args.binary)
        return 77
    binary = os.path.abspath(args.binary)
    rng = random.Random(args.seed)
    commands = args.commands.split(",") if args.commands else list(COMMANDS)
    options = {c: options_of(binary, c) for c in commands}
    root = tempfile.mkdtemp(prefix="regnet-cli-fuzz.")
    findings, runs, start = [], 0, time.monotonic()
    try:
        template, outside = make_fixtures(binary, root)
        before = snapshot(outside)
        replay = []
        if args.replay:
            with open(args.replay) as f:
                replay = [json.loads(line)["argv"] for line in f if line.strip() and not line.startswith("#")]
        while replay or time.monotonic() - start < args.seconds:
            if replay:
                argv = [binary, *replay.pop(0)]
            else:
                command = rng.choice(commands)
                argv = draw(rng, binary, command, options[command])
            scratch = fresh_scratch(root, template, runs)
            broken, out, err = check_run(argv, scratch, outside, before, args)
            runs += 1
            if broken:
                report(findings, argv, broken, out, err)
                before = snapshot(outside)
            remove(scratch)
    finally:
        remove(root)
    print("cli fuzz: %d runs in %.0f s (seed %d), %d finding(s)" % (runs, time.monotonic() - start, args.seed,
                                                                   len(findings)))
    if args.findings and findings:
        with open(args.findings, "a") as f:
            for x in findings:
                f.write(json.dumps(x) + "\n")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
