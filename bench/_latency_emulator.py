"""The emulator with a fixed added latency, in a process of its own.

``_latency_emulator.py SECONDS SETTINGS_FILE`` serves a fresh in-memory
:class:`~fluent_gql.emulator.Emulator` whose every request first waits SECONDS
(``asyncio.sleep``, so waits overlap as they would on a real network). The
``FLUENT_*`` settings that reach it are written to SETTINGS_FILE (readable by
the owner only; the emulator's credentials are fake, but are kept off the
terminal all the same); the base URL is printed on stdout. ``GET
/_bench/customers`` answers how many customers the emulator holds, without delay.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

import uvicorn

from fluent_gql.emulator import Emulator
from fluent_gql.emulator._server import base_url_of, bind_socket


def delayed(emulator: Emulator, latency: float) -> Any:
    """Wrap the emulator's ASGI app so each HTTP request waits ``latency`` first."""
    app = emulator.app

    async def wrapper(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/_bench/customers":
            count = str(emulator.customer_count()).encode()
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": count})
            return
        if scope["type"] == "http":
            await asyncio.sleep(latency)
        await app(scope, receive, send)

    return wrapper


def main() -> None:
    """Serve until terminated."""
    latency, settings_file = float(sys.argv[1]), sys.argv[2]
    emulator = Emulator()
    sock = bind_socket("127.0.0.1", 0)
    base_url = base_url_of(sock)
    creds = emulator.credentials
    settings = {
        "FLUENT_BASE_URL": base_url,
        "FLUENT_USERNAME": creds.username,
        "FLUENT_PASSWORD": creds.password,
        "FLUENT_CLIENT_ID": creds.client_id,
        "FLUENT_CLIENT_SECRET": creds.client_secret,
        "FLUENT_RETAILER_ID": emulator.retailer_id,
    }
    fd = os.open(settings_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(settings, handle)
    config = uvicorn.Config(
        delayed(emulator, latency),
        log_level="warning",
        access_log=False,
        lifespan="off",
        ws="none",
        log_config=None,
    )
    sys.stdout.write(base_url + "\n")
    sys.stdout.flush()
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
