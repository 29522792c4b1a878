#!/usr/bin/env bash
# Configures and builds into build/ (Release, ccache, ninja). Usage: scripts/build.sh [extra cmake args]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${REGNET_BUILD_DIR:-$root/build}
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
# Fresh clones in other folders (CI) hit the same cache: hash paths relative to the checkout.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
# Precompiled headers (torch) are cacheable only with these.
export CCACHE_SLOPPINESS=${CCACHE_SLOPPINESS:-pch_defines,time_macros,include_file_mtime,include_file_ctime}
ccache --max-size=5G >/dev/null 2>&1 || true
gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
if [[ ! -f $build/CMakeCache.txt ]]; then
  cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
fi
# Torch translation units take ~1 GB each: 2 jobs on this 2-core, 24 GB machine.
cmake --build "$build" -j "${REGNET_JOBS:-$(nproc)}"
