"""The :class:`Emulator`: one emulated Fluent account and its ASGI app."""

from __future__ import annotations

import os
from collections import Counter
from types import TracebackType

from fluent_gql.emulator._app import EmulatorApp
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
    """A local, Fluent-compatible account: token endpoint, GraphQL API and data.

    The GraphQL API serves Fluent's whole schema, the one the client is generated
    from, or another account's (``schema``). A query over entities the emulator
    does not store answers as an empty account would (``null``, or an empty
    connection); a mutation it does not carry out answers a GraphQL error with
    code ``S9998E`` and changes nothing.
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
        self._app = EmulatorApp(
            self._issuer,
            self._tokens,
            Executor(executable, self._store),
            self._faults,
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
        """The ASGI application serving ``/oauth/token`` and ``/graphql``."""
        return self._app

    @property
    def token_requests(self) -> list[str]:
        """The ``grant_type`` of every token request received, oldest first.

        This is the live list: the emulator appends to it, and a test may
        ``clear()`` it between phases. A request without a grant type adds ``""``.
        """
        return self._issuer.requests

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
