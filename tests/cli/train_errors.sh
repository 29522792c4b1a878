#!/usr/bin/env bash
# `train` refuses bad input with one line naming the file/field/value (exit 2) and writes nothing;
# --dry-run prints the plan and writes nothing either.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
W=$(mktemp -d /tmp/regnet-train-errors.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
snapshot() { (cd "$1" && find . -printf '%p %s %T@\n' | sort); }
# expect_error WHAT PATTERN -- ARGS...: exit 2, one stderr line matching PATTERN, nothing written.
expect_error() {
  local what=$1 pattern=$2
  shift 3
  local before rc=0
  before=$(snapshot "$W/fm")
  "$REGNET_EXPLORE" "$@" >"$W/out" 2>"$W/err" || rc=$?
  ((rc == 2)) || fail "$what: exit $rc, expected 2 ($(cat "$W/err"))"
  [[ $(wc -l <"$W/err") == 1 ]] || fail "$what: expected one line, got: $(cat "$W/err")"
  grep -q "^regnet-explore: error: .*$pattern" "$W/err" || fail "$what: '$(cat "$W/err")' lacks '$pattern'"
  [[ $before == "$(snapshot "$W/fm")" ]] || fail "$what: the sweep directory changed"
  echo "ok: $what: $(cat "$W/err")"
}

"$REGNET_EXPLORE" sample --space RegNetX -n 2 --preset fashion-mnist --flops :2M --seed 51 --out "$W/fm" >/dev/null
"$REGNET_EXPLORE" sample --space RegNetX -n 2 --preset cifar10 --flops :3M --seed 51 --out "$W/c10" >/dev/null

# --dry-run: the plan, nothing written.
before=$(snapshot "$W/fm")
"$REGNET_EXPLORE" train "$W/fm" --schedule smoke --jobs 2 --dry-run >"$W/plan.txt"
[[ $before == "$(snapshot "$W/fm")" ]] || fail "--dry-run changed the sweep directory"
grep -q "2 pending" "$W/plan.txt" || fail "plan: $(cat "$W/plan.txt")"
grep -q "to train  0,1" "$W/plan.txt" || fail "plan: $(cat "$W/plan.txt")"
grep -q "estimate  ~" "$W/plan.txt" || fail "plan: $(cat "$W/plan.txt")"
grep -q "2 processes x 1 thread" "$W/plan.txt" || fail "plan: $(cat "$W/plan.txt")"
"$REGNET_EXPLORE" train "$W/fm" --schedule smoke --dry-run --json | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["pending"] == [0, 1] and j["done"] == [], j
assert j["dataset"]["channels"] == 1 and j["schedule"]["epochs"] == 1, j
assert j["estimate_seconds"] > 0, j'
echo "ok: --dry-run"

cat >"$W/neg-lr.json" <<'EOF'
{"epochs": 1, "base_lr": -0.1}
EOF
expect_error "negative lr" "neg-lr.json: base_lr: -0.1" -- train "$W/fm" --schedule "$W/neg-lr.json"
expect_error "unknown schedule" "--schedule: 'nope' is not a schedule .*known: .*smoke" -- train "$W/fm" --schedule nope
expect_error "ids out of range" "--ids: 7 is not a sample" -- train "$W/fm" --schedule smoke --ids 0-7
expect_error "bad device" "--devices: 'gpu0'" -- train "$W/fm" --schedule smoke --devices gpu0
expect_error "not a sweep" "not a sweep directory" -- train "$W" --schedule smoke
# launch plans with the same checks as train (core/run/training_plan.hpp).
expect_error "launch: unknown schedule" "--schedule: 'nope' is not a schedule" -- launch "$W/fm" --slurm --dry-run --schedule nope
expect_error "launch: ids out of range" "--ids: 7 is not a sample" -- launch "$W/fm" --slurm --dry-run --ids 0-7
expect_error "launch: bad heartbeat" "--heartbeat: 60 must be > 0 and at most a third" -- launch "$W/fm" --slurm --dry-run --heartbeat 60

# A sweep for 3-channel images cannot train on Fashion-MNIST.
before_c10=$(snapshot "$W/c10")
rc=0
"$REGNET_EXPLORE" train "$W/c10" --data fashion-mnist --schedule smoke --threads 1 2>"$W/err" || rc=$?
((rc == 2)) || fail "channel mismatch: exit $rc"
grep -q "^regnet-explore: error: .*000000.json: spec.input_channels: 3 does not suit fashion-mnist" "$W/err" ||
  fail "channel mismatch: $(cat "$W/err")"
[[ $before_c10 == "$(snapshot "$W/c10")" ]] || fail "channel mismatch: the sweep directory changed"
[[ $(wc -l <"$W/err") == 1 ]] || fail "channel mismatch: expected one line, got: $(cat "$W/err")"
echo "ok: channel mismatch: $(cat "$W/err")"

# ImageNet-sized specs on Fashion-MNIST: refused at the data's own size, before 70k images are
# resized to 224 px (which takes ~8 GB and a minute): peak memory stays far below that.
"$REGNET_EXPLORE" sample --space RegNetX -n 2 --preset imagenet --flops 200M:400M --seed 51 --out "$W/inet" >/dev/null
python3 - "$REGNET_EXPLORE" "$W/inet" "$W/err" <<'EOF'
import resource, subprocess, sys
exe, sweep, err = sys.argv[1:]
rc = subprocess.run([exe, "train", sweep, "--data", "fashion-mnist", "--schedule", "smoke", "--threads", "1"],
                    stderr=open(err, "w")).returncode
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
text = open(err).read()
assert rc == 2 and text.count("\n") == 1 and "spec.input_channels: 3 does not suit fashion-mnist" in text, (rc, text)
assert peak < 2.0, f"peak memory {peak:.1f} GB: the images were resized before the check"
print(f"ok: imagenet specs on fashion-mnist: refused at {peak:.2f} GB peak: {text.strip()}")
EOF
[[ ! -e $W/inet/log && ! -e $W/inet/status ]] || fail "imagenet specs on fashion-mnist: log/ or status/ written"

# A sweep written by a newer regnet-explore is refused.
python3 - "$W/fm/sweep.json" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1])); j["format_version"] = 99; json.dump(j, open(sys.argv[1], "w"))
EOF
expect_error "newer format" "format_version: 99 was written by a newer" -- train "$W/fm" --schedule smoke
echo "PASS"
