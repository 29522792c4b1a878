# Helpers for tests/cli/data_*.sh (sourced, not a test itself): a python3 that can write JPEGs
# (scripts/bench_data.py), and whether this build decodes images at all.
set -euo pipefail
: "${REGNET_EXPLORE:?path to the regnet-explore binary}" "${REGNET_SOURCE_DIR:?the source tree}"
source "$(dirname "${BASH_SOURCE[0]}")/requires.bash"

fail() {
  echo "FAIL: $*"
  exit 1
}

# PY: Debian's python3 (numpy, PIL) if it has them, else one on PATH that does; empty if none.
PY=""
for p in /usr/bin/python3 python3; do
  if command -v "$p" >/dev/null && "$p" -c "import numpy, PIL" 2>/dev/null; then PY=$p; break; fi
done

# True when `data pack` can decode images (a build with OpenCV).
decodes_images() {
  local probe
  probe=$("$REGNET_EXPLORE" data pack /nonexistent --out /nonexistent.pack 2>&1 || true)
  [[ $probe != *OpenCV* ]]
}

# Ends the test as skipped (exit 77) unless JPEGs can be both written (PY) and decoded (the build).
require_images() {
  [[ -n $PY ]] || skip "no python3 with numpy and PIL (apt-get install python3-numpy python3-pil)"
  decodes_images || skip "this build decodes no images (no OpenCV: apt-get install libopencv-dev, then rebuild)"
}

# Files under $W with their sizes: what a failing command must leave as it was.
snapshot() { (cd "$W" && find . -printf '%p %s\n' | sort); }

# expect_error WHAT PATTERN -- ARGS: `regnet-explore ARGS --quiet` exits 2 with one stderr line
# that contains PATTERN, and changes nothing under $W.
expect_error() {
  local what=$1 pattern=$2 before rc=0 err
  shift 3
  before=$(snapshot)
  err=$("$REGNET_EXPLORE" "$@" --quiet 2>&1 >/dev/null) || rc=$?
  ((rc == 2)) || fail "$what: exit $rc, expected 2 ($err)"
  [[ $(printf '%s\n' "$err" | wc -l) == 1 ]] || fail "$what: expected one line, got: $err"
  [[ $err == *"$pattern"* ]] || fail "$what: '$err' lacks '$pattern'"
  [[ $before == "$(snapshot)" ]] || fail "$what: files changed"
  echo "ok: $what: $err"
}
