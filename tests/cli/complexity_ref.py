#!/usr/bin/env python3
"""An independent implementation of docs/reference.md §3 (pycls's complexity conventions),
written from that table, to check regnet-explore's numbers.

  complexity_ref.py gen N SEED           -> a JSON array of N random valid specs on stdout
  complexity_ref.py check SPECS DESCRIBED  compare our counts with `describe --spec SPECS --json`
  complexity_ref.py sweep DIR             compare with the complexity stored in each sample record
  complexity_ref.py zoo ZOO.json DESCRIBED the 24 zoo models: this implementation and the tool vs the file
"""
import json
import random
import sys


class Counter:
    def __init__(self, size):
        self.h = self.w = size
        self.flops = self.params = self.acts = 0

    def conv(self, cin, cout, k, stride, groups=1, bias=False):
        self.h = (self.h - 1) // stride + 1
        self.w = (self.w - 1) // stride + 1
        self.flops += k * k * cin * cout * self.h * self.w // groups + (cout * self.h * self.w if bias else 0)
        self.params += k * k * cin * cout // groups + (cout if bias else 0)
        self.acts += cout * self.h * self.w

    def bn(self, c):
        self.params += 2 * c

    def linear(self, fin, fout):
        self.flops += fin * fout + fout
        self.params += fin * fout + fout
        self.acts += fout


def complexity(spec):
    """flops (MACs), params, acts of an AnyNet spec in docs/spec-json.md form."""
    stem_stride = 2 if spec.get("stem_type", "simple_stem_in") == "simple_stem_in" else 1
    stem_w = spec.get("stem_width", 32)
    n = len(spec["depths"])
    bots = spec.get("bottleneck_ratios", [1.0] * n)
    strides = spec.get("strides", [2] * n)
    se = spec.get("se_ratio", 0.0)
    cx = Counter(spec.get("input_size", 224))
    cx.conv(spec.get("input_channels", 3), stem_w, 3, stem_stride)
    cx.bn(stem_w)
    w_in = stem_w
    for d, w_out, b, g, s in zip(spec["depths"], spec["widths"], bots, spec["group_widths"], strides):
        w_b = int(round(w_out / b))  # Python's round is half to even, as pycls
        for j in range(d):
            stride = s if j == 0 else 1
            if w_in != w_out or stride != 1:
                h, w = cx.h, cx.w
                cx.conv(w_in, w_out, 1, stride)
                cx.bn(w_out)
                cx.h, cx.w = h, w
            cx.conv(w_in, w_b, 1, 1)
            cx.bn(w_b)
            cx.conv(w_b, w_b, 3, stride, groups=w_b // g)
            cx.bn(w_b)
            if se > 0:
                w_se = int(round(se * w_in))
                h, w = cx.h, cx.w
                cx.h = cx.w = 1
                cx.conv(w_b, w_se, 1, 1, bias=True)
                cx.conv(w_se, w_b, 1, 1, bias=True)
                cx.h, cx.w = h, w
            cx.conv(w_b, w_out, 1, 1)
            cx.bn(w_out)
            w_in = w_out
    cx.linear(w_in, spec.get("num_classes", 1000))
    return {"flops": cx.flops, "params": cx.params, "acts": cx.acts}


def random_spec(rng):
    n = rng.randint(1, 5)
    spec = {
        "stem_type": rng.choice(["simple_stem_in", "res_stem_cifar"]),
        "stem_width": rng.choice([4, 8, 16, 24, 32, 48]),
        "depths": [], "widths": [], "bottleneck_ratios": [], "group_widths": [], "strides": [],
        "se_ratio": rng.choice([0.0, 0.0, 0.25, 0.5]),
        "input_size": rng.choice([rng.randint(8, 64), 28, 32, 224, rng.randint(65, 300)]),
        "input_channels": rng.choice([1, 3, 4]),
        "num_classes": rng.choice([2, 10, 100, 1000, rng.randint(1, 2000)]),
    }
    for _ in range(n):
        b = rng.choice([1, 2, 4])
        g = rng.choice([1, 2, 4, 8, 16, 24])
        w_b = g * rng.randint(1, 12)
        while w_b * b < 4:  # keeps the SE width round(se * w_in) >= 1
            w_b += g
        spec["depths"].append(rng.randint(1, 6))
        spec["widths"].append(w_b * b)
        spec["bottleneck_ratios"].append(float(b))
        spec["group_widths"].append(g)
        spec["strides"].append(rng.choice([1, 2, 2, 3]))
    return spec


def big_spec(rng):
    """A spec whose largest count lies between 2^56 and 2^63: regnet-explore's checked (not plain)
    arithmetic. The input size doubles until it gets there (each count grows about 4x a step)."""
    while True:
        spec = random_spec(rng)
        spec["input_size"] = rng.randint(20000, 40000)
        while max(complexity(spec).values()) < 2**56:
            spec["input_size"] *= 2
        if max(complexity(spec).values()) < 2**63 and spec["input_size"] < 2**31:
            return spec


def compare(name, ours, theirs, failures):
    for key in ("flops", "params", "acts"):
        if ours[key] != theirs[key]:
            failures.append(f"{name}: {key} python {ours[key]} != regnet-explore {theirs[key]}")


def main():
    cmd = sys.argv[1]
    failures = []
    if cmd == "gen":
        rng = random.Random(int(sys.argv[3]))
        print(json.dumps([random_spec(rng) for _ in range(int(sys.argv[2]))]))
        return
    if cmd == "gen-big":
        rng = random.Random(int(sys.argv[3]))
        print(json.dumps([big_spec(rng) for _ in range(int(sys.argv[2]))]))
        return
    if cmd == "check":
        specs = json.load(open(sys.argv[2]))
        described = json.load(open(sys.argv[3]))
        assert len(specs) == len(described), (len(specs), len(described))
        for i, (s, d) in enumerate(zip(specs, described)):
            compare(f"spec {i}", complexity(s), d["complexity"], failures)
        checked = len(specs)
    elif cmd == "sweep":
        import glob
        files = sorted(glob.glob(sys.argv[2] + "/samples/*.json"))
        for f in files:
            r = json.load(open(f))
            compare(f, complexity(r["spec"]), r["complexity"], failures)
        checked = len(files)
    elif cmd == "zoo":
        zoo = json.load(open(sys.argv[2]))
        described = json.load(open(sys.argv[3]))
        for m, d in zip(zoo, described):
            spec = {"depths": m["stage_depths"], "widths": m["stage_widths"],
                    "group_widths": m["stage_group_widths"], "se_ratio": m["se_ratio"]}
            mine = complexity(spec)
            compare(m["name"] + " (python vs regnet_zoo.json)", mine, m, failures)
            if d["name"] != m["name"]:
                failures.append(f"order: {d['name']} != {m['name']}")
            compare(m["name"] + " (python vs describe)", mine, d["complexity"], failures)
            if m["name"] == "RegNetX-200MF" and mine != {"flops": 199040872, "params": 2684792, "acts": 2164056}:
                failures.append(f"RegNetX-200MF check values: {mine}")
        checked = len(zoo)
    else:
        sys.exit(f"unknown command {cmd}")
    for f in failures[:20]:
        print("MISMATCH", f)
    print(f"{cmd}: {checked} models checked, {len(failures)} mismatches")
    sys.exit(1 if failures or checked == 0 else 0)


if __name__ == "__main__":
    main()
