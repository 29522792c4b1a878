#!/usr/bin/env python3
"""An independent reader and writer of the pack format, from docs/data.md alone.

  pack_format_ref.py write FILE --classes N --train K --val M [--raw S [--shared] | --jpeg PAYLOAD --bound short_side --side 146]
      K training and M val records with labels i % N. Raw: S x S RGB payloads whose every byte is
      (label * 40 + i) % 256. --jpeg (and --shared): every record points at one payload (the JPEG
      file given), which the format allows: an ImageNet-shaped index without ImageNet's bytes.
  pack_format_ref.py read FILE
      Checks magic, version, checksums, sizes and every record as docs/data.md says, and prints
      a JSON summary: version, encoding, classes, counts, labels of the first records.
"""
import json
import struct
import sys

MAGIC = b"REGNPACK"
HEADER = struct.Struct("<8s8I6Q")  # magic, version..reserved, train..index_checksum; checksum follows
ENCODINGS = {"jpeg": 1, "raw": 2}
BOUNDS = {"none": 0, "max_side": 1, "short_side": 2, "square": 3}


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def write(args):
    n = args.train + args.val
    labels = [i % args.classes for i in range(args.train)] + [i % args.classes for i in range(args.val)]
    payloads, records, at = [], [], 96
    if args.jpeg:
        blob = open(args.jpeg, "rb").read()
        payloads.append(blob)
        w, h = args.width, args.height
        records = [(96, len(blob), labels[i], w, h) for i in range(n)]
        at += len(blob)
        encoding, bound, side, quality = 1, BOUNDS[args.bound], args.side, 90
    else:
        s = args.raw
        for i in range(1 if args.shared else n):
            p = bytes([(labels[i] * 40 + i) % 256]) * (s * s * 3)
            records.append((at, len(p), labels[i], s, s))
            payloads.append(p)
            at += len(p)
        if args.shared:  # every record on the one payload
            records = [(96, s * s * 3, labels[i], s, s) for i in range(n)]
        encoding, bound, side, quality = 2, 3, s, 0
    meta = json.dumps({"classes": ["c%03d" % c for c in range(args.classes)], "source": "pack_format_ref.py",
                       "tool_version": "ref", "skipped": 0, "skipped_examples": []}).encode()
    index = bytearray(struct.pack("<I", len(meta)) + meta)
    index += b"\0" * (-len(index) % 8)
    index += b"".join(struct.pack("<QIIII", *r) for r in records)
    file_size = at + len(index)
    head = HEADER.pack(MAGIC, 1, encoding, bound, side, 3, quality, args.classes, 0,
                       args.train, args.val, at, len(index), file_size, fnv1a64(index))
    head += struct.pack("<Q", fnv1a64(head))
    with open(args.file, "wb") as f:
        f.write(head)
        for p in payloads:
            f.write(p)
        f.write(index)


def read(args):
    b = open(args.file, "rb").read()
    assert len(b) >= 96 and b[:8] == MAGIC, "not a pack"
    f = HEADER.unpack_from(b)
    (magic, version, encoding, bound, side, channels, quality, classes, _,
     train, val, index_offset, index_size, file_size, index_checksum) = f
    assert version == 1, version
    assert struct.unpack_from("<Q", b, 88)[0] == fnv1a64(b[:88]), "header checksum"
    assert file_size == len(b) and index_offset + index_size == file_size, "sizes"
    index = b[index_offset:]
    assert fnv1a64(index) == index_checksum, "index checksum"
    meta_size = struct.unpack_from("<I", index)[0]
    meta = json.loads(index[4:4 + meta_size])
    at = (4 + meta_size + 7) // 8 * 8
    assert len(index) - at == 24 * (train + val), "record area"
    labels = []
    for i in range(train + val):
        off, size, label, w, h = struct.unpack_from("<QIIII", index, at + 24 * i)
        assert 96 <= off and off + size <= index_offset and size > 0, ("record", i)
        assert label < classes and len(meta["classes"]) == classes
        if bound == 1: assert max(w, h) <= side
        if bound == 2: assert min(w, h) <= side
        if bound == 3: assert w == h == side and size == side * side * channels
        labels.append(label)
    print(json.dumps({"version": version, "encoding": encoding, "bound": bound, "side": side, "classes": meta["classes"],
                      "train": train, "val": val, "skipped": meta["skipped"], "labels": labels[:20]}))


def main():
    import argparse
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("file")
    w.add_argument("--classes", type=int, required=True)
    w.add_argument("--train", type=int, required=True)
    w.add_argument("--val", type=int, required=True)
    w.add_argument("--raw", type=int, default=8)
    w.add_argument("--shared", action="store_true", help="raw: every record on one payload")
    w.add_argument("--jpeg")
    w.add_argument("--bound", default="short_side")
    w.add_argument("--side", type=int, default=146)
    w.add_argument("--width", type=int, default=195)
    w.add_argument("--height", type=int, default=146)
    r = sub.add_parser("read")
    r.add_argument("file")
    args = p.parse_args()
    write(args) if args.cmd == "write" else read(args)


if __name__ == "__main__":
    sys.exit(main())
