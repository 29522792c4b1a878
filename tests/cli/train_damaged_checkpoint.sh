#!/usr/bin/env bash
# A resumed model never loses its history: a checkpoint whose history is damaged (here epoch 1's
# record says epoch 7; the archive itself stays valid) is refused by the trainer, naming the file.
# Like an unreadable checkpoint it is discarded once (event checkpoint_discarded, with the reason)
# and the model is trained from the start: its result holds both epochs, none resumed.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
W=$(mktemp -d /tmp/regnet-damaged-ckpt.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}
S=$W/sweep
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset fashion-mnist --flops :2M --seed 5 --out "$S" >/dev/null
# 512 / 64 = 8 steps an epoch: the 9th step is epoch 2's first, after epoch 1's checkpoint.
cat >"$W/two.json" <<'EOF'
{"name": "damaged-checkpoint-test", "epochs": 2, "batch_size": 64, "base_lr": 0.1, "train_limit": 512,
 "test_limit": 128, "test_batch_size": 128, "seed": 1}
EOF
(REGNET_FAILPOINT=train-step:kill@9 "$REGNET_EXPLORE" train "$S" --schedule "$W/two.json" --threads 1 -q) \
  2>/dev/null && fail "the failpoint did not kill the first run"
CK=$S/checkpoints/000000.pt
[[ -e $CK && ! -e $S/results/000000.json ]] || fail "no epoch-1 checkpoint to damage"

# Epoch 1's record in the checkpoint's meta JSON now says epoch 7: same length, the zip's CRCs fixed.
python3 - "$CK" <<'EOF'
import struct, sys, zipfile, zlib
path = sys.argv[1]
old, new = b'"history":[{"epoch":1,', b'"history":[{"epoch":7,'
z = zipfile.ZipFile(path)
info = next(i for i in z.infolist() if old in z.read(i))
assert info.compress_type == zipfile.ZIP_STORED, info
b = bytearray(open(path, "rb").read())
h = info.header_offset
n, m = struct.unpack("<HH", b[h + 26:h + 30])
start = h + 30 + n + m
data = bytes(b[start:start + info.compress_size])
assert data.count(old) == 1, data.count(old)
b[start:start + len(data)] = data.replace(old, new)
crc = struct.pack("<I", zlib.crc32(b[start:start + len(data)]))
if info.flag_bits & 8:  # a data descriptor after the data holds the CRC
    d = start + len(data)
    d += 4 if b[d:d + 4] == b"PK\x07\x08" else 0
    b[d:d + 4] = crc
else:
    b[h + 14:h + 18] = crc
cd = z.start_dir
while b[cd:cd + 4] == b"PK\x01\x02":
    n, m, k = struct.unpack("<HHH", b[cd + 28:cd + 34])
    if b[cd + 46:cd + 46 + n].decode() == info.filename:
        b[cd + 16:cd + 20] = crc
    cd += 46 + n + m + k
open(path, "wb").write(b)
assert zipfile.ZipFile(path).testzip() is None
EOF

"$REGNET_EXPLORE" train "$S" --schedule "$W/two.json" --threads 1 -q 2>"$W/err" || fail "train exited $?: $(cat "$W/err")"
[[ ! -s $W/err ]] || fail "train -q printed: $(cat "$W/err")"
python3 - "$S" "$CK" <<'EOF'
import json, os, sys
sweep, ck = sys.argv[1], sys.argv[2]
events = [json.loads(l) for l in open(os.path.join(sweep, "log", "events.jsonl"))]
discarded = [e for e in events if e["event"] == "checkpoint_discarded"]
assert len(discarded) == 1, events
why = discarded[0]["detail"]
assert why.startswith(ck + ": history[0].epoch: 7 should be 1"), why
assert "delete it to start over" in why and "\n" not in why, why
r = json.load(open(os.path.join(sweep, "results", "000000.json")))
assert r["status"] == "done", (r["status"], r["message"])
assert r["provenance"]["resumed_from_epoch"] == 0, r["provenance"]["resumed_from_epoch"]
assert [e["epoch"] for e in r["history"]] == [1, 2], r["history"]
assert os.listdir(os.path.join(sweep, "checkpoints")) == [], os.listdir(os.path.join(sweep, "checkpoints"))
print("train_damaged_checkpoint: refused (%s), discarded once, retrained from epoch 0" % why)
EOF
echo "PASS"
