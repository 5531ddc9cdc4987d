"""pytest fixtures for testing code that uses fluent-gql, against the local emulator.

Installed as a pytest plugin with the package, so it is loaded by every pytest run
of a project that installs fluent-gql: loading it imports neither the client nor the
emulator, only a fixture that is used does. The fixtures need the ``emulator`` extra
(``pip install 'fluent-gql[emulator]'``); without it, a test using one fails with a
message saying so.

One emulator serves the whole session (each pytest-xdist worker has its own),
started by the first test that needs it, and every test gets it back as it
started (:meth:`~fluent_gql.emulator.Emulator.reset`): the seeded data only, no
token issued before, the test's fault plan or none, no event handler, empty
records. The server, the schema and the documents already parsed are kept, so
an emulator-backed test costs milliseconds, not a new server.

- ``fluent_emulator``: that emulator, serving on a loopback port, as an
  :class:`~fluent_gql.emulator.EmulatorServer` (``.base_url``, ``.emulator`` with
  ``.credentials``, ``.retailer_id``, ``.catalogue_ref``; ``.config()`` gives a
  :class:`~fluent_gql.FluentConfig` for it). Its ``.emulator`` also serves Fluent's
  Event API: ``.events`` lists the events received (each an
  :class:`~fluent_gql.emulator.EmulatorEvent`, with every new order's ``CREATE``),
  ``.on_event(name, handler)`` says what events of that name do, and
  ``.set_status(entity_type, status, ref=..., id=...)`` changes a stored entity's
  status, so that a handler does a workflow ruleset's work
  (``emu = fluent_emulator.emulator``)::

      emu.on_event("CancelOrder",
                   lambda e: emu.set_status("ORDER", "CANCELLED", ref=e.entity_ref))

  A test marked ``@pytest.mark.fluent_emulator(**settings)`` gets a fresh
  emulator of its own instead, made with those
  :class:`~fluent_gql.emulator.Emulator` settings (``schema=``, ``db_path=``,
  ``credentials=``, ``token_ttl=``, ``refresh_tokens=``), stopped after the test.
- ``fluent_client``: a :class:`~fluent_gql.FluentClient` logged in to it.
- ``async_fluent_client``: an :class:`~fluent_gql.AsyncFluentClient` logged in to it;
  use it from tests marked ``@pytest.mark.anyio`` (anyio's pytest plugin).
- ``fluent_client_factory``: makes your own generated client class (from
  ``fluent-gql generate``) logged in to ``fluent_emulator``:
  ``fluent_client_factory(AcmeClient)``; keywords go to the class. Closed after
  the test.
- ``async_fluent_client_factory``: the same for async classes, awaited:
  ``await async_fluent_client_factory(AsyncAcmeClient)``.
- ``fluent_faults``: the :class:`~fluent_gql.emulator.FaultPlan` that
  ``fluent_emulator`` starts with: the one given by the test's
  ``@pytest.mark.fluent_faults(...)`` marker (the plan's settings as keywords, or
  a ``FaultPlan``), else ``None``. Override the fixture in a ``conftest.py`` to
  give a whole directory one plan. ``fluent_client`` and ``async_fluent_client``
  log in before ``token_error_rate`` applies, so a plan cannot fail their setup;
  every other fault, and the token errors of later logins, reach the test.
  ``fluent_emulator.emulator.faults_injected`` counts what was injected.
- ``fluent_emulator_factory``: starts more emulators of the test's own,
  ``fluent_emulator_factory(db_path=tmp_path / "f.db")`` (``Emulator`` settings as
  keywords), each an :class:`~fluent_gql.emulator.EmulatorServer` on its own
  port; all are stopped after the test.

Example::

    def test_my_sync_job(fluent_client):
        assert fluent_client.me().me.username

    def test_my_own_operations(fluent_client_factory):
        client = fluent_client_factory(AcmeClient)   # acme.fluent, generated
        assert client.location_by_ref(ref="NOWHERE").location is None

    @pytest.mark.fluent_faults(server_error_rate=0.2, seed=3)
    def test_my_job_survives_a_flaky_fluent(fluent_client, fluent_emulator):
        my_job(fluent_client)
        assert fluent_emulator.emulator.faults_injected["server_error"] > 0
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import pytest

# Imported by the fixtures that use them, not here: pytest loads this module on
# every start, in every project that installs fluent-gql.
if TYPE_CHECKING:
    from fluent_gql._base import AsyncFluentBaseClient, FluentBaseClient
    from fluent_gql._client import AsyncFluentClient, FluentClient
    from fluent_gql.emulator import Emulator, EmulatorServer, FaultPlan

FAULTS_MARKER = "fluent_faults"
EMULATOR_MARKER = "fluent_emulator"

_Sync = TypeVar("_Sync", bound="FluentBaseClient")
_Async = TypeVar("_Async", bound="AsyncFluentBaseClient")


class SyncClientFactory(Protocol):
    """``fluent_client_factory``: a sync client class in, a logged-in client out.

    Annotate the fixture with it to have your class's type back::

        def test_x(fluent_client_factory: SyncClientFactory) -> None:
            client = fluent_client_factory(AcmeClient)   # an AcmeClient
    """

    def __call__(self, cls: type[_Sync], /, **kwargs: Any) -> _Sync: ...


class AsyncClientFactory(Protocol):
    """``async_fluent_client_factory``: an async client class in, awaited."""

    def __call__(self, cls: type[_Async], /, **kwargs: Any) -> Awaitable[_Async]: ...


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``fluent_faults`` marker (for ``--strict-markers``)."""
    config.addinivalue_line(
        "markers",
        f"{FAULTS_MARKER}(plan=None, **settings): the FaultPlan that the "
        "fluent_emulator fixture starts with (fluent_gql.emulator.FaultPlan)",
    )
    config.addinivalue_line(
        "markers",
        f"{EMULATOR_MARKER}(**settings): the test gets an emulator of its own, "
        "made with these fluent_gql.emulator.Emulator settings (schema=, "
        "db_path=, credentials=, token_ttl=, refresh_tokens=), instead of the "
        "session's shared one",
    )


