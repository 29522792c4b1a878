#!/usr/bin/env bash
# Full disks and read-only sweeps (docs/workers.md, "Faults"). On a tmpfs of a few MB: sample,
# train and analyze on a full disk end with one line naming the path and the cause, leave nothing
# corrupt and no sample marked failed; after space is freed, train resumes from the checkpoint
# and finishes. On a tmpfs remounted read-only, analyze still works and train says why it cannot;
# likewise an immutable weights/ directory. Needs root (mount, chattr): skipped (exit 77) otherwise.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # the checks read JSON
require_fashion_mnist  # the models train on it
RE=$REGNET_EXPLORE
W=$(mktemp -d /tmp/regnet-disk.XXXXXX)
M=$W/full R=$W/ro
mkdir "$M" "$R"
cleanup() {
  set +e
  chattr -i "$W/imm/weights" 2>/dev/null
  umount "$M" 2>/dev/null
  umount "$R" 2>/dev/null
  rm -rf "$W"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
[[ $(id -u) == 0 ]] || skip "needs root to mount a tmpfs"
mount -t tmpfs -o size=8m tmpfs "$M" 2>/dev/null || skip "cannot mount a tmpfs here"

# expect WHAT CODE PATTERN -- ARGS...: exit CODE and exactly one line on stderr, containing PATTERN.
expect() {
  local what=$1 code=$2 pattern=$3 rc=0
  shift 4
  "$RE" "$@" >"$W/out" 2>"$W/err" || rc=$?
  ((rc == code)) || fail "$what: exit $rc, expected $code: $(cat "$W/err")"
  [[ $(wc -l <"$W/err") == 1 ]] || fail "$what: expected one line on stderr, got: $(cat "$W/err")"
  grep -qF -- "$pattern" "$W/err" || fail "$what: '$(cat "$W/err")' lacks '$pattern'"
  echo "ok: $what: $(cat "$W/err")"
}
# leave KB: fills the tmpfs but for about KB kilobytes.
leave() {
  rm -f "$M/filler"
  sync
  local avail
  avail=$(df --output=avail -B1 "$M" | tail -1)
  if ((avail > $1 * 1024)); then fallocate -l $((avail - $1 * 1024)) "$M/filler"; fi
}
files() { (cd "$1" && find . -type f | sort); }
no_temporaries() {
  local t
  t=$(find "$1" -name '*.tmp.*' -o -name '.tmp-*' -o -name '*.new.*' -o -name '*.stale.*')
  [[ -z $t ]] || fail "$2: temporary files left: $t"
}
cat >"$W/two.json" <<'EOF'
{"name": "disk-test", "epochs": 2, "batch_size": 64, "base_lr": 0.1, "train_limit": 256, "test_limit": 128,
 "test_batch_size": 128, "seed": 1}
EOF

# 1. sample on a full disk: one line, and no sweep nor temporary directory left.
leave 16
expect "sample, disk full" 2 "No space left on device" -- -q sample --space RegNetX -n 200 --seed 1 --out "$M/big"
[[ $(ls -A "$M") == filler ]] || fail "sample left: $(ls -A "$M")"

# 2. train. The size of one checkpoint, from a model stopped just after its result (failpoint).
"$RE" sample --space RegNetX -n 2 --preset fashion-mnist --flops :2M --seed 3 --out "$W/src" -q >/dev/null
cp -r "$W/src" "$W/probe"
(REGNET_FAILPOINT=result-written:kill "$RE" train "$W/probe" --schedule "$W/two.json" --threads 1 -q --ids 0) 2>/dev/null || true
ckpt=$(stat -c %s "$W/probe/checkpoints/000000.pt")
echo "disk_faults: a checkpoint is $ckpt bytes"
cp -r "$W/src" "$M/sweep"
S=$M/sweep

# 2a. No room at all: refused before any model starts; nothing written.
leave 0
before=$(files "$S")
expect "train, disk full" 2 "claims: cannot write here: No space left on device" -- \
  train "$S" --schedule "$W/two.json" --threads 1 -q
[[ $before == "$(files "$S")" ]] || fail "train on a full disk wrote: $(files "$S")"

# 2b. Room for one checkpoint and a half: epoch 1 is saved, epoch 2's checkpoint does not fit.
leave $((ckpt * 3 / 2 / 1024 + 32))
expect "train, disk full at a checkpoint" 2 "checkpoints/000000.pt: cannot write: No space left on device" -- \
  train "$S" --schedule "$W/two.json" --threads 1 -q
[[ -e $S/checkpoints/000000.pt ]] || fail "the epoch-1 checkpoint is not there"
# 2b'. Two workers on an almost full disk: one line for both, the checkpoint kept.
leave 32
expect "train --jobs 2, disk full" 2 "No space left on device" -- train "$S" --schedule "$W/two.json" --threads 1 --jobs 2 -q
[[ -e $S/checkpoints/000000.pt ]] || fail "the epoch-1 checkpoint is gone"
for d in results claims; do [[ -z $(ls "$S/$d") ]] || fail "$d/ after a full disk: $(ls "$S/$d")"; done
no_temporaries "$S" "train on a full disk"

# 2c. Space freed: the same command resumes from the checkpoint and finishes.
rm -f "$M/filler"
"$RE" train "$S" --schedule "$W/two.json" --threads 1 -q --json >"$W/last.json"
python3 - "$S" <<'EOF'
import json, os, sys
s = sys.argv[1]
assert sorted(os.listdir(os.path.join(s, "results"))) == ["000000.json", "000001.json"]
for i in (0, 1):
    r = json.load(open(os.path.join(s, "results", "%06d.json" % i)))
    assert r["status"] == "done", (i, r["status"], r["message"])
    assert [h["epoch"] for h in r["history"]] == [1, 2], r["history"]
r0 = json.load(open(os.path.join(s, "results", "000000.json")))
assert r0["provenance"]["resumed_from_epoch"] == 1, r0["provenance"]["resumed_from_epoch"]
assert not os.listdir(os.path.join(s, "checkpoints")) and not os.listdir(os.path.join(s, "claims"))
print("ok: space freed: train resumed sample 0 from epoch 1 and finished the sweep")
EOF
no_temporaries "$S" "train after space was freed"

# 3. analyze writing its report onto the full disk: one line; elsewhere it works.
leave 0
expect "analyze, disk full" 2 "No space left on device" -- analyze "$S" --out "$M/report" -q
rm -f "$M/filler"

# 4. A read-only sweep: analyze reads it, train says why it cannot.
mount -t tmpfs -o size=8m tmpfs "$R" || fail "cannot mount a second tmpfs"
cp -r "$W/src" "$R/sweep"
cp "$S/results/000000.json" "$R/sweep/results/"
mount -o remount,ro "$R"
"$RE" analyze "$R/sweep" --out "$W/report" -q >/dev/null || fail "analyze of a read-only sweep failed"
[[ -e $W/report/index.html ]] || fail "analyze of a read-only sweep wrote no report"
echo "ok: analyze reads a read-only sweep"
expect "train, read-only sweep" 2 "Read-only file system" -- train "$R/sweep" --schedule "$W/two.json" --threads 1 -q

# 5. An immutable weights/ directory (where the filesystem has chattr) stops the run, no sample failed.
cp -r "$W/src" "$W/imm"
mkdir "$W/imm/weights"
if chattr +i "$W/imm/weights" 2>/dev/null; then
  expect "train, immutable weights/" 2 "weights: cannot write here: Operation not permitted" -- \
    train "$W/imm" --schedule "$W/two.json" --threads 1 -q
  [[ -z $(ls "$W/imm/results") ]] || fail "a result (failed?) was written: $(ls "$W/imm/results")"
else
  echo "disk_faults: no chattr on $(stat -f -c %T "$W"): immutable directory not tested"
fi
echo "PASS"
