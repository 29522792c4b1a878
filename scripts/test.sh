#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test (ctest).
# Usage: scripts/test.sh [--sanitize]
#   --sanitize  then also builds lib/core, test_core, the fuzz replays and the torch-free
#               regnet-explore with AddressSanitizer + UBSan into build-sanitize/ (REGNET_SANITIZE)
#               and runs every test there that needs no torch binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitize=""
for opt in "$@"; do
  case $opt in
    --sanitize) sanitize=1 ;;
    *) echo "usage: scripts/test.sh [--sanitize]" >&2; exit 2 ;;
  esac
done
bash "$root/scripts/install-deps.sh" --with-slurm
bash "$root/scripts/build.sh"
cd "${REGNET_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "$(nproc)" --timeout 1500

if [[ -n $sanitize ]]; then
  sanitize_dir=${REGNET_SANITIZE_BUILD_DIR:-$root/build-sanitize}
  REGNET_BUILD_DIR=$sanitize_dir bash "$root/scripts/build.sh" -DREGNET_SANITIZE=ON -DREGNET_WITH_TORCH=OFF \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
  cd "$sanitize_dir"
  # These run `train`, `export` or `launch`: regnet-explore-torch, which this build has not.
  ctest --output-on-failure -j "$(nproc)" --timeout 1500 -E '^cli: (train_|export_|slurm_)'
fi
