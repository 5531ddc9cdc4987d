"""One contender in its own interpreter: ``_worker.py CONTENDER BASE_URL [options]``.

Contenders (the ``fluent-*`` ones need the project's environment, ``gql`` needs
``bench/.venv-gql``, the ``httpx*`` baselines run in either):

- ``httpx``: ``httpx.Client.post(url, json=body, headers=bearer)``, then
  ``raise_for_status()`` and ``.json()["data"]``: the least a raw caller does.
- ``fluent-typed``: ``FluentClient.me()`` (auth flow on, pydantic models out).
- ``fluent-raw``: ``FluentClient.graphql(query)``; ``--validate on|off`` is passed
  through when the installed client has that keyword.
- ``gql``: gql's sync ``Client`` on its ``HTTPXTransport``; ``--schema FILE``
  turns on its local validation against that SDL.
- ``httpx-async`` and ``fluent-async-typed``: the async twins of the above.

After warming up it prints one JSON line (what it runs, with which versions),
then answers each ``run N C`` line on stdin with ``{"n", "cpu_s", "wall_s"}`` for
N calls with C in flight, until ``quit``. With ``--count N`` (sync contenders)
it only warms up, makes N calls and exits: ``_common.instructions_per_call`` runs
it so under callgrind.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import inspect
import json
import platform
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from _common import AUTH_HEADERS, CANNED_SETTINGS

SyncCall = Callable[[], Any]
AsyncCall = Callable[[], Awaitable[Any]]


def _version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _fluent_settings(base_url: str) -> dict[str, Any]:
    return {"base_url": base_url, **CANNED_SETTINGS}


def _limits(args: argparse.Namespace) -> Any:
    """``None`` for httpx's defaults (what AsyncFluentClient uses: 100
    connections, 20 kept alive), else a pool sized to ``--max-connections``."""
    import httpx

    if args.max_connections is None:
        return None
    return httpx.Limits(
        max_connections=args.max_connections,
        max_keepalive_connections=args.max_connections,
    )


def sync_contender(args: argparse.Namespace, body: dict[str, Any]) -> SyncCall:
    """Build the sync call to time, and report what it is in ``info``."""
    url = f"{args.base_url}/graphql"
    if args.contender == "httpx":
        import httpx

        client = httpx.Client()

        def call() -> Any:
            response = client.post(url, json=body, headers=AUTH_HEADERS)
            response.raise_for_status()
            return response.json()["data"]

        return call
    if args.contender == "fluent-typed":
        from fluent_gql import FluentClient

        return FluentClient(**_fluent_settings(args.base_url)).me
    if args.contender == "fluent-raw":
        from fluent_gql import FluentClient

        fluent = FluentClient(**_fluent_settings(args.base_url))
        kwargs: dict[str, Any] = {}
        if "validate" in inspect.signature(fluent.graphql).parameters:
            INFO["validate_supported"] = True
            if args.validate != "default":
                kwargs["validate"] = args.validate == "on"
        else:
            INFO["validate_supported"] = False
        query = body["query"]
        return lambda: fluent.graphql(query, **kwargs)
    if args.contender == "gql":
        from gql import Client, gql
        from gql.transport.httpx import HTTPXTransport

        schema = Path(args.schema).read_text() if args.schema else None
        gql_client = Client(
            transport=HTTPXTransport(url=url, headers=AUTH_HEADERS), schema=schema
        )
        session = gql_client.connect_sync()
        document = gql(body["query"])
        return lambda: session.execute(document)
    raise SystemExit(f"unknown sync contender {args.contender!r}")


def async_contender(args: argparse.Namespace, body: dict[str, Any]) -> AsyncCall:
    """Build the async call to time (inside the running loop)."""
    import httpx

    url = f"{args.base_url}/graphql"
    limits = _limits(args)
    INFO["limits"] = "httpx defaults" if limits is None else repr(limits)
    pool = {} if limits is None else {"limits": limits}
    if args.contender == "httpx-async":
        client = httpx.AsyncClient(**pool)

        async def call() -> Any:
            response = await client.post(url, json=body, headers=AUTH_HEADERS)
            response.raise_for_status()
            return response.json()["data"]

        return call
    if args.contender == "fluent-async-typed":
        from fluent_gql import AsyncFluentClient

        if args.max_connections is None:
            fluent = AsyncFluentClient(**_fluent_settings(args.base_url))
        else:
            fluent = AsyncFluentClient(
                **_fluent_settings(args.base_url),
                http_client=httpx.AsyncClient(**pool),
            )
        return fluent.me
    raise SystemExit(f"unknown async contender {args.contender!r}")


INFO: dict[str, Any] = {}


def _measure_sync(call: SyncCall, calls: int) -> dict[str, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(calls):
        call()
    return {
        "n": calls,
        "cpu_s": time.process_time() - cpu,
        "wall_s": time.perf_counter() - wall,
    }


async def _measure_async(
    call: AsyncCall, calls: int, in_flight: int
) -> dict[str, float]:
    async def lane(count: int) -> None:
        for _ in range(count):
            await call()

    shares = [calls // in_flight + (i < calls % in_flight) for i in range(in_flight)]
    cpu, wall = time.process_time(), time.perf_counter()
    await asyncio.gather(*(lane(share) for share in shares if share))
    return {
        "n": calls,
        "cpu_s": time.process_time() - cpu,
        "wall_s": time.perf_counter() - wall,
    }


def _reply(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def _ready(args: argparse.Namespace) -> None:
    INFO.update(
        contender=args.contender,
        python=platform.python_version(),
        versions={d: _version(d) for d in ("httpx", "pydantic", "gql", "graphql-core")},
    )
    _reply(INFO)


def _commands() -> Any:
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            return
        yield int(words[1]), int(words[2])


def run_sync(args: argparse.Namespace, body: dict[str, Any]) -> None:
    """Warm up, then serve ``run`` commands with the sync contender."""
    call = sync_contender(args, body)
    _measure_sync(call, args.warmup)
    _ready(args)
    for calls, _in_flight in _commands():
        _reply(_measure_sync(call, calls))


async def run_async(args: argparse.Namespace, body: dict[str, Any]) -> None:
    """Warm up, then serve ``run`` commands with the async contender."""
    call = async_contender(args, body)
    await _measure_async(call, args.warmup, min(64, args.warmup))
    _ready(args)
    loop = asyncio.get_running_loop()
    commands = _commands()
    while True:
        command = await loop.run_in_executor(None, next, commands, None)
        if command is None:
            return
        _reply(await _measure_async(call, *command))


def main() -> None:
    """Parse the command line and serve."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("contender")
    parser.add_argument("base_url")
    parser.add_argument("--body", required=True, help="JSON file: the request body")
    parser.add_argument("--validate", choices=["on", "off", "default"])
    parser.add_argument("--schema", help="SDL file for gql's local validation")
    parser.add_argument("--max-connections", type=int)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument(
        "--count",
        type=int,
        help="sync only: warm up, make this many calls and exit (for callgrind)",
    )
    args = parser.parse_args()
    args.validate = args.validate or "default"
    body = json.loads(Path(args.body).read_text())
    if args.count is not None:
        call = sync_contender(args, body)
        _measure_sync(call, args.warmup)
        _measure_sync(call, args.count)
    elif "async" in args.contender:
        asyncio.run(run_async(args, body))
    else:
        run_sync(args, body)


if __name__ == "__main__":
    main()
