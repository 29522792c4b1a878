#!/usr/bin/env bash
# Training throughput on the CPU: our trainer (regnet-explore bench-train) against the same model
# and loop in PyTorch-Python (scripts/bench_train.py), interleaved runs, one fixed sampled model
# on Fashion-MNIST. Prints images/s of each run and the median ratio ours / python.
#
# Usage: scripts/bench-train.sh [RUNS] [TRAIN_IMAGES]      (defaults 3 and 10000)
# Env:   REGNET_EXPLORE (default build/apps/regnet-explore/regnet-explore), PYTHON (a python3 with
#        torch; default /usr/bin/python3), BENCH_SPEC (a spec JSON; default: the model below).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${REGNET_EXPLORE:-$root/build/apps/regnet-explore/regnet-explore}
py=${PYTHON:-/usr/bin/python3}
runs=${1:-3}
n=${2:-10000}
data=${REGNET_DATA_ROOT:-/usr/share/datasets}/fashion-mnist
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
[[ -x $bin ]] || { echo "no binary at $bin (build first, or set REGNET_EXPLORE)" >&2; exit 1; }
"$py" -c "import torch" || { echo "$py has no torch (apt install python3-torch)" >&2; exit 1; }

# A fixed sampled model: AnyNetXE, fashion-mnist preset (res_stem_cifar 16, 28 px), 4M:12M MACs,
# seed 1, sample 4 (6.05 MMACs, 1.05M params; group width 2, bottleneck ratio 2).
spec=${BENCH_SPEC:-$tmp/spec.json}
if [[ -z ${BENCH_SPEC:-} ]]; then
  cat > "$spec" <<'JSON'
{"stem_type": "res_stem_cifar", "stem_width": 16, "depths": [2, 2, 4, 5], "widths": [8, 16, 160, 424],
 "bottleneck_ratios": [2, 2, 2, 2], "group_widths": [2, 2, 2, 2], "strides": [2, 2, 2, 2], "se_ratio": 0.0,
 "input_size": 28, "input_channels": 1, "num_classes": 10}
JSON
fi
cat > "$tmp/sched.json" <<JSON
{"name": "bench", "epochs": 1, "batch_size": 128, "base_lr": 0.1, "weight_decay": 5e-5, "augment": "flip",
 "train_limit": $n, "test_limit": 10000, "test_batch_size": 500, "seed": 1}
JSON
cores=$(nproc)
echo "model: $(tr -d '\n' < "$spec" | tr -s ' ')"
echo "data: Fashion-MNIST, $n training images, 1 epoch, batch 128; $cores cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"
num() { "$py" -c "import json,sys; print('%.1f' % json.load(open(sys.argv[1]))[sys.argv[2]])" "$@"; }
ours=() pydef=() pytuned=()
for ((i = 1; i <= runs; i++)); do
  "$bin" bench-train --spec "$spec" --schedule "$tmp/sched.json" --data-root "$data" --json > "$tmp/ours.json"
  "$py" "$root/scripts/bench_train.py" --spec "$spec" --data-root "$data" --train-limit "$n" --json > "$tmp/py.json"
  "$py" "$root/scripts/bench_train.py" --spec "$spec" --data-root "$data" --train-limit "$n" --threads "$cores" \
    --channels-last --json > "$tmp/pyt.json"
  ours+=("$(num "$tmp/ours.json" images_per_second)")
  pydef+=("$(num "$tmp/py.json" images_per_second)")
  pytuned+=("$(num "$tmp/pyt.json" images_per_second)")
  printf "run %d: ours %8s img/s (err %s%%) | python default %8s img/s (err %s%%) | python %d threads+channels_last %8s img/s\n" \
    "$i" "${ours[-1]}" "$(num "$tmp/ours.json" final_top1_err)" "${pydef[-1]}" "$(num "$tmp/py.json" final_top1_err)" \
    "$cores" "${pytuned[-1]}"
done
"$py" - "${ours[*]}" "${pydef[*]}" "${pytuned[*]}" <<'PY'
import statistics, sys
o, d, t = ([float(v) for v in s.split()] for s in sys.argv[1:4])
print("median images/s: ours %.0f, python default %.0f, python tuned %.0f" % tuple(map(statistics.median, (o, d, t))))
print("median ratio ours / python default: %.2fx (goal >= 1.3x)" % statistics.median(a / b for a, b in zip(o, d)))
print("median ratio ours / python tuned:   %.2fx" % statistics.median(a / b for a, b in zip(o, t)))
PY
