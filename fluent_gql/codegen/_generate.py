"""Compile a project's operations into its typed Fluent client, or check that the
package written earlier is current.

ariadne-codegen takes one configuration per run, so the async client (with every
model) is generated first and the sync client second, into the same package. Both
clients derive from fluent-gql's base clients through ariadne-codegen's custom base
client setting (the shims in ``templates/``), and the plugins in
:mod:`fluent_gql.codegen._plugins` adapt each method. Then fluent-gql adds
``operation_plans.py`` (what the client checks before sending each operation) and,
if asked, ``schema.json`` (the schema's pre-built form).

The package is written in a temporary folder next to its place and moved there
only when complete, so a failed run leaves the previous package as it was.
"""

from __future__ import annotations

import ast
import contextlib
import filecmp
import io
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluent_gql._exceptions import FluentInputError
from fluent_gql.codegen._settings import ProjectSettings, SettingsError

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from fluent_gql._documents import Diagnostic
    from fluent_gql._plan import OperationPlan

__all__ = [
    "GenerationError",
    "OperationsError",
    "SchemaChoice",
    "choose_schema",
    "generate",
    "stale_files",
]

TEMPLATES = Path(__file__).parent / "templates"
PLANS_MODULE = "operation_plans.py"
PLUGINS = [
    "fluent_gql.codegen._plugins.ReservedNamesPlugin",
    "fluent_gql.codegen._plugins.PublicArgumentNamesPlugin",
    "fluent_gql.codegen._plugins.ResultModelsPlugin",
    "fluent_gql.codegen._plugins.BothClientsPlugin",
    "fluent_gql.codegen._plugins.RequestOptionsPlugin",
]
#: Fluent's custom scalars as Python types.
SCALARS = {
    "DateTime": {"type": "datetime.datetime"},
    "Json": {"type": "typing.Any"},
}
#: Where the written plans wrap a dict or tuple onto one item a line.
LINE_LENGTH = 88
_SDL_SUFFIXES = (".graphql", ".graphqls", ".gql")
_PLANS_HEADER = '''"""What fluent-gql checks before sending each generated operation.

Written by `fluent-gql generate` from the operations and the schema; do not edit.
Types are written as in GraphQL; String(50) is a String of at most 50 characters
(checked in mutations only). INPUT_TYPES holds the input objects ({field: type})
and the enums (their values) that the variables reach; a type named in neither is
a custom scalar, which takes any value.
"""

from fluent_gql._plan import InputTypes, OperationPlan

from .base_model import UNSET

'''


class GenerationError(Exception):
    """Raised when ariadne-codegen cannot generate the package."""


