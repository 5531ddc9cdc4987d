"""``fluent-gql generate [--check]``: regenerate the typed client."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import click

from fluent_gql._documents import check_operations, display_path, load_operations
from fluent_gql._generate import (
    CONFIGS,
    PACKAGE_NAME,
    GenerationError,
    stale_files,
)
from fluent_gql._generate import (
    generate as generate_package,
)
from fluent_gql._schema_files import SchemaFileError, load_schema
from fluent_gql.cli._options import CommandFailed, ExitCode
from fluent_gql.cli._project import echo_diagnostics, plural


def _inputs(root: Path) -> tuple[Path, Path]:
    """The schema and operations folder the first codegen config names."""
    config = root / CONFIGS[0]
    try:
        settings = tomllib.loads(config.read_text("utf-8"))["tool"]["ariadne-codegen"]
        return root / settings["schema_path"], root / settings["queries_path"]
    except (OSError, KeyError, tomllib.TOMLDecodeError) as exc:
        raise CommandFailed(
            f"{display_path(config)}: no usable ariadne-codegen configuration "
            "(run from the project root, or give --root)",
            ExitCode.USAGE,
        ) from exc


def _validate_first(root: Path) -> None:
    """Report invalid operations as a compiler would, before ariadne-codegen does."""
    schema_path, queries = _inputs(root)
    try:
        schema = load_schema(schema_path)
        operations = load_operations([queries])
    except (SchemaFileError, FileNotFoundError) as exc:
        raise CommandFailed(str(exc), ExitCode.USAGE) from exc
    found = [d for d in check_operations(operations, schema) if d.severity == "error"]
    errors, _ = echo_diagnostics(found)
    if errors:
        raise CommandFailed(
            f"{plural(errors, 'error')} in the operations: nothing generated",
            ExitCode.ERROR,
        )


@click.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; list the generated files that are out of date.",
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path(),
    help="The project root (with codegen/, schema/ and queries/).",
)
def generate(check: bool, root: Path) -> None:
    """Regenerate generated/ from schema/ and queries/ (async, then sync client).

    The operations are validated first. With --check, exits 1 and lists the stale
    files when generated/ differs from a fresh generation. Needs ariadne-codegen
    (a development dependency of fluent-gql).
    """
    if importlib.util.find_spec("ariadne_codegen") is None:
        raise CommandFailed(
            "generating needs ariadne-codegen: pip install 'ariadne-codegen==0.19.0'",
            ExitCode.USAGE,
        )
    root = root.resolve()
    _validate_first(root)
    try:
        if check:
            stale = stale_files(root)
        else:
            package = generate_package(root, root / "generated")
    except GenerationError as exc:
        raise CommandFailed(str(exc), ExitCode.ERROR) from exc
    if not check:
        click.echo(f"generated {display_path(package)}")
        return
    for name in stale:
        click.echo(f"stale: {display_path(root / name)}")
    if stale:
        raise CommandFailed(
            f"generated/{PACKAGE_NAME} is out of date: run `fluent-gql generate` "
            "(or `make generate`)",
            ExitCode.ERROR,
        )
    click.echo("generated code is current")
