"""What the schema-workflow commands share: the project's default paths, loading a
schema and operation files with one-line errors, and printing diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click
from graphql import GraphQLSchema

from fluent_gql._documents import Diagnostic, OperationSet, load_operations
from fluent_gql._schema_files import SchemaFileError, load_schema
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    resolve_settings,
)

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


def schema_or_fail(path: Path | None) -> ChosenSchema:
    """The schema to check operations against, first found of: ``path``,
    ``FLUENT_SCHEMA``, the project's ``schema/fluent.graphql``, the schema
    ``schema pull`` cached for the configured account (``FLUENT_BASE_URL`` or the
    profile's), and the bundled snapshot.

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
    if named is None and DEFAULT_SCHEMA.is_file():
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


def operations_or_fail(paths: Sequence[Path]) -> OperationSet:
    """The operation files at ``paths`` (default ``queries/``), with the rest of
    ``queries/`` as context so that fragments defined there resolve.

    Raises:
        CommandFailed: a path does not exist.
    """
    targets = list(paths) or [DEFAULT_QUERIES]
    context = [DEFAULT_QUERIES] if paths and DEFAULT_QUERIES.is_dir() else []
    try:
        return load_operations(targets, context)
    except FileNotFoundError as exc:
        raise CommandFailed(str(exc), ExitCode.USAGE) from exc


def echo_diagnostics(diagnostics: Iterable[Diagnostic]) -> tuple[int, int]:
    """Print ``path:line:column: message`` lines; return (errors, warnings)."""
    errors = warnings = 0
    for diagnostic in diagnostics:
        click.echo(str(diagnostic))
        errors += diagnostic.severity == "error"
        warnings += diagnostic.severity == "warning"
    return errors, warnings


def plural(count: int, noun: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
