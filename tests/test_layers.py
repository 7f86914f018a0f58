"""Packages in layers: no import goes up a layer, and no modules import each other in a cycle.

Every module of ``moderation/`` and ``workers/`` is parsed; imports inside functions count,
``if TYPE_CHECKING:`` blocks do not. A node is one of ``moderation``'s packages or top-level
modules (``moderation.comments``, ``moderation.api``), ``moderation`` itself or ``workers``.
Print the layers and the package graph with ``python -m tests.test_layers``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ("moderation", "workers")

#: Lowest first; a node may import nodes of its own layer and of the layers below it.
#: Within a layer, no two nodes import each other (the package test below).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base: settings, storage, shared types and the HTTP toolkit",
        (
            "text",
            "config",
            "logs",
            "heap",
            "timings",
            "exceptions",
            "contracts",
            "tdb",
            "durations",
            "labels",
            "localtime",
            "numbers",
            "fields",
            "db",
            "extensions",
            "events",
            "jobs",
            "signing",
            "errors",
            "api",
            "limits",
        ),
    ),
    ("people: accounts and sites", ("accounts", "sites")),
    ("delivery to sites", ("callbacks",)),
    ("authors", ("authors",)),
    ("the queue's items", ("queue",)),
    ("comments: intake, records, the audit trail, back-pressure", ("comments",)),
    ("reader reports", ("flags",)),
    ("EU duties: statements, notices, appeals filed, transparency", ("dsa",)),
    ("review: writing decisions; the queue's work, undo, appeals, authors", ("review",)),
    ("personal data", ("privacy",)),
    ("engines: the classifier and the house rules", ("classifier", "rules")),
    ("scoring: the pipeline", ("scoring",)),
    (
        "web and commands",
        (
            "perspective",
            "coral",
            "audit",
            "stats",
            "ops",
            "console",
            "models",
            "app",
            "moderation",
            "cli",
            "cliapp",
            "dbcli",
            "signcli",
            "demo",
            "demo_receiver",
            "training",
            "workers",
        ),
    ),
)


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name to file, for every module of the app (migrations left out)."""
    found = {}
    for top in APP:
        for path in sorted((root / top).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts or "__pycache__" in parts:
                continue
            name = ".".join(parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(node: ast.AST, package: str) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:
        parts = package.split(".")
        base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def imports(path: Path, module: str, known: Iterable[str]) -> set[str]:
    """The app's modules that ``module`` imports, anywhere but under ``if TYPE_CHECKING:``."""
    known = set(known)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _type_checking(node)
        for statement in node.body
        for inner in ast.walk(statement)
    }
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        for name in _imported_names(node, package):
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def node_of(module: str) -> str:
    """``moderation.comments.models`` → ``comments``; ``moderation`` and ``workers.*`` as is."""
    parts = module.split(".")
    if parts[0] == "moderation":
        return parts[1] if len(parts) > 1 else "moderation"
    return parts[0]


def module_graph(root: Path) -> dict[str, set[str]]:
    """Each module to the app's modules it imports."""
    found = modules(root)
    return {name: imports(path, name, found) for name, path in found.items()}


def package_graph(root: Path) -> dict[str, dict[str, set[str]]]:
    """Each node to the nodes it imports, with the module imports behind each edge."""
    graph: dict[str, dict[str, set[str]]] = {}
    for module, targets in module_graph(root).items():
        edges = graph.setdefault(node_of(module), {})
        for target in targets:
            if node_of(target) != node_of(module):
                edges.setdefault(node_of(target), set()).add(f"{module} -> {target}")
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Groups of nodes that import each other (strongly connected, over one), largest first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return sorted(groups, key=lambda g: (-len(g), g))


def layer_index(layers: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, int]:
    """Each node's layer, lowest 0."""
    return {node: i for i, (_, nodes) in enumerate(layers) for node in nodes}


def upward_imports(
    graph: Mapping[str, Mapping[str, set[str]]], layers: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[str]:
    """Every import from a node to a node of a higher layer, with the modules behind it."""
    level = layer_index(layers)
    return [
        f"{node} (layer {level[node]}) imports {target} (layer {level[target]}): {module}"
        for node, edges in sorted(graph.items())
        for target, behind in sorted(edges.items())
        if node in level and target in level and level[target] > level[node]
        for module in sorted(behind)
    ]


def unplaced(
    graph: Mapping[str, Mapping[str, set[str]]], layers: tuple[tuple[str, tuple[str, ...]], ...]
) -> list[str]:
    """Nodes no layer names (a new package must be given its layer)."""
    return sorted(set(graph) - set(layer_index(layers)))


def report(root: Path = ROOT, layers: tuple[tuple[str, tuple[str, ...]], ...] = LAYERS) -> str:
    """The layers with each node's imports, then what breaks them."""
    graph = package_graph(root)
    lines = ["Layers, lowest first (a node imports only its own layer and lower ones):"]
    for i, (title, nodes) in enumerate(layers):
        lines.append(f"{i:2}  {title}")
        for node in nodes:
            if node in graph:
                lines.append(f"      {node:12} -> {' '.join(sorted(graph[node])) or '-'}")
    groups = cycles({node: set(edges) for node, edges in graph.items()})
    largest = groups[0] if groups else []
    lines.append(f"Largest group of packages importing each other: {len(largest)}")
    lines += [f"  ({len(g)}) {', '.join(g)}" for g in groups]
    module_cycles = cycles(module_graph(root))
    lines.append(f"Module import cycles: {len(module_cycles)}")
    lines += [f"  {' <-> '.join(c)}" for c in module_cycles]
    upward = upward_imports(graph, layers)
    lines.append(f"Imports going up a layer: {len(upward)}")
    lines += [f"  {line}" for line in upward]
    lines += [f"Not in any layer: {node}" for node in unplaced(graph, layers)]
    return "\n".join(lines)


def test_every_node_has_a_layer() -> None:
    assert unplaced(package_graph(ROOT), LAYERS) == []


def test_no_import_goes_up_a_layer() -> None:
    assert upward_imports(package_graph(ROOT), LAYERS) == []


def test_no_packages_import_each_other() -> None:
    graph = package_graph(ROOT)
    assert cycles({node: set(edges) for node, edges in graph.items()}) == []


def test_no_module_import_cycles() -> None:
    assert cycles(module_graph(ROOT)) == []


# The checker itself, on a tiny tree.

TINY = {
    "moderation/__init__.py": "",
    "moderation/base.py": "import json\n",
    "moderation/low/__init__.py": "",
    "moderation/low/service.py": "from moderation.base import json\n",
    "moderation/high/__init__.py": "",
    "moderation/high/views.py": "from moderation.low import service\nfrom . import helpers\n",
    "moderation/high/helpers.py": (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from moderation.high.views import x\n"
    ),
    "workers/__init__.py": "",
    "workers/tasks.py": "from moderation.high.views import x\n",
}
TINY_LAYERS = (("base", ("base", "moderation")), ("low", ("low",)), ("top", ("high", "workers")))


def _tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_layered_tree_passes(tmp_path: Path) -> None:
    root = _tree(tmp_path, TINY)
    graph = package_graph(root)
    assert graph["high"]["low"] == {
        "moderation.high.views -> moderation.low",
        "moderation.high.views -> moderation.low.service",
    }
    assert upward_imports(graph, TINY_LAYERS) == [] and unplaced(graph, TINY_LAYERS) == []
    assert cycles(module_graph(root)) == []  # TYPE_CHECKING imports do not count


def test_a_back_edge_inside_a_function_fails(tmp_path: Path) -> None:
    late = "def f():\n    from moderation.high.views import x\n"
    root = _tree(tmp_path, {**TINY, "moderation/low/service.py": late})
    graph = package_graph(root)
    assert upward_imports(graph, TINY_LAYERS) == [
        "low (layer 1) imports high (layer 2): moderation.low.service -> moderation.high.views"
    ]
    assert cycles({node: set(edges) for node, edges in graph.items()}) == [["high", "low"]]
    assert cycles(module_graph(root)) == [["moderation.high.views", "moderation.low.service"]]


def test_a_relative_import_cycle_fails(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**TINY, "moderation/high/helpers.py": "from .views import x\n"})
    assert cycles(module_graph(root)) == [["moderation.high.helpers", "moderation.high.views"]]


def test_a_new_package_needs_a_layer(tmp_path: Path) -> None:
    root = _tree(tmp_path, {**TINY, "moderation/new.py": ""})
    assert unplaced(package_graph(root), TINY_LAYERS) == ["new"]


if __name__ == "__main__":
    print(report(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT))
