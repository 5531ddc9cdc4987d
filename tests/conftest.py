"""Shared fixtures. The emulator fixtures come from fluent-gql's own pytest plugin."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fluent_gql.cli import main
from fluent_gql.emulator import EmulatorServer

pytest_plugins = ["pytester"]

#: Runs ``fluent-gql ARGS...`` in process; returns (exit status, stdout, stderr).
Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(autouse=True)
def clean_environ(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """No test sees the developer's FLUENT_* variables, or their cached schemas:
    the user cache folder is a fresh one of the test's own."""
    import os

    for name in [n for n in os.environ if n.startswith("FLUENT_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio."""
    return "asyncio"


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run `fluent-gql ARGS...`; return (exit status, stdout, stderr)."""

    def invoke(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return invoke


@pytest.fixture
def emulator_env(
    fluent_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> EmulatorServer:
    """The five FLUENT_* variables point at the emulator (no retailer id)."""
    creds = fluent_emulator.emulator.credentials
    monkeypatch.setenv("FLUENT_BASE_URL", fluent_emulator.base_url)
    monkeypatch.setenv("FLUENT_USERNAME", creds.username)
    monkeypatch.setenv("FLUENT_PASSWORD", creds.password)
    monkeypatch.setenv("FLUENT_CLIENT_ID", creds.client_id)
    monkeypatch.setenv("FLUENT_CLIENT_SECRET", creds.client_secret)
    return fluent_emulator
