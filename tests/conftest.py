"""Shared fixtures. The emulator fixtures come from fluent-gql's own pytest plugin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test sees the developer's FLUENT_* variables."""
    import os

    for name in [n for n in os.environ if n.startswith("FLUENT_")]:
        monkeypatch.delenv(name)
    yield


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio."""
    return "asyncio"
