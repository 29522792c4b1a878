#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test (ctest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh" --with-slurm
bash "$root/scripts/build.sh"
cd "${REGNET_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "$(nproc)" --timeout 1500
