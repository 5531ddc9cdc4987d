"""The ``fluent-gql`` command line (the ``cli`` extra: click and rich).

This module is the console script's entry point and imports neither click nor
rich: without the ``cli`` extra, :func:`main` says which extra to install instead
of failing on an import. The click group is in :mod:`fluent_gql.cli._app`;
subcommands live in their own modules and are imported only when run, so
``fluent-gql --help`` stays fast. Register a new one in
:data:`fluent_gql.cli._commands.COMMANDS`.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Sequence

from fluent_gql._stdout import stdout_closed
from fluent_gql.cli._commands import COMMANDS, SUMMARIES

__all__ = ["COMMANDS", "SUMMARIES", "main"]

#: The exit status of a missing extra: configuration (``ExitCode.CONFIG`` in
#: :mod:`fluent_gql.cli._options`, which imports click and so cannot be used here).
EXIT_MISSING_EXTRA = 3

#: The modules of the ``cli`` extra, with what ``pip install`` brings them.
_CLI_EXTRA = ("click", "rich")
CLI_INSTALL_HINT = "pip install 'fluent-gql[cli]'"


def _missing_modules() -> list[str]:
    """The modules of the ``cli`` extra that cannot be imported."""
    missing = []
    try:
        importlib.import_module("click")
    except ImportError:
        missing.append("click")
    try:  # rich is imported only when a table is printed: look, do not load
        if importlib.util.find_spec("rich") is None:
            missing.append("rich")
    except (ImportError, ValueError):
        missing.append("rich")
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (the console script's entry).

    Without the ``cli`` extra it prints what to install and returns 3 (the
    configuration status); when stdout is closed early it returns 141 quietly.
    """
    missing = _missing_modules()
    if missing:
        sys.stderr.write(
            f"Error: fluent-gql needs the 'cli' extra ({' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not installed): "
            f"{CLI_INSTALL_HINT}\n"
        )
        return EXIT_MISSING_EXTRA
    from fluent_gql.cli._app import run

    try:
        code = run(argv)
        sys.stdout.flush()  # inside the try: a closed pipe shows at the last flush
    except BrokenPipeError:
        return stdout_closed()
    return code


if __name__ == "__main__":
    sys.exit(main())
