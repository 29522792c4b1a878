#!/usr/bin/env bash
# Build, test and train on a lent GPU machine (docs/training.md, section "GPU"), in one call.
#
#   scripts/gpu-check.sh prepare   HERE (Debian, with network to the apt registry): unpacks the
#                                  header-only dependencies into .deps/root, writes header-only CMake
#                                  shims for spdlog/fmt into .deps/shim, copies Fashion-MNIST into
#                                  .deps/data. .deps/ is git-ignored: name it in the device call's carry.
#   scripts/gpu-check.sh [run]     THERE: configures and builds in Release against pip's LibTorch
#                                  (CUDA), runs the unit tests, samples a few Fashion-MNIST models and
#                                  trains each on CUDA, then the data path (raw packs through pinned
#                                  batches, RegNetX-400MF's training rate at 224 and 64 px, the share
#                                  of step time spent waiting for data, torchvision's loader rate on
#                                  this machine's cores), and prints tables last (images/s, GPU memory,
#                                  error), and models/hour at 1, 2, 4, 8 workers per GPU (workers).
#                                  Full logs go under $OUT (default ./out/gpu-check).
#   scripts/gpu-check.sh workers   only the models/hour section, with a build already there
#                                  (GPU_CHECK_BUILD). Checkable on a CPU machine with tiny sizes:
#                                  GPU_CHECK_ALLOW_CPU=1 GPU_CHECK_BUILD=build bash scripts/gpu-check.sh workers
#
# Device call, e.g.: run(command="bash scripts/gpu-check.sh", carry=[".deps"], timeout_s=540)
# Env: GPU_CHECK_JOBS (build jobs, default nproc), GPU_CHECK_MODELS (default 4), GPU_CHECK_DATA=0
#      (skip the data section),
#      GPU_CHECK_ALLOW_CPU=1 (dry run of the whole script on a machine without CUDA),
#      GPU_CHECK_TORCH_PREFIX (CMAKE_PREFIX_PATH of a LibTorch; default: pip torch's),
#      GPU_CHECK_BUILD (build folder, default build-gpu), GPU_CHECK_WORKERS (default "1 2 4 8"),
#      GPU_CHECK_WORKER_MODELS (models per run, default 8), GPU_CHECK_WORKER_SCHEDULE
#      (default fashion-mnist-quick); on the CPU: 2 models, smoke, workers "1 2".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deps=$root/.deps
mode=${1:-run}

