#!/usr/bin/env bash
# `audit` end to end without training: a sampled sweep gets recorded short-schedule results, the
# audit picks k models over the quantiles into its sibling sweep, that sweep gets recorded
# long-schedule results, and `audit --no-train --json` reports rho, tau and their p-values, which
# must agree with scipy's spearmanr and kendalltau on the same numbers; `analyze` on the audit sweep
# writes the scatter. Then the refusals: one line, exit 2, nothing written.
set -euo pipefail
: "${REGNET_EXPLORE:?set REGNET_EXPLORE to the regnet-explore binary}"
source "$(dirname "$0")/requires.bash"
py=""
require_python py scipy
W=$(mktemp -d /tmp/regnet-audit.XXXXXX)
E=$(mktemp -d /tmp/regnet-audit-err.XXXXXX)  # the commands' messages, outside what is checked
trap 'rm -rf "$W" "$E"' EXIT
fail() {
  echo "FAIL: $*"
  exit 1
}

"$REGNET_EXPLORE" sample --space RegNetX -n 24 --preset fashion-mnist --flops :3M --seed 5 --out "$W/rx" >/dev/null
cat >"$W/long.json" <<'EOF'
{"name": "long-test", "epochs": 4, "batch_size": 64, "base_lr": 0.1, "train_limit": 512, "test_limit": 256}
EOF
# The smoke schedule as a result records it (train's plan prints it).
"$REGNET_EXPLORE" train "$W/rx" --schedule smoke --dry-run --json >"$E/plan.json"
# record SWEEP SEED IDS: a result per id, errors from SEED, trained "with" the smoke schedule.
record() {
  "$py" - "$E/plan.json" "$@" <<'EOF'
import json, os, random, sys
plan, sweep, seed, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
schedule = json.load(open(plan))["schedule"]
for i in range(n):
    e = round(20 + 10 * rng.random(), 2)
    r = {"id": i, "status": "done", "best_top1_err": e, "final_top1_err": e + 0.25,
         "provenance": {"schedule": schedule}}
    with open(os.path.join(sweep, "results", "%06d.json" % i), "w") as f:
        json.dump(r, f)
EOF
}
record "$W/rx" 1 24

# The audit sweep, created but not trained: nothing to report yet (fewer than 3 trained).
rc=0
"$REGNET_EXPLORE" audit "$W/rx" --schedule "$W/long.json" -k 9 --no-train 2>"$E/err" || rc=$?
((rc == 2)) && grep -q "0 of the 9 audited models trained" "$E/err" || fail "untrained audit: rc $rc, $(cat "$E/err")"
[[ -f $W/rx-audit-long-test/sweep.json ]] || fail "no audit sweep"
"$py" - "$W" <<'EOF'
import json, sys
w = sys.argv[1]
j = json.load(open(f"{w}/rx-audit-long-test/sweep.json"))
src = {i: json.load(open(f"{w}/rx/results/%06d.json" % i))["best_top1_err"] for i in range(24)}
ranked = sorted(src, key=lambda i: (src[i], i))
want = sorted(ranked[round(i * 23 / 8)] for i in range(9))  # the quantile picks
assert j["audit"]["source_ids"] == want, (j["audit"]["source_ids"], want)
assert j["audit"]["short_errors"]["best"] == [src[i] for i in want]
assert j["train_defaults"]["schedule"].endswith("long.json") and j["n"] == 9, j
EOF
record "$W/rx-audit-long-test" 2 9
"$REGNET_EXPLORE" audit "$W/rx" --schedule "$W/long.json" -k 9 --no-train --json >"$W/audit.json"
"$py" - "$W/audit.json" <<'EOF'
import json, sys
from scipy import stats
j = json.load(open(sys.argv[1]))
x, y = j["short_errors"], j["long_errors"]
s, k = stats.spearmanr(x, y), stats.kendalltau(x, y)
close = lambda a, b: abs(a - b) <= 1e-12 + 1e-9 * abs(b)
assert close(j["spearman"]["rho"], s.statistic) and close(j["spearman"]["p_value"], s.pvalue), (j["spearman"], s)
assert close(j["kendall"]["tau"], k.statistic) and close(j["kendall"]["p_value"], k.pvalue), (j["kendall"], k)
lo, hi = j["spearman"]["ci"]
assert -1 <= lo <= hi <= 1 and j["trained"] == 9 and j["top_quarter"]["size"] == 3, j
assert j["verdict"].startswith(("faithful: ", "warning: ")), j["verdict"]
print(f"audit_vs_scipy: rho {s.statistic:.4f} p {s.pvalue:.4g}, tau {k.statistic:.4f} p {k.pvalue:.4g} agree")
EOF
"$REGNET_EXPLORE" analyze "$W/rx-audit-long-test" --out "$W/report" --bootstrap 100 --no-render >/dev/null 2>&1
[[ -f $W/report/figures/audit_rx_audit_long_test.csv ]] || fail "analyze drew no audit scatter"

# Refusals: exit 2, one line, nothing new on disk.
snapshot() { (cd "$W" && find . -printf '%p %s\n' | sort); }
refused() {
  local pattern=$1 before rc=0
  shift
  before=$(snapshot)
  "$REGNET_EXPLORE" "$@" >/dev/null 2>"$E/err" || rc=$?
  ((rc == 2)) || fail "$*: exit $rc ($(cat "$E/err"))"
  [[ $(wc -l <"$E/err") == 1 ]] || fail "$*: not one line: $(cat "$E/err")"
  grep -q -- "$pattern" "$E/err" || fail "$*: '$(cat "$E/err")' lacks '$pattern'"
  [[ $before == "$(snapshot)" ]] || fail "$*: wrote something"
  echo "ok: $(cat "$E/err")"
}
"$REGNET_EXPLORE" sample --space AnyNetXA -n 6 --preset fashion-mnist --flops :3M --seed 5 --out "$W/xa" >/dev/null
"$REGNET_EXPLORE" sample --space AnyNetXA -n 6 --preset fashion-mnist --flops :9M --seed 5 --out "$W/wide" >/dev/null
refused "no trained model" audit "$W/xa" --schedule "$W/long.json"
refused "-k: 30 is more than the 24 trained models" audit "$W/rx" --schedule "$W/long.json" -k 30
refused "is the schedule .* was trained with" audit "$W/rx" --schedule smoke -k 4
refused "is not an audit of" audit "$W/rx" --schedule "$W/long.json" -k 4 --out "$W/rx-audit-long-test"
refused "1 sweep given" compare "$W/xa"
refused "--alpha: 0.7 must be in (0, 0.5)" compare "$W/xa" "$W/rx" --alpha 0.7 --out "$W/c"
refused "looks: 8 after 12: looks must increase" compare "$W/xa" "$W/rx" --looks 4,12,8 --out "$W/c"
refused "window: .*not comparable .*--force" compare "$W/xa" "$W/wide" --out "$W/c"
refused "000000.json: provenance.schedule: trained with 'smoke', not .*fashion-mnist-quick.json" compare "$W/xa" "$W/rx" --schedule fashion-mnist-quick --out "$W/c"
# --force compares different windows with a warning (and writes compare.json, training nothing).
"$REGNET_EXPLORE" compare "$W/xa" "$W/wide" --force --no-train --out "$W/c" >/dev/null 2>"$E/err"
grep -q "warning: .*window" "$E/err" || fail "--force: no warning: $(cat "$E/err")"
[[ -f $W/c/compare.json ]] || fail "--force --no-train wrote no compare.json"
echo "PASS"
