#!/usr/bin/env python3
"""Checks the module map ARCHITECTURE.md draws: the core imports no driver, HTTP, MCP,
templating or HTTP-client library, and inside every target no folder depends on a folder
that depends back on it (a type declared in one folder named in another's code; comments
and string literals are ignored). Prints each cycle with the names that make it."""
import collections, glob, os, re, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources")
FORBIDDEN_IN_CORE = {"PostgresNIO", "SQLiteNIO", "Hummingbird", "HummingbirdCore", "HTTPTypes", "MCP", "Mustache",
                     "AsyncHTTPClient", "Prometheus"}
DECLARATION = re.compile(r"^(?:public |package |private |fileprivate )?(?:final )?(?:struct|enum|class|protocol|actor|typealias) (\w+)", re.M)


def code(path):
    text = open(path).read()
    text = re.sub(r'"""(?:.|\n)*?"""', '""', text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"//.*", "", text)


def cycles(target):
    files = glob.glob(os.path.join(ROOT, target, "**", "*.swift"), recursive=True)
    folder = lambda f: (os.path.relpath(f, os.path.join(ROOT, target)).split("/") + [""])[0] if "/" in os.path.relpath(f, os.path.join(ROOT, target)) else "(root)"
    declared = {}
    for f in files:
        for name in DECLARATION.findall(open(f).read()):
            declared.setdefault(name, folder(f))
    edges = collections.defaultdict(lambda: collections.defaultdict(set))
    for f in files:
        here = folder(f)
        for name in set(re.findall(r"\b([A-Z]\w+)\b", code(f))):
            there = declared.get(name)
            if there and there != here:
                edges[here][there].add(name)
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in list(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(set(edges) | {w for v in edges for w in edges[v]}):
        if v not in index:
            visit(v)
    return [(component, {(a, b): sorted(edges[a][b]) for a in component for b in component if b in edges[a]})
            for component in found]


problems = 0
for path in glob.glob(os.path.join(ROOT, "Scheduler", "**", "*.swift"), recursive=True):
    for module in re.findall(r"^(?:@preconcurrency )?import (\w+)", open(path).read(), re.M):
        if module in FORBIDDEN_IN_CORE:
            problems += 1
            print(f"{os.path.relpath(path, ROOT)} imports {module}: the core must not")
for target in sorted(os.listdir(ROOT)):
    for component, names in cycles(target):
        problems += 1
        print(f"{target}: folders {', '.join(component)} depend on each other:")
        for (a, b), why in names.items():
            print(f"    {a} -> {b}: {', '.join(why[:8])}")
if problems:
    sys.exit(1)
print("layers: the core imports no driver or server library, and no target has a folder cycle")