prepare() {
  set -e
  mkdir -p "$deps/debs" "$deps/root" "$deps/data"
  (cd "$deps/debs" && apt-get download libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev catch2)
  for d in "$deps"/debs/*.deb; do dpkg -x "$d" "$deps/root"; done
  rm -rf "$deps/debs" "$deps/root/usr/share/doc"
  # Header-only spdlog + fmt: the Debian configs point at shared libraries the GPU machine lacks.
  mkdir -p "$deps/shim/spdlog"
  cat > "$deps/shim/spdlog/spdlogConfig.cmake" <<'CMAKE'
# Header-only spdlog with header-only fmt, from the unpacked Debian headers (scripts/gpu-check.sh).
get_filename_component(_deps "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
if(NOT TARGET spdlog::spdlog)
  add_library(spdlog::spdlog INTERFACE IMPORTED)
  set_target_properties(spdlog::spdlog PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_deps}/root/usr/include"
    INTERFACE_COMPILE_DEFINITIONS "SPDLOG_FMT_EXTERNAL;FMT_HEADER_ONLY")
endif()
set(spdlog_FOUND TRUE)
set(spdlog_VERSION 1.10.0)
CMAKE
  local fm=${REGNET_DATA_ROOT:-/usr/share/datasets}/fashion-mnist
  mkdir -p "$deps/data/fashion-mnist"
  cp "$fm"/*.gz "$deps/data/fashion-mnist/"
  du -sh "$deps"
  echo "prepared $deps: carry it as \".deps\" (limit 64 MiB)"
}

out=${OUT:-$root/out/gpu-check}
build=${GPU_CHECK_BUILD:-$root/build-gpu}
bin=$build/apps/regnet-explore/regnet-explore
log() { echo "[gpu-check $(date +%T)] $*" | tee -a "$out/summary.txt"; }

# The device the training runs on: cuda, or cpu with GPU_CHECK_ALLOW_CPU=1 (else it stops).
pick_device() {
  if python3 -c 'import torch,sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
    echo cuda
  elif [[ ${GPU_CHECK_ALLOW_CPU:-0} == 1 ]]; then
    echo cpu
  else
    log "no CUDA here (GPU_CHECK_ALLOW_CPU=1 runs it on the CPU)" >&2
    return 1
  fi
}

# watch_mem FILE: samples the GPU's used memory (MiB) into FILE until killed; its pid in $watcher.
watch_mem() {
  (while true; do nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits 2>/dev/null | head -1; sleep 0.2; done) > "$1" &
  watcher=$!
}
# The python3 that imports torch: the GPU machine's on PATH, Debian's where PATH has another.
torch_python() {
  local p
  for p in python3 /usr/bin/python3; do "$p" -c 'import torch' 2>/dev/null && { echo "$p"; return; }; done
  echo python3
}
peak_mib() { sort -n "$1" 2>/dev/null | tail -1 | grep -E '^[0-9]+$' || echo 0; }

run() {
  mkdir -p "$out"
  jobs=${GPU_CHECK_JOBS:-$(nproc)}
  : > "$out/summary.txt"
  log "host: $(hostname), $(nproc) cores"
  { nvidia-smi || true; python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())' || true
    cmake --version | head -1; ninja --version; g++ --version | head -1; } > "$out/environment.txt" 2>&1
  cat "$out/environment.txt" | grep -E "torch|NVIDIA-SMI|H100|H200|cmake" | head -5
  [[ -d $deps/root && -d $deps/shim ]] || { log "no .deps (run 'scripts/gpu-check.sh prepare' here and carry .deps)"; exit 1; }
  torch_prefix=${GPU_CHECK_TORCH_PREFIX:-$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2>/dev/null)}
  log "LibTorch prefix: ${torch_prefix:-none}"

  # 1. Configure and build (Release, ninja).
  local t0=$SECONDS
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$deps/shim;$deps/root/usr;$torch_prefix" > "$out/configure.log" 2>&1 \
    || { log "configure FAILED (see configure.log)"; tail -30 "$out/configure.log"; exit 1; }
  cmake --build "$build" -j "$jobs" > "$out/build.log" 2>&1 \
    || { log "build FAILED (see build.log)"; grep -E "error|FAILED" "$out/build.log" | head -30; exit 1; }
  log "built in $((SECONDS - t0)) s"

  # 2. Unit and CLI tests (the train tests run on the CPU; the CUDA path is exercised below).
  t0=$SECONDS
  (cd "$build" && ctest -j "$jobs" --output-on-failure --timeout 600) > "$out/ctest.log" 2>&1
  log "ctest: $(grep -E "tests passed|tests failed" "$out/ctest.log" | tail -1) in $((SECONDS - t0)) s"
  grep -E "^\s+[0-9]+ - .*(Failed|Timeout|Exception)" "$out/ctest.log" | head -20 | tee -a "$out/summary.txt"

  # 3. Train a few sampled models on CUDA with the short schedule; watch GPU memory.
  local device
  device=$(pick_device) || exit 1
  export REGNET_DATA_ROOT=$deps/data
  local sweep=$out/sweep
  rm -rf "$sweep"
  "$bin" sample --space AnyNetXE -n "${GPU_CHECK_MODELS:-4}" --preset fashion-mnist --flops 4M:12M --seed 1 \
    --out "$sweep" > "$out/sample.log" 2>&1 || { log "sample FAILED"; tail "$out/sample.log"; exit 1; }
  local table=$out/table.txt
  printf "%-4s %-10s %-8s %-11s %-12s %-9s %-9s %-8s %s\n" id MMACs device img/s "GPU MiB" top1 top5 seconds status > "$table"
  for f in "$sweep"/samples/*.json; do
    id=$((10#$(basename "$f" .json)))
    local mem=$out/mem_$id.txt watcher
    watch_mem "$mem"
    "$bin" bench-train --spec "$f" --schedule fashion-mnist-short --device "$device" --json > "$out/train_$id.json" 2> "$out/train_$id.log"
    local rc=$?
    kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
    python3 - "$f" "$out/train_$id.json" "$mem" "$rc" "$id" >> "$table" <<'PY'
import json, sys
spec, res, mem, rc, i = sys.argv[1:6]
mib = max([int(l) for l in open(mem) if l.strip().isdigit()] or [0])
flops = json.load(open(spec))["complexity"]["flops"] / 1e6
try:
    r = json.load(open(res))
    h = r["history"][-1]
    print("%-4s %-10.2f %-8s %-11.0f %-12d %-9.2f %-9.2f %-8.1f %s" % (i, flops, r["device"].split()[0], r["images_per_second"], mib,
          h["top1_err"], h["top5_err"], r["seconds"], r["status"]))
except Exception as e:
    print("%-4s %-10.2f FAILED rc=%s (%s)" % (i, flops, rc, e))
PY
  done

  # 4. The sweep worker end to end on the device (train command), if it is built.
  t0=$SECONDS
  "$bin" train "$sweep" --devices "$device" --schedule smoke > "$out/train_cmd.log" 2>&1
  log "train command (smoke schedule, $device): rc $? in $((SECONDS - t0)) s, $(ls "$sweep"/results 2>/dev/null | wc -l) results"
  workers_check "$device"
  [[ ${GPU_CHECK_DATA:-1} == 1 ]] && data_check "$device"
  log "models trained with fashion-mnist-short on $device:"
  cat "$table" | tee -a "$out/summary.txt"
  log "models/hour, several workers per device against PyTorch-Python one model at a time:"
  cat "$out/workers_table.txt" | tee -a "$out/summary.txt"
  [[ -f $out/data_table.txt ]] && { log "data path on $device:"; cat "$out/data_table.txt" | tee -a "$out/summary.txt"; }
}

# 5. The data path on the device. OpenCV's C++ headers are absent there, so JPEG input is off:
#    raw packs (written by the format's reference writer, docs/data.md) go through pinned host
#    batches and device-side augmentation. RegNetX-400MF at 224 px (imagenet-10ep) and at 64 px
#    (imagenet-64px-10ep) gives the training rate a JPEG pipeline must feed, and the trainer's
#    data_wait_fraction says whether the raw pack kept up; torchvision's ImageFolder rate on 1 and
#    all cores here gives the cores a JPEG folder needs (ours per core: docs/training.md).
data_check() {
  local device=$1 ref=$root/tests/cli/pack_format_ref.py helper=$root/scripts/bench_data.py t0=$SECONDS
  local dt=$out/data_table.txt
  printf "%-34s %-10s %-12s %s\n" run img/s "data wait" note > "$dt"
  python3 "$ref" write "$out/raw224.pack" --classes 1000 --train 7680 --val 1000 --raw 224 || { log "raw pack FAILED"; return; }
  python3 "$ref" write "$out/raw64.pack" --classes 1000 --train 51200 --val 5000 --raw 64 || { log "raw pack FAILED"; return; }
  "$bin" describe RegNetX-400MF --json > "$out/rx400.json"
  "$bin" describe RegNetX-400MF --input-size 64 --json > "$out/rx400_64.json"
  for run in "rx400 raw224 imagenet-10ep 2" "rx400_64 raw64 imagenet-64px-10ep 1"; do
    set -- $run
    "$bin" bench-train --spec "$out/$1.json" --data "$out/$2.pack" --schedule "$3" --epochs "$4" --device "$device" \
      --test-limit 1000 --json > "$out/train_$1.json" 2> "$out/train_$1.log"
    python3 - "$out/train_$1.json" "$1 on $2 ($3)" >> "$dt" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1]))
    h = r["history"][-1]  # the last epoch: cudnn autotuning and warm-up behind it
    print("%-34s %-10.0f %-12.3f %s" % (sys.argv[2], h["images_per_second"], r["provenance"].get("data_wait_fraction", -1),
                                        r["status"] + " " + r["device"]))
except Exception as e:
    print("%-34s FAILED (%s)" % (sys.argv[2], e))
PY
  done
  if python3 -c "import torchvision" 2>/dev/null; then
    python3 "$helper" make-folder "$out/folder" --classes 20 --train 20 --val 2 > "$out/folder.log" 2>&1
    for w in 1 $(nproc); do
      python3 "$helper" torchvision "$out/folder" --split train --workers "$w" --passes 3 > "$out/tv_$w.json" 2>> "$out/folder.log"
      python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print("%-34s %-10.0f %-12s %s" % (
        "torchvision ImageFolder train, %s workers" % sys.argv[2], j["images_per_second"], "-", "224 px RRC + flip, uint8"))' \
        "$out/tv_$w.json" "$w" >> "$dt" || echo "torchvision $w workers FAILED" >> "$dt"
    done
  fi
  rm -f "$out/raw224.pack" "$out/raw64.pack"
  rm -rf "$out/folder"
  log "data check in $((SECONDS - t0)) s"
}

# 6. Several models per GPU (docs/training.md, "Several models per GPU"): the same sampled models
#    trained by `train --jobs K --devices DEVICE:0` for each K, and by the PyTorch-Python peer
#    (scripts/bench_train.py: bf16 autocast, channels_last, one model at a time, the schedule's
#    epochs and image counts) in the same call. models/hour counts whole runs (start-up included).
workers_check() {
  local device=$1 n=${GPU_CHECK_WORKER_MODELS:-8} sched=${GPU_CHECK_WORKER_SCHEDULE:-fashion-mnist-quick} wt=$out/workers_table.txt
  local counts=${GPU_CHECK_WORKERS:-1 2 4 8}
  # The CPU rehearsal: the same steps at tiny sizes.
  [[ $device == cuda ]] || { n=${GPU_CHECK_WORKER_MODELS:-2} sched=${GPU_CHECK_WORKER_SCHEDULE:-smoke} counts=${GPU_CHECK_WORKERS:-1 2}; }
  local base=$out/workers-sweep dev=$device t0 s k watcher
  [[ $device == cuda ]] && dev=cuda:0
  printf "%-40s %-7s %-9s %-12s %-9s %s\n" run models seconds models/hour "GPU MiB" "est. MiB/worker" > "$wt"
  rm -rf "$base"
  "$bin" sample --space RegNetX -n "$n" --preset fashion-mnist --flops 4M:12M --seed 2 --out "$base" \
    > "$out/workers_sample.log" 2>&1 || { log "workers: sample FAILED"; tail -5 "$out/workers_sample.log"; return; }
  for k in $counts; do
    rm -rf "$out/workers-$k"
    cp -r "$base" "$out/workers-$k"
    "$bin" train "$out/workers-$k" --jobs "$k" --devices "$dev" --schedule "$sched" --dry-run --json \
      > "$out/workers_plan_$k.json" 2>> "$out/workers_$k.log"
    watch_mem "$out/workers_mem_$k.txt"
    t0=$(date +%s.%N)
    "$bin" train "$out/workers-$k" --jobs "$k" --devices "$dev" --schedule "$sched" >> "$out/workers_$k.log" 2>&1
    s=$(python3 -c "import time; print('%.1f' % (time.time() - $t0))")
    kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
    done_n=$(ls "$out/workers-$k/results" 2>/dev/null | wc -l)
    printf "%-40s %-7s %-9s %-12s %-9s %s\n" "train --jobs $k --devices $dev" "$done_n/$n" "$s" \
      "$(python3 -c "print('%.0f' % ($done_n * 3600 / $s))")" "$(peak_mib "$out/workers_mem_$k.txt")" \
      "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["memory_per_worker_mib"])' \
        "$out/workers_plan_$k.json" 2>/dev/null || echo -)" >> "$wt"
  done
  workers_peer "$device" "$base" "$sched" "$n" >> "$wt"
}

# workers_peer DEVICE SWEEP SCHEDULE N: the table line of the PyTorch-Python peer on the sweep's models.
workers_peer() {
  local device=$1 base=$2 sched=$3 n=$4 flags=(--channels-last) t0 s ok=0 f watcher py
  py=$(torch_python)
  [[ $device == cuda ]] && flags+=(--device cuda --bf16)
  read -r epochs train_limit test_limit batch <<<"$(python3 -c 'import json, sys; s = json.load(open(sys.argv[1]))
print(s["epochs"], s["train_limit"], s["test_limit"], s["batch_size"])' "$root/configs/schedules/$sched.json")"
  watch_mem "$out/workers_mem_peer.txt"
  t0=$(date +%s.%N)
  for f in "$base"/samples/*.json; do
    "$py" "$root/scripts/bench_train.py" --spec "$f" --data-root "${REGNET_DATA_ROOT:-/usr/share/datasets}/fashion-mnist" \
      --epochs "$epochs" --train-limit "$train_limit" --test-limit "$test_limit" --batch-size "$batch" "${flags[@]}" \
      --json > "$out/peer_$(basename "$f")" 2>> "$out/workers_peer.log" && ok=$((ok + 1))
  done
  s=$(python3 -c "import time; print('%.1f' % (time.time() - $t0))")
  kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
  printf "%-40s %-7s %-9s %-12s %-9s %s\n" "PyTorch ${flags[*]}, 1 at a time" "$ok/$n" "$s" \
    "$(python3 -c "print('%.0f' % ($ok * 3600 / $s))")" "$(peak_mib "$out/workers_mem_peer.txt")" -
}

workers_only() {
  mkdir -p "$out"
  : > "$out/summary.txt"
  [[ -x $bin ]] || { log "no $bin (build first, or set GPU_CHECK_BUILD)"; exit 1; }
  [[ -z ${REGNET_DATA_ROOT:-} && -d $deps/data/fashion-mnist ]] && export REGNET_DATA_ROOT=$deps/data
  local device
  device=$(pick_device) || exit 1
  workers_check "$device"
  log "models/hour on $device, several workers against PyTorch-Python one model at a time:"
  cat "$out/workers_table.txt" | tee -a "$out/summary.txt"
}

case $mode in
  prepare) prepare ;;
  run) run ;;
  workers) workers_only ;;
  *) echo "usage: $0 [prepare|run|workers]" >&2; exit 2 ;;
esac
