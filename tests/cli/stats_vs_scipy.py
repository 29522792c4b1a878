#!/usr/bin/env python3
"""Compares `regnet-explore stats` with scipy/numpy on random data sets made here.

Usage: stats_vs_scipy.py REGNET_EXPLORE WORKDIR
Checks: EDF (strict), NDS bins and weights, weighted EDF, KS D and p-value against
scipy.stats.ks_2samp (method "auto": exact and asymptotic regimes), kstwo.sf in every branch,
weighted KS from effective sample sizes, expected best-of-m against brute force, bootstrap on
data with a known best value. One process of the tool runs every case (--batch).
"""
import itertools
import math
import sys

import numpy as np
from scipy import special, stats

import scipy_batch

tool, work = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(20240601)
cases = []  # (description, request, check(result))


def add(desc, request, check):
    cases.append((desc, request, check))


def close(ours, ref, rel, abs_=0.0):
    return abs(ours - ref) <= abs_ + rel * abs(ref)


# --- KS: exact regime (max(n1, n2) <= 10000), asymptotic beyond -----------------------------
def ks_case(a, b, desc, rel=1e-9, abs_=1e-14):
    ref = stats.ks_2samp(a, b)  # defaults: two-sided, method="auto"

    def check(r):
        ok_d = close(r["d"], ref.statistic, 1e-12)
        ok_p = close(r["p_value"], ref.pvalue, rel, abs_)
        return ok_d and ok_p, f"D {r['d']!r} vs {ref.statistic!r}, p {r['p_value']!r} vs {ref.pvalue!r} ({r['method']})"

    add(desc, {"op": "ks", "a": list(map(float, a)), "b": list(map(float, b))}, check)


sizes = [(1, 1), (1, 7), (3, 3), (5, 7), (10, 13), (20, 20), (37, 41), (50, 100), (100, 100), (100, 137),
         (250, 311), (500, 500), (480, 512), (1000, 997), (3000, 2000)]
for n1, n2 in sizes:
    for shift in (0.0, 0.3, 1.0):
        a = rng.normal(0, 1, n1)
        b = rng.normal(shift, 1.2, n2)
        ks_case(a, b, f"ks exact n={n1},{n2} shift={shift}")
# Ties, identical samples, disjoint samples.
a = np.round(rng.normal(30, 2, 120), 0)
b = np.round(rng.normal(30.5, 2, 90), 0)
ks_case(a, b, "ks with ties")
ks_case(a, a, "ks identical samples")
ks_case(np.arange(40.0), np.arange(40.0) + 100, "ks disjoint equal sizes")
ks_case(np.arange(40.0), np.arange(55.0) + 100, "ks disjoint unequal sizes")
# Asymptotic regime: kstwo.sf at round(n1 n2 / (n1 + n2)) in each of its branches.
for n1, n2, shift in [(10001, 12000, 0.0), (10001, 12000, 0.05), (12000, 10500, 0.2), (10050, 300, 0.1),
                      (10050, 300, 0.3), (11000, 60, 0.2), (11000, 60, 0.6), (10001, 3, 1.0), (10001, 1, 3.0)]:
    a = rng.normal(0, 1, n1)
    b = rng.normal(shift, 1, n2)
    ks_case(a, b, f"ks asymptotic n={n1},{n2} shift={shift}", rel=1e-8, abs_=1e-13)

# --- kstwo.sf directly, across the Simard-L'Ecuyer branches ---------------------------------
for n in [1, 2, 3, 5, 10, 31, 80, 140, 141, 300, 1000, 5000, 20000, 100001, 150000]:
    for d in [0.5 / n, 0.8 / n, 1.0 / n, 1.5 / n, 0.3 / math.sqrt(n), 0.6 / math.sqrt(n), 0.9 / math.sqrt(n),
              1.2 / math.sqrt(n), 1.6 / math.sqrt(n), 2.5 / math.sqrt(n), 4.5 / math.sqrt(n), 0.45, 0.55, 0.9,
              1 - 1.5 / n]:
        if not 0 < d < 1:
            continue
        ref = float(stats.kstwo.sf(d, n))

        def check(r, ref=ref):
            return close(r["sf"], ref, 1e-8, 1e-13), f"sf {r['sf']!r} vs {ref!r}"

        add(f"kstwo n={n} d={d:.6g}", {"op": "kstwo", "n": n, "d": d}, check)

# --- EDF ------------------------------------------------------------------------------------
for n in (1, 7, 100):
    e = np.round(rng.uniform(30, 50, n), 1)  # rounded: ties
    at = np.concatenate([e, np.linspace(29, 51, 23)])
    ref = np.searchsorted(np.sort(e), at, side="left") / n  # F(x) = #{e_i < x} / n
    xs, counts = np.unique(e, return_counts=True)
    ref_y = np.cumsum(counts) / n

    def check(r, ref=ref, xs=xs, ref_y=ref_y):
        ok = np.allclose(r["edf"], ref, rtol=0, atol=1e-15) and np.array_equal(r["curve_x"], xs) \
            and np.allclose(r["curve_y"], ref_y, rtol=1e-15, atol=0)
        return ok, f"max |diff| {np.max(np.abs(np.array(r['edf']) - ref))}"

    add(f"edf n={n}", {"op": "edf", "a": e.tolist(), "at": at.tolist()}, check)

