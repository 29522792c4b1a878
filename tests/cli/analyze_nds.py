#!/usr/bin/env python3
"""Helpers of tests/cli/analyze_nds.sh: an independent implementation of NDS's normalized EDF
(compute_norm_ws: numpy.histogram over one shared range, numpy.digitize, weight 1/(K m_j)), the
results of synthetic sweeps, and the checks.

Usage: analyze_nds.py results DIR OFFSET          write made-up results (error falls with flops)
       analyze_nds.py check SUMMARY.json MODELS.csv DIR... [--range LO HI] [--bins K]
       analyze_nds.py order A.json B.json         the same numbers whatever the sweep order
"""
import csv
import glob
import json
import math
import os
import sys

import numpy as np


def samples(d):
    out = {}
    for f in sorted(glob.glob(os.path.join(d, "samples", "*.json"))):
        j = json.load(open(f))
        out[j["id"]] = j["complexity"]["flops"]
    return out


def write_results(d, offset):
    """Error falls with log flops (so normalization matters); every 11th diverged, every 13th
    failed, every 7th has no result yet."""
    os.makedirs(os.path.join(d, "results"), exist_ok=True)
    for i, flops in samples(d).items():
        if i % 7 == 6:
            continue
        status = "diverged" if i % 11 == 10 else "failed" if i % 13 == 12 else "done"
        err = offset - 4 * math.log(flops / 1e8) + ((i * 37) % 50) / 25
        nan = status == "diverged"
        r = {"id": i, "status": status, "message": "", "best_top1_err": None if nan else round(err, 2),
             "final_top1_err": None if nan else round(err + 0.7, 2), "best_top5_err": None if nan else round(err / 3, 2),
             "final_top5_err": None if nan else round(err / 3 + 0.2, 2), "best_epoch": 3, "history": [],
             "seconds": 12.5 + i, "device": "cpu", "provenance": {"dataset": {"name": "fashion-mnist"}}}
        if status == "failed":
            r.update({"best_top1_err": None, "final_top1_err": None, "best_top5_err": None, "final_top5_err": None})
        with open(os.path.join(d, "results", "%06d.json" % i), "w") as f:
            json.dump(r, f)


def done_models(d):
    """(flops, best error) of the done results, by id."""
    flops = samples(d)
    out = {}
    for f in glob.glob(os.path.join(d, "results", "*.json")):
        r = json.load(open(f))
        if r["status"] == "done" and r["best_top1_err"] is not None:
            out[r["id"]] = (float(flops[r["id"]]), float(r["best_top1_err"]))
    return out


def compute_norm_ws(cs, k, lo, hi):
    """NDS: histogram over (lo, hi), weight 1/(K m_j); the right edge is in the last bin."""
    hist, edges = np.histogram(cs, bins=k, range=(lo, hi))
    assert np.count_nonzero(hist) == k, "empty bin"
    inds = np.digitize(cs, edges) - 1
    inds[cs == edges[-1]] = k - 1
    return 1.0 / hist[inds] / k


