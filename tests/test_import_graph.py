"""The arrows point one way: the import graph of the project's packages, read with the AST
(imports inside functions and under TYPE_CHECKING included), has no upward import between
layers and no import cycle.

Layers, bottom to top (docs/architecture.md): core -> devtools -> layers -> importers | tiles ->
geoportal. A module may import its own package and the packages below it; importers and tiles
are siblings and import neither each other nor anything above. Scripts outside the packages
(manage.py, bench/, tests/, fixtures/) may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RANKS = {"core": 0, "devtools": 1, "layers": 2, "importers": 3, "tiles": 3, "geoportal": 4}


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of the ranked packages (not migrations)."""
    found = {}
    for package in RANKS:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _targets(name: str, path: Path, node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: from . import x / from ..a import b
        base = name.split(".")
        if path.name != "__init__.py":
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        module = ".".join(base + ([node.module] if node.module else []))
    else:
        module = node.module or ""
    return [module] + [f"{module}.{alias.name}" for alias in node.names]


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the project modules it imports (the longest known prefix of each name)."""
    mods = modules(root)
    graph: dict[str, set[str]] = {name: set() for name in mods}
    for name, path in mods.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(name, path, node):
                parts = target.split(".")
                for end in range(len(parts), 0, -1):
                    candidate = ".".join(parts[:end])
                    if candidate in mods:
                        if candidate != name:
                            graph[name].add(candidate)
                        break
    return graph


def wrong_way(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a package above the importer's own, or of a sibling package."""
    bad = []
    for source, targets in graph.items():
        own = source.split(".")[0]
        for target in sorted(targets):
            other = target.split(".")[0]
            if other != own and RANKS[other] >= RANKS[own]:
                bad.append(f"{source} imports {target}")
    return sorted(bad)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return sorted(found)


def test_no_upward_or_sideways_import():
    bad = wrong_way(import_graph(ROOT))
    assert not bad, "imports against the layering:\n" + "\n".join(bad)


def test_no_import_cycle():
    found = cycles(import_graph(ROOT))
    assert not found, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in found)


def test_the_checks_see_what_they_must(tmp_path):
    """A tree with an upward import hidden in a function, a sideways import and a cycle through
    a relative import: each is reported (the checks above could otherwise pass vacuously)."""
    files = {
        "core/__init__.py": "",
        "core/errors.py": "def f():\n    from geoportal.views import x\n",
        "layers/__init__.py": "",
        "layers/a.py": "from .b import thing\n",
        "layers/b.py": "import layers.a\n",
        "importers/__init__.py": "",
        "importers/x.py": "from tiles import cache\n",
        "tiles/__init__.py": "",
        "tiles/cache.py": "from layers import a\nfrom core.errors import PortalError\n",
        "geoportal/__init__.py": "",
        "geoportal/views.py": "from layers.a import thing\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    graph = import_graph(tmp_path)
    assert wrong_way(graph) == [
        "core.errors imports geoportal.views",
        "importers.x imports tiles",  # `from tiles import cache` runs tiles/__init__.py too
        "importers.x imports tiles.cache",
    ]
    assert cycles(graph) == [["layers.a", "layers.b"]]
    assert len(modules(ROOT)) > 100  # the real tree was read, not an empty folder
