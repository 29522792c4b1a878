#!/usr/bin/env bash
# Bad image data (issue 10), through `data pack`, `data info` and `train` from a folder and from a
# pack: awkward images that decode (grayscale, CMYK, progressive JPEG, PNGs of every mode), ones
# that do not (truncated, corrupt, empty, text with an image extension: counted and skipped with
# one warning line, an error under --strict), broken folder layouts, and damaged or unsuitable
# packs. Every refusal is one line naming the file, exit 2, nothing written.
source "$(dirname "$0")/data_common.bash"
require_images
W=$(mktemp -d /tmp/regnet-data-bad.XXXXXX)
trap 'rm -rf "$W"' EXIT

# F: 3 classes, 2 training images each and 1 val image, plus in class a 8 awkward readable images,
# 5 unreadable ones and a text file.
"$PY" - "$W/f" <<'PYEOF'
import io, os, sys
import numpy as np
from PIL import Image
root = sys.argv[1]
rng = np.random.default_rng(5)
def img(w=48, h=36):
    return Image.fromarray(rng.integers(0, 255, (h, w, 3), dtype=np.uint8), "RGB")
for split, n in (("train", 2), ("val", 1)):
    for c in "abc":
        os.makedirs(os.path.join(root, split, c))
        for i in range(n):
            img().save(os.path.join(root, split, c, "good_%d.JPEG" % i), quality=90)