def auto_bins(kept, lo, hi):
    """The largest K <= min(10, n/10) (n: the fewest models in range) with no empty bin."""
    fewest = min(len(c) for c in kept)
    for k in range(max(1, min(10, fewest // 10)), 0, -1):
        if all(np.count_nonzero(np.histogram(c, bins=k, range=(lo, hi))[0]) == k for c in kept):
            return k
    raise AssertionError("no K")


def weighted_d(ea, wa, eb, wb):
    pts = np.unique(np.concatenate([ea, eb]))
    fa = np.array([wa[ea <= x].sum() for x in pts]) / wa.sum()
    fb = np.array([wb[eb <= x].sum() for x in pts]) / wb.sum()
    return float(np.max(np.abs(fa - fb)))


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def check(summary, models_csv, dirs, rng=None, bins=None):
    s = json.load(open(summary))
    names = [x["name"] for x in s["sweeps"]]
    data = [done_models(d) for d in dirs]
    cs = [np.array([v[0] for v in m.values()]) for m in data]
    lo, hi = (max(c.min() for c in cs), min(c.max() for c in cs)) if rng is None else rng
    kept = [c[(c >= lo) & (c <= hi)] for c in cs]
    k = bins or auto_bins(kept, lo, hi)
    norm = s["normalization"]
    if norm["range"] != [lo, hi] or norm["bins"] != k:
        fail(f"range/bins {norm['range']} K={norm['bins']} vs NDS {[lo, hi]} K={k}")
    # Weights per model, against models.csv's normalized_weight.
    rows = list(csv.DictReader(open(models_csv, newline="")))
    weights = []
    for name, m in zip(names, data):
        ids = np.array(list(m.keys()))
        c = np.array([v[0] for v in m.values()])
        keep = (c >= lo) & (c <= hi)
        w = np.zeros(len(c))
        w[keep] = compute_norm_ws(c[keep], k, lo, hi)
        ours = {int(r["id"]): float(r["normalized_weight"]) for r in rows if r["sweep"] == name and r["normalized_weight"]}
        if set(ours) != set(ids.tolist()):
            fail(f"{name}: weights for ids {sorted(ours)[:5]}... vs the done models")
        for i, wi in zip(ids, w):
            if abs(ours[int(i)] - wi) > 1e-12 * max(wi, 1e-300):
                fail(f"{name} #{i}: weight {ours[int(i)]} vs NDS {wi}")
        outside = int((~keep).sum())
        if norm["outside_range"][name] != outside:
            fail(f"{name}: {norm['outside_range'][name]} outside vs {outside}")
        weights.append((np.array([v[1] for v in m.values()])[keep], w[keep]))
    d_ref = weighted_d(weights[0][0], weights[0][1], weights[1][0], weights[1][1])
    d = s["ks"][0]["normalized"]["d"]
    if abs(d - d_ref) > 1e-12:
        fail(f"normalized D {d} vs NDS {d_ref}")
    # What per-sweep ranges (the old behaviour) would have given, for the record.
    own = []
    for c, m in zip(cs, data):
        e = np.array([v[1] for v in m.values()])
        own.append((e, compute_norm_ws(c, k, c.min(), c.max()) if all(
            np.histogram(c, bins=k)[0] > 0) else np.ones(len(c))))
    d_own = weighted_d(own[0][0], own[0][1], own[1][0], own[1][1])
    print(f"normalized D {d:.4f} = NDS {d_ref:.4f} over [{lo:.4g}, {hi:.4g}], K = {k}; "
          f"outside {norm['outside_range']}; per-sweep ranges would give {d_own:.4f}")


def check_rows(models_csv, dirs, names):
    rows = list(csv.DictReader(open(models_csv, newline="")))
    for d, name in zip(dirs, names):
        ids = sorted(samples(d))
        got = sorted(int(r["id"]) for r in rows if r["sweep"] == name)
        if got != ids:
            fail(f"models.csv: {name} has {len(got)} rows for {len(ids)} samples")
    status = {r["status"] for r in rows}
    if status != {"done", "diverged", "failed", "missing"}:
        fail(f"statuses {status}")
    for r in rows:
        empty = r["status"] in ("diverged", "failed", "missing")
        if empty != (r["best_top1"] == "") or not r["flops"].isdigit():
            fail(f"row {r}")
        if r["status"] == "missing" and r["seconds"] != "":
            fail(f"missing row with seconds: {r}")
    print(f"models.csv: {len(rows)} rows, columns {', '.join(rows[0].keys())}")


def check_order(a_path, b_path):
    a, b = json.load(open(a_path)), json.load(open(b_path))
    sa = {s["name"]: s for s in a["sweeps"]}
    sb = {s["name"]: s for s in b["sweeps"]}
    if sa != sb:
        fail("per-sweep numbers differ between the two orders")
    if a["normalization"] != b["normalization"]:
        fail("normalization differs")
    ka = {frozenset((k["a"], k["b"])): {x: k[x] for x in ("d", "p_value", "normalized")} for k in a["ks"]}
    kb = {frozenset((k["a"], k["b"])): {x: k[x] for x in ("d", "p_value", "normalized")} for k in b["ks"]}
    if ka != kb:
        fail("KS differs")
    neg = lambda x: {"estimate": -x["estimate"], "lo": -x["hi"], "hi": -x["lo"]}
    pb = {(p["a"], p["b"]): p for p in b["pairs"]}
    for p in a["pairs"]:
        q = pb[(p["b"], p["a"])]
        if p["ks_power"] != q["ks_power"] or p["ks"] != q["ks"]:
            fail("power or KS of a pair differs")
        for key in ("mean", "median"):
            if neg(p[key]) != {k: q[key][k] for k in ("estimate", "lo", "hi")}:
                fail(f"{key} difference is not the exact negation: {p[key]} vs {q[key]}")
        for x, y in zip(p["expected_best"], q["expected_best"]):
            if x["m"] != y["m"] or neg(x) != {k: y[k] for k in ("estimate", "lo", "hi")}:
                fail("expected best-of-m difference is not the exact negation")
    print(f"order: {len(sa)} sweeps and {len(a['pairs'])} pairs identical in both orders")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "results":
        write_results(sys.argv[2], float(sys.argv[3]))
    elif cmd == "check":
        args = sys.argv[4:]
        rng = bins = None
        if "--range" in args:
            i = args.index("--range")
            rng = (float(args[i + 1]), float(args[i + 2]))
            del args[i:i + 3]
        if "--bins" in args:
            i = args.index("--bins")
            bins = int(args[i + 1])
            del args[i:i + 2]
        check(sys.argv[2], sys.argv[3], args, rng, bins)
    elif cmd == "rows":
        n = (len(sys.argv) - 3) // 2
        check_rows(sys.argv[2], sys.argv[3:3 + n], sys.argv[3 + n:])
    elif cmd == "order":
        check_order(sys.argv[2], sys.argv[3])
