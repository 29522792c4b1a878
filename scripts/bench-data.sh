#!/usr/bin/env bash
# The input pipeline's throughput per core (docs/training.md, "Data at GPU speed"): ours
# (`regnet-explore data bench`: loader threads decoding into uint8 batches) against torchvision's
# ImageFolder + DataLoader with the same transforms and as many workers as our threads
# (scripts/bench_data.py), pinned to 1 and 2 cores with taskset, interleaved runs. Also: a
# max-side-256 pack against the folder, reduced (DCT-scaled) against full JPEG decoding with the
# PSNR between them, at 224 px and at the 128 px of the proxy schedule.
#
#   train pipeline: decode + RandomResizedCrop(S) + flip -> uint8 batch
#   test pipeline:  decode + Resize(S*256/224) + CenterCrop(S) -> uint8 batch (the val split)
#
# Usage: scripts/bench-data.sh [RUNS] [DIR]      (defaults 3 and /tmp/regnet-bench-data)
# DIR/folder is made once (BENCH_CLASSES x BENCH_TRAIN train + BENCH_VAL val synthetic JPEGs,
# default 100 x 30 + 10) and reused, as is DIR/folder-256.pack.
# Env: REGNET_EXPLORE (default build/apps/regnet-explore/regnet-explore), PYTHON (a python3 with
#      torchvision and PIL; default /usr/bin/python3), BENCH_CORES (default "1 2").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${REGNET_EXPLORE:-$root/build/apps/regnet-explore/regnet-explore}
py=${PYTHON:-/usr/bin/python3}
runs=${1:-3}
dir=${2:-/tmp/regnet-bench-data}
helper=$root/scripts/bench_data.py
[[ -x $bin ]] || { echo "no binary at $bin (build first, or set REGNET_EXPLORE)" >&2; exit 1; }
"$py" -c "import torchvision, PIL" || { echo "$py has no torchvision (apt install python3-torchvision)" >&2; exit 1; }
folder=$dir/folder pack=$dir/folder-256.pack
if [[ ! -d $folder/train ]]; then
  "$py" "$helper" make-folder "$folder" --classes "${BENCH_CLASSES:-100}" --train "${BENCH_TRAIN:-30}" --val "${BENCH_VAL:-10}"
fi
[[ -f $pack ]] || "$bin" data pack "$folder" --out "$pack" --max-side 256 --quiet
results=$dir/results.jsonl
: > "$results"
echo "folder: $(du -sh "$folder" | cut -f1), $(find "$folder/train" -type f | wc -l) train + $(find "$folder/val" -type f | wc -l) val JPEGs; pack: $(du -h "$pack" | cut -f1)"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$py" -c 'import torch, torchvision, PIL; print("torch", torch.__version__, "torchvision", torchvision.__version__, "PIL", PIL.__version__)')"

# One measurement: KIND CORES RUN -- COMMAND...; appends {"kind", "cores", "run", "ips"}.
measure() {
  local kind=$1 cores=$2 run=$3
  shift 4
  local cpus=0
  ((cores > 1)) && cpus=0-$((cores - 1))
  local out
  out=$(taskset -c "$cpus" "$@" --json 2>/dev/null)
  "$py" -c 'import json, sys; j = json.loads(sys.argv[1]); print(json.dumps({"kind": sys.argv[2], "cores": int(sys.argv[3]),
    "run": int(sys.argv[4]), "ips": j["images_per_second"], "images": j["images"]}))' "$out" "$kind" "$cores" "$run" >> "$results"
}
ours=("$bin" data bench) tv=("$py" "$helper" torchvision)
for cores in ${BENCH_CORES:-1 2}; do
  for ((r = 1; r <= runs; r++)); do
    c=$cores
    measure ours-train "$c" "$r" -- "${ours[@]}" "$folder" --split train --threads "$c"
    measure tv-train "$c" "$r" -- "${tv[@]}" "$folder" --split train --workers "$c"
    measure pack-train "$c" "$r" -- "${ours[@]}" "$pack" --split train --threads "$c"
    measure ours-train-full "$c" "$r" -- "${ours[@]}" "$folder" --split train --threads "$c" --no-reduce
    measure ours-test "$c" "$r" -- "${ours[@]}" "$folder" --split test --threads "$c"
    measure tv-test "$c" "$r" -- "${tv[@]}" "$folder" --split val --workers "$c"
    measure pack-test "$c" "$r" -- "${ours[@]}" "$pack" --split test --threads "$c"
    measure ours-train-128 "$c" "$r" -- "${ours[@]}" "$folder" --split train --threads "$c" --size 128
    measure ours-train-128-full "$c" "$r" -- "${ours[@]}" "$folder" --split train --threads "$c" --size 128 --no-reduce
    measure tv-train-128 "$c" "$r" -- "${tv[@]}" "$folder" --split train --workers "$c" --size 128
    echo "  cores $cores, run $r done (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
psnr224=$("$bin" data psnr "$folder" --size 224 --images 3000 --json)
psnr128=$("$bin" data psnr "$folder" --size 128 --images 3000 --json)

"$py" - "$results" "$psnr224" "$psnr128" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def ips(kind, cores, run): return next(r["ips"] for r in rows if (r["kind"], r["cores"], r["run"]) == (kind, cores, run))
cores_list = sorted({r["cores"] for r in rows}); runs = sorted({r["run"] for r in rows})
kinds = ["ours-train", "tv-train", "pack-train", "ours-train-full", "ours-test", "tv-test", "pack-test",
         "ours-train-128", "ours-train-128-full", "tv-train-128"]
print("\nimages/s per core (median of %d runs; each run interleaves all rows)" % len(runs))
print("%-22s" % "pipeline" + "".join("%12s" % ("%d core%s" % (c, "s" if c > 1 else "")) for c in cores_list))
for k in kinds:
    print("%-22s" % k + "".join("%12.0f" % statistics.median(ips(k, c, r) / c for r in runs) for c in cores_list))
ratios = [("train: ours / torchvision", "ours-train", "tv-train", "goal >= 1.5x"),
          ("test: ours / torchvision", "ours-test", "tv-test", ""),
          ("train: pack-256 / folder", "pack-train", "ours-train", "goal >= 3x"),
          ("test: pack-256 / folder", "pack-test", "ours-test", ""),
          ("train: reduced / full decode", "ours-train", "ours-train-full", ""),
          ("train 128: reduced / full", "ours-train-128", "ours-train-128-full", ""),
          ("train 128: ours / torchvision", "ours-train-128", "tv-train-128", "")]
print("\nratios (median over runs of the ratio within a run)")
for name, a, b, goal in ratios:
    print("%-32s" % name + "".join("%10.2fx" % statistics.median(ips(a, c, r) / ips(b, c, r) for r in runs) for c in cores_list),
          " " + goal)
for size, j in (("224", sys.argv[2]), ("128", sys.argv[3])):
    q = json.loads(j)
    print("reduced decoding at %s px: %d of %d training crops decoded at 1/2..1/8, PSNR %.2f dB against full decoding"
          " (both bilinear); against full decoding area-resized: full %.2f dB, reduced %.2f dB; decoding alone %.2fx"
          " faster over all crops" % (size, q["reduced"], q["images"], q["psnr_db"], q["psnr_full_vs_area_db"],
                                      q["psnr_reduced_vs_area_db"], q["full_seconds"] / q["reduced_seconds"]))
PY
