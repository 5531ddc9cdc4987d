"""The client's modules import each other without cycles, lazy imports included.

A cycle hidden inside a function (``_operations`` importing ``_operation_analysis``
on first use while that module imported ``_operations``) works until the import
order changes; here every ``import`` statement counts, wherever it is written.
"""

from __future__ import annotations

import ast
from pathlib import Path

import fluent_gql

PACKAGE = Path(fluent_gql.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``path`` imports, at any depth of its code.
    ``from package import submodule`` imports the submodule, not the package's
    names."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            named = {f"{node.module}.{alias.name}" for alias in node.names}
            found |= named if named <= modules else {node.module} | named
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found & modules


def _import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(path, modules) - {name} for name, path in paths.items()}


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
            if imported in stack:
                low[module] = min(low[module], low[imported])
        if low[module] == index[module]:
            component = set(stack[stack.index(module) :])
            del stack[stack.index(module) :]
            if len(component) > 1:
                found.append(component)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_runs_through_the_package() -> None:
    """Not even through an import written inside a function: the client, the
    command line and the emulator alike."""
    assert _cycles(_import_graph()) == []


def test_the_cycle_finder_finds_a_lazy_cycle() -> None:
    """The check can fail: a function-level import back is a cycle."""
    graph = {"a": {"b"}, "b": {"a"}, "c": {"a"}}

    assert _cycles(graph) == [{"a", "b"}]
