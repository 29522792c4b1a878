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
import sys

import numpy as np
from scipy import stats

import scipy_batch

tool, work = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(20240602)
cases = []  # (description, request, check(result) -> (ok, why))
expect_error = set()  # descriptions whose request must give {"error": ...}


def close(ours, ref, rel, abs_=0.0):
    return abs(ours - ref) <= abs_ + rel * abs(ref)


def agrees(stat, p, method):
    stat, p = float(stat), float(p)

    def check(r):
        # p-values at or below 1e-300 are zero in one and subnormal in the other.
        ok = close(r["statistic"], stat, 1e-12, 1e-15) and close(r["p_value"], p, 1e-9, 1e-300) \
            and r["method"] == method
        return ok, f"stat {r['statistic']!r} vs {stat!r}, p {r['p_value']!r} vs {p!r}, {r['method']} vs {method}"

    return check


def add_error(desc, request):
    expect_error.add(desc)
    cases.append((desc, request, lambda r: ("error" in r, r.get("error", f"no error: {r}"))))


def add(desc, x, y):
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    s, k = stats.spearmanr(x, y), stats.kendalltau(x, y)
    untied = len(np.unique(x)) == len(x) and len(np.unique(y)) == len(y)
    n = len(x)
    tot = n * (n - 1) // 2
    dis = sum(1 for i in range(n) for j in range(i + 1, n) if (x[i] - x[j]) * (y[i] - y[j]) < 0) if n <= 60 else None
    exact = untied and (n <= 33 or (dis is not None and min(dis, tot - dis) <= 1))
    for op, ref in (("spearman", (s.statistic, s.pvalue, "t")),
                    ("kendall", (k.statistic, k.pvalue, "exact" if exact else "asymptotic"))):
        cases.append((f"{op} {desc}", {"op": op, "x": x.tolist(), "y": y.tolist()}, agrees(*ref)))


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
add_error("spearman constant x", {"op": "spearman", "x": [1.0] * 5, "y": [1.0, 2, 3, 4, 5]})
add_error("kendall n=2", {"op": "kendall", "x": [1.0, 2], "y": [2.0, 1]})

scipy_batch.run(tool, work, cases, "rank_batch", allow_error=lambda desc: desc in expect_error)
