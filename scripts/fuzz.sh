#!/usr/bin/env bash
# Builds the fuzz targets (tests/fuzz: clang, libFuzzer + AddressSanitizer + UBSan) into
# build-fuzz/ and runs each for SECONDS (default 60) from its corpus and regressions. New inputs
# are kept in build-fuzz/tests/fuzz/work/KIND/, crashing ones in build-fuzz/tests/fuzz/artifacts/;
# a crash fails the script. Add a crashing input, once fixed, to tests/fuzz/regressions/KIND/.
# Usage: scripts/fuzz.sh [SECONDS] [KIND...]   (KIND: space spec schedule ...; default all)
#        scripts/fuzz.sh --build-only            (builds the targets, runs none)
# Needs: scripts/install-deps.sh --with-fuzz
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${REGNET_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-60}
shift || true
# libFuzzer reads -max_total_time=0 as "no limit": SECONDS is at least 1.
[[ $seconds == --build-only || ($seconds =~ ^[0-9]+$ && $seconds -gt 0) ]] ||
  { echo "usage: scripts/fuzz.sh [SECONDS] [KIND...] | --build-only" >&2; exit 2; }
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}
if [[ ! -f $build/CMakeCache.txt ]]; then
  gen=(); command -v ninja >/dev/null && gen=(-G Ninja)
  cmake -S "$root" -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DREGNET_FUZZ=ON -DREGNET_WITH_TORCH=OFF
fi
cmake --build "$build" --target fuzz_targets -j "${REGNET_JOBS:-$(nproc)}"
[[ $seconds != --build-only ]] || exit 0

fuzz=$build/tests/fuzz
kinds=("$@")
if ((${#kinds[@]} == 0)); then
  for f in "$root"/tests/fuzz/fuzz_*.cpp; do k=$(basename "$f" .cpp); kinds+=("${k#fuzz_}"); done
fi
failed=()
for kind in "${kinds[@]}"; do
  [[ -x $fuzz/fuzz_$kind ]] || { echo "fuzz: no target '$kind'" >&2; exit 2; }
  mkdir -p "$fuzz/work/$kind" "$fuzz/artifacts"
  log=$fuzz/work/$kind.log
  rc=0
  "$fuzz/fuzz_$kind" -max_total_time="$seconds" -timeout=10 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$fuzz/artifacts/$kind-" "$fuzz/work/$kind" \
    "$root/tests/fuzz/corpus/$kind" "$root/tests/fuzz/regressions/$kind" >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  corp=$(grep -o 'corp: [0-9]*' "$log" | tail -1)
  if ((rc == 0)); then
    echo "fuzz: $kind: ${runs:-?} executions in ${seconds} s, ${cov:-cov: ?}, ${corp:-corp: ?} inputs, no failure"
  else
    echo "fuzz: $kind: FAILED (exit $rc) after ${runs:-?} executions; log $log:"
    grep -E 'ERROR|fuzz:|SUMMARY|Test unit written' "$log" | head -8
    failed+=("$kind")
  fi
done
((${#failed[@]} == 0)) || { echo "fuzz: failures in ${failed[*]}"; exit 1; }
