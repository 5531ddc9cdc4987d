"""One life of the emulated account, and the switch that ``Emulator.reset()`` flips.

Everything a test can change lives in an :class:`AccountState`: the stored
entities, the tokens issued, the fault plan with its random sequences and its
record, the events recorded with their handlers, and the token requests seen.
``Emulator.reset()`` puts a new state, made from the copy of the store kept at
start, in place of the current one.

Each request is bound to the state that was current when it arrived, for its
whole life: a request still running when the state is replaced (held by latency
or a stall, or left behind by a client that gave up) reads and writes the old
state, never the new one. The old store is closed when its last request ends.
What a request runs, event handlers included, sees the same state through a
context variable, so that ``emu.set_status(...)`` in a handler changes the
account the event was posted to.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from fluent_gql.emulator._event_api import EventApi
from fluent_gql.emulator._events import EventLog
from fluent_gql.emulator._faults import FaultPlan
from fluent_gql.emulator._injector import FaultInjector
from fluent_gql.emulator._oauth import EmulatorCredentials, TokenIssuer, TokenStore
from fluent_gql.emulator._store import Store


class AccountState:
    """What one life of the emulated account holds.

    Args:
        store: The account's entities; the state owns it and closes it.
        credentials: The API client and user the token endpoint accepts.
        token_ttl: Lifetime in seconds of the access tokens issued.
        refresh_tokens: Issue refresh tokens with access tokens.
        faults: The fault plan to start with; ``None`` behaves.
    """

    def __init__(
        self,
        store: Store,
        credentials: EmulatorCredentials,
        *,
        token_ttl: float,
        refresh_tokens: bool,
        faults: FaultPlan | None,
    ) -> None:
        self.store = store
        self.tokens = TokenStore(token_ttl)
        self.faults = FaultInjector()
        # Fluent's account id is the API client's id.
        self.events = EventLog(account_id=credentials.client_id)
        self.issuer = TokenIssuer(
            credentials, self.tokens, store, refresh_tokens=refresh_tokens
        )
        self.event_api = EventApi(self.events, store)
        self.set_faults(faults)
        # Guarded by the AccountSwitch's lock.
        self._requests = 0
        self._retired = False

    def set_faults(self, plan: FaultPlan | None) -> None:
        """Misbehave as ``plan`` says from now on (``None``: behave)."""
        self.faults.set_plan(plan)
        self.tokens.lifetime = None if plan is None else plan.token_lifetime


_request_state: ContextVar[AccountState | None] = ContextVar(
    "fluent_gql_emulator_request_state", default=None
)


class AccountSwitch:
    """The current :class:`AccountState`, and the requests still using old ones.

    Args:
        first: The state to serve first.
    """

    def __init__(self, first: AccountState) -> None:
        self._lock = threading.Lock()
        self._current = first

    @property
    def current(self) -> AccountState:
        """The state of the request being handled in this context, else the
        current one."""
        bound = _request_state.get()
        return self._current if bound is None else bound

    @contextmanager
    def request(self) -> Iterator[AccountState]:
        """Bind one request to the current state until the block ends."""
        with self._lock:
            state = self._current
            state._requests += 1
        token = _request_state.set(state)
        try:
            yield state
        finally:
            _request_state.reset(token)
            with self._lock:
                state._requests -= 1
                idle = state._retired and state._requests == 0
            if idle:
                state.store.close()

    def replace(self, new: AccountState) -> None:
        """Serve ``new`` from now on; the old state's store is closed once no
        request uses it."""
        with self._lock:
            old, self._current = self._current, new
        self._retire(old)

    def close(self) -> None:
        """Close the current state's store once no request uses it."""
        self._retire(self._current)

    def _retire(self, state: AccountState) -> None:
        with self._lock:
            state._retired = True
            idle = state._requests == 0
        if idle:
            state.store.close()
