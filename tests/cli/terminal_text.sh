#!/usr/bin/env bash
# Text from names and files reaches the terminal escaped (core/base/terminal_text): a sweep
# directory named with an OSC title sequence and a newline followed by a fake error line, --names
# with ESC, a model name with escapes. Each run's stdout and stderr hold no raw control character
# (but newline and tab) and no line a name started.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
here=$(cd "$(dirname "$0")" && pwd)
source "$here/requires.bash"
require_command python3 "apt-get install python3"
RE=$REGNET_EXPLORE
tmp=$(mktemp -d /tmp/regnet-terminal.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Exit code `want` for the command, and nothing a terminal would act on in what it printed.
check() {
  local want=$1 rc=0
  shift
  "$RE" "$@" >out 2>err || rc=$?
  [[ $rc -eq $want ]] || fail "exit $rc (want $want): $*: $(cat err)"
  python3 - out err <<'PY' || fail "raw control characters or a faked line from: $*"
import re, sys
for name in sys.argv[1:]:
    data = open(name, "rb").read()
    if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", data):
        sys.exit("%s: %r" % (name, data[:300]))
    if len(re.findall(rb"^regnet-explore: error", data, re.M)) > (1 if name == "err" else 0):
        sys.exit("%s: %r" % (name, data[:300]))
PY
}

name=$'s\e]0;pwned\a\nregnet-explore: error: fake'
"$RE" sample --space RegNetX -n 4 --preset fashion-mnist --flops :2M --seed 1 --out "$name" -q >/dev/null
cp -r "$name" t
for i in 0 1 2 3; do
  printf '{"id": %d, "status": "done", "best_top1_err": %d, "final_top1_err": 30}' $i $((20 + i)) >"$name/results/00000$i.json"
  printf '{"id": %d, "status": "done", "best_top1_err": %d, "final_top1_err": 30}' $i $((25 - i)) >"t/results/00000$i.json"
done
check 0 analyze "$name" t --out r --no-render --bootstrap 100
grep -qF 's\x1b]0;pwned\x07\x0aregnet-explore: error: fake' out || fail "the sweep's name is not shown escaped: $(cat out)"
check 0 analyze "$name" t --out r --no-render --bootstrap 100 --json
check 0 fit "$name" --resamples 100
check 0 compare "$name" t --no-train --out c
check 2 analyze "$name" t --out r2 --names $'a\e[2J,b'
grep -qF -- "--names: 'a\\x1b[2J' holds a control character" err || fail "--names: $(cat err)"
check 2 describe $'RegNetX\e]0;pwned\a\nregnet-explore: error: fake'
grep -qF 'RegNetX\x1b]0;pwned\x07' err || fail "describe: $(cat err)"
echo "terminal_text: OK"