class OperationsError(FluentInputError):
    """Raised when operations do not fit the schema; ``diagnostics`` says where."""

    def __init__(self, message: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class SchemaChoice:
    """The schema a package is compiled against, and how to name it."""

    schema: GraphQLSchema
    #: Written into the generated headers: a path relative to the project, or
    #: words for the account's cached schema or the bundled one.
    label: str
    #: An SDL file ariadne-codegen can read as it is, if there is one.
    sdl_file: Path | None = None


def choose_schema(
    settings: ProjectSettings,
    base_url: str | None = None,
    cache: str | None = None,
) -> SchemaChoice:
    """The settings' schema file; else the schema pulled for ``base_url`` (if
    ``fluent-gql schema pull`` cached one); else the bundled snapshot.

    Raises:
        SettingsError: the schema file cannot be read or is not a valid schema.
    """
    from fluent_gql._schema_files import SchemaFileError, load_schema

    if settings.schema is not None:
        try:
            schema = load_schema(settings.schema)
        except SchemaFileError as exc:
            raise SettingsError(
                f"{settings.pyproject} [tool.fluent-gql] schema: {exc}"
            ) from exc
        label = os.path.relpath(settings.schema, settings.root)
        sdl = settings.schema if settings.schema.suffix in _SDL_SUFFIXES else None
        return SchemaChoice(schema, Path(label).as_posix(), sdl)
    if base_url:
        from fluent_gql._account_schema import cached_schema

        cached = cached_schema(base_url, cache)
        if cached is not None:
            return SchemaChoice(cached[0], f"the schema pulled for {base_url}")
    from fluent_gql._schema import bundled_schema

    return SchemaChoice(bundled_schema(), "the schema bundled with fluent-gql")


def check_operations_first(settings: ProjectSettings, choice: SchemaChoice) -> None:
    """Refuse operations that do not fit, as a compiler would, before ariadne-codegen
    (whose messages name no file or line) sees them.

    Raises:
        OperationsError: with one diagnostic per problem.
    """
    from fluent_gql._documents import check_operations, load_operations

    operations = load_operations([settings.queries])
    if not operations.operations:
        raise OperationsError(
            f"{settings.queries} holds no operation (.graphql files): nothing to "
            "generate",
            [],
        )
    found = [
        d for d in check_operations(operations, choice.schema) if d.severity == "error"
    ]
    if found:
        count = len(found)
        raise OperationsError(
            f"{count} error{'' if count == 1 else 's'} in the operations: nothing "
            "generated",
            found,
        )


def _ariadne_config(
    settings: ProjectSettings, schema_file: str, target: Path, *, is_async: bool
) -> dict[str, Any]:
    name = settings.package.rpartition(".")[2]
    prefix = "async_" if is_async else ""
    return {
        "tool": {
            "ariadne-codegen": {
                "schema_path": schema_file,
                "queries_path": Path(
                    os.path.relpath(settings.queries, settings.root)
                ).as_posix(),
                "target_package_path": str(target),
                "target_package_name": name,
                "client_name": settings.async_client if is_async else settings.client,
                "client_file_name": f"{prefix}client",
                "base_client_name": "AsyncBaseClient" if is_async else "BaseClient",
                "base_client_file_path": str(TEMPLATES / f"{prefix}base_client.py.in"),
                "base_client_module_name": f"{prefix}base_client",
                "async_client": is_async,
                "include_comments": "stable",
                "include_all_inputs": False,
                "include_all_enums": False,
                "multipart_uploads": False,
                "plugins": PLUGINS,
                "scalars": SCALARS,
            }
        }
    }


def _run_ariadne(settings: ProjectSettings, choice: SchemaChoice, target: Path) -> Path:
    from ariadne_codegen.main import client

    from fluent_gql.codegen._plugins import ReservedOperationNameError

    with tempfile.TemporaryDirectory() as tmp:
        if choice.sdl_file is not None:
            schema_file = Path(os.path.relpath(choice.sdl_file, settings.root))
        else:
            from graphql import print_schema

            schema_file = Path(tmp) / "schema.graphql"
            schema_file.write_text(print_schema(choice.schema), "utf-8")
        for is_async in (True, False):
            config = _ariadne_config(
                settings, str(schema_file), target, is_async=is_async
            )
            try:
                # Paths stay relative to the project: they are written into the
                # files' headers, which must not depend on where it lives. The
                # generator reports on stdout; keep only our own summary.
                with (
                    contextlib.chdir(settings.root),
                    contextlib.redirect_stdout(io.StringIO()),
                ):
                    client(config)  # type: ignore[no-untyped-call]
            except ReservedOperationNameError as exc:
                raise GenerationError(str(exc)) from exc
            except Exception as exc:  # ariadne-codegen raises many unrelated types
                raise GenerationError(f"{type(exc).__name__}: {exc}") from exc
        package = target / settings.package.rpartition(".")[2]
        if choice.sdl_file is None:
            _name_the_schema(package, str(schema_file), choice.label)
    return package


def _name_the_schema(package: Path, written: str, label: str) -> None:
    """Headers name the schema, not the temporary file it was written to."""
    for module in package.glob("*.py"):
        text = module.read_text("utf-8")
        if written in text:
            module.write_text(text.replace(written, label), "utf-8")


def _build(settings: ProjectSettings, choice: SchemaChoice, target: Path) -> Path:
    """Generate the whole package under ``target``; return its folder."""
    from fluent_gql._schema import PREBUILT_NAME, prebuilt_form

    package = _run_ariadne(settings, choice, target)
    (package / PLANS_MODULE).write_text(_plans_module(package, choice.schema), "utf-8")
    if settings.bundle_schema:
        (package / PREBUILT_NAME).write_text(prebuilt_form(choice.schema), "utf-8")
    return package


def generate(settings: ProjectSettings, choice: SchemaChoice) -> Path:
    """Write the package the settings describe; return its folder.

    Raises:
        OperationsError: an operation does not fit the schema (nothing written).
        GenerationError: ariadne-codegen failed (nothing written).
    """
    check_operations_first(settings, choice)
    destination = settings.package_dir
    _check_replaceable(settings, destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=".fluent-gql-generate-", dir=destination.parent)
    )
    try:
        built = _build(settings, choice, staging)
        previous = staging / "previous"
        if destination.exists():
            destination.rename(previous)
        try:
            built.rename(destination)
        except OSError:
            if previous.exists():
                previous.rename(destination)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination


