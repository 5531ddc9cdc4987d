"""The ``fluent-gql`` command line.

``fluent-gql emulator [--host] [--port] [--db] [--token-ttl] [--refresh-tokens]``
serves the local Fluent emulator (the ``emulator`` extra); ``fluent-gql --version``
prints the version.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fluent_gql._version import __version__


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fluent-gql", description="A typed client for the Fluent Commerce API."
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser(
        "emulator",
        help="serve the local Fluent emulator (see `fluent-gql emulator --help`)",
        add_help=False,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args, rest = _parser().parse_known_args(argv)
    if args.command == "emulator":
        try:
            from fluent_gql.emulator.__main__ import main as emulator_main
        except ModuleNotFoundError as exc:
            print(  # noqa: T201
                f"error: the emulator needs the 'emulator' extra ({exc.name} is "
                "missing): pip install 'fluent-gql[emulator]'",
                file=sys.stderr,
            )
            return 2
        return emulator_main(rest)
    if rest:
        _parser().error(f"unrecognized arguments: {' '.join(rest)}")
    _parser().print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
