"""``fluent-gql validate``: check operation files against the schema like a compiler."""

from __future__ import annotations

from pathlib import Path

import click

from fluent_gql._complexity import COMPLEXITY_LIMIT, ComplexityEstimate
from fluent_gql._documents import (
    Diagnostic,
    Operation,
    check_operations,
    complexity_report,
)
from fluent_gql.cli._options import CommandFailed, ExitCode
from fluent_gql.cli._project import (
    DEFAULT_QUERIES,
    echo_diagnostics,
    operations_or_fail,
    plural,
    project_settings,
    schema_or_fail,
)

_Report = list[tuple[Operation, ComplexityEstimate | None, list[Diagnostic]]]


def _echo_complexity(report: _Report, *, after: bool) -> None:
    rows = [
        (f"{op.path}:{op.line}:{op.column}", op.name or "(anonymous)", result)
        for op, result, _ in report
    ]
    if not rows:
        return
    where = max(len(r[0]) for r in rows)
    name = max(len(r[1]) for r in rows)
    if after:
        click.echo()
    click.echo(
        f"Complexity, variables at their defaults (Fluent's limit: "
        f"{COMPLEXITY_LIMIT:,}; 'queries' is the conservative estimate, 'records' "
        "the upper bound):"
    )
    click.echo(
        f"  {'':{where}}  {'operation':{name}}  {'queries':>11}  {'records':>11}"
    )
    for place, op_name, result in rows:
        q, r = (f"{result.queries:,}", f"{result.records:,}") if result else ("?", "?")
        click.echo(f"  {place:{where}}  {op_name:{name}}  {q:>11}  {r:>11}")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--schema",
    "schema_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SDL, or introspection JSON (.json). [default: FLUENT_SCHEMA, else the "
    "schema of [tool.fluent-gql] in pyproject.toml, else schema/fluent.graphql, "
    "else the schema pulled for your account, else the schema bundled with "
    "fluent-gql]",
)
def validate(paths: tuple[Path, ...], schema_path: Path | None) -> None:
    """Check operation files against the schema (default: the queries folder of
    [tool.fluent-gql] in pyproject.toml, else queries/).

    Prints each problem as PATH:LINE:COLUMN: MESSAGE. Errors: syntax, unknown fields
    and types, bad variables, anonymous or duplicate operations, names that would
    shadow a client method, and operations over Fluent's complexity limit.
    Warnings: deprecated fields and operations that may be over the limit. Both
    complexity estimates of every operation follow. Exits 1 when there are errors.
    """
    project = project_settings()
    chosen = schema_or_fail(schema_path, project)
    schema, schema_name = chosen.schema, chosen.name
    operations = operations_or_fail(
        paths, project.queries if project else DEFAULT_QUERIES
    )
    report = complexity_report(operations, schema)
    found = check_operations(operations, schema, authoritative=chosen.authoritative)
    found = sorted({*found, *(d for _, _, ds in report for d in ds)})
    errors, warnings = echo_diagnostics(found)
    _echo_complexity(report, after=bool(found))
    summary = (
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in "
        f"{plural(len(operations.operations), 'operation')} "
        f"({plural(len(operations.files), 'file')}) checked against {schema_name}"
    )
    if not chosen.authoritative and warnings:
        summary += (
            " (a snapshot of Fluent's schema: what it does not know is a warning; "
            "`fluent-gql schema pull` checks against your account's own)"
        )
    if errors:
        raise CommandFailed(summary, ExitCode.ERROR)
    click.echo(f"\n{summary}")
