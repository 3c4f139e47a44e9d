"""How the modules of the package import each other, read from the source.

No module imports a private name (``_structure``) of another module: what another module needs is
public there, or lives in a module both can import. No import circles, except those listed in
``KNOWN_CIRCLES`` while they are being taken apart. The model imports no rules, no input/output and
no presentation.

An import inside a function counts as much as one at the top of the file: it still ties the two.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import ROOT

SRC = ROOT / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SRC / "dangjian").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> Iterator[tuple[str, str | None, int]]:
    """``(module, name, line)`` of each import of dangjian: ``name`` for ``from m import name``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] == "dangjian":
                for alias in node.names:
                    yield node.module, alias.name, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "dangjian":
                    yield alias.name, None, node.lineno


def _edges() -> dict[str, set[str]]:
    """Which modules each module imports (``from package import submodule`` names the
    submodule)."""
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, path in MODULES.items():
        for target, name, _ in _imports(path):
            sub = f"{target}.{name}"
            edges[module].add(sub if sub in MODULES else target)
    return edges


def _circles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(group)

    for v in edges:
        if v not in index:
            visit(v)
    return found


KNOWN_CIRCLES: list[set[str]] = []
"""Circles being taken apart: a circle must lie within one of these (none are left; the list may
only shrink)."""

PRIVATE_NAMES_LEFT = {
    # private names of a private module of the same package, used throughout excel.py
    ("dangjian.io._excel_values", "_clip"),
    ("dangjian.io._excel_values", "_mask_ids"),
    ("dangjian.io._excel_values", "_number_text"),
}


def test_no_new_import_circles() -> None:
    for group in _circles(_edges()):
        assert any(group <= known for known in KNOWN_CIRCLES), f"an import circle: {sorted(group)}"


def test_the_circles_of_rule_kinds_and_of_excel_are_gone() -> None:
    edges = _edges()
    assert "dangjian.rules.registry" not in set().union(
        *(edges[m] for m in MODULES if m.startswith("dangjian.rules.kinds"))
    )
    assert "dangjian.io.formats" not in edges["dangjian.io.excel"]


def test_the_circle_finder_finds_circles() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(edges) == [{"a", "b", "c"}]


def test_no_private_names_imported_from_other_modules() -> None:
    found = []
    for path in MODULES.values():
        for target, name, line in _imports(path):
            if name is None or not name.startswith("_") or name.startswith("__"):
                continue
            if f"{target}.{name}" in MODULES:  # a private module, imported as a module
                continue
            if (target, name) not in PRIVATE_NAMES_LEFT:
                found.append(f"{path.relative_to(SRC)}:{line}: {name} from {target}")
    assert not found, "private names imported across modules:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "layer",
    ["dangjian.rules", "dangjian.io", "dangjian.report", "dangjian.summary", "dangjian.ledger"],
)
def test_the_model_imports_no_higher_layer(layer: str) -> None:
    edges = _edges()
    for module in MODULES:
        if module == "dangjian.model" or module.startswith("dangjian.model."):
            bad = [t for t in edges[module] if t == layer or t.startswith(layer + ".")]
            assert not bad, f"{module} imports {bad}"
