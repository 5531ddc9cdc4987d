"""Command line: ``python -m fluent_gql.emulator``.

Serves an emulator in the foreground until Ctrl-C (or SIGTERM): Fluent's whole
schema as bundled, or another account's schema file (``--schema``). The first line
printed is always ``fluent-gql emulator listening on http://HOST:PORT`` so a script
can wait for it; the ``FLUENT_*`` lines that follow can be pasted into a shell or a
``.env`` file. The credentials printed are the emulator's own fake ones.
"""

from __future__ import annotations

import argparse
import math
import shlex
import signal
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from types import FrameType

from fluent_gql._schema_files import SchemaFileError
from fluent_gql.emulator._emulator import DEFAULT_TOKEN_TTL, Emulator
from fluent_gql.emulator._events import EmulatorEvent
from fluent_gql.emulator._faults import FaultPlan
from fluent_gql.emulator._server import (
    DEFAULT_HOST,
    base_url_of,
    bind_socket,
    make_server,
)
from fluent_gql.emulator._store import StoreError

DEFAULT_PORT = 8000


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"must be positive and finite: {text!r}")
    return value


def _fault_plan(text: str) -> FaultPlan:
    try:
        return FaultPlan.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _event_status(text: str) -> tuple[str, str]:
    name, equals, status = (part.strip() for part in text.partition("="))
    if not (equals and name and status):
        raise argparse.ArgumentTypeError(
            f"expected NAME=STATUS, e.g. CancelOrder=CANCELLED, got {text!r}"
        )
    return name, status


def _setting_status(emulator: Emulator, status: str) -> Callable[[EmulatorEvent], None]:
    """A handler doing what Fluent's ``SetState`` rule does: the event's entity
    takes ``status``."""

    def set_state(event: EmulatorEvent) -> None:
        emulator.set_status(
            event.entity_type,
            status,
            ref=None if event.entity_id else event.entity_ref,
            id=event.entity_id,
        )

    return set_state


def build_parser() -> argparse.ArgumentParser:
    """The command line's argument parser."""
    parser = argparse.ArgumentParser(
        prog="fluent-gql emulator",
        description="Serve a local Fluent-compatible API (/oauth/token, /graphql,"
        " the Event API)."
        " It serves Fluent's whole schema: queries over entities it does not store"
        " answer null or an empty connection, and mutations it does not carry out"
        " answer a GraphQL error with code S9998E.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help="default: %(default)s")
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="0 picks a free port"
    )
    parser.add_argument(
        "--db", metavar="PATH", help="SQLite file that keeps data across restarts"
    )
    parser.add_argument(
        "--schema",
        metavar="PATH",
        help="serve this schema instead of the bundled one: SDL (.graphql) or"
        " introspection JSON (.json), e.g. another Fluent account's",
    )
    parser.add_argument(
        "--token-ttl",
        type=_positive_float,
        default=DEFAULT_TOKEN_TTL,
        metavar="SECONDS",
        help="access token lifetime (default: %(default)s)",
    )
    parser.add_argument(
        "--refresh-tokens",
        action="store_true",
        help="issue single-use refresh tokens",
    )
    parser.add_argument(
        "--faults",
        type=_fault_plan,
        metavar="NAME=VALUE,...",
        help="misbehave on purpose, e.g. 'server_error_rate=0.1,latency=0.05,seed=3';"
        " settings: " + ", ".join(FaultPlan.__dataclass_fields__),
    )
    parser.add_argument(
        "--event",
        dest="events",
        type=_event_status,
        action="append",
        default=[],
        metavar="NAME=STATUS",
        help="an event whose ruleset sets its entity's status, e.g."
        " CancelOrder=CANCELLED; repeatable. Without one, a sync event matches no"
        " ruleset (HTTP 404), as on an account whose workflow lacks it",
    )
    return parser


def _banner(
    base_url: str,
    emulator: Emulator,
    schema: str | None,
    events: Sequence[tuple[str, str]] = (),
) -> list[str]:
    creds = emulator.credentials
    settings = {
        "FLUENT_BASE_URL": base_url,
        "FLUENT_USERNAME": creds.username,
        "FLUENT_PASSWORD": creds.password,
        "FLUENT_CLIENT_ID": creds.client_id,
        "FLUENT_CLIENT_SECRET": creds.client_secret,
        "FLUENT_RETAILER_ID": emulator.retailer_id,
    }
    faults = emulator.faults
    return [
        f"fluent-gql emulator listening on {base_url}",
        "# Settings for a client (the emulator's own fake credentials):",
        *(f"{name}={shlex.quote(value)}" for name, value in settings.items()),
        "# The seeded product catalogue (examples/quickstart.py reads this):",
        f"FLUENT_CATALOGUE_REF={shlex.quote(emulator.catalogue_ref)}",
        *([f"# Schema: {schema}"] if schema is not None else []),
        *([f"# Faults: {faults or 'none (all defaults)'}"] if faults else []),
        *(
            f"# Event {name} sets its entity's status to {status}"
            for name, status in events
        ),
        "# Press Ctrl-C to stop.",
    ]


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal; turning
    # it into KeyboardInterrupt lets main() close the database and return 0.
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator from the command line until interrupted.

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` if ``None``.

    Returns:
        The exit code: 0 after Ctrl-C or SIGTERM, 1 if it could not start.
    """
    args = build_parser().parse_args(argv)
    try:
        emulator = Emulator(
            db_path=args.db,
            token_ttl=args.token_ttl,
            refresh_tokens=args.refresh_tokens,
            faults=args.faults,
            schema=args.schema,
        )
    except SchemaFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (OSError, sqlite3.Error, StoreError) as exc:
        print(f"error: cannot open the database: {exc}", file=sys.stderr)
        return 1
    with emulator:
        for name, status in args.events:
            emulator.on_event(name, _setting_status(emulator, status))
        try:
            sock = bind_socket(args.host, args.port)
        except OSError as exc:
            print(
                f"error: cannot listen on {args.host}:{args.port}: {exc}",
                file=sys.stderr,
            )
            return 1
        banner = "\n".join(
            _banner(base_url_of(sock), emulator, args.schema, args.events)
        )
        # The banner is printed once uvicorn serves and handles signals: a script
        # that reads it and interrupts at once must not race uvicorn's startup
        # (a SIGINT there could be lost, leaving the server running).
        with sock, _sigterm_as_interrupt(), suppress(KeyboardInterrupt):
            make_server(
                emulator,
                own_logging=True,
                on_started=lambda: print(banner, flush=True),
            ).run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
