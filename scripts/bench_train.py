#!/usr/bin/env python3
"""The same model and training loop as `regnet-explore bench-train`, in PyTorch-Python.

Used by scripts/bench-train.sh (CPU) and scripts/gpu-check.sh (the one-model-at-a-time peer on
a GPU: --device cuda --bf16 --channels-last). Fashion-MNIST IDX files in memory, per-batch flip augmentation,
SGD momentum 0.9 Nesterov, half-period cosine lr stepped per epoch, weight decay, top-1 error on
the test split after each epoch. Prints images/s of training (evaluation excluded) like ours.
"""
import argparse
import gzip
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class SE(nn.Module):
    def __init__(self, w, w_se):
        super().__init__()
        self.f_ex = nn.Sequential(nn.Conv2d(w, w_se, 1, bias=True), nn.ReLU(inplace=True),
                                  nn.Conv2d(w_se, w, 1, bias=True), nn.Sigmoid())

    def forward(self, x):
        return x * self.f_ex(F.adaptive_avg_pool2d(x, 1))


class Block(nn.Module):
    def __init__(self, w_in, w_out, stride, b, g, se_ratio):
        super().__init__()
        w_b = int(round(w_out / b))
        self.proj = None
        if w_in != w_out or stride != 1:
            self.proj = nn.Conv2d(w_in, w_out, 1, stride=stride, bias=False)
            self.bn = nn.BatchNorm2d(w_out)
        self.a = nn.Conv2d(w_in, w_b, 1, bias=False)
        self.a_bn = nn.BatchNorm2d(w_b)
        self.b = nn.Conv2d(w_b, w_b, 3, stride=stride, padding=1, groups=w_b // g, bias=False)
        self.b_bn = nn.BatchNorm2d(w_b)
        self.se = SE(w_b, int(round(se_ratio * w_in))) if se_ratio > 0 else None
        self.c = nn.Conv2d(w_b, w_out, 1, bias=False)
        self.c_bn = nn.BatchNorm2d(w_out)

    def forward(self, x):
        s = self.bn(self.proj(x)) if self.proj is not None else x
        y = F.relu(self.a_bn(self.a(x)), inplace=True)
        y = F.relu(self.b_bn(self.b(y)), inplace=True)
        if self.se is not None:
            y = self.se(y)
        return F.relu(self.c_bn(self.c(y)) + s, inplace=True)


class AnyNet(nn.Module):
    def __init__(self, spec):
        super().__init__()
        n = len(spec["depths"])
        stride = 2 if spec.get("stem_type", "simple_stem_in") == "simple_stem_in" else 1
        w = spec.get("stem_width", 32)
        self.conv = nn.Conv2d(spec.get("input_channels", 3), w, 3, stride=stride, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(w)
        blocks = []
        for i in range(n):
            for j in range(spec["depths"][i]):
                blocks.append(Block(w, spec["widths"][i], spec.get("strides", [2] * n)[i] if j == 0 else 1,
                                    spec.get("bottleneck_ratios", [1.0] * n)[i], spec["group_widths"][i],
                                    spec.get("se_ratio", 0.0)))
                w = spec["widths"][i]
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(w, spec.get("num_classes", 1000))
        for m in self.modules():  # pycls's init
            if isinstance(m, nn.Conv2d):
                m.weight.data.normal_(0, math.sqrt(2.0 / (m.kernel_size[0] * m.kernel_size[1] * m.out_channels)))
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.data.fill_(1.0)
                m.bias.data.zero_()
            elif isinstance(m, nn.Linear):
                m.weight.data.normal_(0, 0.01)
                m.bias.data.zero_()

    def forward(self, x):
        x = self.blocks(F.relu(self.bn(self.conv(x)), inplace=True))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">II", data[8:16])
        return np.frombuffer(data, np.uint8, offset=16).reshape(n, 1, rows, cols)
    return np.frombuffer(data, np.uint8, offset=8).astype(np.int64)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spec", required=True)
    ap.add_argument("--data-root", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--train-limit", type=int, default=10000)
    ap.add_argument("--test-limit", type=int, default=10000)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--test-batch-size", type=int, default=500)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--wd", type=float, default=5e-5)
    ap.add_argument("--threads", type=int, default=0, help="0: PyTorch's default")
    ap.add_argument("--channels-last", action="store_true")
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]; the data sit on it")
    ap.add_argument("--bf16", action="store_true", help="autocast to bfloat16 on the device")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    t_start = time.time()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    spec = json.load(open(a.spec))
    spec = spec.get("spec", spec)
    r = a.data_root
    trx = torch.from_numpy(read_idx(r + "/train-images-idx3-ubyte.gz")[: a.train_limit].copy())
    try_ = torch.from_numpy(read_idx(r + "/train-labels-idx1-ubyte.gz")[: a.train_limit].copy())
    tex = torch.from_numpy(read_idx(r + "/t10k-images-idx3-ubyte.gz")[: a.test_limit].copy())
    tey = torch.from_numpy(read_idx(r + "/t10k-labels-idx1-ubyte.gz")[: a.test_limit].copy())
    f = trx.double() / 255
    mean, std = f.mean().item(), f.std(unbiased=False).item()
    dev = torch.device(a.device)
    trx, try_, tex, tey = (t.to(dev) for t in (trx, try_, tex, tey))
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    net = AnyNet(spec).to(dev, memory_format=fmt)
    autocast = lambda: torch.autocast(dev.type, dtype=torch.bfloat16, enabled=a.bf16)
    sync = (lambda: torch.cuda.synchronize(dev)) if dev.type == "cuda" else (lambda: None)
    opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=0.9, nesterov=True, weight_decay=a.wd)
    g = torch.Generator().manual_seed(a.seed)

    def prep(x):
        return ((x.float() / 255 - mean) / std).contiguous(memory_format=fmt)

    history = []
    for epoch in range(a.epochs):
        lr = 0.5 * a.lr * (1 + math.cos(math.pi * epoch / a.epochs))
        for group in opt.param_groups:
            group["lr"] = lr
        net.train()
        order = torch.randperm(trx.shape[0], generator=g)
        steps = trx.shape[0] // a.batch_size
        sync()
        t0 = time.time()
        loss_sum = torch.zeros((), device=dev)  # summed on the device: no sync per step
        for k in range(steps):
            idx = order[k * a.batch_size:(k + 1) * a.batch_size].to(dev)
            x = trx[idx]
            flip = (torch.rand(x.shape[0], generator=g) < 0.5).to(dev)
            x = torch.where(flip.view(-1, 1, 1, 1), x.flip(3), x)
            with autocast():
                loss = F.cross_entropy(net(prep(x)), try_[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.detach().float()
        sync()
        train_s = time.time() - t0
        net.eval()
        correct = 0
        with torch.no_grad(), autocast():
            for s in range(0, tex.shape[0], a.test_batch_size):
                y = net(prep(tex[s:s + a.test_batch_size]))
                correct += (y.argmax(1) == tey[s:s + a.test_batch_size]).sum().item()
        history.append({"epoch": epoch + 1, "train_loss": loss_sum.item() / steps,
                        "top1_err": 100.0 * (1 - correct / tex.shape[0]),
                        "images_per_second": steps * a.batch_size / train_s, "seconds": time.time() - t0})
    ips = sum(h["images_per_second"] for h in history) / len(history)
    out = {"images_per_second": ips, "seconds": time.time() - t_start, "threads": torch.get_num_threads(),
           "channels_last": a.channels_last, "device": a.device, "bf16": a.bf16, "final_top1_err": history[-1]["top1_err"], "history": history}
    if a.json:
        print(json.dumps(out, indent=2))
    else:
        print("python (%d threads%s): %.0f images/s training, top-1 error %.2f%%" % (
            out["threads"], ", channels_last" if a.channels_last else "", ips, out["final_top1_err"]))


if __name__ == "__main__":
    main()