@contextmanager
def _emulator_extra() -> Iterator[None]:
    """Fail the test with the emulator package's own message (which names the
    extra to install) when starlette or uvicorn is missing, not with a traceback."""
    try:
        yield
    except ModuleNotFoundError as exc:
        if "fluent-gql[emulator]" not in str(exc):
            raise
        # pytest.fail(), without the ModuleNotFoundError it replaces.
        raise pytest.fail.Exception(str(exc), pytrace=False) from None


def _plan_from_marker(marker: pytest.Mark | None) -> FaultPlan | None:
    """The fault plan a ``fluent_faults`` marker describes (``None`` if none).

    Raises:
        pytest.UsageError: The marker's arguments are not a plan.
    """
    if marker is None:
        return None
    with _emulator_extra():
        from fluent_gql.emulator import FaultPlan

    if marker.args:
        plan = marker.args[0]
        if len(marker.args) > 1 or marker.kwargs or not isinstance(plan, FaultPlan):
            raise pytest.UsageError(
                f"@pytest.mark.{FAULTS_MARKER} takes one FaultPlan or the plan's "
                f"settings as keywords, not {marker.args!r} {marker.kwargs!r}"
            )
        return plan
    try:
        return FaultPlan(**marker.kwargs)
    except (TypeError, ValueError) as exc:
        raise pytest.UsageError(f"@pytest.mark.{FAULTS_MARKER}: {exc}") from None


@pytest.fixture
def fluent_faults(request: pytest.FixtureRequest) -> FaultPlan | None:
    """The fault plan of the test's ``fluent_faults`` marker, or ``None``."""
    return _plan_from_marker(request.node.get_closest_marker(FAULTS_MARKER))


def _own_emulator_kwargs(
    request: pytest.FixtureRequest, faults: FaultPlan | None
) -> dict[str, Any] | None:
    """The ``Emulator`` keywords of the test's ``fluent_emulator`` marker, with
    the ``fluent_faults`` plan; ``None`` for a test without the marker.

    Raises:
        pytest.UsageError: The marker has positional arguments, or both it and
            ``fluent_faults`` give a fault plan.
    """
    marker = request.node.get_closest_marker(EMULATOR_MARKER)
    if marker is None:
        return None
    if marker.args:
        raise pytest.UsageError(
            f"@pytest.mark.{EMULATOR_MARKER} takes the Emulator's settings as "
            f"keywords (schema=, db_path=, ...), not {marker.args!r}"
        )
    kwargs = dict(marker.kwargs)
    with _emulator_extra():
        from fluent_gql.emulator import Emulator
    try:
        inspect.signature(Emulator).bind(**kwargs)
    except TypeError as exc:
        raise pytest.UsageError(f"@pytest.mark.{EMULATOR_MARKER}: {exc}") from None
    if faults is not None:
        if kwargs.get("faults") is not None:
            raise pytest.UsageError(
                f"give the fault plan in @pytest.mark.{EMULATOR_MARKER}(faults=...) "
                f"or in @pytest.mark.{FAULTS_MARKER}, not both"
            )
        kwargs["faults"] = faults
    return kwargs


@contextmanager
def _serving(**kwargs: Any) -> Iterator[EmulatorServer]:
    """A new emulator made with ``kwargs``, served until the block ends."""
    with _emulator_extra():
        from fluent_gql.emulator import Emulator, EmulatorServer

    emulator = Emulator(**kwargs)
    try:
        with EmulatorServer(emulator) as server:
            yield server
    finally:
        emulator.close()


