#!/usr/bin/env python3
"""Lists the C++ functions longer than N lines (the style limit is about 80), longest first.

Usage: scripts/long-functions.py [--max N] [DIR ...]   (default: --max 80 lib apps)
Brace matching on the source with comments, strings and preprocessor lines blanked: a body is a
brace block whose enclosing blocks are all namespaces, classes, structs, unions or enums, so a
lambda or a block counts towards the function it is in. Exit code 1 when any function is longer.
"""
import argparse
import os
import re
import sys

SCOPE = re.compile(r"(template\s*<.*>\s*)?(namespace|class|struct|union|enum)\b|extern\b")


def blank(src):
    """The source with comments and string/char literals emptied, line breaks kept."""
    src = re.sub(r"(?m)^[ \t]*#.*$", "", src)
    out, i, n = [], 0, len(src)
    while i < n:
        raw = re.match(r'R"([^(\s]*)\(', src[i:i + 20]) if src[i] == "R" else None
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
            continue
        if src.startswith("/*", i) or raw:
            end = "*/" if not raw else ")" + raw.group(1) + '"'
            j = src.find(end, i + 2)
            j = n if j < 0 else j + len(end)
            out.append('""' * bool(raw) + "\n" * src.count("\n", i, j))
            i = j
            continue
        if src[i] in "\"'":
            j = i + 1
            while j < n and src[j] != src[i]:
                j += 2 if src[j] == "\\" else 1
            out.append(src[i] * 2)
            i = j + 1
            continue
        out.append(src[i])
        i += 1
    return "".join(out)


def long_functions(path, limit):
    s = blank(open(path, encoding="utf-8").read())
    stack, line, found = [], 1, []  # stack: (first line, header, is a body)
    for i, c in enumerate(s):
        if c == "\n":
            line += 1
        elif c == "{":
            k = max(s.rfind(";", 0, i), s.rfind("{", 0, i), s.rfind("}", 0, i))
            header = " ".join(s[k + 1:i].split())
            stack.append((line, header, not SCOPE.match(header)))
        elif c == "}" and stack:
            first, header, body = stack.pop()
            if body and not any(b for _, _, b in stack) and line - first + 1 > limit:
                name = re.sub(r"\s*\(.*", "", header).split()[-1] if header else "?"
                found.append((line - first + 1, path, first, name))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max", type=int, default=80)
    ap.add_argument("dirs", nargs="*", default=["lib", "apps"])
    args = ap.parse_args()
    found = []
    for d in args.dirs:
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if f.endswith((".cpp", ".hpp")):
                    found += long_functions(os.path.join(root, f), args.max)
    for lines, path, first, name in sorted(found, reverse=True):
        print(f"{lines:5d}  {path}:{first}  {name}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
