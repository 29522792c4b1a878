#!/usr/bin/env bash
# A killed `data pack` leaves nothing that looks like a pack: kill -9 midway, then SIGTERM midway,
# and neither the pack nor a temporary file is there; `data info` on the name says it is missing.
source "$(dirname "$0")/data_common.bash"
require_images
W=$(mktemp -d /tmp/regnet-data-kill.XXXXXX)
P=""
trap '[[ -n $P ]] && kill -9 $P 2>/dev/null; rm -rf "$W"' EXIT

"$PY" "$REGNET_SOURCE_DIR/scripts/bench_data.py" make-folder "$W/one" --classes 2 --train 1 --val 1 >/dev/null
# 2 x 1500 hard links of two ImageNet-sized JPEGs: seconds of packing on one thread.
for c in 0 1; do
  mkdir -p "$W/f/train/c$c" "$W/f/val/c$c"
  src=$(ls "$W"/one/train/n0000000$c/*.JPEG)
  for i in $(seq 1 1500); do ln "$src" "$W/f/train/c$c/$i.JPEG"; done
  ln "$(ls "$W"/one/val/n0000000$c/*.JPEG)" "$W/f/val/c$c/0.JPEG"
done

for sig in KILL TERM; do  # (a background job of a script ignores SIGINT)
  "$REGNET_EXPLORE" data pack "$W/f" --out "$W/p.pack" --max-side 64 --threads 1 --quiet &
  P=$!
  sleep 1.5
  kill -0 $P 2>/dev/null || fail "packing ended within 1.5 s: make the folder larger"
  kill -$sig $P
  wait $P 2>/dev/null || true
  P=""
  leftovers=$(ls -A "$W" | grep -v -x -e one -e f || true)
  [[ -z $leftovers ]] || fail "after SIG$sig: left $leftovers"
  echo "ok: SIG$sig midway leaves nothing"
done
rc=0
"$REGNET_EXPLORE" data info "$W/p.pack" 2>"$W/err" || rc=$?
((rc == 2)) && grep -q "p.pack: cannot open" "$W/err" || fail "data info on a missing pack: rc $rc, $(cat "$W/err")"
echo "ok: a later data info names the missing file"
