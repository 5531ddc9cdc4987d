"""``fluent-gql emulator``: serve the local Fluent emulator (the ``emulator`` extra)."""

from __future__ import annotations

import click

from fluent_gql.cli._options import CommandFailed, ExitCode


@click.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def emulator(args: tuple[str, ...]) -> None:
    """Serve the local Fluent emulator (see `fluent-gql emulator --help`).

    Without the ``emulator`` extra: a message naming it, and status 3.
    """
    try:
        from fluent_gql.emulator.__main__ import main as emulator_main
    except ModuleNotFoundError as exc:
        raise CommandFailed(
            f"the emulator needs the 'emulator' extra ({exc.name} is not "
            "installed): pip install 'fluent-gql[emulator]'",
            ExitCode.CONFIG,
        ) from exc
    try:
        code = emulator_main(list(args))
    except SystemExit as exc:  # argparse's usage errors and --help
        code = exc.code if isinstance(exc.code, int) else 1
    raise click.exceptions.Exit(code)
