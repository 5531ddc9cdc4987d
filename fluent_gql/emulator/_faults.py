"""The fault plan: how often, and how, the emulator misbehaves on purpose."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Literal

DEFAULT_RETRY_AFTER = 0.05
"""Seconds sent in ``Retry-After``: short, so that tests honouring it stay fast."""

DEFAULT_STALL = 5.0
"""Seconds a ``stall`` fault holds its answer: past most clients' test timeouts."""

FaultKind = Literal[
    "server_error",
    "rate_limit",
    "graphql_rate_limit",
    "drop_before",
    "drop_after",
    "malformed",
    "revoke",
    "stall",
    "token_error",
]
"""The name under which an injected fault is counted."""

GRAPHQL_FAULTS: tuple[FaultKind, ...] = (
    "server_error",
    "rate_limit",
    "graphql_rate_limit",
    "drop_before",
    "drop_after",
    "malformed",
    "revoke",
    "stall",
)
"""Faults of ``/graphql`` and Event API requests, in the order their rates split
one draw (a new kind goes last, so that an existing plan's faults stay put)."""

# A sum of rates such as 1/7 may round to just above 1.
_RATE_SUM_TOLERANCE = 1e-9


@dataclass(frozen=True, kw_only=True)
class FaultPlan:
    """How often, and how, an :class:`Emulator` misbehaves on purpose.

    Every ``*_rate`` is the probability, between 0 and 1, that one request gets
    that fault. A request gets at most one fault, so the ``/graphql`` rates may
    add up to 1 at most. Each fault is counted under its name (in brackets) in
    :attr:`Emulator.faults_injected`.

    Faults of ``/graphql`` and Event API requests (``/api/v4.1/event...``;
    there, executing a request means recording the event and running its
    handler):

    - ``server_error_rate`` (``server_error``): HTTP 500, 502, 503 or 504 with an
      HTML or JSON page like a load balancer's. The request is not executed.
    - ``rate_limit_rate`` (``rate_limit``): HTTP 429 with a ``Retry-After``
      header of ``retry_after`` seconds and a ``C0011E`` error. Not executed.
    - ``graphql_rate_limit_rate`` (``graphql_rate_limit``): HTTP 200 with a
      GraphQL error whose ``extensions.code`` is ``C0011E``, Fluent's rate-limit
      code, and no ``data``. Not executed.
    - ``drop_before_rate`` (``drop_before``): the connection is closed without
      an answer and without executing the request.
    - ``drop_after_rate`` (``drop_after``): the request is executed (a mutation
      is applied and committed, an event recorded), then the connection is
      closed without an answer. The client cannot tell this from
      ``drop_before``, so it must not resend a mutation or an event.
    - ``malformed_rate`` (``malformed``): the request is executed, then answered
      HTTP 200 with a truncated JSON body or an HTML page.
    - ``revoke_rate`` (``revoke``): every access and refresh token is revoked
      before the request is handled, so it gets HTTP 401.
    - ``stall_rate`` (``stall``): the request is executed (a mutation is
      applied), then its answer is held for ``stall`` seconds: a client whose
      read timeout is shorter times out, not knowing whether the write happened.

    To a client a dropped connection is a transport failure (httpx raises
    ``RemoteProtocolError``), never an HTTP status.

    Faults of ``/oauth/token`` requests:

    - ``token_error_rate`` (``token_error``): HTTP 500 or 503 (JSON or HTML)
      instead of a token. The request is not handled, nor listed in
      :attr:`Emulator.token_requests`.
    - ``token_lifetime``: access tokens really expire after this many seconds,
      while ``expires_in`` still announces the emulator's token TTL: tokens
      that expire early. ``None`` keeps the TTL. Not counted (no request fails
      when a token is issued).

    Every request:

    - ``latency``: seconds added before any request is handled.

    Randomness: ``seed`` starts the random sequence. ``/graphql`` and Event API
    requests draw from ``random.Random(seed)``, two numbers per request in the
    order they arrive; ``/oauth/token`` requests draw from a second sequence of
    their own, so the number of logins a client makes does not shift the
    ``/graphql`` faults. A run that sends its requests one at a time is
    therefore exactly repeatable; a concurrent run is repeatable in aggregate
    (the same faults, possibly hitting other requests).

    Example:
        >>> plan = FaultPlan(server_error_rate=0.1, latency=0.05, seed=3)
        >>> str(plan)
        'seed=3,latency=0.05,server_error_rate=0.1'
        >>> FaultPlan.parse(str(plan)) == plan
        True

    Raises:
        ValueError: A setting is out of range (the message names it), or the
            ``/graphql`` rates add up to more than 1.

    .. versionadded:: 0.1
    """

    seed: int = 0
    latency: float = 0.0
    server_error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after: float = DEFAULT_RETRY_AFTER
    graphql_rate_limit_rate: float = 0.0
    drop_before_rate: float = 0.0
    drop_after_rate: float = 0.0
    malformed_rate: float = 0.0
    revoke_rate: float = 0.0
    stall_rate: float = 0.0
    stall: float = DEFAULT_STALL
    token_error_rate: float = 0.0
    token_lifetime: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise ValueError(f"seed must be an integer, got {self.seed!r}")
        for name in _field_names():
            if name.endswith("_rate"):
                self._normalise(name, "between 0 and 1", lambda v: 0 <= v <= 1)
        for name in ("latency", "retry_after", "stall"):
            self._normalise(name, "zero or more, and finite", lambda v: v >= 0)
        if self.token_lifetime is not None:
            self._normalise("token_lifetime", "positive and finite", lambda v: v > 0)
        total = sum(rate for _, rate in self.graphql_rates())
        if total > 1 + _RATE_SUM_TOLERANCE:
            raise ValueError(
                f"the /graphql fault rates add up to {total:g}; a request gets "
                "one fault at most, so they must add up to 1 at most"
            )

    def _normalise(
        self, name: str, requirement: str, accept: Callable[[float], bool]
    ) -> None:
        value = getattr(self, name)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not (number and math.isfinite(value) and accept(value)):
            raise ValueError(f"{name} must be {requirement}, got {value!r}")
        object.__setattr__(self, name, float(value))

    def graphql_rates(self) -> tuple[tuple[FaultKind, float], ...]:
        """Each ``/graphql`` fault with its rate, in the order draws are split."""
        return tuple((kind, getattr(self, f"{kind}_rate")) for kind in GRAPHQL_FAULTS)

    @classmethod
    def parse(cls, text: str) -> FaultPlan:
        """Read a plan from ``NAME=VALUE`` pairs separated by commas.

        This is the command line's ``--faults`` syntax; ``str(plan)`` writes it.

        Example:
            >>> FaultPlan.parse("server_error_rate=0.1, seed=3").server_error_rate
            0.1

        Raises:
            ValueError: An unknown name, a name given twice, a value that is not
                a number, or a value out of range; the message names it.
        """
        known = _field_names()
        values: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, equals, raw = (piece.strip() for piece in item.partition("="))
            if not equals:
                raise ValueError(f"expected NAME=VALUE in the fault plan, got {item!r}")
            if name not in known:
                raise ValueError(
                    f"unknown fault setting {name!r}; known: {', '.join(known)}"
                )
            if name in values:
                raise ValueError(f"fault setting {name!r} is given twice")
            values[name] = _number(name, raw)
        return cls(**values)

    def __str__(self) -> str:
        """The settings that differ from the defaults, in :meth:`parse` syntax."""
        default = FaultPlan()
        return ",".join(
            f"{name}={getattr(self, name)!r}"
            for name in _field_names()
            if getattr(self, name) != getattr(default, name)
        )


def _field_names() -> tuple[str, ...]:
    return tuple(field.name for field in fields(FaultPlan))


def _number(name: str, raw: str) -> int | float:
    try:
        return int(raw) if name == "seed" else float(raw)
    except ValueError:
        kind = "an integer" if name == "seed" else "a number"
        raise ValueError(f"fault setting {name!r} needs {kind}, got {raw!r}") from None
