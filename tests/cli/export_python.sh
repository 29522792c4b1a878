#!/usr/bin/env bash
# export: our state dict loads into an independent PyTorch AnyNet, built in Python from the spec
# JSON, with load_state_dict(strict=True), and gives our output on our fixed input. Covers SE,
# projections, group convs, bottleneck ratios, both stems, both activations (ReLU, SiLU), a zoo
# model, and trained weights (non-trivial BN running statistics) from a checkpoint and from final
# weights, among them a sampled SiLU sweep's.
set -euo pipefail
: "${REGNET_EXPLORE:?}" "${REGNET_SOURCE_DIR:?}"
source "$(dirname "$0")/requires.bash"
PY=""
require_python PY torch
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/anynet.py" <<'PYEOF'
# An independent AnyNet (docs/reference.md §1) with pycls's module names, from a spec JSON.
import json, sys
import torch
import torch.nn as nn

ACT = {"relu": nn.ReLU, "silu": nn.SiLU}  # the spec's "activation" (relu when absent)

class SE(nn.Module):
    def __init__(self, w, w_se, act):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.f_ex = nn.Sequential(nn.Conv2d(w, w_se, 1, bias=True), act(),
                                  nn.Conv2d(w_se, w, 1, bias=True), nn.Sigmoid())
    def forward(self, x):
        return x * self.f_ex(self.avg_pool(x))

class BottleneckTransform(nn.Module):
    def __init__(self, w_in, w_out, stride, b, g, se_ratio, act):
        super().__init__()
        self.af = act()
        w_b = int(round(w_out / b))
        self.a = nn.Conv2d(w_in, w_b, 1, bias=False)
        self.a_bn = nn.BatchNorm2d(w_b)
        self.b = nn.Conv2d(w_b, w_b, 3, stride=stride, padding=1, groups=w_b // g, bias=False)
        self.b_bn = nn.BatchNorm2d(w_b)
        self.se = SE(w_b, int(round(se_ratio * w_in)), act) if se_ratio > 0 else None
        self.c = nn.Conv2d(w_b, w_out, 1, bias=False)
        self.c_bn = nn.BatchNorm2d(w_out)
    def forward(self, x):
        x = self.af(self.a_bn(self.a(x)))
        x = self.af(self.b_bn(self.b(x)))
        if self.se is not None:
            x = self.se(x)
        return self.c_bn(self.c(x))

class ResBottleneckBlock(nn.Module):
    def __init__(self, w_in, w_out, stride, b, g, se_ratio, act):
        super().__init__()
        self.af = act()
        self.proj_block = w_in != w_out or stride != 1
        if self.proj_block:
            self.proj = nn.Conv2d(w_in, w_out, 1, stride=stride, bias=False)
            self.bn = nn.BatchNorm2d(w_out)
        self.f = BottleneckTransform(w_in, w_out, stride, b, g, se_ratio, act)
    def forward(self, x):
        s = self.bn(self.proj(x)) if self.proj_block else x
        return self.af(s + self.f(x))

class AnyNet(nn.Module):
    def __init__(self, spec):
        super().__init__()
        stride = 2 if spec.get("stem_type", "simple_stem_in") == "simple_stem_in" else 1
        act = ACT[spec.get("activation", "relu")]
        w = spec.get("stem_width", 32)
        self.stem = nn.Sequential()
        self.stem.add_module("conv", nn.Conv2d(spec.get("input_channels", 3), w, 3, stride=stride, padding=1, bias=False))
        self.stem.add_module("bn", nn.BatchNorm2d(w))
        self.stem.add_module("af", act())
        n = len(spec["depths"])
        for i in range(n):
            stage = nn.Sequential()
            for j in range(spec["depths"][i]):
                stage.add_module("b%d" % (j + 1), ResBottleneckBlock(
                    w if j == 0 else spec["widths"][i], spec["widths"][i],
                    spec.get("strides", [2] * n)[i] if j == 0 else 1,
                    spec.get("bottleneck_ratios", [1.0] * n)[i], spec["group_widths"][i], spec.get("se_ratio", 0.0), act))
            self.add_module("s%d" % (i + 1), stage)
            w = spec["widths"][i]
        self.head = nn.Module()
        self.head.fc = nn.Linear(w, spec.get("num_classes", 1000), bias=True)
        self.n = n
    def forward(self, x):
        x = self.stem(x)
        for i in range(self.n):
            x = getattr(self, "s%d" % (i + 1))(x)
        return self.head.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))

