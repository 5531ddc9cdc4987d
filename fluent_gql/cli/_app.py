"""The ``fluent-gql`` click group (imported by :func:`fluent_gql.cli.main` once
the ``cli`` extra is known to be installed)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import click

from fluent_gql._version import __version__
from fluent_gql.cli._commands import COMMANDS, SUMMARIES


class _StdoutClosedError(Exception):
    """stdout's reader went away; carried past click, which would exit 1 on it."""


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is used."""

    def format_commands(
        self, ctx: click.Context, formatter: click.HelpFormatter
    ) -> None:
        rows = []
        for name in self.list_commands(ctx):
            summary = SUMMARIES.get(name)
            if summary is None:
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str() if command else ""
            rows.append((name, summary))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command

    # click turns a broken pipe into exit status 1; fluent-gql exits 141 on it, as
    # a program killed by SIGPIPE would. --help and --version print while the
    # context is made, everything else while the command is invoked.

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except BrokenPipeError as exc:
            raise _StdoutClosedError from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _StdoutClosedError from exc


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="fluent-gql", message="%(prog)s %(version)s"
)
def cli() -> None:
    """A typed client for the Fluent Commerce GraphQL API."""


def run(argv: Sequence[str] | None = None) -> int:
    """Run the click group; return the exit status.

    Raises:
        BrokenPipeError: stdout was closed by its reader.
    """
    try:
        # Without standalone mode click returns a command's Exit status instead
        # of calling sys.exit with it.
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="fluent-gql",
            standalone_mode=False,
        )
    except _StdoutClosedError as exc:
        raise BrokenPipeError from exc
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return result if isinstance(result, int) else 0
