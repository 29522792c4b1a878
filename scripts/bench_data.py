#!/usr/bin/env python3
"""Helpers for scripts/bench-data.sh and the data CLI tests.

  bench_data.py make-folder DIR [--classes 100 --train 30 --val 10 --seed 1 --scale 1]
      A synthetic ImageNet-like ImageFolder: DIR/train/<class>/*.JPEG, DIR/val/<class>/*.JPEG,
      sizes drawn around ImageNet's (median 500x375, portrait and other aspects too), JPEG
      quality 90, content with edges (shapes) and texture (noise at several scales), so a decode
      costs about what a photo of that size costs (~3.3 bits per pixel here).
  bench_data.py torchvision DIR --split train|val [--workers 1 --size 224 --batch 64 --images N --passes 1]
      torchvision's ImageFolder + DataLoader with the transforms of our pipelines: train =
      RandomResizedCrop(size) + RandomHorizontalFlip + PILToTensor (uint8), val = Resize(round(size*256/224))
      + CenterCrop(size) + PILToTensor. Prints one JSON line: images, seconds, images_per_second.
  bench_data.py bad-images DIR
      Writes the awkward inputs of tests/cli/data_*.sh into an ImageFolder DIR: grayscale, CMYK,
      PNG (RGBA) images, a truncated and a corrupt JPEG, a non-image file.
"""
import argparse
import io
import json
import os
import sys
import time

import numpy as np
from PIL import Image, ImageDraw

ASPECTS = [((4, 3), 0.50), ((3, 2), 0.20), ((1, 1), 0.10), ((16, 9), 0.05), ((5, 4), 0.15)]


def draw_size(rng, scale=1.0):
    longer = int(scale * np.clip(rng.lognormal(np.log(500), 0.18), 300, 1000))
    a, b = ASPECTS[rng.choice(len(ASPECTS), p=[p for _, p in ASPECTS])][0]
    w, h = longer, int(round(longer * b / a))
    return (h, w) if rng.random() < 0.2 else (w, h)  # a fifth are portraits


def synthetic_image(w, h, rng):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.stack([rng.uniform(40, 200) + rng.uniform(-60, 60) * xx / w + rng.uniform(-60, 60) * yy / h
                     for _ in range(3)], -1)
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(rng.integers(15, 40)):  # edges: ellipses and polygons
        x0, y0 = rng.uniform(-0.2, 1.0) * w, rng.uniform(-0.2, 1.0) * h
        s = rng.uniform(0.05, 0.5) * max(w, h)
        col = tuple(int(c) for c in rng.integers(0, 256, 3))
        if rng.random() < 0.5:
            d.ellipse([x0, y0, x0 + s, y0 + s * rng.uniform(0.3, 1.5)], fill=col)
        else:
            d.polygon([(x0 + rng.uniform(0, s), y0 + rng.uniform(0, s)) for _ in range(rng.integers(3, 7))], fill=col)
    a = np.asarray(img).astype(np.float32)
    for cell, amp in ((32, 18), (8, 14), (2, 14)):  # texture at three scales
        n = rng.normal(0, 1, (h // cell + 2, w // cell + 2, 3)).astype(np.float32)
        up = np.stack([np.asarray(Image.fromarray(n[..., c]).resize((w, h), Image.BILINEAR)) for c in range(3)], -1)
        a += amp * (0.6 * up[..., :1] + 0.4 * up)
    a += rng.normal(0, 10, a.shape)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def make_folder(args):
    rng = np.random.default_rng(args.seed)
    for split, n in (("train", args.train), ("val", args.val)):
        for c in range(args.classes):
            d = os.path.join(args.dir, split, "n%08d" % c)
            os.makedirs(d, exist_ok=True)
            for i in range(n):
                synthetic_image(*draw_size(rng, args.scale), rng).save(os.path.join(d, "%s_%d_%d.JPEG" % (split, c, i)), quality=90)
    print("wrote %s: %d classes, %d train + %d val JPEGs each" % (args.dir, args.classes, args.train, args.val))


def torchvision_bench(args):
    import torch
    import torchvision.transforms as T
    from torch.utils.data import DataLoader, Subset
    from torchvision.datasets import ImageFolder
    torch.set_num_threads(1)
    if args.split == "train":
        tf = T.Compose([T.RandomResizedCrop(args.size), T.RandomHorizontalFlip(), T.PILToTensor()])
    else:
        tf = T.Compose([T.Resize(round(args.size * 256 / 224)), T.CenterCrop(args.size), T.PILToTensor()])
    ds = ImageFolder(os.path.join(args.dir, args.split), transform=tf)
    if args.images:
        ds = Subset(ds, range(min(args.images, len(ds))))
    dl = DataLoader(ds, batch_size=args.batch, shuffle=args.split == "train", num_workers=args.workers,
                    persistent_workers=args.workers > 0)
    next(iter(dl))  # worker start-up and imports, untimed (as our warm-up batch)
    n, t0 = 0, time.perf_counter()
    for _ in range(args.passes):
        for x, _ in dl:
            assert x.dtype == torch.uint8
            n += x.shape[0]
    s = time.perf_counter() - t0
    print(json.dumps({"images": n, "seconds": s, "images_per_second": n / s, "workers": args.workers}))


def bad_images(args):
    rng = np.random.default_rng(3)
    d = os.path.join(args.dir, "train", "n00000000")
    os.makedirs(d, exist_ok=True)
    rgb = synthetic_image(120, 90, rng)
    rgb.convert("L").save(os.path.join(d, "gray.JPEG"), quality=90)
    rgb.convert("CMYK").save(os.path.join(d, "cmyk.JPEG"), quality=90)
    rgb.convert("RGBA").save(os.path.join(d, "rgba.png"))
    b = io.BytesIO()
    rgb.save(b, "JPEG", quality=90)
    open(os.path.join(d, "truncated.JPEG"), "wb").write(b.getvalue()[: len(b.getvalue()) // 2])
    open(os.path.join(d, "corrupt.JPEG"), "wb").write(b"\xff\xd8\xff\xe0 this is no JPEG")
    open(os.path.join(d, "notes.txt"), "w").write("not an image\n")
    print("wrote awkward images into %s" % d)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make-folder")
    m.add_argument("dir")
    m.add_argument("--classes", type=int, default=100)
    m.add_argument("--train", type=int, default=30)
    m.add_argument("--val", type=int, default=10)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--scale", type=float, default=1.0, help="image sizes times this (tests: small images)")
    t = sub.add_parser("torchvision")
    t.add_argument("dir")
    t.add_argument("--split", choices=["train", "val"], default="train")
    t.add_argument("--workers", type=int, default=1)
    t.add_argument("--size", type=int, default=224)
    t.add_argument("--batch", type=int, default=64)
    t.add_argument("--images", type=int, default=0)
    t.add_argument("--passes", type=int, default=1)
    t.add_argument("--json", action="store_true", help="(the output is always one JSON line)")
    b = sub.add_parser("bad-images")
    b.add_argument("dir")
    args = p.parse_args()
    {"make-folder": make_folder, "torchvision": torchvision_bench, "bad-images": bad_images}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
