"""A local, Fluent-compatible server for tests and demos (the ``emulator`` extra).

It serves ``/oauth/token``, ``/graphql`` and Fluent's Event API (``/api/v4.1/event``)
on loopback, storing data in SQLite (in memory, or in a file that survives
restarts). ``/graphql`` serves Fluent's whole schema, the one the client is
generated from: a query over entities the emulator does not store answers as an
empty account would (``null``, or an empty connection), and a mutation it does not
carry out answers a GraphQL error with code ``S9998E`` and changes nothing.
``Emulator(schema=PATH)`` (``--schema PATH``) serves another account's schema file
instead, SDL or introspection JSON. Install it with
``pip install 'fluent-gql[emulator]'``.

Example:
    >>> import httpx
    >>> from fluent_gql.emulator import Emulator, EmulatorServer
    >>> with Emulator() as emu, EmulatorServer(emu) as server:
    ...     creds = emu.credentials
    ...     token = httpx.post(
    ...         f"{server.base_url}/oauth/token",
    ...         data={
    ...             "grant_type": "password",
    ...             "username": creds.username,
    ...             "password": creds.password,
    ...             "client_id": creds.client_id,
    ...             "client_secret": creds.client_secret,
    ...             "scope": "api",
    ...         },
    ...     ).json()["access_token"]
    ...     httpx.post(
    ...         f"{server.base_url}/graphql",
    ...         json={"query": "{ me { username } }"},
    ...         headers={"Authorization": f"Bearer {token}"},
    ...     ).json()
    {'data': {'me': {'username': 'admin'}}}

Events posted to the Event API are recorded as :class:`EmulatorEvent` in
``Emulator.events``; ``Emulator.on_event(name, handler)`` says what an event does
(a workflow ruleset's job), e.g. ``Emulator.set_status("ORDER", "CANCELLED",
ref=...)``.

From a shell, ``python -m fluent_gql.emulator --port 8000`` serves until Ctrl-C and
prints the ``FLUENT_*`` settings that point a client at it.

To test how code copes with a misbehaving Fluent, give the emulator a
:class:`FaultPlan` (``Emulator(faults=FaultPlan(server_error_rate=0.1))``, or
``--faults server_error_rate=0.1`` on the command line): added latency, 5xx and 429
answers, dropped connections, malformed bodies, revoked and early-expiring tokens,
all repeatable from a seed.
"""

from collections.abc import Sequence

try:
    from fluent_gql.emulator._emulator import Emulator
    from fluent_gql.emulator._events import EmulatorEvent
    from fluent_gql.emulator._faults import FaultPlan
    from fluent_gql.emulator._oauth import EmulatorCredentials
    from fluent_gql.emulator._server import EmulatorServer
except ModuleNotFoundError as _missing:
    # What the `emulator` extra installs: say so, rather than "No module named ...".
    _extra = (_missing.name or "").partition(".")[0]
    if _extra not in ("starlette", "uvicorn"):
        raise
    raise ModuleNotFoundError(
        f"fluent_gql.emulator needs the 'emulator' extra ({_extra} is missing): "
        "pip install 'fluent-gql[emulator]'",
        name=_extra,
    ) from None

__all__ = [
    "Emulator",
    "EmulatorCredentials",
    "EmulatorEvent",
    "EmulatorServer",
    "FaultPlan",
    "main",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator's command line (``python -m fluent_gql.emulator``).

    Args:
        argv: Arguments without the program name; ``sys.argv[1:]`` if ``None``.

    Returns:
        The exit code: 0 after Ctrl-C or SIGTERM, 1 if it could not start.
    """
    # Imported here: a package that imports its own __main__ at import time makes
    # ``python -m`` warn that the module was already imported.
    from fluent_gql.emulator.__main__ import main as run

    return run(argv)


for _cls in (Emulator, EmulatorCredentials, EmulatorEvent, EmulatorServer, FaultPlan):
    _cls.__module__ = __name__
del _cls
