"""Regenerate the typed client with ariadne-codegen, or check that it is current.

Usage (from the project root; ``make generate`` / ``make check-generated``)::

    fluent-gql generate           # validate, clean, then generate async and sync
    fluent-gql generate --check   # generate elsewhere and compare

``python -m fluent_gql._generate [--check] [--root PATH]`` runs the same command.

ariadne-codegen takes one configuration per run, so the async client (with every
model) is generated first and the sync client second, into the same package. The
generator never deletes stale modules, so the package is removed before each run.
Development only: ariadne-codegen is a development dependency.
"""

from __future__ import annotations

import ast
import contextlib
import filecmp
import io
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphql import GraphQLSchema

CONFIGS = ("codegen/async.toml", "codegen/sync.toml")
PACKAGE_NAME = "fluent_gql_generated"
PLANS_MODULE = "operation_plans.py"
_PLANS_HEADER = '''"""What fluent-gql checks before sending each generated operation.

Written by `fluent-gql generate` from the operations and the schema; do not edit.
"""

from fluent_gql._operations import OperationPlan

PLANS: dict[str, OperationPlan] = {
'''


class GenerationError(Exception):
    """Raised when the operations cannot be generated into a client."""


def _load(config: Path) -> dict[str, Any]:
    from ariadne_codegen.config import get_config_dict

    loaded: dict[str, Any] = get_config_dict(str(config))
    return loaded


def generate(root: Path, target: Path) -> Path:
    """Generate the package under ``target`` (a folder) and return the package path.

    Raises:
        GenerationError: the schema or an operation is invalid, or an operation
            name is reserved.
    """
    from ariadne_codegen.main import client

    from fluent_gql._codegen_plugin import ReservedOperationNameError
    from fluent_gql._schema import PREBUILT_NAME, prebuilt_form
    from fluent_gql._schema_files import SchemaFileError, load_schema

    package = target / PACKAGE_NAME
    shutil.rmtree(package, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    schema_path = ""
    for name in CONFIGS:
        config = _load(root / name)
        schema_path = config["tool"]["ariadne-codegen"]["schema_path"]
        config["tool"]["ariadne-codegen"]["target_package_path"] = str(target.resolve())
        try:
            # Paths stay relative to the root: they are written into the files'
            # headers, which must not depend on where the checkout lives. The
            # generator reports on stdout; keep only our own summary.
            with contextlib.chdir(root), contextlib.redirect_stdout(io.StringIO()):
                client(config)  # type: ignore[no-untyped-call]
        except ReservedOperationNameError as exc:
            raise GenerationError(str(exc)) from exc
        except Exception as exc:  # ariadne-codegen raises many unrelated types
            raise GenerationError(f"{type(exc).__name__}: {exc}") from exc
    try:
        schema = load_schema(root / schema_path)
    except SchemaFileError as exc:
        raise GenerationError(str(exc)) from exc
    (package / PREBUILT_NAME).write_text(prebuilt_form(schema), "utf-8")
    (package / PLANS_MODULE).write_text(_plans_module(package, schema), "utf-8")
    return package


def _method_operation(method: ast.FunctionDef) -> tuple[str, str] | None:
    """``(query text, operation name)`` of a generated method, if it sends one."""
    query = name = None
    for node in ast.walk(method):
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["query"]
            and isinstance(node.value, ast.Call)
            and node.value.args
            and isinstance(node.value.args[0], ast.Constant)
        ):
            query = node.value.args[0].value
        elif isinstance(node, ast.keyword) and node.arg == "operation_name":
            name = getattr(node.value, "value", None)
    if isinstance(query, str) and isinstance(name, str):
        return query, name
    return None


def _operations(client_module: Path) -> list[tuple[str, str]]:
    """``(query text, operation name)`` of every method of a generated client."""
    tree = ast.parse(client_module.read_text("utf-8"))
    methods = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    return [op for m in methods if (op := _method_operation(m)) is not None]


def _plans_module(package: Path, schema: GraphQLSchema) -> str:
    from fluent_gql._operation_analysis import analyse

    lines = [_PLANS_HEADER]
    for query, name in _operations(package / "client.py"):
        lines.append(f"    {query!r}: {analyse(query, name, schema)!r},\n")
    return "".join(lines) + "}\n"


def _files(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.suffix in (".py", ".json") and "__pycache__" not in p.parts
    }


def stale_files(root: Path) -> list[str]:
    """Return the generated files that differ from a fresh generation."""
    current = root / "generated" / PACKAGE_NAME
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate(root, Path(tmp))
        names = sorted(_files(fresh) | _files(current))
        return [
            f"generated/{PACKAGE_NAME}/{name}"
            for name in names
            if not (current / name).is_file()
            or not (fresh / name).is_file()
            or not filecmp.cmp(current / name, fresh / name, shallow=False)
        ]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``fluent-gql generate`` with ``argv``; return the exit status."""
    from fluent_gql.cli import main as cli_main

    return cli_main(["generate", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
