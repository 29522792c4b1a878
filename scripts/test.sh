#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test (ctest).
# Usage: scripts/test.sh [--sanitize] [--fuzz SECONDS] [-- CTEST_ARGS...]
#   --sanitize      then also builds lib/core, test_core, the fuzz replays and the torch-free
#                   regnet-explore with AddressSanitizer + UBSan into build-sanitize/ (REGNET_SANITIZE)
#                   and runs every test there that needs no torch binary.
#   --fuzz SECONDS  then also builds the libFuzzer targets with clang (scripts/fuzz.sh, build-fuzz/)
#                   and runs each for SECONDS; a crash fails the command.
#   -- CTEST_ARGS   passed to the main ctest run, e.g. -- -R 'cli: analyze' (CI passes none).
# Each step prints its wall time ("test.sh: STEP took N s"), for sizing CI.
# A test that did not run (a CLI test exits 77 when its tool is missing: ctest says Skipped) fails
# the command, since this command installs every tool; it lists the tests and why.
# REGNET_ALLOW_SKIPS=1 lists them and passes (a developer's machine without some tool).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
usage() {
  echo "usage: scripts/test.sh [--sanitize] [--fuzz SECONDS] [-- CTEST_ARGS...]" >&2
  exit 2
}
sanitize="" fuzz_seconds="" ctest_args=()
while (($# > 0)); do
  case $1 in
    --sanitize) sanitize=1 ;;
    --fuzz) [[ ${2:-} =~ ^[0-9]+$ ]] || usage; fuzz_seconds=$2; shift ;;
    --) shift; ctest_args=("$@"); break ;;
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
run_ctest() {  # run_ctest DIR [ctest args]: ctest, then fails when a test did not run (check_not_run)
  local dir=$1 out rc=0
  shift
  out=$(mktemp)
  (cd "$dir" && ctest --output-on-failure -j "$(nproc)" --timeout 1500 "$@") 2>&1 | tee "$out" || rc=$?
  check_not_run "$dir" "$out" || rc=$((rc == 0 ? 1 : rc))
  rm -f "$out"
  return "$rc"
}
# check_not_run DIR CTEST_OUTPUT: the tests in ctest's "The following tests did not run:" block
# (Skipped: SKIP_RETURN_CODE; also Disabled, Not Run), each with its "SKIP: ..." lines from
# DIR/Testing/Temporary/LastTest.log. False when there are any, unless REGNET_ALLOW_SKIPS=1.
check_not_run() {
  local dir=$1 out=$2 not_run name
  not_run=$(awk '/^The following tests did not run:/ { on = 1; next }
                 on && /^[ \t]+[0-9]+ - / { sub(/^[ \t]+[0-9]+ - /, ""); print; next }
                 { on = 0 }' "$out")
  [[ -n $not_run ]] || return 0
  echo "test.sh: $(wc -l <<<"$not_run") test(s) did not run:"
  while IFS= read -r name; do
    echo "  $name"
    name=${name% (*)}  # "cli: x (Skipped)" -> "cli: x"
    awk -v t="$name" '/^[0-9]+\/[0-9]+ Test: / { sub(/^[0-9]+\/[0-9]+ Test: /, ""); cur = $0; next }
                      cur == t && /^SKIP: / { print "    " $0 }' "$dir/Testing/Temporary/LastTest.log" 2>/dev/null || true
  done <<<"$not_run"
  if [[ ${REGNET_ALLOW_SKIPS:-} == 1 ]]; then
    echo "test.sh: REGNET_ALLOW_SKIPS=1: not a failure"
    return 0
  fi
  echo "test.sh: FAILED: a test did not run; install what it names (scripts/install-deps.sh), or set REGNET_ALLOW_SKIPS=1"
  return 1
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
step "ctest" run_ctest "${REGNET_BUILD_DIR:-$root/build}" "${ctest_args[@]}"

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
