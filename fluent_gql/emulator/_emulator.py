"""The :class:`Emulator`: one emulated Fluent account and its ASGI app."""

from __future__ import annotations

import os
from collections import Counter
from types import TracebackType

from fluent_gql.emulator._app import EmulatorApp
from fluent_gql.emulator._entities import set_status
from fluent_gql.emulator._event_api import EventApi
from fluent_gql.emulator._events import EmulatorEvent, EventHandler, EventLog
from fluent_gql.emulator._execution import Executor
from fluent_gql.emulator._faults import FaultPlan
from fluent_gql.emulator._injector import FaultInjector
from fluent_gql.emulator._oauth import EmulatorCredentials, TokenIssuer, TokenStore
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
    any ASGI server.

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
        self._tokens = TokenStore(token_ttl)
        self._faults = FaultInjector()
        self.set_faults(faults)
        self._store = Store(db_path)
        try:
            self._account = seed(self._store, self._credentials.username)
        except BaseException:
            self._store.close()
            raise
        self._issuer = TokenIssuer(
            self._credentials,
            self._tokens,
            self._store,
            refresh_tokens=refresh_tokens,
        )
        # Fluent's account id is the API client's id.
        self._events = EventLog(account_id=self._credentials.client_id)
        self._app = EmulatorApp(
            self._issuer,
            self._tokens,
            Executor(executable, self._store, self._events),
            self._faults,
            EventApi(self._events, self._store),
        )

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
        """
        return self._issuer.requests

    @property
    def events(self) -> list[EmulatorEvent]:
        """Every event recorded, oldest first: posted to the Event API (sync or
        async, accepted or not matched) and raised by the platform (each new
        order's ``CREATE``).

        This is the live list: the emulator appends each event once its
        handler has run, with its final status, and a test may ``clear()`` it.
        Events live in memory only; they are not kept in a ``db_path`` file.

        .. versionadded:: 0.1
        """
        return self._events.events

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
        self._events.on_event(name, handler)

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
        self._tokens.revoke_all()

    def set_token_ttl(self, seconds: float) -> None:
        """Set the lifetime of access tokens issued from now on.

        Raises:
            ValueError: ``seconds`` is not positive.
        """
        self._tokens.ttl = seconds

    @property
    def faults(self) -> FaultPlan | None:
        """The active fault plan; ``None`` while the emulator behaves."""
        return self._faults.plan

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
        self._faults.set_plan(plan)
        self._tokens.lifetime = None if plan is None else plan.token_lifetime

    @property
    def faults_injected(self) -> Counter[str]:
        """How many faults of each kind were injected, e.g. ``["drop_after"]``.

        The live record over the emulator's life (across plans); a test may
        ``clear()`` it. Kinds are named in :class:`FaultPlan`.

        .. versionadded:: 0.1
        """
        return self._faults.injected

    @property
    def fault_log(self) -> list[tuple[int, str]]:
        """``(request number, kind)`` of every injected fault, oldest first.

        Requests are numbered from 1 in the order they arrived, counting every
        request the emulator received. The live list; a test may ``clear()`` it.

        .. versionadded:: 0.1
        """
        return self._faults.log

    def customer_count(self) -> int:
        """How many customers are stored."""
        return self._store.count(CUSTOMERS)

    def product_count(self) -> int:
        """How many standard products are stored."""
        return self._store.count(STANDARD_PRODUCTS)

    def close(self) -> None:
        """Close the database; stop any server using :attr:`app` first."""
        self._store.close()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
