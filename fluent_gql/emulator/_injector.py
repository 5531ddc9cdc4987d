"""Deciding, request by request, which fault of a :class:`FaultPlan` happens."""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass

from fluent_gql.emulator._faults import FaultKind, FaultPlan

GRAPHQL_PATH = "/graphql"
TOKEN_PATH = "/oauth/token"
EVENT_PATH = "/api/v4.1/event"
"""The Event API: ``GET`` here, ``GET /{id}``, ``POST /sync`` and ``POST /async``."""


def is_api_path(path: str) -> bool:
    """Whether a path is an API request's: ``/graphql`` or the Event API's.

    API requests get the plan's ``/graphql`` faults, from one random sequence.
    """
    if path in (GRAPHQL_PATH, EVENT_PATH):
        return True
    below = path.removeprefix(f"{EVENT_PATH}/")
    return below != path and bool(below) and "/" not in below


@dataclass(frozen=True)
class Fault:
    """One fault to inject into one request.

    Attributes:
        kind: What goes wrong.
        variant: A number in [0, 1) that picks the details (status, body shape).
    """

    kind: FaultKind
    variant: float


@dataclass(frozen=True)
class Draw:
    """What happens to one request: a delay, and at most one fault.

    Attributes:
        latency: Seconds to wait before handling the request.
        fault: The fault to inject, if any.
        retry_after: Seconds a ``rate_limit`` fault asks the client to wait.
        stall: Seconds a ``stall`` fault holds the answer.
    """

    latency: float = 0.0
    fault: Fault | None = None
    retry_after: float = 0.0
    stall: float = 0.0


_NOTHING = Draw()


class FaultInjector:
    """Holds an emulator's fault plan, its random sequences and its record.

    Requests are numbered from 1 in the order they arrive, over the injector's
    life (an emulator's reset makes a new one); :meth:`set_plan` restarts the
    random sequences, not the numbers.
    ``/graphql`` and Event API requests share one sequence, token requests have
    their own, and other paths draw none.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plan: FaultPlan | None = None
        self._graphql_random = random.Random()
        self._token_random = random.Random()
        self._requests = 0
        self.injected: Counter[str] = Counter()
        """How many faults of each kind were injected."""
        self.log: list[tuple[int, str]] = []
        """``(request number, kind)`` of every injected fault, in order."""

    @property
    def plan(self) -> FaultPlan | None:
        """The active plan; ``None`` when the emulator behaves."""
        return self._plan

    def set_plan(self, plan: FaultPlan | None) -> None:
        """Replace the plan and restart its random sequences from its seed."""
        with self._lock:
            self._plan = plan
            if plan is not None:
                self._graphql_random = random.Random(plan.seed)
                # A string seed is hashed with SHA-512: stable across runs.
                self._token_random = random.Random(f"oauth-token:{plan.seed}")

    def draw(self, path: str) -> Draw:
        """Decide the fate of the next request to arrive, and record it."""
        with self._lock:
            self._requests += 1
            plan = self._plan
            if plan is None:
                return _NOTHING
            fault = None
            if is_api_path(path):
                fault = _pick(self._graphql_random, plan.graphql_rates())
            elif path == TOKEN_PATH:
                rates: tuple[tuple[FaultKind, float], ...] = (
                    ("token_error", plan.token_error_rate),
                )
                fault = _pick(self._token_random, rates)
            if fault is not None:
                self.injected[fault.kind] += 1
                self.log.append((self._requests, fault.kind))
            return Draw(plan.latency, fault, plan.retry_after, plan.stall)


def _pick(
    rng: random.Random, rates: tuple[tuple[FaultKind, float], ...]
) -> Fault | None:
    # Always two draws, whatever the outcome, so one request's fate never
    # shifts the sequence seen by the requests after it.
    point, variant = rng.random(), rng.random()
    for kind, rate in rates:
        if point < rate:
            return Fault(kind, variant)
        point -= rate
    return None