a = os.path.join(root, "train", "a")
img().convert("L").save(os.path.join(a, "gray.JPEG"))
img().convert("CMYK").save(os.path.join(a, "cmyk.JPEG"))
img().save(os.path.join(a, "progressive.JPEG"), progressive=True)
img().save(os.path.join(a, "rgb.png"))
img().convert("RGBA").save(os.path.join(a, "rgba.png"))
img().convert("L").save(os.path.join(a, "gray.png"))
img().convert("P").save(os.path.join(a, "palette.png"))
Image.fromarray(rng.integers(0, 65535, (36, 48), dtype=np.uint16)).save(os.path.join(a, "gray16.png"))
b = io.BytesIO(); img().save(b, "JPEG"); jpeg = b.getvalue()
b = io.BytesIO(); img().save(b, "PNG"); png = b.getvalue()
open(os.path.join(a, "truncated.JPEG"), "wb").write(jpeg[: len(jpeg) // 2])
open(os.path.join(a, "corrupt.JPEG"), "wb").write(b"\xff\xd8\xff\xe0" + bytes(200))
open(os.path.join(a, "empty.JPEG"), "wb").close()
open(os.path.join(a, "text.JPEG"), "w").write("not an image\n")
open(os.path.join(a, "png-cut.png"), "wb").write(png[: len(png) // 2])
open(os.path.join(a, "notes.txt"), "w").write("not an image either\n")
PYEOF

# --- data pack and data info -------------------------------------------------------------------
"$REGNET_EXPLORE" data pack "$W/f" --out "$W/p.pack" --threads 2 >"$W/out" 2>"$W/err" || fail "pack: $(cat "$W/err")"
grep -q "14 train + 3 val images" "$W/out" || fail "pack summary: $(cat "$W/out")"
grep -q "5 images skipped" "$W/out" || fail "pack summary: $(cat "$W/out")"
[[ $(grep -c "skipping it" "$W/err") == 1 ]] || fail "expected one skip warning: $(cat "$W/err")"
grep -q "1 file without an image extension left out (first: .*notes.txt)" "$W/err" || fail "notes.txt: $(cat "$W/err")"
[[ $(grep -vc "^packing " "$W/err") == 2 ]] || fail "pack: expected two warning lines (and progress): $(cat "$W/err")"
"$REGNET_EXPLORE" data info "$W/p.pack" --json | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
assert (j["train_count"], j["val_count"], j["skipped"]) == (14, 3, 5), j
bad = sorted(e.split(":")[0].rsplit("/", 1)[1] for e in j["skipped_examples"])
assert bad == ["corrupt.JPEG", "empty.JPEG", "png-cut.png", "text.JPEG", "truncated.JPEG"], bad
'
echo "ok: pack: 8 awkward images packed, 5 unreadable skipped with one warning, the text file left out"
expect_error "pack --strict" "f/train/a/corrupt.JPEG: cannot decode image" -- data pack "$W/f" --out "$W/s.pack" --strict

# Broken layouts.
mkdir -p "$W/l/none/train/a" "$W/l/none/val/a"
expect_error "a folder with no images" "none/train/a: holds no images" -- data pack "$W/l/none" --out "$W/x.pack"
mkdir -p "$W/l/noclass/train" "$W/l/noclass/val"
expect_error "no class directories" "noclass/train: holds no class directories" -- data pack "$W/l/noclass" --out "$W/x.pack"
mkdir -p "$W/l/oneempty/train/a" "$W/l/oneempty/train/b" "$W/l/oneempty/val/a"
cp "$W/f/train/a/good_0.JPEG" "$W/l/oneempty/train/a/"
cp "$W/f/val/a/good_0.JPEG" "$W/l/oneempty/val/a/"
expect_error "a class with no images" "oneempty/train/b: holds no images" -- data pack "$W/l/oneempty" --out "$W/x.pack"
mkdir -p "$W/l/noval/train/a" "$W/l/noval/val/a"
cp "$W/f/train/a/good_0.JPEG" "$W/l/noval/train/a/"
expect_error "no val images" "noval/val: holds no images" -- data pack "$W/l/noval" --out "$W/x.pack"
mkdir -p "$W/l/allbad/train/a" "$W/l/allbad/train/b" "$W/l/allbad/val/a"
cp "$W/f/train/a/good_0.JPEG" "$W/l/allbad/train/a/"
cp "$W/f/train/a/"{corrupt,truncated}.JPEG "$W/l/allbad/train/b/"
cp "$W/f/val/a/good_0.JPEG" "$W/l/allbad/val/a/"
expect_error "a class of unreadable images" "allbad/train/b: none of its images could be decoded" -- \
  data pack "$W/l/allbad" --out "$W/x.pack"

mkdir -p "$W/l/latin1/train/a" "$W/l/latin1/train/"$'caf\xe9' "$W/l/latin1/val/a"
cp "$W/f/train/a/good_0.JPEG" "$W/l/latin1/train/a/"
cp "$W/f/train/a/good_0.JPEG" "$W/l/latin1/train/"$'caf\xe9'/
cp "$W/f/val/a/good_0.JPEG" "$W/l/latin1/val/a/"
cp "$W/f/train/a/corrupt.JPEG" "$W/l/latin1/train/a/"$'bad\xe9.JPEG'
expect_error "a class name that is not UTF-8" "the name is not UTF-8" -- data pack "$W/l/latin1" --out "$W/x.pack"
rm -rf "$W/l/latin1/train/"$'caf\xe9'
"$REGNET_EXPLORE" data pack "$W/l/latin1" --out "$W/latin1.pack" --quiet >/dev/null || fail "an unreadable non-UTF-8 file"
"$REGNET_EXPLORE" data info "$W/latin1.pack" --json | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
assert j["skipped"] == 1 and "bad\ufffd.JPEG" in j["skipped_examples"][0], j
'
rm "$W/latin1.pack"
echo "ok: an unreadable image whose name is not UTF-8: skipped, listed with U+FFFD"
# Wider than a JPEG holds (65500 px) under a short-side bound: skipped as unreadable, not a crash.
mkdir -p "$W/l/wide/train/a" "$W/l/wide/val/a"
"$PY" -c 'import sys, numpy as np; from PIL import Image; Image.fromarray(np.zeros((2, 70000, 3), np.uint8)).save(sys.argv[1])' \
  "$W/l/wide/train/a/wide.png"
cp "$W/f/train/a/good_0.JPEG" "$W/l/wide/train/a/"
cp "$W/f/val/a/good_0.JPEG" "$W/l/wide/val/a/"
"$REGNET_EXPLORE" data pack "$W/l/wide" --out "$W/wide.pack" --short-side 146 >"$W/out" 2>"$W/err" || fail "wide: $(cat "$W/err")"
grep -q "wide.png: JPEG encoding failed" "$W/err" && grep -q "1 image skipped" "$W/out" || fail "wide: $(cat "$W/err" "$W/out")"
rm "$W/wide.pack"
echo "ok: an image wider than JPEG allows: skipped with one warning"
expect_error "a raw size over a record's 4 GiB" "--size: 40000" -- data pack "$W/f" --out "$W/x.pack" --size 40000

mkdir -p "$W/l/badval/train/a" "$W/l/badval/val/a"
cp "$W/f/train/a/good_"[01].JPEG "$W/l/badval/train/a/"
cp "$W/f/train/a/corrupt.JPEG" "$W/l/badval/val/a/"
expect_error "a val split of unreadable images" "badval/val: none of its images could be decoded" -- \
  data pack "$W/l/badval" --out "$W/x.pack"

# Damaged packs.
head -c 3000 "$W/p.pack" >"$W/cut.pack"
expect_error "truncated pack" "cut.pack: truncated: the header says" -- data info "$W/cut.pack"
head -c 50 "$W/p.pack" >"$W/stub.pack"
expect_error "a pack cut inside its header" "stub.pack: not a pack, or truncated: 50 bytes" -- data info "$W/stub.pack"
"$PY" -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[8] = 2; open(sys.argv[2], "wb").write(b)' \
  "$W/p.pack" "$W/v2.pack"
expect_error "another format version" "v2.pack: header.version: 2: this build reads pack format version 1 only" -- \
  data info "$W/v2.pack"
"$PY" -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[:96] = bytes(96); open(sys.argv[2], "wb").write(b)' \
  "$W/p.pack" "$W/killed.pack"
expect_error "a killed packer's file (header zeros)" "killed.pack: not a regnet-explore pack" -- data info "$W/killed.pack"
: >"$W/empty.pack"
expect_error "an empty file" "empty.pack: not a pack, or truncated: 0 bytes" -- data info "$W/empty.pack"
expect_error "a missing pack" "missing.pack: cannot open" -- data info "$W/missing.pack"
expect_error "a directory" "l/none: " -- data info "$W/l/none"
# A payload no decoder reads (payloads are not checksummed: data info passes it, training skips it).
"$PY" - "$W/p.pack" "$W/badpayload.pack" <<'PYEOF'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
index_offset = struct.unpack_from("<Q", b, 56)[0]
meta_size = struct.unpack_from("<I", b, index_offset)[0]
first = index_offset + (4 + meta_size + 7) // 8 * 8
offset, size = struct.unpack_from("<QI", b, first)
b[offset:offset + 4] = b"\0\0\0\0"  # record 0 (a training image) loses its JPEG/PNG signature
open(sys.argv[2], "wb").write(b)
PYEOF
"$REGNET_EXPLORE" data info "$W/badpayload.pack" >/dev/null || fail "data info on a pack with a bad payload"
echo "ok: data info: damaged packs refused in one line each"

# --- train from the folder and from packs (a tiny ImageNet-preset sweep, the smoke schedule) ---
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset imagenet --input-size 32 --classes 3 --flops :5M --seed 1 \
  --out "$W/sw" >/dev/null
train_ok() {  # WHAT DATA [ARGS]: trains, one skip warning when SKIPS > 0
  local what=$1 data=$2 skips=$3
  shift 3
  rm -rf "$W/sw/results" "$W/sw/checkpoints"
  "$REGNET_EXPLORE" train "$W/sw" --data "$data" --schedule smoke "$@" 2>"$W/err" >/dev/null || fail "$what: $(cat "$W/err")"
  grep -q '"status": "done"' "$W/sw/results/000000.json" || fail "$what: not done"
  [[ $(grep -c "skipping it" "$W/err") == "$skips" ]] || fail "$what: expected $skips skip warning(s): $(cat "$W/err")"
  echo "ok: $what"
}
train_error() {  # WHAT PATTERN DATA [ARGS]: exit 2, one line, no result written
  local what=$1 pattern=$2 data=$3 rc=0 err
  shift 3
  rm -rf "$W/sw/results" "$W/sw/checkpoints"
  err=$("$REGNET_EXPLORE" train "$W/sw" --data "$data" --schedule smoke --quiet "$@" 2>&1 >/dev/null) || rc=$?
  ((rc == 2)) || fail "$what: exit $rc, expected 2 ($err)"
  [[ $(printf '%s\n' "$err" | wc -l) == 1 ]] || fail "$what: expected one line, got: $err"
  [[ $err == *"$pattern"* ]] || fail "$what: '$err' lacks '$pattern'"
  [[ ! -e $W/sw/results/000000.json ]] || fail "$what: a result was written"
  echo "ok: $what: $err"
}
train_ok "train from the folder: unreadable images skipped with one warning" "$W/f" 1
train_error "train --strict from the folder" "f/train/a/" "$W/f" --strict
train_ok "train from the pack" "$W/p.pack" 0
train_ok "train from a pack with an unreadable payload" "$W/badpayload.pack" 1
train_error "train --strict from it" "badpayload.pack (train image 0): cannot decode image" "$W/badpayload.pack" --strict
train_error "train from a truncated pack" "cut.pack: truncated" "$W/cut.pack"
train_error "train from another format version" "v2.pack: header.version: 2" "$W/v2.pack"
train_error "train from a killed packer's file" "killed.pack: not a regnet-explore pack" "$W/killed.pack"
train_error "train from a folder with a class of no images" "oneempty/train/b: holds no images" "$W/l/oneempty"
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset imagenet --input-size 32 --classes 1 --flops :5M --seed 1 \
  --out "$W/sw1" >/dev/null
mv "$W/sw" "$W/sw3" && mv "$W/sw1" "$W/sw"
train_error "a folder whose test images all fail to decode" "badval: none of the 1 test images read could be decoded" \
  "$W/l/badval"
"$PY" "$REGNET_SOURCE_DIR/tests/cli/pack_format_ref.py" write "$W/noval.pack" --classes 1 --train 4 --val 0 --raw 8
train_error "a pack without validation images" "noval.pack: no validation images" "$W/noval.pack"
rm -rf "$W/sw" && mv "$W/sw3" "$W/sw"
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset imagenet --input-size 32 --flops :5M --seed 1 --out "$W/sw1000" >/dev/null
mv "$W/sw" "$W/sw3" && mv "$W/sw1000" "$W/sw"
train_error "a pack of another dataset (3 classes, the sweep wants 1000)" \
  "spec.num_classes: 1000 does not suit p.pack, which has 3 classes" "$W/p.pack"
train_error "a folder of another dataset" "spec.num_classes: 1000 does not suit $W/f, which has 3 classes" "$W/f"
rm -rf "$W/sw" && "$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset fashion-mnist --flops :5M --seed 1 --out "$W/sw" >/dev/null
train_error "a pack of RGB images for a grayscale sweep" "spec.input_channels: 1 does not suit p.pack" "$W/p.pack"
