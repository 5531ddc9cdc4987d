"""What the schema-workflow commands share: the project's settings and default
paths, loading a schema and operation files with one-line errors, and printing
diagnostics with the operations (and client methods) they concern."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click
from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    Node,
    OperationDefinitionNode,
)

from fluent_gql._documents import (
    Diagnostic,
    Operation,
    OperationSet,
    display_path,
    load_operations,
    method_name,
)
from fluent_gql._schema_files import SchemaFileError, load_schema
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    resolve_settings,
)

if TYPE_CHECKING:
    from fluent_gql.codegen import ProjectSettings

#: The operation files of a project, as ariadne-codegen's ``queries_path``.
DEFAULT_QUERIES = Path("queries")

#: The project's schema, as ariadne-codegen's ``schema_path``.
DEFAULT_SCHEMA = Path("schema/fluent.graphql")


@dataclass(frozen=True)
class ChosenSchema:
    """The schema operations are checked against, its name, and its authority."""

    schema: GraphQLSchema
    name: str
    #: False for the bundled snapshot: not fitting it is only a warning.
    authoritative: bool = True


def project_settings(*, check_paths: bool = True) -> ProjectSettings | None:
    """The ``[tool.fluent-gql]`` settings of the nearest ``pyproject.toml`` at or
    above the working directory that has them; ``None`` if none has.

    Args:
        check_paths: also require the queries folder and the schema file to exist.

    Raises:
        CommandFailed: the settings are malformed (one line, exit status 3).
    """
    from fluent_gql.codegen._settings import SettingsError, find_pyproject, load

    try:
        pyproject = find_pyproject()
        return None if pyproject is None else load(pyproject, check_paths=check_paths)
    except SettingsError as exc:
        raise CommandFailed(str(exc), ExitCode.CONFIG) from exc


def schema_or_fail(
    path: Path | None, project: ProjectSettings | None = None
) -> ChosenSchema:
    """The schema to check operations against, first found of: ``path``,
    ``FLUENT_SCHEMA``, the ``schema`` of the ``project`` settings (without
    settings: the project's ``schema/fluent.graphql``), the schema ``schema pull``
    cached for the configured account (``FLUENT_BASE_URL`` or the profile's), and
    the bundled snapshot.

    Raises:
        CommandFailed: the schema cannot be read or built.
    """
    from fluent_gql._account_schema import cached_schema
    from fluent_gql._exceptions import FluentConfigError

    try:
        settings = resolve_settings(CliOptions()).values
    except FluentConfigError:  # a broken profile: no account to look up
        settings = {}
    named = path or settings.get("schema") or None
    if named is None and project is not None and project.schema is not None:
        named = Path(display_path(project.schema))
    # With settings, an unnamed schema means what `generate` uses: no file here.
    if named is None and project is None and DEFAULT_SCHEMA.is_file():
        named = DEFAULT_SCHEMA
    if named is not None:
        try:
            return ChosenSchema(load_schema(Path(named)), str(named))
        except SchemaFileError as exc:
            raise CommandFailed(str(exc), ExitCode.USAGE) from exc
    base_url = settings.get("base_url")
    cached = cached_schema(base_url, settings.get("schema_cache")) if base_url else None
    if cached is not None:
        return ChosenSchema(
            cached[0], f"the schema pulled for {base_url} ({cached[1]})"
        )
    from fluent_gql._schema import bundled_schema

    return ChosenSchema(bundled_schema(), "the bundled schema", authoritative=False)


def account_schema_cache() -> tuple[str | None, str | None]:
    """The configured account's base URL and schema cache folder (``FLUENT_*`` or
    the profile), where ``fluent-gql schema pull`` keeps its schema."""
    from fluent_gql._exceptions import FluentConfigError

    try:
        settings = resolve_settings(CliOptions()).values
    except FluentConfigError:  # a broken profile: no account to look up
        return None, None
    return settings.get("base_url") or None, settings.get("schema_cache") or None


def operations_or_fail(
    paths: Sequence[Path], queries: Path = DEFAULT_QUERIES
) -> OperationSet:
    """The operation files at ``paths`` (default: the ``queries`` folder), with the
    rest of ``queries`` as context so that fragments defined there resolve.

    Raises:
        CommandFailed: a path does not exist.
    """
    targets = list(paths) or [queries]
    context = [queries] if paths and queries.is_dir() else []
    try:
        return load_operations(targets, context)
    except FileNotFoundError as exc:
        raise CommandFailed(str(exc), ExitCode.USAGE) from exc


def echo_diagnostics(
    diagnostics: Iterable[Diagnostic], *, err: bool = False
) -> tuple[int, int]:
    """Print ``path:line:column: message`` lines; return (errors, warnings)."""
    errors = warnings = 0
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=err)
        errors += diagnostic.severity == "error"
        warnings += diagnostic.severity == "warning"
    return errors, warnings


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _span(node: Node) -> tuple[str, tuple[int, int], tuple[int, int]] | None:
    """The file, first and last (line, column) of a definition."""
    if node.loc is None:
        return None
    source = node.loc.source
    start = source.get_location(node.loc.start)
    end = source.get_location(node.loc.end)
    return source.name, (start.line, start.column), (end.line, end.column)


def _fragments_used(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
) -> set[str]:
    """The fragments an operation spreads, directly or through other fragments."""
    used: set[str] = set()
    pending: list[Node] = [operation]
    while pending:
        selection_set = getattr(pending.pop(), "selection_set", None)
        for selection in selection_set.selections if selection_set else ():
            if not isinstance(selection, FragmentSpreadNode):
                pending.append(selection)
            elif (name := selection.name.value) in fragments and name not in used:
                used.add(name)
                pending.append(fragments[name])
    return used


def operations_at(operations: OperationSet) -> Callable[[Diagnostic], list[Operation]]:
    """A function giving the named operations a diagnostic concerns: the one it
    lies in, or, for a place in a fragment, every operation that uses it."""
    fragments = {f.name.value: f for f in operations.fragments}
    named = [
        op
        for op in (*operations.operations, *operations.context_operations)
        if op.name is not None
    ]
    uses = {id(op): _fragments_used(op.definition, fragments) for op in named}

    def at(diagnostic: Diagnostic) -> list[Operation]:
        def around(node: Node) -> bool:
            span = _span(node)
            place = (diagnostic.line, diagnostic.column)
            return (
                span is not None
                and span[0] == diagnostic.path
                and span[1] <= place <= span[2]
            )

        inside = [op for op in named if around(op.definition)]
        if inside:
            return inside
        hit = {name for name, f in fragments.items() if around(f)}
        return [op for op in named if uses[id(op)] & hit]

    return at


def operation_label(operations: Iterable[Operation]) -> str:
    """``orderByRef (order_by_ref())``: each operation and its client method."""
    return ", ".join(
        f"{op.name} ({method_name(op.name)}())" for op in operations if op.name
    )
