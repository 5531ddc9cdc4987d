"""Fixtures for the emulator's own tests: real servers on loopback, plain httpx.

Starting and stopping uvicorn costs ~0.2 s, so read-mostly tests share one server
(``api``) and keep apart by using unique values; tests that change account-wide
state (tokens, settings, counts) start their own (``start_server``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fluent_gql.emulator import Emulator, EmulatorServer

from .support import Api, StartServer


@pytest.fixture(scope="session")
def shared_server() -> Iterator[EmulatorServer]:
    """One emulator server for tests that only add uniquely named data."""
    with Emulator() as emulator, EmulatorServer(emulator) as server:
        yield server


@pytest.fixture(scope="session")
def api(shared_server: EmulatorServer) -> Iterator[Api]:
    """A logged-in client of the shared server (do not call its ``login``)."""
    client = Api(shared_server)
    client.login()
    yield client
    client.close()


@pytest.fixture
def start_server() -> Iterator[StartServer]:
    """Start a private emulator server: ``start_server(**Emulator kwargs)``.

    The returned :class:`Api` is not logged in. Everything stops after the test.
    """
    started: list[tuple[Emulator, EmulatorServer, Api]] = []

    def start(**kwargs: Any) -> Api:
        emulator = Emulator(**kwargs)
        server = EmulatorServer(emulator)
        server.start()
        client = Api(server)
        started.append((emulator, server, client))
        return client

    yield start
    for emulator, server, client in started:
        client.close()
        server.stop()
        emulator.close()
