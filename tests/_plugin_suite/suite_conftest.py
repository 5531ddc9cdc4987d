"""``conftest.py`` of the generated suite (copied into pytester's folder).

- ``PLUGIN_SUITE_SEED``: run the tests in the order this seed shuffles them
  to; the last one is always a test of the shared server that leaves it
  running, so that each test that stops or closes it is followed by one.
- ``PLUGIN_SUITE_NO_RESET``: ``Emulator.reset`` puts nothing back, as if the
  plugin did not reset the shared emulator: the suite must then fail. Each
  test still runs to its end (and leaves its state behind); the leaks its
  pristine check found fail it at teardown, named.
- Every test records which server it got (``records/*.json``): the test, the
  xdist worker, the base URL, an identity of the server object, whether the
  test has an emulator of its own, and its place in its process's run.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from fluent_gql.emulator import Emulator, EmulatorServer

pytest.register_assert_rewrite("suite_helpers")

# In the run's folder the helpers are a top-level module; mypy checks them here.
if TYPE_CHECKING:
    from tests._plugin_suite import suite_helpers
else:
    import suite_helpers

if os.environ.get("PLUGIN_SUITE_NO_RESET"):

    def _keep_everything(self: Emulator) -> None:
        """A reset that resets nothing."""

    Emulator.reset = _keep_everything  # type: ignore[method-assign]
    suite_helpers.REPORT_ONLY = True

_STEPS = itertools.count(1)


def _takes_the_shared_server_down(item: pytest.Item) -> bool:
    return "robust" in item.name


def _own(item: pytest.Item) -> bool:
    return item.get_closest_marker("fluent_emulator") is not None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Shuffle the tests with ``PLUGIN_SUITE_SEED`` (the same order on every
    xdist worker)."""
    seed = os.environ.get("PLUGIN_SUITE_SEED")
    if not seed:
        return
    random.Random(int(seed)).shuffle(items)
    last = max(
        n
        for n, item in enumerate(items)
        if not _takes_the_shared_server_down(item) and not _own(item)
    )
    items.append(items.pop(last))


@pytest.fixture
def anyio_backend() -> str:
    """Async tests run on asyncio."""
    return "asyncio"


@pytest.fixture(autouse=True)
def no_leak_reported() -> Iterator[None]:
    """In a run without resets: the test fails if its pristine check found leaks."""
    yield
    leaks = list(dict.fromkeys(suite_helpers.REPORTED))
    suite_helpers.REPORTED.clear()
    assert not leaks, "leaked: " + ", ".join(leaks)


@pytest.fixture(autouse=True)
def record_server(request: pytest.FixtureRequest) -> None:
    """Record the server a test using ``fluent_emulator`` got."""
    if "fluent_emulator" not in request.fixturenames:
        return
    server: EmulatorServer = request.getfixturevalue("fluent_emulator")
    record = {
        "test": request.node.name,
        "worker": os.environ.get("PYTEST_XDIST_WORKER", ""),
        "base_url": server.base_url,
        "server": vars(server).setdefault("_plugin_suite_id", uuid.uuid4().hex),
        "own": _own(request.node),
        "step": next(_STEPS),
    }
    folder = suite_helpers.run_dir() / "records"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{uuid.uuid4().hex}.json").write_text(json.dumps(record))
