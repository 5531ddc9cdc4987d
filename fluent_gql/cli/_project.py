"""What the schema-workflow commands share: the project's default paths, loading a
schema and operation files with one-line errors, and printing diagnostics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import click
from graphql import GraphQLSchema, build_schema

from fluent_gql._documents import Diagnostic, OperationSet, load_operations
from fluent_gql._schema_files import SchemaFileError, load_schema
from fluent_gql.cli._options import CommandFailed, ExitCode

#: The operation files of a project, as ariadne-codegen's ``queries_path``.
DEFAULT_QUERIES = Path("queries")

#: The project's schema, as ariadne-codegen's ``schema_path``.
DEFAULT_SCHEMA = Path("schema/fluent.graphql")


def schema_or_fail(path: Path | None) -> tuple[GraphQLSchema, str]:
    """The schema at ``path`` (or the project's, else the bundled one) and its name.

    Raises:
        CommandFailed: the schema cannot be read or built.
    """
    if path is None and not DEFAULT_SCHEMA.is_file():
        from fluent_gql._schema import bundled_sdl

        return build_schema(bundled_sdl()), "the bundled schema"
    chosen = DEFAULT_SCHEMA if path is None else path
    try:
        return load_schema(chosen), str(chosen)
    except SchemaFileError as exc:
        raise CommandFailed(str(exc), ExitCode.USAGE) from exc


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
