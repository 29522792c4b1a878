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


# --- NDS normalized weights and weighted EDF ---------------------------------------------------
def nds_bins(c, k, lo, hi):
    """numpy.histogram's bins over (lo, hi) as numpy.digitize indexes them (the right edge moved
    into the last bin); -1 outside the range."""
    edges = np.histogram_bin_edges(c, bins=k, range=(lo, hi))
    inds = np.digitize(c, edges) - 1
    inds[c == edges[-1]] = k - 1
    inds[(c < lo) | (c > hi)] = -1
    return inds, np.histogram(c, bins=k, range=(lo, hi))[0], edges


def nds_weights(c, k, lo, hi):
    inds, hist, _ = nds_bins(c, k, lo, hi)
    return inds, np.where(inds >= 0, 1.0 / (k * hist[np.maximum(inds, 0)]), 0.0)


for n, k in [(100, 5), (100, 10), (300, 7), (50, 1)]:
    flops = rng.uniform(360, 400, n)
    err = rng.normal(40, 3, n) - 0.05 * (flops - 380)
    bins, w = nds_weights(flops, k, flops.min(), flops.max())
    if (np.bincount(bins, minlength=k) == 0).any():
        continue
    at = np.linspace(30, 50, 41)
    wedf = np.array([w[err < x].sum() for x in at])

    def check(r, bins=bins, w=w, wedf=wedf):
        s = r["samples"][0]
        ok = s["bin"] == bins.tolist() and np.allclose(s["weights"], w, rtol=1e-15, atol=0) \
            and np.allclose(s["weighted_edf"], wedf, rtol=1e-12, atol=1e-15) and abs(s["curve_y"][-1] - 1) < 1e-12
        return ok, f"bins equal {s['bin'] == bins.tolist()}"

    add(f"nds n={n} k={k}", {"op": "nds", "a": flops.tolist(), "bins": k, "errors": err.tolist(), "at": at.tolist()},
        check)


# Several samples of different complexity distributions over ONE range: by default the
# intersection of their ranges, K chosen as the largest <= min(10, n/10) with no empty bin.
def nds_shared_case(cs, errs, desc, k=0, lo=None, hi=None):
    r_lo = max(c.min() for c in cs) if lo is None else lo
    r_hi = min(c.max() for c in cs) if hi is None else hi
    if k == 0:
        fewest = min(int(((c >= r_lo) & (c <= r_hi)).sum()) for c in cs)
        k = next(kk for kk in range(max(1, min(10, fewest // 10)), 0, -1)
                 if all((nds_bins(c, kk, r_lo, r_hi)[1] > 0).all() for c in cs))
    ref = [nds_weights(c, k, r_lo, r_hi) for c in cs]
    inside = [(e[b >= 0], w[b >= 0]) for e, (b, w) in zip(errs, ref)]
    d_ref = []
    for i in range(len(cs)):
        for j in range(i + 1, len(cs)):
            d_ref.append(weighted_ks(inside[i][0], inside[i][1], inside[j][0], inside[j][1]))
    edges = nds_bins(cs[0], k, r_lo, r_hi)[2]

    def check(r):
        ok = r["bins"] == k and r["range"] == [r_lo, r_hi] and np.allclose(r["edges"], edges, rtol=1e-15, atol=0)
        for s, (b, w), c in zip(r["samples"], ref, cs):
            ok = ok and s["bin"] == b.tolist() and np.allclose(s["weights"], w, rtol=1e-15, atol=0) \
                and s["outside"] == int((b < 0).sum())
        for ks, (d, p) in zip(r["ks"], d_ref):
            ok = ok and close(ks["d"], d, 1e-12) and close(ks["p_value"], p, 1e-8, 1e-13)
        return ok, f"K {r['bins']} vs {k}, range {r['range']} vs {[r_lo, r_hi]}, D {[x['d'] for x in r['ks']]} vs {d_ref}"

    req = {"op": "nds", "complexity": [c.tolist() for c in cs], "errors": [e.tolist() for e in errs], "bins": k if lo is not None else 0}
    if lo is not None:
        req.update({"lo": lo, "hi": hi})
    add(desc, req, check)


for windows, sizes in [([(2e6, 4e6), (3e6, 5e6)], (120, 150)), ([(360e6, 400e6), (350e6, 390e6), (370e6, 420e6)], (200, 90, 300)),
                       ([(2e6, 5e6), (2e6, 5e6)], (24, 24))]:
    cs, errs = [], []
    for (a_, b_), n in zip(windows, sizes):
        c = np.round(rng.uniform(a_, b_, n))  # whole flops counts
        cs.append(c)
        errs.append(np.round(45 - 4 * np.log(c / 1e6) + rng.normal(0, 1, n), 2))
    nds_shared_case(cs, errs, f"nds shared range {windows}")
    lo, hi = float(max(c.min() for c in cs) + 1000), float(min(c.max() for c in cs) - 1000)
    nds_shared_case(cs, errs, f"nds given range {windows} k=2", k=2, lo=lo, hi=hi)
# A value exactly on the right edge belongs to the last bin; exactly on an inner edge, to the bin above.
edge = np.array([0.0, 2.5, 5.0, 7.5, 10.0, 12.0])
add("nds right edge", {"op": "nds", "a": edge.tolist(), "bins": 4, "lo": 0, "hi": 10},
    lambda r: (r["samples"][0]["bin"] == [0, 1, 2, 3, 3, -1], str(r["samples"][0]["bin"])))
# An empty bin is an error naming the bin and a smaller K; disjoint ranges are an error.
gap = np.concatenate([rng.uniform(0, 1, 20), rng.uniform(9, 10, 20)])
add("nds empty bin", {"op": "nds", "a": gap.tolist(), "bins": 10},
    lambda r: ("error" in r and "bin 2" in r["error"] and "--bins" in r["error"], r.get("error", "no error")))
add("nds disjoint", {"op": "nds", "complexity": [[1, 2, 3], [5, 6]]},
    lambda r: ("error" in r and "do not overlap" in r["error"], r.get("error", "no error")))


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
scipy_batch.run(tool, work, cases, "batch", allow_error=lambda desc: desc in ("nds empty bin", "nds disjoint"))
