#!/usr/bin/env bash
# Trainings saved by the group-sequential comparison (docs/statistics.md, "Benchmark"): resamples
# many sequential comparisons from recorded errors (a CSV sweep,id,error of two sweeps) and from
# synthetic pairs, and prints power, null rejection rate and mean trainings until a decision for
# the sequential designs, a Bonferroni-over-looks peer and the fixed-n KS test at each look size.
#
# Then the three-outcome comparison (compare --margin): a mixed scenario set on the recorded errors
# (equal spaces, a shift at the margin, half the margin, two and four margins, the recorded pair) at
# max-n 32 and 64, and equal spaces over the ratio spread / margin, each against the fixed-n test
# with the same error rates and the max-n protocol.
#
# Usage: scripts/bench-compare.sh [CSV] [bench options: --reps N --seed S --alpha A --looks 5,8,12,...
#          --margin M --only ks|three-way --table-max-n 32,64,128]
#          CSV defaults to tests/data/anynetxa_vs_regnetx_errors.csv; without it only synthetic pairs run.
#        scripts/bench-compare.sh --export SWEEP_A SWEEP_B [best|final] > errors.csv
#          writes the CSV from two trained sweep directories (best_top1_err by default; a model
#          that failed or diverged gets "nan"; untrained samples are left out), after '#' lines
#          saying where the errors came from (space, seed, window, dataset, schedule, n).
# Environment: BENCH_COMPARE (the bench binary; default build/tests/bench_compare).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if [[ ${1:-} == --export ]]; then
  [[ $# -ge 3 ]] || { echo "bench-compare: --export needs SWEEP_A SWEEP_B" >&2; exit 2; }
  metric=${4:-best}
  [[ $metric == best || $metric == final ]] || { echo "bench-compare: metric '$metric': best or final" >&2; exit 2; }
  exec python3 - "$2" "$3" "$metric" <<'PY'
import glob, json, math, os, sys
*dirs, metric = sys.argv[1:]

def load(path):
    with open(path) as f:
        return json.load(f)

# '#' lines first: where the errors came from (the sweep and its results' provenance).
rows = []
print(f"# scripts/bench-compare.sh --export {' '.join(os.path.basename(os.path.normpath(d)) for d in dirs)} {metric}")
for d in dirs:
    if not os.path.isfile(os.path.join(d, "sweep.json")):
        sys.exit(f"bench-compare: {d}: not a sweep directory (no sweep.json)")
    name = os.path.basename(os.path.normpath(d))
    sweep = load(os.path.join(d, "sweep.json"))
    results = [load(p) for p in sorted(glob.glob(os.path.join(d, "results", "*.json")))]
    how = sorted({(r.get("provenance", {}).get("dataset", {}).get("name", "?"),
                   r.get("provenance", {}).get("schedule", {}).get("name", "?"),
                   r.get("provenance", {}).get("schedule", {}).get("epochs", "?")) for r in results})
    window = sweep.get("request", {}).get("flops")
    print(f"# {name}: {sweep.get('space_name')} sampled with seed {sweep.get('seed')}, flops {window}, "
          f"{len(results)} of {sweep.get('n')} samples trained ({metric}_top1_err); "
          + "; ".join(f"{ds}, schedule {sch} ({ep} epochs)" for ds, sch, ep in how))
    for r in results:
        e = r.get(f"{metric}_top1_err")
        ok = r.get("status") == "done" and isinstance(e, (int, float)) and math.isfinite(e)
        rows.append(f"{name},{r['id']},{e if ok else 'nan'}")
print("sweep,id,error")
print("\n".join(rows))
PY
fi

bin=${BENCH_COMPARE:-${REGNET_BUILD_DIR:-$root/build}/tests/bench_compare}
[[ -x $bin ]] || { echo "bench-compare: no binary at $bin (bash scripts/build.sh first, or set BENCH_COMPARE)" >&2; exit 1; }
csv=$root/tests/data/anynetxa_vs_regnetx_errors.csv
if [[ $# -gt 0 && $1 != --* ]]; then csv=$1; shift; fi
if [[ ! -f $csv ]]; then
  echo "bench-compare: note: no recorded errors at $csv." >&2
  echo "  Produce them from the main job (AnyNetXA and RegNetX, 32 models each, Fashion-MNIST):" >&2
  echo "    bash scripts/run-main.sh OUT && bash scripts/bench-compare.sh --export OUT/AnyNetXA OUT/RegNetX > $csv" >&2
  echo "  Running the synthetic pairs only." >&2
  exec "$bin" "$@"
fi
exec "$bin" --csv "$csv" "$@"
