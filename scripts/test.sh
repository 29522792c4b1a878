#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test (ctest).
# Usage: scripts/test.sh [--sanitize] [--fuzz SECONDS]
#   --sanitize      then also builds lib/core, test_core, the fuzz replays and the torch-free
#                   regnet-explore with AddressSanitizer + UBSan into build-sanitize/ (REGNET_SANITIZE)
#                   and runs every test there that needs no torch binary.
#   --fuzz SECONDS  then also builds the libFuzzer targets with clang (scripts/fuzz.sh, build-fuzz/)
#                   and runs each for SECONDS; a crash fails the command.
# Each step prints its wall time ("test.sh: STEP took N s"), for sizing CI.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() {
  echo "usage: scripts/test.sh [--sanitize] [--fuzz SECONDS]" >&2
  exit 2
}
sanitize="" fuzz_seconds=""
while (($# > 0)); do
  case $1 in
    --sanitize) sanitize=1 ;;
    --fuzz) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; fuzz_seconds=$2; shift ;;
    *) usage ;;
  esac
  shift
done

step() {  # step NAME COMMAND...: runs it and prints its wall time
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "test.sh: $name took $((SECONDS - start)) s"
}
run_ctest() {  # run_ctest DIR [ctest args]
  (cd "$1" && shift && ctest --output-on-failure -j "$(nproc)" --timeout 1500 "$@")
}
# Checks that need no build: the module graph (includes follow it, docs agree), function
# lengths, and the format (.clang-format).
checks() {
  python3 "$root/scripts/module-graph.py" --check
  python3 "$root/scripts/long-functions.py"
  if command -v clang-format >/dev/null; then
    (cd "$root" && git ls-files -z '*.cpp' '*.hpp' | xargs -0 clang-format --dry-run --Werror)
    echo "clang-format: every .cpp and .hpp follows .clang-format"
  else
    echo "clang-format: not installed; format not checked"
  fi
}
step "checks" checks
deps=(--with-slurm)
[[ -z $fuzz_seconds ]] || deps+=(--with-fuzz)
step "install-deps" bash "$root/scripts/install-deps.sh" "${deps[@]}"
step "build" bash "$root/scripts/build.sh"
step "ctest" run_ctest "${REGNET_BUILD_DIR:-$root/build}"

if [[ -n $sanitize ]]; then
  sanitize_dir=${REGNET_SANITIZE_BUILD_DIR:-$root/build-sanitize}
  step "sanitize build" env REGNET_BUILD_DIR="$sanitize_dir" bash "$root/scripts/build.sh" -DREGNET_SANITIZE=ON \
    -DREGNET_WITH_TORCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo
  # These train, export or pack (regnet-explore-torch, which this build has not); bad_inputs skips its
  # rows that do (REGNET_NO_TORCH).
  export REGNET_NO_TORCH=1
  step "sanitize ctest" run_ctest "$sanitize_dir" -E '^cli: (train_|export_|slurm_|chaos|compare_kill9|disk_faults|data_|audit_vs)'
fi
if [[ -n $fuzz_seconds ]]; then
  step "fuzz build" bash "$root/scripts/fuzz.sh" --build-only
  step "fuzz ($fuzz_seconds s a target)" bash "$root/scripts/fuzz.sh" "$fuzz_seconds"
fi
