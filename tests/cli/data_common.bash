# Helpers for tests/cli/data_*.sh (sourced, not a test itself): a python3 that can write JPEGs
# (scripts/bench_data.py), and whether this build decodes images at all.
set -euo pipefail
: "${REGNET_EXPLORE:?path to the regnet-explore binary}" "${REGNET_SOURCE_DIR:?the source tree}"

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

# Ends the test as skipped unless JPEGs can be both written (PY) and decoded (the build).
require_images() {
  [[ -n $PY ]] || { echo "SKIP: no python3 with numpy and PIL (apt install python3-pil)"; exit 0; }
  decodes_images || { echo "SKIP: this build decodes no images (no OpenCV)"; exit 0; }
}
