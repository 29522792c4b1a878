#!/usr/bin/env bash
# Times `regnet-explore sample --space AnyNetXA -n 500 --flops 360M:400M` at 224 px (the paper's
# protocol) on 1 and 2 threads. Prints the command's wall time (process start, sampling, writing
# 500 records), the sampling time alone, attempts and acceptance rate. Goal: <= 1 s on 1 thread.
# Usage: scripts/bench-sample.sh [BINARY] [SPACE]   (default: build/apps/regnet-explore/regnet-explore)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${REGNET_EXPLORE:-$root/build/apps/regnet-explore/regnet-explore}}
space=${2:-AnyNetXA}
[[ -x $bin ]] || { echo "no binary at $bin (build first, or pass its path)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$bin" --version >/dev/null  # warm the page cache (shared libraries)
start=$(date +%s.%N)
"$bin" --version >/dev/null
startup=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
printf 'process start-up (regnet-explore --version): %.3f s\n' "$startup"
printf '%-8s %10s %12s %12s %10s\n' threads "wall (s)" "sampling (s)" attempts acceptance
for threads in 1 2; do
  for rep in 1 2 3; do
    out="$tmp/t$threads-$rep"
    start=$(date +%s.%N)
    "$bin" sample --space "$space" -n 500 --flops 360M:400M --seed 1 --threads "$threads" --out "$out" --json \
      >"$tmp/summary.json"
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    python3 - "$tmp/summary.json" "$threads" "$wall" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
a = s["acceptance"]
print(f'{sys.argv[2]:<8} {float(sys.argv[3]):10.3f} {s["seconds"]:12.3f} {a["attempts"]:12,} {100 * a["rate"]:9.3f}%')
PY
  done
done
diff -r "$tmp/t1-1/samples" "$tmp/t2-1/samples" >/dev/null && echo "1 and 2 threads: identical samples"
