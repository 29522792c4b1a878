#!/usr/bin/env python3
"""Compares `regnet-explore stats` rank correlations with scipy 1.10 on random data made here.

Usage: rank_vs_scipy.py REGNET_EXPLORE WORKDIR
The tool is run once with `stats --batch FILE`, FILE a JSON list of requests
  {"op": "spearman" | "kendall", "x": [...], "y": [...]}
and must print a JSON list of results, one per request, each
  {"statistic": rho or tau-b, "p_value": two-sided p, "method": "t" | "exact" | "asymptotic"}
or {"error": "..."} (lib/core/rank_correlation.hpp). Checks: untied and tied data, every n at
which scipy's kendalltau switches between its exact and asymptotic p-values (n <= 33, or at most
one discordant pair), p-values deep in the tail, negative correlations, and the errors for
constant input and fewer than 3 pairs.
"""
import json
import subprocess
import sys

import numpy as np
import scipy
from scipy import stats

tool, work = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(20240602)
cases = []  # (description, request, reference or None for an expected error)


def close(ours, ref, rel, abs_=0.0):
    return abs(ours - ref) <= abs_ + rel * abs(ref)


def add(desc, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    s, k = stats.spearmanr(x, y), stats.kendalltau(x, y)
    untied = len(np.unique(x)) == len(x) and len(np.unique(y)) == len(y)
    n = len(x)
    tot = n * (n - 1) // 2
    dis = sum(1 for i in range(n) for j in range(i + 1, n) if (x[i] - x[j]) * (y[i] - y[j]) < 0) if n <= 60 else None
    exact = untied and (n <= 33 or (dis is not None and min(dis, tot - dis) <= 1))
    cases.append((f"spearman {desc}", {"op": "spearman", "x": x.tolist(), "y": y.tolist()},
                  (float(s.statistic), float(s.pvalue), "t")))
    cases.append((f"kendall {desc}", {"op": "kendall", "x": x.tolist(), "y": y.tolist()},
                  (float(k.statistic), float(k.pvalue), "exact" if exact else "asymptotic")))


for n in [3, 4, 5, 8, 10, 20, 33, 34, 50, 100, 500, 2000]:
    x = rng.normal(size=n)
    add(f"untied independent n={n}", x, rng.normal(size=n))
    add(f"untied correlated n={n}", x, x + rng.normal(scale=0.5, size=n))
    add(f"untied negative n={n}", x, -x + rng.normal(scale=2.0, size=n))
    xt = np.round(rng.normal(size=n) * 2)
    add(f"ties n={n}", xt, np.round(xt + rng.normal(size=n)))
for n in [34, 40, 60]:  # one or no discordant pair: Kendall exact beyond n = 33
    x = np.arange(n, dtype=float)
    y = x.copy()
    y[[5, 6]] = y[[6, 5]]
    add(f"one swap n={n}", x, y)
    add(f"reversed n={n}", x, -x)
x = rng.normal(size=200)
add("tail n=200", x, x + rng.normal(scale=0.05, size=200))
# Errors: constant input and too few pairs.
cases.append(("spearman constant x", {"op": "spearman", "x": [1.0] * 5, "y": [1.0, 2, 3, 4, 5]}, None))
cases.append(("kendall n=2", {"op": "kendall", "x": [1.0, 2], "y": [2.0, 1]}, None))

batch = f"{work}/rank_batch.json"
with open(batch, "w") as f:
    json.dump([req for _, req, _ in cases], f)
out = subprocess.run([tool, "stats", "--batch", batch], capture_output=True, text=True)
if out.returncode != 0:
    print(out.stdout, out.stderr)
    sys.exit(1)
results = json.loads(out.stdout)
assert len(results) == len(cases)
failed = 0
for (desc, _, ref), r in zip(cases, results):
    if ref is None:
        ok, why = "error" in r, r.get("error", f"no error: {r}")
    elif "error" in r:
        ok, why = False, r["error"]
    else:
        stat, p, method = ref
        # p-values at or below 1e-300 are zero in one and subnormal in the other.
        ok = close(r["statistic"], stat, 1e-12, 1e-15) and close(r["p_value"], p, 1e-9, 1e-300) \
            and r["method"] == method
        why = f"stat {r['statistic']!r} vs {stat!r}, p {r['p_value']!r} vs {p!r}, {r['method']} vs {method}"
    if not ok:
        failed += 1
        print(f"FAIL {desc}: {why}")
print(f"scipy {scipy.__version__}, numpy {np.__version__}")
print(f"{len(cases) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