class _SharedEmulator:
    """The session's emulator and server, started on first use and reset for
    each test: the schema, the server and the parsed documents are kept, and
    everything a test can change is put back."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._server: EmulatorServer | None = None

    def checkout(self, faults: FaultPlan | None) -> EmulatorServer:
        """The shared server, its emulator reset and given the test's plan."""
        server = self._server
        if server is not None:
            try:
                server.emulator.reset()
            except RuntimeError:
                # A test closed the emulator: the next one gets a new one.
                server = None
        if server is None or not server.running:
            self.close()
            server = self._server = self._stack.enter_context(_serving())
        server.emulator.set_faults(faults)
        return server

    def close(self) -> None:
        """Stop the server and close the emulator, if started."""
        self._server = None
        self._stack.close()


@pytest.fixture(scope="session")
def _fluent_shared_emulator() -> Iterator[_SharedEmulator]:
    """One emulator per session (per pytest-xdist worker), started on first use."""
    shared = _SharedEmulator()
    try:
        yield shared
    finally:
        shared.close()


@pytest.fixture
def fluent_emulator(
    request: pytest.FixtureRequest,
    fluent_faults: FaultPlan | None,
    _fluent_shared_emulator: _SharedEmulator,
) -> Iterator[EmulatorServer]:
    """The session's emulator, reset for this test; or, for a test marked
    ``@pytest.mark.fluent_emulator(...)``, a fresh one of its own."""
    own = _own_emulator_kwargs(request, fluent_faults)
    if own is None:
        with _emulator_extra():
            shared = _fluent_shared_emulator.checkout(fluent_faults)
        yield shared
        return
    with _serving(**own) as server:
        yield server


class EmulatorFactory(Protocol):
    """``fluent_emulator_factory``: ``Emulator`` keywords in, a started
    :class:`~fluent_gql.emulator.EmulatorServer` out."""

    def __call__(self, **kwargs: Any) -> EmulatorServer: ...


@pytest.fixture
def fluent_emulator_factory() -> Iterator[EmulatorFactory]:
    """Start emulators of the test's own, each on its own server; all are
    stopped after the test."""
    with ExitStack() as stack:

        def make(**kwargs: Any) -> EmulatorServer:
            return stack.enter_context(_serving(**kwargs))

        yield make


@contextmanager
def _no_token_errors(emulator: Emulator) -> Iterator[None]:
    # Only token errors can fail a login; the plan (and its random sequences,
    # restarted from the seed) is back in force before the test starts.
    plan = emulator.faults
    if plan is None or not plan.token_error_rate:
        yield
        return
    emulator.set_faults(dataclasses.replace(plan, token_error_rate=0.0))
    try:
        yield
    finally:
        emulator.set_faults(plan)


@pytest.fixture
def fluent_client(fluent_emulator: EmulatorServer) -> Iterator[FluentClient]:
    """A sync client logged in to ``fluent_emulator``."""
    from fluent_gql._client import FluentClient

    with FluentClient(fluent_emulator.config()) as client:
        with _no_token_errors(fluent_emulator.emulator):
            client.login()
        yield client


@pytest.fixture
async def async_fluent_client(
    fluent_emulator: EmulatorServer,
) -> AsyncIterator[AsyncFluentClient]:
    """An async client logged in to ``fluent_emulator`` (for ``anyio`` tests)."""
    from fluent_gql._client import AsyncFluentClient

    async with AsyncFluentClient(fluent_emulator.config()) as client:
        with _no_token_errors(fluent_emulator.emulator):
            await client.login()
        yield client


def _client_class(cls: object, base: type) -> None:
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise TypeError(
            f"expected a client class generated by `fluent-gql generate` (a "
            f"subclass of fluent_gql.{base.__name__}), got {cls!r}"
        )


@pytest.fixture
def fluent_client_factory(
    fluent_emulator: EmulatorServer,
) -> Iterator[SyncClientFactory]:
    """Make a sync client of the given class, logged in to ``fluent_emulator``."""
    from fluent_gql._base import FluentBaseClient

    made: list[FluentBaseClient] = []

    def make(cls: type[_Sync], /, **kwargs: Any) -> _Sync:
        _client_class(cls, FluentBaseClient)
        client = cls(fluent_emulator.config(), **kwargs)
        made.append(client)
        with _no_token_errors(fluent_emulator.emulator):
            client.login()
        return client

    try:
        yield make
    finally:
        for client in made:
            client.close()


@pytest.fixture
async def async_fluent_client_factory(
    fluent_emulator: EmulatorServer,
) -> AsyncIterator[AsyncClientFactory]:
    """Make an async client of the given class, logged in to ``fluent_emulator``
    (``await`` the call; for ``anyio`` tests)."""
    from fluent_gql._base import AsyncFluentBaseClient

    made: list[AsyncFluentBaseClient] = []

    async def make(cls: type[_Async], /, **kwargs: Any) -> _Async:
        _client_class(cls, AsyncFluentBaseClient)
        client = cls(fluent_emulator.config(), **kwargs)
        made.append(client)
        with _no_token_errors(fluent_emulator.emulator):
            await client.login()
        return client

    try:
        yield make
    finally:
        for client in made:
            await client.aclose()
