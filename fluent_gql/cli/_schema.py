"""``fluent-gql schema pull`` and ``fluent-gql schema diff``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from graphql import (
    BreakingChange,
    DangerousChange,
    GraphQLSchema,
    find_breaking_changes,
    find_dangerous_changes,
    get_introspection_query,
)

from fluent_gql._config import FluentConfig
from fluent_gql._documents import (
    Diagnostic,
    Operation,
    check_operations,
    display_path,
    method_name,
)
from fluent_gql._schema_files import (
    SchemaFileError,
    deprecation_mismatches,
    load_schema,
    schema_from_introspection,
    sorted_sdl,
    without_descriptions,
    write_text_atomic,
)
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    print_json,
    resolve_config,
)
from fluent_gql.cli._project import (
    DEFAULT_QUERIES,
    DEFAULT_SCHEMA,
    echo_diagnostics,
    operation_label,
    operations_at,
    operations_or_fail,
    plural,
    project_settings,
)


@click.group()
def schema() -> None:
    """Pull the live schema, convert a schema file, or compare two schemas."""


def introspect(config: FluentConfig) -> dict[str, Any]:
    """Log in and run the standard introspection query; return its ``data``."""
    from fluent_gql._client import FluentClient  # httpx and the models: pull only

    with FluentClient(config) as client:
        return client.graphql(get_introspection_query(descriptions=True))


def _pull_target() -> Path | None:
    """Where ``schema pull`` writes without ``--out``: the ``schema`` of the
    project's settings; none (only the cache) if they have none; without
    settings, ``schema/fluent.graphql``."""
    project = project_settings(check_paths=False)  # the file may be new
    if project is None:
        return DEFAULT_SCHEMA
    return None if project.schema is None else Path(display_path(project.schema))


@schema.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Where to write the SDL. [default: the schema of [tool.fluent-gql] in "
    "pyproject.toml; none if it names none (the cached schema is the project's); "
    "without settings, schema/fluent.graphql]",
)
@connection_options
def pull(out: Path | None, opts: CliOptions) -> None:
    """Write the account's schema as SDL, by introspection, and cache it.

    Types and fields are sorted by name, so pulling an unchanged schema again
    leaves the file as it was. The file is replaced in one step: never half-written.
    The schema is also cached for the account's base URL (in the platform's user
    cache folder, or FLUENT_SCHEMA_CACHE), where every client and command for that
    account finds it: raw queries are then checked against it, not the snapshot
    bundled with fluent-gql. A project whose [tool.fluent-gql] names no schema
    file compiles against this cached schema, so then only the cache is written.
    """
    from fluent_gql._account_schema import store_pulled_schema

    if out is None:
        out = _pull_target()
    config = resolve_config(opts)  # flags, then environment, then profile
    result = introspect(config)
    try:
        pulled = schema_from_introspection(result)
    except SchemaFileError as exc:
        raise CommandFailed(f"the server's answer is unusable: {exc}") from exc
    changed = _write(out, sorted_sdl(pulled)) if out is not None else None
    try:
        cached = store_pulled_schema(config, pulled)
    except OSError as exc:
        raise CommandFailed(
            f"{exc.filename}: cannot cache the schema: {exc.strerror}"
        ) from exc
    types = sum(not name.startswith("__") for name in pulled.type_map)
    # graphql-core 3.3 (and gql 4) refuse these; our own tools do not.
    notes = deprecation_mismatches(pulled)
    if opts.as_json:
        print_json(
            {
                "path": None if out is None else str(out),
                "changed": changed,
                "types": types,
                "notes": notes,
                "cached": str(cached),
            }
        )
        return
    for note in notes:
        click.echo(f"{out or cached}: note: {note}", err=True)
    if out is None:
        click.echo(f"cached for {config.base_url}: {cached} ({plural(types, 'type')})")
        click.echo(
            "[tool.fluent-gql] names no schema file: `fluent-gql generate` and "
            "`fluent-gql validate` use this cached schema"
        )
        return
    state = "wrote" if changed else "unchanged:"
    click.echo(f"{state} {out} ({plural(types, 'type')})")
    click.echo(f"cached for {config.base_url}: {cached}")


def _load(path: Path) -> GraphQLSchema:
    try:
        return load_schema(path)
    except SchemaFileError as exc:
        raise CommandFailed(str(exc), ExitCode.USAGE) from exc


def _write(out: Path, text: str) -> bool:
    try:
        return write_text_atomic(out, text)
    except OSError as exc:
        raise CommandFailed(f"{out}: cannot write the schema: {exc.strerror}") from exc


@schema.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the SDL [default: standard output].",
)
@click.option(
    "--no-descriptions",
    is_flag=True,
    help="Leave out every description; input fields that state a length limit "
    "keep it as a short note of ours ('At most 100 characters.').",
)
def convert(source: Path, out: Path | None, no_descriptions: bool) -> None:
    """Write SOURCE (SDL, or an introspection result saved as .json) as SDL.

    Types and fields are sorted by name, so the same schema always gives the same
    bytes. With --out the file is replaced in one step: never half-written.
    """
    loaded = _load(source)
    text = sorted_sdl(without_descriptions(loaded) if no_descriptions else loaded)
    if out is None:
        click.echo(text, nl=False)
        return
    state = "wrote" if _write(out, text) else "unchanged:"
    types = sum(not name.startswith("__") for name in loaded.type_map)
    click.echo(f"{state} {out} ({plural(types, 'type')})", err=True)


def _grouped(
    changes: Sequence[BreakingChange | DangerousChange],
) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for change in changes:
        groups[change.type.name].append(change.description)
    return {kind: sorted(groups[kind]) for kind in sorted(groups)}


def _echo_changes(title: str, groups: dict[str, list[str]]) -> None:
    count = sum(len(items) for items in groups.values())
    click.echo(f"{plural(count, title)}:")
    for kind, descriptions in groups.items():
        click.echo(f"  {kind.lower().replace('_', ' ')}:")
        for description in descriptions:
            click.echo(f"    {description}")


@dataclass(frozen=True)
class _Breaks:
    """What breaks against NEW."""

    #: The operation files checked.
    files: list[str]
    #: Their errors against NEW.
    errors: list[Diagnostic]
    #: The errors that are errors against OLD too.
    before: set[Diagnostic]
    #: The operations each error concerns.
    operations: dict[Diagnostic, list[Operation]]


def _breaks(
    queries: Sequence[Path], default: Path, old: GraphQLSchema, new: GraphQLSchema
) -> _Breaks:
    """Check the operation files at ``queries`` (else the ``default`` folder)."""
    if not queries and not default.is_dir():
        return _Breaks([], [], set(), {})
    operations = operations_or_fail(queries, default)
    errors = [d for d in check_operations(operations, new) if d.severity == "error"]
    before = {d for d in check_operations(operations, old) if d.severity == "error"}
    at = operations_at(operations)
    return _Breaks(list(operations.files), errors, before, {d: at(d) for d in errors})


@schema.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--queries",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Operation files or folders to check against NEW [default: the queries "
    "folder of [tool.fluent-gql] in pyproject.toml, else queries/].",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def diff(old: Path, new: Path, queries: tuple[Path, ...], as_json: bool) -> None:
    """Show what changed from OLD to NEW, and which operations break against NEW.

    OLD and NEW are SDL files, or introspection results (.json). Breaking and
    dangerous changes are listed by kind; then every error of the operation files
    against NEW, as PATH:LINE:COLUMN: OPERATION (METHOD()): MESSAGE, naming the
    operations that break and the client methods generated from them. Exits 1
    when any operation breaks.
    """
    project = project_settings()
    old_schema, new_schema = _load(old), _load(new)
    breaking = _grouped(find_breaking_changes(old_schema, new_schema))
    dangerous = _grouped(find_dangerous_changes(old_schema, new_schema))
    default = project.queries if project else DEFAULT_QUERIES
    breaks = _breaks(queries, default, old_schema, new_schema)
    if as_json:
        print_json(
            {
                "old": str(old),
                "new": str(new),
                "breaking": _entries(breaking),
                "dangerous": _entries(dangerous),
                "files": breaks.files,
                "errors": [_error(d, breaks) for d in breaks.errors],
            }
        )
    else:
        _echo_diff(breaking, dangerous, breaks)
    broken = {d.path for d in breaks.errors}
    if broken:
        raise CommandFailed(
            f"{plural(len(broken), 'operation file')} of {len(breaks.files)} fail "
            f"against {new}",
            ExitCode.ERROR,
        )


def _entries(groups: dict[str, list[str]]) -> list[dict[str, str]]:
    return [{"type": k, "description": d} for k, items in groups.items() for d in items]


def _error(d: Diagnostic, breaks: _Breaks) -> dict[str, Any]:
    return {
        "path": d.path,
        "line": d.line,
        "column": d.column,
        "message": d.message,
        "operations": [
            {"name": op.name, "method": method_name(op.name)}
            for op in breaks.operations[d]
            if op.name
        ],
        "fails_against_old": d in breaks.before,
    }


def _message(d: Diagnostic, breaks: _Breaks) -> str:
    """``orderByRef (order_by_ref()): <message>[ (fails against OLD too)]``."""
    label = operation_label(breaks.operations[d])
    also = " (fails against OLD too)" if d in breaks.before else ""
    return f"{label}: {d.message}{also}" if label else d.message + also


def _echo_diff(
    breaking: dict[str, list[str]],
    dangerous: dict[str, list[str]],
    breaks: _Breaks,
) -> None:
    if not breaking and not dangerous:
        click.echo("No breaking or dangerous changes.")
    if breaking:
        _echo_changes("breaking change", breaking)
    if dangerous:
        _echo_changes("dangerous change", dangerous)
    if not breaks.files:
        click.echo("No operation files to check.")
        return
    count = plural(len(breaks.files), "file")
    click.echo(f"Operations against NEW ({count} checked):")
    echo_diagnostics(
        Diagnostic(d.path, d.line, d.column, _message(d, breaks)) for d in breaks.errors
    )
    if not breaks.errors:
        click.echo("  every operation validates against NEW")
