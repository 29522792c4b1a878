#!/usr/bin/env bash
# analyze at the paper's scale (docs/analyze.md, "Speed"): two synthetic sweeps of N trained
# models each, analyzed with the defaults; prints the time of each phase (read, numbers, figures,
# page: wall and CPU, from `analyze -v`), the whole command's wall and user+sys time
# (/usr/bin/time), the size of index.html and of the report, and the machine's load.
#
# Usage: scripts/bench-analyze.sh [N...]            default: 10000 100
# Environment: RE (the regnet-explore binary; default build/apps/regnet-explore/regnet-explore),
#   BENCH_DIR (where the sweeps are generated once and kept; default ${TMPDIR:-/tmp}/regnet-bench-analyze),
#   BENCH_ARGS (extra analyze options, e.g. "--formats png,svg,pdf" or "-j 1"),
#   OLD_RE (a peer binary, e.g. one built from main before this change: run on the same sweeps in
#   the same session, after the new one, and the ratio of wall times printed).
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

# run_analyze BINARY OUT [ARGS...]: analyze the two sweeps of size $n; sets wall, cpu, phases.
run_analyze() {
  local bin=$1 out=$2 log=$bench/analyze.log
  shift 2
  rm -rf "$out"
  /usr/bin/time -f "TIME %e %U %S" "$bin" -v analyze "$bench/n$n/regnetx" "$bench/n$n/anynetxa" --out "$out" "$@" \
    >/dev/null 2>"$log" || { cat "$log" >&2; exit 1; }
  local user sys
  read -r _ wall user sys < <(grep '^TIME ' "$log")
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  phases=$(sed -n 's/.*analyze: phases: //p' "$log")
}

# describe OUT: the size of index.html and of the report, and the figures' files.
describe() {
  local out=$1 html
  html=$(stat -c %s "$out/index.html")
  printf '  index.html %s MB; report %s in %d files; %d figures (%s)\n' "$(awk -v b="$html" 'BEGIN { printf "%.2f", b / 1048576 }')" \
    "$(du -sh "$out" | cut -f1)" "$(find "$out" -type f | wc -l)" "$(find "$out/figures" -name '*.gp' | wc -l)" \
    "$(cd "$out/figures" && ls | sed -n 's/.*\.\(png\|svg\|pdf\)$/\1/p' | sort | uniq -c | awk '{printf "%s%d %s", s, $1, $2; s=", "}')"
}

echo "bench-analyze: $(nproc) cores, load average $(load) (1, 5, 15 min) at the start"
for n in "${sizes[@]}"; do
  make_sweeps "$n"
  # shellcheck disable=SC2086  # BENCH_ARGS is a list of options
  run_analyze "$re" "$bench/report-n$n" ${BENCH_ARGS:-}
  new_wall=$wall
  echo "2 x $n results: $phases"
  echo "  whole command: $wall s wall, $cpu s CPU (user + sys, gnuplot included)"
  describe "$bench/report-n$n"
  if [[ -n ${OLD_RE:-} ]]; then
    run_analyze "$OLD_RE" "$bench/report-old-n$n"
    echo "  peer $OLD_RE: $wall s wall, $cpu s CPU; new/peer wall ratio $(awk -v a="$new_wall" -v b="$wall" 'BEGIN { printf "%.2f", a / b }')"
    describe "$bench/report-old-n$n"
  fi
done
echo "bench-analyze: load average $(load) at the end"