def check(prefix):
    spec = json.load(open(prefix + ".json"))
    net = AnyNet(spec)
    sd = torch.load(prefix + ".pt", weights_only=True)  # what PyTorch >= 2.6 does by default
    missing, unexpected = net.load_state_dict(sd, strict=True)
    assert not missing and not unexpected
    n_ours = sum(v.numel() for k, v in sd.items() if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert n_ours == sum(p.numel() for p in net.parameters()), "parameter count"
    net.eval()
    ck = torch.load(prefix + ".check.pt", weights_only=True)
    with torch.no_grad():
        y = net(ck["input"])
    err = (y - ck["output"]).abs().max().item()
    scale = ck["output"].abs().max().item()
    assert torch.allclose(y, ck["output"], rtol=1e-4, atol=1e-4 * max(1.0, scale)), "max |diff| %g" % err
    print("%s: %d tensors, strict load ok, outputs match (max |diff| %.2e, |y| <= %.3g)" % (prefix, len(sd), err, scale))
    return sd

if __name__ == "__main__":
    for p in sys.argv[1:]:
        check(p)
PYEOF

# A spec with everything: SE, projection and identity shortcuts, groups, b = 2, a stride-1 stage.
cat > "$tmp/y.spec.json" <<'EOF2'
{"stem_type": "simple_stem_in", "stem_width": 24, "depths": [2, 1, 3], "widths": [48, 48, 96],
 "bottleneck_ratios": [2, 1, 1], "group_widths": [8, 16, 24], "strides": [2, 1, 2], "se_ratio": 0.25,
 "input_size": 40, "input_channels": 3, "num_classes": 7}
EOF2
"$REGNET_EXPLORE" export --spec "$tmp/y.spec.json" --out "$tmp/y.pt" --check-input --seed 3
sed 's/"num_classes": 7}/"num_classes": 7, "activation": "silu"}/' "$tmp/y.spec.json" > "$tmp/ysilu.spec.json"
"$REGNET_EXPLORE" export --spec "$tmp/ysilu.spec.json" --out "$tmp/ysilu.pt" --check-input --seed 3
grep -q '"activation": "silu"' "$tmp/ysilu.json"
"$REGNET_EXPLORE" export --model RegNetX-200MF --input-size 64 --classes 10 --out "$tmp/x200.pt" --check-input --json > "$tmp/x200.out"
grep -q '"parameters": ' "$tmp/x200.out"
"$PY" "$tmp/anynet.py" "$tmp/y" "$tmp/ysilu" "$tmp/x200"

# Trained weights (running statistics moved away from 0/1) on Fashion-MNIST, when it is here.
if has_fashion_mnist; then
  cat > "$tmp/fm.spec.json" <<'EOF2'
{"stem_type": "res_stem_cifar", "stem_width": 16, "depths": [1, 2], "widths": [16, 32],
 "bottleneck_ratios": [1, 1], "group_widths": [8, 8], "strides": [2, 2], "se_ratio": 0.25,
 "input_size": 28, "input_channels": 1, "num_classes": 10}
EOF2
  "$REGNET_EXPLORE" bench-train --spec "$tmp/fm.spec.json" --schedule smoke --threads 1 --save-weights "$tmp/trained.pt" --json > /dev/null
  "$REGNET_EXPLORE" export --spec "$tmp/fm.spec.json" --weights "$tmp/trained.pt" --out "$tmp/fm.pt" --check-input
  "$PY" - "$tmp" <<'PYEOF'
import sys, torch
sys.path.insert(0, sys.argv[1])
import anynet
sd = anynet.check(sys.argv[1] + "/fm")
rv = sd["s1.b1.f.a_bn.running_var"]
assert not torch.allclose(rv, torch.ones_like(rv)), "running_var still at its initial value"
assert int(sd["stem.bn.num_batches_tracked"]) == 8, sd["stem.bn.num_batches_tracked"]  # 512 / 64 steps
PYEOF
  # A trained sweep sample: `train` writes SWEEP/weights/NNNNNN.pt, `export SWEEP --id N` reads it.
  "$REGNET_EXPLORE" sample --space RegNetY -n 1 --preset fashion-mnist --flops 1M:12M --seed 2 --out "$tmp/sw" > /dev/null
  "$REGNET_EXPLORE" train "$tmp/sw" --schedule smoke --threads 1 --quiet > /dev/null
  "$REGNET_EXPLORE" export "$tmp/sw" --id 0 --out "$tmp/sw0.pt" --check-input
  # A space that draws the activation (the paper's §5): a sampled SiLU model, trained and exported.
  sed 's/"name": "RegNetY"/"name": "RegNetY-SiLU"/; s/"parameters": {/"parameters": {"activation": "silu", /' \
    "$REGNET_SOURCE_DIR/configs/spaces/RegNetY.json" > "$tmp/RegNetY-SiLU.json"
  "$REGNET_EXPLORE" sample --space "$tmp/RegNetY-SiLU.json" -n 1 --preset fashion-mnist --flops 1M:12M --seed 2 --out "$tmp/ss" > /dev/null
  "$REGNET_EXPLORE" train "$tmp/ss" --schedule smoke --threads 1 --quiet > /dev/null
  "$REGNET_EXPLORE" export "$tmp/ss" --id 0 --out "$tmp/ss0.pt" --check-input
  grep -q '"activation": "silu"' "$tmp/ss0.json"
  "$PY" "$tmp/anynet.py" "$tmp/sw0" "$tmp/ss0"
else
  skip_part "trained weights (no Fashion-MNIST at $(fashion_mnist_dir): apt-get install dataset-fashion-mnist)"
fi
# Errors: a missing weights file and mismatched weights name the file.
if "$REGNET_EXPLORE" export --spec "$tmp/y.spec.json" --weights "$tmp/none.pt" --out "$tmp/z.pt" 2> "$tmp/err"; then exit 1; fi
grep -q "none.pt" "$tmp/err"
if "$REGNET_EXPLORE" export --spec "$tmp/y.spec.json" --weights "$tmp/x200.pt" --out "$tmp/z.pt" 2> "$tmp/err"; then exit 1; fi
grep -q "x200.pt" "$tmp/err"
grep -q "regnet-explore: error:" "$tmp/err"
test ! -e "$tmp/z.pt"
end_with_skips
echo "export_python: ok"
