#!/usr/bin/env bash
# analyze at the paper's scale (docs/analyze.md, "Speed"): two synthetic sweeps of N trained
# models each, analyzed with the defaults; prints the time of each phase (read, numbers, figures,
# page: wall and CPU, from `analyze -v`), the whole command's wall and user+sys time
# (/usr/bin/time), the size of index.html and of the report, and the machine's load.
#
# Usage: scripts/bench-analyze.sh [N...]            default: 10000 100
# Environment: RE (the regnet-explore binary; default build/apps/regnet-explore/regnet-explore),
#   BENCH_DIR (where the sweeps are generated once and kept; default ${TMPDIR:-/tmp}/regnet-bench-analyze),
#   BENCH_ARGS (extra analyze options, e.g. "--formats png,svg,pdf" or "-j 1").
# The samples are real: `regnet-explore sample` (RegNetX and AnyNetXA, 200M:800M flops); the results
# are made up by a small generator below (error a smooth function of flops, depth and width plus
# noise), written in the documented format (docs/sweep-format.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
re=${RE:-${REGNET_BUILD_DIR:-$root/build}/apps/regnet-explore/regnet-explore}
[[ -x $re ]] || { echo "bench-analyze: no binary at $re (bash scripts/build.sh first, or set RE)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "bench-analyze: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
bench=${BENCH_DIR:-${TMPDIR:-/tmp}/regnet-bench-analyze}
mkdir -p "$bench"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(10000 100)

# fill_results DIR OFFSET SEED: a result for every sample (1% diverged), as `train` writes them.
fill_results() {
  python3 - "$@" <<'PY'
import json, math, os, random, sys
d, offset, seed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
os.makedirs(os.path.join(d, "results"), exist_ok=True)
for name in sorted(os.listdir(os.path.join(d, "samples"))):
    with open(os.path.join(d, "samples", name)) as f:
        s = json.load(f)
    rng = random.Random(seed * 1_000_003 + s["id"])
    c = s["complexity"]
    depth, width = len(s["block_widths"]), max(s["block_widths"])
    best = (offset + 4 * math.log(c["flops"] / 4e8) ** 2 + 0.05 * abs(depth - 16) + 2 * math.log(width / 400) ** 2
            + rng.gauss(0, 0.8))
    diverged = rng.random() < 0.01
    r = {"id": s["id"], "status": "diverged" if diverged else "done", "message": "",
         "final_top1_err": None if diverged else best + abs(rng.gauss(0.5, 0.3)),
         "final_top5_err": None if diverged else best / 4, "best_top1_err": None if diverged else best,
         "best_top5_err": None if diverged else best / 4, "best_epoch": 9, "history": [],
         "seconds": 60 + rng.random() * 60, "device": "cpu",
         "provenance": {"dataset": {"name": "synthetic"}, "seed": seed}}
    with open(os.path.join(d, "results", name), "w") as f:
        json.dump(r, f)
PY
}

# make_sweeps N: BENCH_DIR/nN/{regnetx,anynetxa}, generated once.
make_sweeps() {
  local n=$1 dir=$bench/n$1
  [[ -f $dir/.complete ]] && return
  rm -rf "$dir"
  mkdir -p "$dir"
  "$re" -q sample --space RegNetX -n "$n" --flops 200M:800M --seed 1 --out "$dir/regnetx" >/dev/null
  "$re" -q sample --space AnyNetXA -n "$n" --flops 200M:800M --seed 2 --out "$dir/anynetxa" >/dev/null
  fill_results "$dir/regnetx" 30 1
  fill_results "$dir/anynetxa" 31 2
  touch "$dir/.complete"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "bench-analyze: $(nproc) cores, load average $(load) (1, 5, 15 min) at the start"
for n in "${sizes[@]}"; do
  make_sweeps "$n"
  out=$bench/report-n$n
  log=$bench/analyze-n$n.log
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
  /usr/bin/time -f "TIME %e %U %S" "$re" -v analyze "$bench/n$n/regnetx" "$bench/n$n/anynetxa" --out "$out" --force \
    ${BENCH_ARGS:-} >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  read -r _ wall user sys < <(grep '^TIME ' "$log")
  phases=$(sed -n 's/.*analyze: phases: //p' "$log")
  html=$(stat -c %s "$out/index.html")
  figures=$(find "$out/figures" -name '*.gp' | wc -l)
  echo "2 x $n results: $phases"
  awk -v w="$wall" -v u="$user" -v s="$sys" 'BEGIN { printf "  whole command: %.2f s wall, %.2f s CPU (user %.2f + sys %.2f)\n", w, u + s, u, s }'
  printf '  index.html %s MB; report %s in %d files; %d figures (%s)\n' "$(awk -v b="$html" 'BEGIN { printf "%.2f", b / 1048576 }')" \
    "$(du -sh "$out" | cut -f1)" "$(find "$out" -type f | wc -l)" "$figures" \
    "$(cd "$out/figures" && ls | sed -n 's/.*\.\(png\|svg\|pdf\)$/\1/p' | sort | uniq -c | awk '{printf "%s%d %s", s, $1, $2; s=", "}')"
done
echo "bench-analyze: load average $(load) at the end"
