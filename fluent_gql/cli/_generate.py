"""``fluent-gql generate [--check]``: compile the project's operations into its
typed client, as ``[tool.fluent-gql]`` in ``pyproject.toml`` says."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import click

from fluent_gql._documents import display_path
from fluent_gql.cli._options import CommandFailed, ExitCode
from fluent_gql.cli._project import account_schema_cache, echo_diagnostics, plural

#: What `pip install` brings the generator (the `codegen` extra pins it).
INSTALL_HINT = "pip install 'fluent-gql[codegen]'"


@click.command()
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; list the generated files that are out of date (exit 1).",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Where to look for pyproject.toml (and above). [default: here]",
)
def generate(check: bool, project: Path | None) -> None:
    """Compile the operations into the typed client package, as [tool.fluent-gql]
    in pyproject.toml says (`fluent-gql init` writes it).

    The operations are validated first; nothing is written unless all of them fit
    the schema. With --check, exits 1 and lists the stale files when the package
    differs from a fresh generation (for CI).
    """
    from fluent_gql.codegen import (
        GenerationError,
        OperationsError,
        SettingsError,
        choose_schema,
        load_settings,
        stale_files,
    )
    from fluent_gql.codegen import generate as generate_package

    if importlib.util.find_spec("ariadne_codegen") is None:
        raise CommandFailed(
            f"generating needs ariadne-codegen: {INSTALL_HINT}", ExitCode.CONFIG
        )
    try:
        settings = load_settings(project)
        choice = choose_schema(settings, *account_schema_cache())
        if check:
            stale = stale_files(settings, choice)
        else:
            package = generate_package(settings, choice)
    except SettingsError as exc:
        raise CommandFailed(str(exc), ExitCode.CONFIG) from exc
    except OperationsError as exc:
        echo_diagnostics(exc.diagnostics, err=True)
        raise CommandFailed(str(exc), ExitCode.INPUT) from exc
    except GenerationError as exc:
        raise CommandFailed(str(exc), ExitCode.ERROR) from exc
    if not check:
        click.echo(
            f"generated {display_path(package)} ({settings.client}, "
            f"{settings.async_client}) against {choice.label}"
        )
        return
    for path in stale:
        click.echo(f"stale: {display_path(path)}")
    if stale:
        raise CommandFailed(
            f"{plural(len(stale), 'generated file')} out of date: run "
            "`fluent-gql generate`",
            ExitCode.ERROR,
        )
    click.echo(f"{display_path(settings.package_dir)} is current")