# --- NDS normalized weights and weighted EDF ---------------------------------------------------
for n, k in [(100, 5), (100, 10), (300, 7), (50, 1)]:
    flops = rng.uniform(360, 400, n)
    err = rng.normal(40, 3, n) - 0.05 * (flops - 380)
    edges = np.linspace(flops.min(), flops.max(), k + 1)
    bins = np.searchsorted(edges[:-1], flops, side="right") - 1  # the max falls in the last bin
    m = np.bincount(bins, minlength=k)
    if (m == 0).any():
        continue
    w = 1.0 / (k * m[bins])
    at = np.linspace(30, 50, 41)
    wedf = np.array([w[err < x].sum() for x in at])

    def check(r, bins=bins, w=w, wedf=wedf):
        ok = list(r["bin"]) == bins.tolist() and np.allclose(r["weights"], w, rtol=1e-15, atol=0) \
            and np.allclose(r["weighted_edf"], wedf, rtol=1e-12, atol=1e-15) and abs(r["curve_y"][-1] - 1) < 1e-12
        return ok, f"bins equal {list(r['bin']) == bins.tolist()}"

    add(f"nds n={n} k={k}", {"op": "nds", "a": flops.tolist(), "bins": k, "errors": err.tolist(), "at": at.tolist()},
        check)
# An empty bin is an error naming the bin and a smaller K.
gap = np.concatenate([rng.uniform(0, 1, 20), rng.uniform(9, 10, 20)])
add("nds empty bin", {"op": "nds", "a": gap.tolist(), "bins": 10},
    lambda r: ("error" in r and "bin 2" in r["error"] and "--bins" in r["error"], r.get("error", "no error")))


# --- Weighted KS: D of the weighted EDFs, p from the effective sample sizes ---------------------
def weighted_ks(a, wa, b, wb):
    wa = np.asarray(wa) / np.sum(wa)
    wb = np.asarray(wb) / np.sum(wb)
    pts = np.unique(np.concatenate([a, b]))
    fa = np.array([wa[a <= x].sum() for x in pts])
    fb = np.array([wb[b <= x].sum() for x in pts])
    d = np.max(np.abs(fa - fb))
    na = 1 / np.sum(wa ** 2)
    nb = 1 / np.sum(wb ** 2)
    return d, float(stats.kstwo.sf(d, np.round(na * nb / (na + nb))))


for n1, n2 in [(100, 100), (80, 130), (400, 250)]:
    a = rng.normal(40, 3, n1)
    b = rng.normal(41, 3, n2)
    wa = rng.uniform(0.2, 1, n1)
    wb = rng.uniform(0.2, 1, n2)
    d, p = weighted_ks(a, wa, b, wb)
    add(f"weighted ks n={n1},{n2}",
        {"op": "ks", "a": a.tolist(), "b": b.tolist(), "wa": wa.tolist(), "wb": wb.tolist()},
        lambda r, d=d, p=p: (close(r["d"], d, 1e-12) and close(r["p_value"], p, 1e-8, 1e-13),
                             f"D {r['d']} vs {d}, p {r['p_value']} vs {p}"))
a = rng.normal(40, 3, 60)
b = rng.normal(41, 3, 70)
ref = stats.ks_2samp(a, b)
add("weighted ks with equal weights is the plain test",
    {"op": "ks", "a": a.tolist(), "b": b.tolist(), "wa": [0.5] * 60, "wb": [2.0] * 70},
    lambda r: (close(r["d"], ref.statistic, 1e-12) and close(r["p_value"], ref.pvalue, 1e-9, 1e-14),
               f"p {r['p_value']} vs {ref.pvalue}"))

# --- Expected best of m: brute force over all subsets, and the order-statistics formula --------
small = np.round(rng.uniform(30, 40, 9), 2)
small[3] = small[5]  # a tie
ms = list(range(1, 10))
brute = [np.mean([min(c) for c in itertools.combinations(small, m)]) for m in ms]
add("best-of brute force n=9", {"op": "best-of", "a": small.tolist(), "m": ms},
    lambda r: (np.allclose(r["expected_best"], brute, rtol=1e-12), f"{r['expected_best']} vs {brute}"))
big = rng.uniform(30, 40, 500)
s = np.sort(big)
ms = [1, 2, 4, 8, 16, 32, 64, 128, 256, 500]
formula = [sum(s[i] * special.comb(500 - i - 1, m - 1, exact=True) / special.comb(500, m, exact=True)
               for i in range(500 - m + 1)) for m in ms]
add("best-of formula n=500", {"op": "best-of", "a": big.tolist(), "m": ms},
    lambda r: (np.allclose(r["expected_best"], formula, rtol=1e-10), f"{r['expected_best']} vs {formula}"))

# --- Bootstrap: error minimized at x = 3 with noise --------------------------------------------
x = rng.uniform(0, 6, 400)
e = 30 + 2 * (x - 3) ** 2 + rng.normal(0, 0.5, 400)
add("bootstrap known best x=3", {"op": "bootstrap", "x": x.tolist(), "errors": e.tolist(), "seed": 1},
    lambda r: (r["lo"] <= 3 <= r["hi"] and abs(r["median"] - 3) < 0.3 and r["hi"] - r["lo"] < 2,
               f"median {r['median']} band [{r['lo']}, {r['hi']}]"))

# --- Run all cases in one process ---------------------------------------------------------------
scipy_batch.run(tool, work, cases, "batch", allow_error=lambda desc: desc.startswith("nds empty"))
