"""Reading recorded events: one event as Fluent shows it, and ``GET /event`` pages.

Fluent lists an event's ``type`` as one of its event types
(``ORCHESTRATION``, ``ORCHESTRATION_AUDIT``, ``API``, ``INTEGRATION``,
``SECURITY``, ``GENERAL``). The request-side ``"NORMAL"`` (the default) and any
other value are listed as ``ORCHESTRATION``: every event the emulator records
goes to the (emulated) workflow engine. :attr:`EmulatorEvent.type` keeps what
was posted; the ``eventType`` filter compares the listed type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fluent_gql.emulator._events import EmulatorEvent
from fluent_gql.emulator._json_body import BadRequestError

EVENT_TYPES = frozenset(
    {
        "ORCHESTRATION",
        "ORCHESTRATION_AUDIT",
        "API",
        "INTEGRATION",
        "SECURITY",
        "GENERAL",
    }
)
"""The event types Fluent lists (FCSDK's enum)."""

LISTED_TYPE = "ORCHESTRATION"
"""How an event posted with another ``type`` (``"NORMAL"``) is listed."""

DEFAULT_COUNT = 100
"""Events per page when ``count`` is not given (Fluent's default)."""

MAX_COUNT = 5000
"""The largest ``count`` accepted (Fluent recommends no more)."""

DEFAULT_WINDOW = timedelta(days=30)
"""Without ``from``, events of the last 30 days are listed (Fluent's default)."""

_INTEGER = re.compile(r"-?[0-9]{1,18}")


def listed_type(event: EmulatorEvent) -> str:
    """The ``type`` Fluent lists for an event (see the module docstring)."""
    return event.type if event.type in EVENT_TYPES else LISTED_TYPE


FILTERS: Mapping[str, Callable[[EmulatorEvent], str | None]] = {
    "name": lambda e: e.name,
    "context.entityType": lambda e: e.entity_type,
    "context.entityId": lambda e: e.entity_id,
    "context.entityRef": lambda e: e.entity_ref,
    "context.rootEntityType": lambda e: e.root_entity_type,
    "context.rootEntityId": lambda e: e.root_entity_id,
    "context.rootEntityRef": lambda e: e.root_entity_ref,
    "eventType": listed_type,
    "eventStatus": lambda e: e.status,
}
"""Exact-match query parameters, and the event value each one compares."""


def fluent_time(moment: datetime) -> str:
    """ISO-8601 in UTC with milliseconds and ``Z``: ``2024-05-01T09:30:00.000Z``."""
    text = moment.astimezone(UTC).isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z"


def event_json(event: EmulatorEvent) -> dict[str, Any]:
    """One event as ``GET /api/v4.1/event/{id}`` answers it."""
    return {
        "id": event.id,
        "name": event.name,
        "type": listed_type(event),
        "accountId": event.account_id,
        "retailerId": event.retailer_id,
        # A ruleset ran, except for events no ruleset matched.
        "category": None if event.status == "NO_MATCH" else "ruleSet",
        "context": {
            "sourceEvents": [],
            "entityType": event.entity_type,
            "entityId": event.entity_id,
            "entityRef": event.entity_ref,
            "entitySubtype": event.entity_subtype,
            "rootEntityType": event.root_entity_type,
            "rootEntityId": event.root_entity_id,
            "rootEntityRef": event.root_entity_ref,
        },
        "eventStatus": event.status,
        "attributes": event.attributes,
        "source": None,
        "generatedBy": event.generated_by,
        "generatedOn": fluent_time(event.generated_on),
    }


@dataclass(frozen=True)
class EventQuery:
    """What ``GET /api/v4.1/event`` asks for.

    Attributes:
        equals: Exact-match filters by query parameter name (see ``FILTERS``).
        since: The earliest ``generatedOn`` listed (inclusive).
        until: The latest ``generatedOn`` listed (inclusive).
        start: How many matching events to skip.
        count: The most events in the page.
    """

    equals: Mapping[str, str]
    since: datetime
    until: datetime
    start: int = 0
    count: int = DEFAULT_COUNT


def _integer(params: Mapping[str, str], name: str, default: int, low: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    high = MAX_COUNT if name == "count" else None
    # Digits only: int() would also take "+1", " 1", "1_0" and other scripts.
    value = int(raw) if _INTEGER.fullmatch(raw) else None
    if value is None or value < low or (high is not None and value > high):
        allowed = f"from {low} to {high}" if high else f"of {low} or more"
        raise BadRequestError(
            f"Parameter '{name}' must be an integer {allowed}, got {raw!r}"
        )
    return value


def _moment(params: Mapping[str, str], name: str, default: datetime) -> datetime:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise BadRequestError(
            f"Parameter '{name}' must be an ISO-8601 date and time, got {raw!r}"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_query(params: Mapping[str, str], now: datetime) -> EventQuery:
    """The query a ``GET /api/v4.1/event`` request's parameters make.

    Blank values count as not given; unknown parameters are ignored. Times
    without a zone are UTC. ``from`` defaults to 30 days before ``now``, ``to``
    to ``now``.

    Raises:
        BadRequestError: ``start`` or ``count`` is not an integer in range, or
            ``from`` or ``to`` is not an ISO-8601 date and time; the message
            names the parameter.
    """
    return EventQuery(
        equals={name: params[name] for name in FILTERS if params.get(name)},
        since=_moment(params, "from", now - DEFAULT_WINDOW),
        until=_moment(params, "to", now),
        start=_integer(params, "start", 0, 0),
        count=_integer(params, "count", DEFAULT_COUNT, 1),
    )


def _matches(event: EmulatorEvent, query: EventQuery) -> bool:
    if not query.since <= event.generated_on <= query.until:
        return False
    return all(FILTERS[name](event) == value for name, value in query.equals.items())


def select(events: Sequence[EmulatorEvent], query: EventQuery) -> dict[str, Any]:
    """The page of ``events`` a query asks for, newest first, as Fluent answers.

    Events generated at the same moment are listed latest recorded first.
    """
    found = [
        (event.generated_on, index, event)
        for index, event in enumerate(events)
        if _matches(event, query)
    ]
    found.sort(key=lambda item: item[:2], reverse=True)
    page = found[query.start : query.start + query.count]
    return {
        "start": query.start,
        "count": len(page),
        "hasMore": query.start + len(page) < len(found),
        "results": [event_json(event) for _, _, event in page],
    }
