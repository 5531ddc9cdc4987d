"""Command line: ``python -m fluent_gql.emulator``.

Serves an emulator in the foreground until Ctrl-C (or SIGTERM): Fluent's whole
schema as bundled, or another account's schema file (``--schema``). The first line
printed is always ``fluent-gql emulator listening on http://HOST:PORT`` so a script
can wait for it; the ``FLUENT_*`` lines that follow can be pasted into a shell or a
``.env`` file. The credentials printed are the emulator's own fake ones, fixed and
published: on a ``--host`` that is not loopback it warns on stderr that anyone who
can reach the port can use them, and prints a base URL the client accepts (the
loopback one for ``0.0.0.0`` or ``::``).
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import math
import shlex
import signal
import socket
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from types import FrameType

from fluent_gql import _stdout
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
MAX_PORT = 65535


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError(
            f"must be a port number from 0 to {MAX_PORT} (0 picks a free port),"
            f" got {text!r}"
        )
    return value


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
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help="the address to listen on (default: %(default)s); anything but"
        " loopback shares the emulator's fixed credentials with the network",
    )
    parser.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help=f"0 to {MAX_PORT}; 0 picks a free port (default: %(default)s)",
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


@dataclass(frozen=True)
class _Address:
    """Where clients reach a bound socket, and what to warn about."""

    base_url: str
    #: The client refuses ``http://`` to this host unless told it may.
    needs_insecure_http: bool = False
    #: Set when the socket is reachable from the network.
    warning: str | None = None


def _address_of(sock: socket.socket, host: str) -> _Address:
    """The base URL to print for ``sock`` (bound for ``--host host``).

    The client accepts ``http://`` only for a loopback host: a wildcard bind
    (``0.0.0.0``, ``::``) is announced by its loopback address, any other address
    with ``FLUENT_ALLOW_INSECURE_HTTP=1``; both get a warning, since the
    emulator's credentials are fixed and published.
    """
    bound, port = sock.getsockname()[:2]
    try:
        address = ipaddress.ip_address(bound.partition("%")[0])
    except ValueError:
        address = None
    if address is not None and address.is_loopback:
        return _Address(base_url_of(sock))
    exposed = (
        f"warning: --host {host} listens on every network interface"
        if address is not None and address.is_unspecified
        else f"warning: --host {host} is not a loopback address"
    ) + (
        f": anyone who can reach this machine on port {port} can log in with the"
        " emulator's fixed, published credentials (printed below) and read or"
        " change its data. Use the default --host 127.0.0.1 unless you mean that."
    )
    if address is not None and address.is_unspecified:
        loopback = "[::1]" if address.version == 6 else "127.0.0.1"
        return _Address(
            f"http://{loopback}:{port}",
            warning=exposed + " The settings below use the loopback address; from"
            " another machine use this machine's address and"
            " FLUENT_ALLOW_INSECURE_HTTP=1 (the emulator speaks plain http://, which"
            " the client refuses for a host that is not loopback).",
        )
    return _Address(
        base_url_of(sock),
        needs_insecure_http=True,
        warning=exposed + " The client refuses plain http:// for a host that is not"
        " loopback, so the settings below include FLUENT_ALLOW_INSECURE_HTTP=1.",
    )


def _banner(
    address: _Address,
    emulator: Emulator,
    schema: str | None,
    events: Sequence[tuple[str, str]] = (),
) -> list[str]:
    base_url = address.base_url
    creds = emulator.credentials
    settings = {
        "FLUENT_BASE_URL": base_url,
        "FLUENT_USERNAME": creds.username,
        "FLUENT_PASSWORD": creds.password,
        "FLUENT_CLIENT_ID": creds.client_id,
        "FLUENT_CLIENT_SECRET": creds.client_secret,
        "FLUENT_RETAILER_ID": emulator.retailer_id,
    }
    if address.needs_insecure_http:
        settings["FLUENT_ALLOW_INSECURE_HTTP"] = "1"
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
        The exit code: 0 after Ctrl-C or SIGTERM, 1 if it could not start, 141
        if stdout was closed before the banner could be printed.

    Raises:
        SystemExit: 2 on a usage error (argparse's), 0 after ``--help``.
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
                f"error: cannot listen on {args.host}:{args.port}: {_reason(exc)}",
                file=sys.stderr,
            )
            return 1
        address = _address_of(sock, args.host)
        if address.warning is not None:
            print(address.warning, file=sys.stderr, flush=True)
        banner = "\n".join(_banner(address, emulator, args.schema, args.events))
        stdout_closed = False

        def announce() -> None:
            nonlocal stdout_closed
            try:
                print(banner, flush=True)
            except BrokenPipeError:  # `... | head -1` gone already: nobody to serve
                stdout_closed = True
                server.should_exit = True

        # The banner is printed once uvicorn serves and handles signals: a script
        # that reads it and interrupts at once must not race uvicorn's startup
        # (a SIGINT there could be lost, leaving the server running).
        server = make_server(emulator, own_logging=True, on_started=announce)
        with sock, _sigterm_as_interrupt(), suppress(KeyboardInterrupt):
            server.run(sockets=[sock])
    if stdout_closed:
        return _stdout.stdout_closed()
    return 0


def _reason(exc: OSError) -> str:
    """Why a socket could not be bound, with what to do about it."""
    if exc.errno == errno.EADDRINUSE:
        return (
            "the port is already in use (another emulator?); choose another"
            " --port, or --port 0 for a free one"
        )
    if exc.errno == errno.EACCES:
        return (
            "permission denied (ports below 1024 need privileges); choose another"
            " --port"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return "this machine has no such address; try --host 127.0.0.1"
    return exc.strerror or str(exc)


if __name__ == "__main__":
    sys.exit(main())
