#!/usr/bin/env bash
# `data pack` / `data info` on a synthetic ImageFolder with awkward images (grayscale, CMYK, RGBA
# PNG, a truncated and a corrupt JPEG, a text file): counts, labels and the skip count read back;
# training from JPEG and raw packs; bad input (strict, existing file, empty class, missing split,
# truncated pack, another format version, a pack of other classes than the sweep's) is one line
# naming the file, exit 2, nothing written.
source "$(dirname "$0")/data_common.bash"
require_images
W=$(mktemp -d /tmp/regnet-data-pack.XXXXXX)
trap 'rm -rf "$W"' EXIT
helper=$REGNET_SOURCE_DIR/scripts/bench_data.py

"$PY" "$helper" make-folder "$W/f" --classes 3 --train 4 --val 2 --scale 0.15 >/dev/null
"$PY" "$helper" bad-images "$W/f" >/dev/null  # into class n00000000

# Pack: 12 + 3 readable awkward images, 2 unreadable skipped with one warning line.
"$REGNET_EXPLORE" data pack "$W/f" --out "$W/p.pack" >"$W/out" 2>"$W/err"
grep -q "15 train + 6 val images" "$W/out" || fail "pack summary: $(cat "$W/out")"
grep -q "2 images skipped" "$W/out" || fail "pack summary: $(cat "$W/out")"
[[ $(grep -c "skipping it" "$W/err") == 1 ]] || fail "expected one skip warning: $(cat "$W/err")"
grep -q "notes.txt" "$W/err" || fail "the non-image file is not mentioned: $(cat "$W/err")"
"$REGNET_EXPLORE" data info "$W/p.pack" --json | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
assert j["format_version"] == 1 and j["encoding"] == "jpeg" and j["bound"] == "max_side" and j["side"] == 256, j
assert j["classes"] == ["n00000000", "n00000001", "n00000002"], j["classes"]
assert (j["train_count"], j["val_count"], j["skipped"]) == (15, 6, 2), j
assert j["train_per_class_min"] == 4 and j["train_per_class_max"] == 7, j
assert any("truncated.JPEG" in e for e in j["skipped_examples"]), j["skipped_examples"]
'
"$REGNET_EXPLORE" data info "$W/p.pack" | grep -q "15 images (4 to 7 per class)" || fail "data info text"
echo "ok: pack and info"

# A raw pack, and training from both kinds.
"$REGNET_EXPLORE" data pack "$W/f" --out "$W/raw.pack" --size 32 --threads 1 >/dev/null 2>&1
"$REGNET_EXPLORE" data info "$W/raw.pack" | grep -q "raw, 32x32 px" || fail "raw info: $("$REGNET_EXPLORE" data info "$W/raw.pack")"
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset imagenet --input-size 32 --classes 3 --flops :5M --seed 1 \
  --out "$W/sw" >/dev/null
for p in p raw; do
  rm -rf "$W/sw/results"
  "$REGNET_EXPLORE" train "$W/sw" --data "$W/$p.pack" --schedule smoke --quiet
  "$PY" -c '
import json, sys
r = json.load(open(sys.argv[1] + "/results/000000.json"))
assert r["status"] == "done", r["status"]
d = r["provenance"]["dataset"]
assert d["name"] == sys.argv[2] + ".pack" and d["num_classes"] == 3 and d["train_size"] == 15, d
assert 0 <= r["provenance"]["data_wait_fraction"] <= 1
' "$W/sw" "$p"
done
echo "ok: trained from a JPEG pack and a raw pack"

snapshot() { (cd "$W" && find . -printf '%p %s\n' | sort); }
expect_error() {  # WHAT PATTERN -- ARGS: exit 2, one stderr line naming what, nothing written
  local what=$1 pattern=$2 before rc=0
  shift 3
  before=$(snapshot)
  "$REGNET_EXPLORE" "$@" --quiet >"$W/../out.$$" 2>"$W/../err.$$" || rc=$?
  local err
  err=$(cat "$W/../err.$$"); rm -f "$W/../out.$$" "$W/../err.$$"
  ((rc == 2)) || fail "$what: exit $rc, expected 2 ($err)"
  [[ $(printf '%s\n' "$err" | wc -l) == 1 ]] || fail "$what: expected one line, got: $err"
  [[ $err == *"$pattern"* ]] || fail "$what: '$err' lacks '$pattern'"
  [[ $before == "$(snapshot)" ]] || fail "$what: files changed"
  echo "ok: $what: $err"
}
expect_error "strict" "corrupt.JPEG" -- data pack "$W/f" --out "$W/s.pack" --strict
expect_error "existing file" "exists" -- data pack "$W/f" --out "$W/p.pack"
expect_error "two bounds" "give one of them" -- data pack "$W/f" --out "$W/x.pack" --size 32 --max-side 100
mkdir -p "$W/e/train/a" "$W/e/train/b" "$W/e/val/a"
cp "$W/f/train/n00000001/"*_0.JPEG "$W/e/train/a/"
expect_error "class without images" "e/train/b" -- data pack "$W/e" --out "$W/x.pack"
mkdir -p "$W/nv/train/a"
cp "$W/f/train/n00000001/"*_0.JPEG "$W/nv/train/a/"
expect_error "no val split" "nv/val: no such directory" -- data pack "$W/nv" --out "$W/x.pack"
head -c 5000 "$W/p.pack" >"$W/cut.pack"
expect_error "truncated pack" "cut.pack: truncated" -- data info "$W/cut.pack"
"$PY" -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[8] = 2; open(sys.argv[2], "wb").write(b)' \
  "$W/p.pack" "$W/v2.pack"
expect_error "another format version" "v2.pack: header.version: 2" -- data info "$W/v2.pack"
expect_error "not a pack" "not a regnet-explore pack" -- data info "$REGNET_SOURCE_DIR/scripts/bench_data.py"
rm -rf "$W/sw/results"
expect_error "training from a truncated pack" "cut.pack: truncated" -- train "$W/sw" --data "$W/cut.pack" --schedule smoke
"$REGNET_EXPLORE" sample --space RegNetX -n 1 --preset imagenet --input-size 32 --flops :5M --seed 1 --out "$W/sw1000" >/dev/null
expect_error "a pack of other classes" "p.pack, which has 3 classes" -- train "$W/sw1000" --data "$W/p.pack" --schedule smoke
