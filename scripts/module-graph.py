#!/usr/bin/env python3
"""The module graph of lib/core and of the libraries above it, read from the build's own
declarations, and its checks.

Usage: scripts/module-graph.py [--check | --write]
  (no flag)  prints the graph: each module, the modules it depends on, and what it owns
  --check    also checks, without a build, that (1) every folder of lib/core is a module and every
             module a folder, (2) each "core/M/x.hpp" include of a module's file names M itself or a
             (transitive) dependency, and the header exists, the same for the files of lib/cli and
             lib/train against the modules their library links, (3) no include climbs with "../",
             no file of lib/core or lib/cli includes LibTorch, and lib/cli includes nothing of
             lib/train, (4) docs/architecture.md holds the printed graph;
             exit 1 on any finding, each on one line
  --write    rewrites the graph block of docs/architecture.md

The declarations are the regnet_module(NAME DEPENDS ...) calls in lib/core/CMakeLists.txt, each
preceded by a comment line "# NAME: what it owns", and, above lib/core, the regnet_* libraries
that lib/cli's and lib/train's target_link_libraries name (regnet_core: every module). The build enforces the same graph (an include
of a module that is not a dependency is not on the include path: third_party/cmake/RegnetModules.cmake);
this check names the offending line without building.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE = os.path.join(ROOT, "lib", "core")
DOC = os.path.join(ROOT, "docs", "architecture.md")
BEGIN, END = "<!-- module-graph: begin (scripts/module-graph.py --write) -->", "<!-- module-graph: end -->"


def declarations():
    """[(name, [deps], owns)] in declaration order (dependencies first)."""
    text = open(os.path.join(CORE, "CMakeLists.txt")).read()
    owns = dict(re.findall(r"(?m)^# (\w+): (.+)$", text))
    mods = []
    for name, args in re.findall(r"(?m)^regnet_module\((\w+)([^)]*)\)", text):
        deps = re.search(r"DEPENDS((?:\s+\w+)+?)(?:\s+LIBS|\s*$)", args)
        mods.append((name, deps.group(1).split() if deps else [], owns.get(name, "")))
    return mods


# The libraries above lib/core: (name, folder, target).
ABOVE = [("cli", "lib/cli", "regnet_cli"), ("train", "lib/train", "regnet_train")]


def above_declarations(mods):
    """[(name, folder, [modules it links])]: regnet_core stands for every module."""
    out = []
    for name, folder, target in ABOVE:
        text = open(os.path.join(ROOT, folder, "CMakeLists.txt")).read()
        deps = []
        for args in re.findall(r"target_link_libraries\(" + target + r"\s([^)]*)\)", text):
            for lib in re.findall(r"\bregnet_(\w+)", args):
                deps += [n for n, _, _ in mods] if lib == "core" else [lib]
        out.append((name, folder, list(dict.fromkeys(deps))))
    return out


def closure(mods):
    deps = {n: d for n, d, _ in mods}
    seen = {}
    for n in deps:
        out, todo = set(), list(deps[n])
        while todo:
            m = todo.pop()
            if m not in out:
                out.add(m)
                todo += deps.get(m, [])
        seen[n] = out
    return seen


def graph_text(mods):
    width = max(len(n) for n, _, _ in mods)
    lines = ["```", "lib/core module   depends on (directly; everything below them too)"]
    for n, d, _ in reversed(mods):
        lines.append(f"{n:<{width}}  ->  {', '.join(d) if d else '(nlohmann-json, spdlog, fmt, threads)'}")
    lines += ["", "above lib/core    links (and so may include)"]
    everything = sorted(n for n, _, _ in mods)
    for n, folder, d in above_declarations(mods):
        links = "every module" if sorted(d) == everything else ", ".join(d)
        lines.append(f"{n:<{width}}  ->  {links}   ({folder})")
    lines += ["```", "", "| module | owns |", "|---|---|"]
    lines += [f"| `core/{n}` | {o} |" for n, _, o in mods]
    return "\n".join(lines)


def check(mods):
    problems = []
    names = [n for n, _, _ in mods]
    folders = sorted(d for d in os.listdir(CORE) if os.path.isdir(os.path.join(CORE, d)))
    for f in folders:
        if f not in names:
            problems.append(f"lib/core/{f}: a folder that lib/core/CMakeLists.txt declares no module for")
    for n, d, o in mods:
        if n not in folders:
            problems.append(f"lib/core/CMakeLists.txt: module {n} has no folder lib/core/{n}")
        if not o:
            problems.append(f"lib/core/CMakeLists.txt: module {n} has no '# {n}: what it owns' line")
        for m in d:
            if m not in names[: names.index(n)]:
                problems.append(f"lib/core/CMakeLists.txt: {n} depends on {m}, which is not declared before it")
    allowed = closure(mods)
    include = re.compile(r'^\s*#\s*include\s*[<"]([^">]+)[">]')
    for n in names:
        folder = os.path.join(CORE, n)
        for f in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            path = os.path.join(folder, f)
            for i, line in enumerate(open(path, encoding="utf-8"), 1):
                m = include.match(line)
                if not m:
                    continue
                where, target = f"lib/core/{n}/{f}:{i}", m.group(1)
                if "../" in target or target.startswith("torch/") or target.startswith("ATen/"):
                    problems.append(f"{where}: #include \"{target}\" (no '../', no LibTorch in lib/core)")
                    continue
                parts = target.split("/")
                if parts[0] != "core":
                    continue
                if len(parts) != 3 or parts[1] not in names:
                    problems.append(f"{where}: #include \"{target}\" is not core/MODULE/FILE.hpp")
                elif parts[1] != n and parts[1] not in allowed[n]:
                    problems.append(f"{where}: #include \"{target}\": {n} does not depend on {parts[1]}")
                elif not os.path.isfile(os.path.join(CORE, parts[1], parts[2])):
                    problems.append(f"{where}: #include \"{target}\": no such header")
    for n, folder, d in above_declarations(mods):
        allowed_above = set(d).union(*(allowed[m] for m in d if m in allowed))
        for f in sorted(os.listdir(os.path.join(ROOT, folder))):
            if not f.endswith((".hpp", ".cpp")):
                continue
            for i, line in enumerate(open(os.path.join(ROOT, folder, f), encoding="utf-8"), 1):
                m = include.match(line)
                if not m:
                    continue
                where, target = f"{folder}/{f}:{i}", m.group(1)
                parts = target.split("/")
                if "../" in target:
                    problems.append(f"{where}: #include \"{target}\" (no '../')")
                elif n == "cli" and parts[0] in ("torch", "ATen", "train"):
                    problems.append(f"{where}: #include \"{target}\" (lib/cli needs no LibTorch and no lib/train)")
                elif parts[0] == "core" and (len(parts) != 3 or parts[1] not in allowed_above):
                    problems.append(f"{where}: #include \"{target}\": {folder} does not link that module")
    doc = open(DOC, encoding="utf-8").read()
    if graph_text(mods) not in doc:
        problems.append("docs/architecture.md: the module graph differs from the build's "
                        "(run scripts/module-graph.py --write)")
    return problems


def write(mods):
    doc = open(DOC, encoding="utf-8").read()
    block = f"{BEGIN}\n{graph_text(mods)}\n{END}"
    if BEGIN in doc:
        doc = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, doc, flags=re.S)
    else:
        raise SystemExit(f"{DOC}: no '{BEGIN}' line to write the graph after")
    open(DOC, "w", encoding="utf-8").write(doc)


def main():
    mods = declarations()
    if sys.argv[1:] == ["--write"]:
        write(mods)
    elif sys.argv[1:] == ["--check"]:
        problems = check(mods)
        for p in problems:
            print("module-graph:", p)
        if problems:
            sys.exit(1)
        print(f"module-graph: {len(mods)} modules, every include follows the graph, docs agree")
    elif not sys.argv[1:]:
        print(graph_text(mods))
    else:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