def _was_generated(folder: Path) -> bool:
    """True for a package an earlier ``fluent-gql generate`` wrote."""
    try:
        plans = (folder / PLANS_MODULE).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return plans.startswith(_PLANS_HEADER.partition("\n")[0])


def _check_replaceable(settings: ProjectSettings, destination: Path) -> None:
    """Refuse to replace a folder (or file) that generate did not write.

    Raises:
        SettingsError: the package's place holds something of the user's.
    """
    if destination.exists() and not _was_generated(destination):
        raise SettingsError(
            f"{settings.pyproject} [tool.fluent-gql] package: {destination} exists "
            "and was not written by `fluent-gql generate`; name another package, "
            "or move it away"
        )


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
    """The source of ``operation_plans.py``: the plan of every operation of the
    generated client, over one table of the input types they reach."""
    from fluent_gql._operation_analysis import analyse

    plans = {
        query: analyse(query, name, schema)
        for query, name in _operations(package / "client.py")
    }
    types: dict[str, Mapping[str, str] | tuple[str, ...]] = {}
    for plan in plans.values():
        types.update(plan.types)
    lines = [_PLANS_HEADER, "INPUT_TYPES: InputTypes = {\n"]
    lines += [f"    {name!r}: {_literal(types[name], 4)},\n" for name in sorted(types)]
    lines.append("}\n\nPLANS: dict[str, OperationPlan] = {\n")
    lines += [
        f"    {query!r}: {_plan_source(plan)},\n" for query, plan in plans.items()
    ]
    return "".join(lines) + "}\n"


def _plan_source(plan: OperationPlan) -> str:
    """One plan as the Python that builds it, a keyword a line."""
    keywords = {
        "name": repr(plan.name),
        "is_mutation": repr(plan.is_mutation),
        "variables": _literal(plan.variables, 8),
        "required": repr(plan.required),
        "types": "INPUT_TYPES",
        "unset": "UNSET",
    }
    body = "".join(f"        {key}={value},\n" for key, value in keywords.items())
    return f"OperationPlan(\n{body}    )"


def _literal(value: Mapping[str, str] | tuple[str, ...], indent: int) -> str:
    """A dict or tuple of strings, on one line if it fits in LINE_LENGTH, else an
    item a line."""
    if isinstance(value, tuple):
        items, brackets = [repr(v) for v in value], "()"
    else:
        items, brackets = [f"{k!r}: {v!r}" for k, v in value.items()], "{}"
    # A tuple of one needs its comma.
    trailing = "," if brackets == "()" and len(items) == 1 else ""
    line = f"{brackets[0]}{', '.join(items)}{trailing}{brackets[1]}"
    if indent + len(line) + 2 <= LINE_LENGTH or not items:
        return line
    body = "".join(f"{' ' * (indent + 4)}{item},\n" for item in items)
    return f"{brackets[0]}\n{body}{' ' * indent}{brackets[1]}"


def _files(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.suffix in (".py", ".json") and "__pycache__" not in p.parts
    }


def stale_files(settings: ProjectSettings, choice: SchemaChoice) -> list[Path]:
    """The package's files that differ from a fresh generation (missing, changed
    or left over), as paths.

    Raises:
        OperationsError, GenerationError: as :func:`generate`.
    """
    check_operations_first(settings, choice)
    current = settings.package_dir
    with tempfile.TemporaryDirectory() as tmp:
        fresh = _build(settings, choice, Path(tmp))
        names = sorted(_files(fresh) | _files(current))
        return [
            current / name
            for name in names
            if not (current / name).is_file()
            or not (fresh / name).is_file()
            or not filecmp.cmp(current / name, fresh / name, shallow=False)
        ]
