"""pytest fixtures for testing code that uses fluent-gql, against the local emulator.

Installed as a pytest plugin with the package; the fixtures need the ``emulator``
extra (``pip install 'fluent-gql[emulator]'``) and import it only when used.

- ``fluent_emulator``: a fresh emulator serving on a free loopback port, as an
  :class:`~fluent_gql.emulator.EmulatorServer` (``.base_url``, ``.emulator`` with
  ``.credentials``, ``.retailer_id``, ``.catalogue_ref``; ``.config()`` gives a
  :class:`~fluent_gql.FluentConfig` for it).
- ``fluent_client``: a :class:`~fluent_gql.FluentClient` logged in to it.
- ``async_fluent_client``: an :class:`~fluent_gql.AsyncFluentClient` logged in to it;
  use it from tests marked ``@pytest.mark.anyio`` (anyio's pytest plugin).

Example::

    def test_my_sync_job(fluent_client):
        assert fluent_client.me().me.username
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from fluent_gql._client import AsyncFluentClient, FluentClient

if TYPE_CHECKING:
    from fluent_gql.emulator import EmulatorServer


@pytest.fixture
def fluent_emulator() -> Iterator[EmulatorServer]:
    """A fresh Fluent emulator on a free loopback port, stopped after the test."""
    from fluent_gql.emulator import Emulator, EmulatorServer

    emulator = Emulator()
    try:
        with EmulatorServer(emulator) as server:
            yield server
    finally:
        emulator.close()


@pytest.fixture
def fluent_client(fluent_emulator: EmulatorServer) -> Iterator[FluentClient]:
    """A sync client logged in to ``fluent_emulator``."""
    with FluentClient(fluent_emulator.config()) as client:
        client.login()
        yield client


@pytest.fixture
async def async_fluent_client(
    fluent_emulator: EmulatorServer,
) -> AsyncIterator[AsyncFluentClient]:
    """An async client logged in to ``fluent_emulator`` (for ``anyio`` tests)."""
    async with AsyncFluentClient(fluent_emulator.config()) as client:
        await client.login()
        yield client
