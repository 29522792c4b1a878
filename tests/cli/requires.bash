# What a CLI test needs beyond the build (sourced by tests/cli/*.sh, not a test itself).
# A test whose tool is missing ends with exit 77 and one line "SKIP: what is missing"; every
# "cli: NAME" test has SKIP_RETURN_CODE 77 (tests/CMakeLists.txt), so ctest reports it Skipped,
# not Passed, and scripts/test.sh fails on any skip unless REGNET_ALLOW_SKIPS=1.

# skip WHAT: ends the test now as skipped.
skip() {
  echo "SKIP: $*"
  exit 77
}

# require_command CMD HINT: skips unless CMD is on PATH.
require_command() {
  command -v "$1" >/dev/null 2>&1 || skip "$1 is not on PATH ($2)"
}

# python_with MODULE...: prints Debian's python3 if it imports every MODULE, else a python3 on
# PATH that does; nothing when none does.
python_with() {
  local p imports
  imports=$(IFS=,; echo "$*")
  for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c "import $imports" 2>/dev/null; then
      command -v "$p"
      return 0
    fi
  done
}

# require_python VAR MODULE...: sets VAR to python_with's python3, or skips naming the modules.
require_python() {
  local var=$1 p lower
  shift
  p=$(python_with "$@")
  lower=${*,,}
  [[ -n $p ]] || skip "no python3 that imports $* (apt-get install python3-${lower// / python3-})"
  printf -v "$var" '%s' "$p"
}

# The Fashion-MNIST directory `train` opens by default (lib/train/data.cpp).
fashion_mnist_dir() { echo "${REGNET_DATA_ROOT:-/usr/share/datasets}/fashion-mnist"; }
has_fashion_mnist() {
  local d f
  d=$(fashion_mnist_dir)
  for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    [[ -f $d/$f || -f $d/$f.gz ]] || return 1
  done
}
# require_fashion_mnist: skips unless `train` finds Fashion-MNIST.
require_fashion_mnist() {
  has_fashion_mnist || skip "no Fashion-MNIST at $(fashion_mnist_dir) (apt-get install dataset-fashion-mnist, or set REGNET_DATA_ROOT)"
}

# A test that can run some parts without a tool: skip_part WHAT notes a part not run (one line
# now), and end_with_skips, the test's last command, exits 77 when a part was skipped.
SKIPPED_PARTS=()
skip_part() {
  echo "skipped part: $*"
  SKIPPED_PARTS+=("$*")
}
end_with_skips() {
  ((${#SKIPPED_PARTS[@]} == 0)) && return 0
  local parts
  parts=$(printf '; %s' "${SKIPPED_PARTS[@]}")
  skip "${#SKIPPED_PARTS[@]} part(s) not run: ${parts#; }"
}

# descendants PID: every process below PID (children first-level, then theirs), one pid a line:
# what a kill -9 test kills together with PID, as a crash of the whole tree would.
descendants() {
  local c
  for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    echo "$c"
    descendants "$c"
  done
}

# kill_tree PID: SIGKILL PID and every process below it (a kill -9 test's crash, and its cleanup);
# prints how many descendants it killed.
kill_tree() {
  local tree
  tree=$(descendants "$1")
  # shellcheck disable=SC2086
  kill -9 $tree "$1" 2>/dev/null || true
  wc -w <<<"$tree"
}
