#!/usr/bin/env bash
# The pack format as docs/data.md specifies it: a pack written by an independent Python writer
# (tests/cli/pack_format_ref.py) is read by `data info` and trained from; a pack written by
# `data pack` is read by the Python reader; damage the writer could not produce is refused.
source "$(dirname "$0")/data_common.bash"
W=$(mktemp -d /tmp/regnet-data-format.XXXXXX)
trap 'rm -rf "$W"' EXIT
ref=$REGNET_SOURCE_DIR/tests/cli/pack_format_ref.py
if [[ -z $PY ]]; then  # the reference writer needs only the standard library
  require_command python3 "apt-get install python3"
  PY=python3
fi

"$PY" "$ref" write "$W/ref.pack" --classes 3 --train 40 --val 9 --raw 16
"$REGNET_EXPLORE" data info "$W/ref.pack" --json | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
assert (j["encoding"], j["bound"], j["side"], j["channels"]) == ("raw", "square", 16, 3), j
assert (j["train_count"], j["val_count"], j["num_classes"]) == (40, 9, 3), j
assert j["classes"] == ["c000", "c001", "c002"] and j["train_per_class_min"] == 13, j
'
echo "ok: data info reads the reference writer's pack"
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset imagenet --input-size 16 --classes 3 --flops :5M --seed 2 \
  --out "$W/sw" >/dev/null
"$REGNET_EXPLORE" train "$W/sw" --data "$W/ref.pack" --schedule smoke --quiet
grep -q '"status": "done"' "$W/sw/results/000000.json" || fail "training from the reference pack"
echo "ok: trained from it"

if "$PY" -c "import numpy, PIL" 2>/dev/null && decodes_images; then
  "$PY" "$REGNET_SOURCE_DIR/scripts/bench_data.py" make-folder "$W/f" --classes 2 --train 3 --val 1 --scale 0.2 >/dev/null
  "$REGNET_EXPLORE" data pack "$W/f" --out "$W/ours.pack" --max-side 64 --quiet >/dev/null
  "$PY" "$ref" read "$W/ours.pack" | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
assert (j["version"], j["encoding"], j["bound"], j["side"]) == (1, 1, 1, 64), j
assert (j["train"], j["val"]) == (6, 2) and j["labels"] == [0, 0, 0, 1, 1, 1, 0, 1], j
'
  echo "ok: the reference reader reads data pack's output"
elif [[ -z $PY ]] || ! "$PY" -c "import numpy, PIL" 2>/dev/null; then
  skip_part "the reference reader on data pack's output (no python3 with numpy and PIL)"
else
  skip_part "the reference reader on data pack's output (this build decodes no images: no OpenCV)"
fi

# A record pointing past the payloads, with every checksum recomputed: still refused.
"$PY" - "$W/ref.pack" "$W/bad.pack" <<'PYEOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
index_offset, index_size = struct.unpack_from("<QQ", b, 56)
meta_size = struct.unpack_from("<I", b, index_offset)[0]
first = index_offset + (4 + meta_size + 7) // 8 * 8
struct.pack_into("<Q", b, first, index_offset - 10)  # record 0's payload now runs into the index
def fnv(d):
    h = 0xcbf29ce484222325
    for x in d: h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
    return h
struct.pack_into("<Q", b, 80, fnv(b[index_offset:]))
struct.pack_into("<Q", b, 88, fnv(b[:88]))
open(sys.argv[2], "wb").write(b)
PYEOF
rc=0
"$REGNET_EXPLORE" data info "$W/bad.pack" 2>"$W/err" >/dev/null || rc=$?
((rc == 2)) && grep -q "bad.pack: index.records\[0\]: payload at .* outside the payload area" "$W/err" \
  || fail "bad record: rc $rc, $(cat "$W/err")"
echo "ok: $(cat "$W/err")"
end_with_skips
