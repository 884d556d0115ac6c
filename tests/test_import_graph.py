"""The newslens package imports form a DAG: no module reaches itself through imports.

Function-level imports count too: a lazy import only hides a cycle from Python's loader, not
from a reader who has to understand the two modules together.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "newslens"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST, here: str, is_package: bool, known: set[str]) -> set[str]:
    """newslens modules named by every import statement in `tree`, at any depth."""
    out: set[str] = set()
    base = here if is_package else here.rpartition(".")[0]
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = base.rsplit(".", node.level - 1)[0] if node.level > 1 else base
                target = f"{anchor}.{node.module}" if node.module else anchor
            else:
                target = node.module or ""
            names = [target, *(f"{target}.{alias.name}" for alias in node.names)]
        for name in names:
            while name and name not in known:  # `from pkg import module` or an attribute
                name = name.rpartition(".")[0]
            if name and name != here and not here.startswith(name + "."):
                out.add(name)
    return out


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(files)
    return {name: imported(ast.parse(path.read_text(encoding="utf-8")), name,
                           path.name == "__init__.py", known)
            for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan): each holds a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# Cycles tolerated for now: none. An entry here would let a known cycle stay while no new one
# can appear (the test also fails when a listed cycle is gone).
KNOWN: set[frozenset[str]] = set()


def test_finder_sees_a_cycle_through_a_function_level_import() -> None:
    a = ast.parse("from newslens.b import thing\n")
    b = ast.parse("def f():\n    from newslens import a\n")
    c = ast.parse("import newslens.a\n")
    known = {"newslens", "newslens.a", "newslens.b", "newslens.c"}
    graph = {"newslens.a": imported(a, "newslens.a", False, known),
             "newslens.b": imported(b, "newslens.b", False, known),
             "newslens.c": imported(c, "newslens.c", False, known)}
    assert cycles(graph) == [frozenset({"newslens.a", "newslens.b"})]


def test_newslens_has_no_import_cycles() -> None:
    graph = import_graph()
    assert "newslens.models.classify" in graph  # the walk found the package
    found = set(cycles(graph))
    new = [sorted(group) for group in found - KNOWN]
    assert not new, f"import cycles: {new}"
    gone = [sorted(group) for group in KNOWN - found]
    assert not gone, f"these cycles are gone (or changed): update KNOWN: {gone}"


def test_models_import_nothing_in_a_cycle() -> None:
    graph = import_graph()
    assert not [group for group in cycles(graph)
                if any(name.startswith("newslens.models") for name in group)]
