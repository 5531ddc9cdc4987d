"""The ``fluent-gql`` command line (the ``cli`` extra: click and rich).

Subcommands live in their own modules and are imported only when run, so
``fluent-gql --help`` stays fast. Register a new one in :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from fluent_gql._version import __version__

#: Subcommand name -> "module:attribute" of its click command or group.
COMMANDS: dict[str, str] = {
    "config": "fluent_gql.cli._config:config",
    "customer": "fluent_gql.cli._groups:customer",
    "emulator": "fluent_gql.cli._emulator:emulator",
    "event": "fluent_gql.cli._groups:event",
    "fulfilment": "fluent_gql.cli._groups:fulfilment",
    "generate": "fluent_gql.cli._generate:generate",
    "import": "fluent_gql.cli._import:import_",
    "init": "fluent_gql.cli._init:init",
    "inventory": "fluent_gql.cli._groups:inventory",
    "location": "fluent_gql.cli._groups:location",
    "me": "fluent_gql.cli._actions:me",
    "order": "fluent_gql.cli._groups:order",
    "product": "fluent_gql.cli._groups:product",
    "query": "fluent_gql.cli._actions:query",
    "schema": "fluent_gql.cli._schema:schema",
    "validate": "fluent_gql.cli._validate:validate",
}


#: One-line help of each subcommand, so that ``fluent-gql --help`` lists them
#: without importing their modules (start-up time; a missing entry is imported).
SUMMARIES: dict[str, str] = {
    "config": "Show the resolved settings and the profiles found.",
    "customer": "Get, create and list customers.",
    "emulator": "Serve the local Fluent emulator.",
    "event": "Send workflow events (cancel an order ...) and read them back.",
    "fulfilment": "Get and list fulfilments.",
    "generate": "Compile your operations into your typed client package.",
    "import": "Import customers or products from CSV or JSON Lines.",
    "init": "Set a project up to compile its own operations (pyproject.toml).",
    "inventory": "List inventory positions (stock by product and location).",
    "location": "Get and list locations (stores, warehouses).",
    "me": "Show the user you are logged in as.",
    "order": "Get, list and create orders.",
    "product": "Create and list standard products.",
    "query": "Run any GraphQL query or mutation.",
    "schema": "Pull the live schema, or diff two schemas.",
    "validate": "Check operation files against the schema, like a compiler.",
}


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


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, prog_name="fluent-gql", message="%(prog)s %(version)s"
)
def cli() -> None:
    """A typed client for the Fluent Commerce GraphQL API."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (the console script's entry)."""
    try:
        # Without standalone mode click returns a command's Exit status instead
        # of calling sys.exit with it.
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="fluent-gql",
            standalone_mode=False,
        )
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 1
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
