"""The :class:`Emulator`: one emulated Fluent account and its ASGI app."""

from __future__ import annotations

import os
from collections import Counter
from types import TracebackType

from fluent_gql.emulator._account import AccountState, AccountSwitch
from fluent_gql.emulator._app import EmulatorApp
from fluent_gql.emulator._entities import set_status
from fluent_gql.emulator._events import EmulatorEvent, EventHandler
from fluent_gql.emulator._execution import Executor
from fluent_gql.emulator._faults import FaultPlan
from fluent_gql.emulator._oauth import EmulatorCredentials, TokenStore
from fluent_gql.emulator._resolvers import executable_schema, load_executable_schema
from fluent_gql.emulator._seed import seed
from fluent_gql.emulator._store import CUSTOMERS, STANDARD_PRODUCTS, Store

DEFAULT_TOKEN_TTL = 86400.0
"""Seconds an access token lives; Fluent's tokens last about a day."""


class Emulator:
    """A local, Fluent-compatible account: token endpoint, GraphQL API, Event API
    and data.

    The GraphQL API serves Fluent's whole schema, the one the client is generated
    from, or another account's (``schema``). A query over entities the emulator
    does not store answers as an empty account would (``null``, or an empty
    connection); a mutation it does not carry out answers a GraphQL error with
    code ``S9998E`` and changes nothing.
    The Event API (``POST /api/v4.1/event/sync`` and ``/async``, ``GET
    /api/v4.1/event`` and ``/api/v4.1/event/{id}``) records every event in
    :attr:`events`. The emulator has no workflows: what an event does is the
    handler a test registers with :meth:`on_event`, typically a call of
    :meth:`set_status`; an event without one matches no ruleset, as in Fluent.
    The account is seeded with retailer ``1``, a location, a product catalogue and
    a user for ``credentials``. Serve :attr:`app` with :class:`EmulatorServer`, or
    any ASGI server. :meth:`reset` puts an in-memory emulator back as it started,
    in well under a millisecond, so that one server can serve many tests.

    Example:
        >>> with Emulator() as emu:
        ...     emu.retailer_id, emu.catalogue_ref
        ('1', 'PC:MASTER:1')

    Args:
        credentials: The API client and user to accept; fake defaults if ``None``.
        db_path: A SQLite file that keeps data across restarts (seeded when
            empty), or ``None`` for an in-memory database.
        token_ttl: Lifetime of access tokens in seconds; fractions are allowed.
        refresh_tokens: Issue single-use refresh tokens with access tokens.
        faults: Misbehave on purpose as this plan says; ``None`` behaves.
        schema: A schema file to serve instead of the bundled one: SDL, or an
            introspection result (``.json``), such as another Fluent account's.
            What the emulator stores is served wherever that schema has it;
            whatever the schema lacks is left out.

    Raises:
        ValueError: ``token_ttl`` is not positive, or ``schema`` cannot be read
            or is not a valid schema (the message is one line and names the file).
    """

    def __init__(
        self,
        credentials: EmulatorCredentials | None = None,
        db_path: str | os.PathLike[str] | None = None,
        token_ttl: float = DEFAULT_TOKEN_TTL,
        refresh_tokens: bool = False,
        faults: FaultPlan | None = None,
        *,
        schema: str | os.PathLike[str] | None = None,
    ) -> None:
        # First: a schema file that cannot be served leaves nothing open.
        executable = (
            executable_schema() if schema is None else load_executable_schema(schema)
        )
        self._credentials = credentials or EmulatorCredentials()
        TokenStore(token_ttl)  # checks the lifetime before anything is opened
        if faults is not None and not isinstance(faults, FaultPlan):
            raise TypeError(f"expected a FaultPlan or None, got {faults!r}")
        self._db_path = db_path
        self._start = (token_ttl, refresh_tokens, faults)
        self._closed = False
        store = Store(db_path)
        try:
            self._account = seed(store, self._credentials.username)
            # What reset() goes back to; a file keeps its own data instead.
            self._pristine = store.copy() if db_path is None else None
        except BaseException:
            store.close()
            raise
        self._accounts = AccountSwitch(self._new_state(store))
        self._app = EmulatorApp(self._accounts, Executor(executable))

    def _new_state(self, store: Store) -> AccountState:
        token_ttl, refresh_tokens, faults = self._start
        return AccountState(
            store,
            self._credentials,
            token_ttl=token_ttl,
            refresh_tokens=refresh_tokens,
            faults=faults,
        )

    @property
    def _live(self) -> AccountState:
        # The account of the request being handled, when called from one (an
        # event handler); else the current one.
        return self._accounts.current

    @property
    def _store(self) -> Store:
        return self._live.store

    def reset(self) -> None:
        """Put the emulator back as it started: the seeded data only, no valid
        token, the fault plan and token lifetime it was made with, no event
        handler, and empty records (:attr:`events`, :attr:`token_requests`,
        :attr:`faults_injected`, :attr:`fault_log`, whose request numbers start
        again from 1).

        Takes well under a millisecond: the seeded database is copied, and the
        schema and the documents already parsed are kept. A request still
        running (held by latency or a stall) finishes against the state it
        arrived in, never the new one; a token issued before the reset is
        refused after it.

        Example:
            >>> with Emulator() as emu:
            ...     emu.on_event("CancelOrder", print)
            ...     emu.reset()
            ...     emu.events, emu.customer_count()
            ([], 0)

        Raises:
            RuntimeError: The emulator keeps its data in a ``db_path`` file,
                which a reset would erase; or it is closed.

        .. versionadded:: 0.1
        """
        if self._pristine is None:
            raise RuntimeError(
                f"reset() needs an in-memory emulator: this one keeps its data in "
                f"{os.fspath(self._db_path or '')!r}, which a reset would erase"
            )
        if self._closed:
            raise RuntimeError("reset() on a closed emulator")
        self._accounts.replace(self._new_state(self._pristine.copy()))

    @property
    def credentials(self) -> EmulatorCredentials:
        """The API client and user this emulator accepts."""
        return self._credentials

    @property
    def retailer_id(self) -> str:
        """Id of the seeded retailer (a GraphQL ``ID``, so a string)."""
        return self._account.retailer_id

    @property
    def catalogue_ref(self) -> str:
        """Ref of the seeded product catalogue."""
        return self._account.catalogue_ref

    @property
    def inventory_catalogue_ref(self) -> str:
        """Ref of the seeded inventory catalogue, ``DEFAULT:1``.

        .. versionadded:: 0.1
        """
        return self._account.inventory_catalogue_ref

    @property
    def app(self) -> EmulatorApp:
        """The ASGI application serving ``/oauth/token``, ``/graphql`` and the
        Event API."""
        return self._app

    @property
    def token_requests(self) -> list[str]:
        """The ``grant_type`` of every token request received, oldest first.

        This is the live list: the emulator appends to it, and a test may
        ``clear()`` it between phases. A request without a grant type adds ``""``.
        :meth:`reset` starts a new, empty list.
        """
        return self._live.issuer.requests

    @property
    def events(self) -> list[EmulatorEvent]:
        """Every event recorded, oldest first: posted to the Event API (sync or
        async, accepted or not matched) and raised by the platform (each new
        order's ``CREATE``).

        This is the live list: the emulator appends each event once its
        handler has run, with its final status, and a test may ``clear()`` it.
        Events live in memory only; they are not kept in a ``db_path`` file.
        :meth:`reset` starts a new, empty list.

        .. versionadded:: 0.1
        """
        return self._live.events.events

    def on_event(self, name: str, handler: EventHandler | None) -> None:
        """Register what events named ``name`` do, as a workflow ruleset would.

        ``handler(event)`` runs for each such event, in the request's worker
        thread, before the request is answered (also for async events, so that
        its effect is visible when the call returns). If it raises, the event is
        ``FAILED``. Registering again replaces the handler; ``None`` removes it.
        ``"CREATE"`` handlers run for each new order, once it is stored.

        Example:
            >>> with Emulator() as emu:
            ...     def cancel(event):
            ...         emu.set_status("ORDER", "CANCELLED", ref=event.entity_ref)
            ...     emu.on_event("CancelOrder", cancel)

        Args:
            name: The event name (Fluent: the ruleset's name).
            handler: Called with the :class:`EmulatorEvent`; ``None`` to remove.

        Raises:
            ValueError: ``name`` is not a non-empty string.
            TypeError: ``handler`` is neither callable nor ``None``.

        .. versionadded:: 0.1
        """
        self._live.events.on_event(name, handler)

    def set_status(
        self,
        entity_type: str,
        status: str,
        *,
        ref: str | None = None,
        id: str | int | None = None,  # Fluent's name for it
    ) -> None:
        """Set a stored entity's status (and ``updatedOn``), as ``SetState`` does.

        For event handlers standing in for rulesets. Entity types: ``ORDER``,
        ``ORDER_ITEM``, ``FULFILMENT_CHOICE``, ``FULFILMENT``, ``LOCATION``,
        ``CUSTOMER``, ``RETAILER``, ``PRODUCT_CATALOGUE``, ``PRODUCT`` (standard
        products), ``INVENTORY_CATALOGUE``, ``INVENTORY_POSITION`` and
        ``INVENTORY_QUANTITY``. Give ``ref``, ``id`` or both (both must match).

        Example:
            >>> with Emulator() as emu:
            ...     emu.set_status("LOCATION", "INACTIVE", id=999)
            Traceback (most recent call last):
            ...
            LookupError: no LOCATION with id 999 is stored

        Raises:
            ValueError: An unknown entity type, a blank status, or neither
                ``ref`` nor ``id``.
            LookupError: No such entity, or several with that ref (a
                fulfilment's ref is unique within its order only: give the id).

        .. versionadded:: 0.1
        """
        set_status(self._store, entity_type, status, ref=ref, id=id)

    def revoke_tokens(self) -> None:
        """Invalidate every access and refresh token issued so far."""
        self._live.tokens.revoke_all()

    def set_token_ttl(self, seconds: float) -> None:
        """Set the lifetime of access tokens issued from now on.

        Raises:
            ValueError: ``seconds`` is not positive.
        """
        self._live.tokens.ttl = seconds

    @property
    def faults(self) -> FaultPlan | None:
        """The active fault plan; ``None`` while the emulator behaves."""
        return self._live.faults.plan

    def set_faults(self, plan: FaultPlan | None) -> None:
        """Start misbehaving as ``plan`` says, or stop with ``None``; any time.

        The plan's random sequences restart from its seed. Token lifetimes
        apply to tokens issued from now on.

        Example:
            >>> with Emulator() as emu:
            ...     emu.set_faults(FaultPlan(server_error_rate=0.5, seed=1))
            ...     emu.faults.server_error_rate
            0.5

        .. versionadded:: 0.1
        """
        if plan is not None and not isinstance(plan, FaultPlan):
            raise TypeError(f"expected a FaultPlan or None, got {plan!r}")
        self._live.set_faults(plan)

    @property
    def faults_injected(self) -> Counter[str]:
        """How many faults of each kind were injected, e.g. ``["drop_after"]``.

        The live record since the emulator started or was last :meth:`reset`
        (across plans); a test may ``clear()`` it. Kinds are named in
        :class:`FaultPlan`.

        .. versionadded:: 0.1
        """
        return self._live.faults.injected

    @property
    def fault_log(self) -> list[tuple[int, str]]:
        """``(request number, kind)`` of every injected fault, oldest first.

        Requests are numbered from 1 in the order they arrived, counting every
        request the emulator received since it started or was last
        :meth:`reset`. The live list; a test may ``clear()`` it.

        .. versionadded:: 0.1
        """
        return self._live.faults.log

    def customer_count(self) -> int:
        """How many customers are stored."""
        return self._store.count(CUSTOMERS)

    def product_count(self) -> int:
        """How many standard products are stored."""
        return self._store.count(STANDARD_PRODUCTS)

    def close(self) -> None:
        """Close the database; stop any server using :attr:`app` first."""
        self._closed = True
        self._accounts.close()
        if self._pristine is not None:
            self._pristine.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
