#!/usr/bin/env bash
# The chaos test (scripts/chaos.sh) at CI size: 12 models of 2 epochs on 512 images, 5 workers from
# 3 commands, 20 seeded SIGKILLs to parents and workers, windows held open by failpoints; every
# sample one result, none trained twice, nothing left behind, resumed weights equal to
# uninterrupted runs'. A fixed seed, so a failure can be replayed (same kill schedule).
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
require_command python3 "apt-get install python3"  # scripts/chaos.sh is Python
require_fashion_mnist  # the models train on it
root=${REGNET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
exec bash "$root/scripts/chaos.sh" --seed "${REGNET_CHAOS_SEED:-20240601}" --models 12 --kills 20 --epochs 2 \
  --train-limit 512 --compare-weights 2 --timeout 600
