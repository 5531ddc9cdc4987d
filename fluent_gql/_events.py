"""Fluent's Event API (REST, ``/api/v4.1/event``): its models, the request bodies
and how its answers are read. I/O-free; the clients' event methods send.

Workflow events change what GraphQL cannot: an order is cancelled, a fulfilment
picked, stock updated, by an event whose name a ruleset of the entity's workflow
matches. Event names belong to each account's workflows, so they are free strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Literal

import httpx
import pydantic
import pydantic_core
from pydantic import AliasChoices, ConfigDict, Field
from pydantic.alias_generators import to_camel

from fluent_gql._exceptions import (
    FluentEventError,
    FluentInputError,
    FluentNoRulesetMatchedError,
    FluentResponseError,
)
from fluent_gql._request import json_ready
from fluent_gql._response import Redactor, http_error, model_error

__all__ = ["Event", "EventContext", "EventMode", "EventResult"]

EVENT_PATH = "/api/v4.1/event"
EventMode = Literal["sync", "async"]
"""``"async"``: Fluent queues the event and answers at once. ``"sync"``: Fluent runs
the workflow first and answers with the event's status."""

MODES: tuple[EventMode, ...] = ("sync", "async")
ROOT_ENTITY_TYPES = frozenset(
    {
        "ORDER",
        "LOCATION",
        "FULFILMENT_OPTIONS",
        "PRODUCT_CATALOGUE",
        "INVENTORY_CATALOGUE",
        "VIRTUAL_CATALOGUE",
        "CONTROL_GROUP",
        "RETURN_ORDER",
        "BILLING_ACCOUNT",
        "JOB",
    }
)
"""Entity types that are their own root; an event on one needs no separate root."""


class _EventModel(pydantic.BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        extra="allow",  # Fluent may add fields; they are kept, not refused
        coerce_numbers_to_str=True,  # ids arrive as numbers or strings
        frozen=True,
    )


class EventResult(_EventModel):
    """Fluent's answer to a sent event.

    Attributes:
        event_id: the event's id (``get_event`` reads it back).
        entity_id: the id of the entity the event was for (sync mode).
        event_status: ``COMPLETE`` or ``FAILED`` once the workflow ran (sync
            mode); ``None`` in async mode, where the workflow runs later.
        mode: how the event was sent.
    """

    event_id: str | None = Field(
        default=None, validation_alias=AliasChoices("eventId", "id", "event_id")
    )
    entity_id: str | None = None
    event_status: str | None = None
    mode: EventMode = "async"


class EventContext(_EventModel):
    """The entity an event was about, and its root entity."""

    entity_type: str | None = None
    entity_id: str | None = None
    entity_ref: str | None = None
    entity_subtype: str | None = None
    root_entity_type: str | None = None
    root_entity_id: str | None = None
    root_entity_ref: str | None = None
    source_events: list[Any] | None = None


class Event(_EventModel):
    """One event as Fluent's Event API lists it.

    Attributes:
        id: the event's id.
        name: the event name (a ruleset name in the entity's workflow).
        type: ``ORCHESTRATION``, ``ORCHESTRATION_AUDIT``, ``API``, ``GENERAL`` ...
        event_status: ``PENDING``, ``COMPLETE``, ``FAILED``, ``NO_MATCH`` ...
        context: the entity and its root.
        attributes: what the sender attached (free JSON).
        generated_on: when Fluent recorded it.
    """

    id: str
    name: str | None = None
    type: str | None = None
    account_id: str | None = None
    retailer_id: str | None = None
    category: str | None = None
    context: EventContext | None = None
    event_status: str | None = None
    attributes: Any = None
    source: str | None = None
    generated_by: str | None = None
    generated_on: datetime | None = None


class EventPage(_EventModel):
    """One page of ``GET /api/v4.1/event``."""

    start: int = 0
    count: int | None = None
    has_more: bool = False
    results: list[Event] = Field(default_factory=list)


def _text(value: object, name: str, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise FluentInputError(f"{name} is required", field=name)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise FluentInputError(
            f"{name} must be a string, got {type(value).__name__}", field=name
        )
    text = str(value).strip()
    if not text:
        raise FluentInputError(f"{name} must not be blank", field=name)
    return text


def _attributes(value: object) -> Any:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise FluentInputError(
            "attributes must be a mapping of names to JSON values, got "
            f"{type(value).__name__}",
            field="attributes",
        )
    # The same rule as GraphQL variables: JSON values, models, aware datetimes.
    return json_ready(value, "attributes")


def check_mode(mode: object) -> EventMode:
    """``mode`` if it is ``"sync"`` or ``"async"``; otherwise FluentInputError."""
    if mode not in MODES:
        raise FluentInputError(
            f"mode must be 'sync' or 'async', got {mode!r}", field="mode"
        )
    return mode


def event_body(
    *,
    name: object,
    entity_type: object,
    entity_ref: object = None,
    entity_id: object = None,
    root_entity_type: object = None,
    root_entity_ref: object = None,
    root_entity_id: object = None,
    entity_subtype: object = None,
    attributes: object = None,
) -> dict[str, Any]:
    """The JSON body of ``POST /api/v4.1/event/{sync,async}`` but its
    ``retailerId``; omitted fields left out.

    An event on a root entity (an order, a location ...) is its own root unless
    a root is given.

    Raises:
        FluentInputError: a field is missing, blank or of the wrong type (named).
    """
    kind = _text(entity_type, "entity_type", required=True)
    assert kind is not None
    ref = _text(entity_ref, "entity_ref")
    entity = _text(entity_id, "entity_id")
    root_type = _text(root_entity_type, "root_entity_type")
    root_ref = _text(root_entity_ref, "root_entity_ref")
    root_id = _text(root_entity_id, "root_entity_id")
    if root_type is None and kind.upper() in ROOT_ENTITY_TYPES:
        root_type, root_ref, root_id = kind, root_ref or ref, root_id or entity
    body = {
        "name": _text(name, "name", required=True),
        "entityType": kind,
        "entityRef": ref,
        "entityId": entity,
        "entitySubtype": _text(entity_subtype, "entity_subtype"),
        "rootEntityType": root_type,
        "rootEntityRef": root_ref,
        "rootEntityId": root_id,
        "attributes": _attributes(attributes),
    }
    return {key: value for key, value in body.items() if value is not None}


def event_query(
    *,
    filters: Mapping[str, object],
    start: int,
    count: int,
) -> dict[str, str]:
    """The query parameters of ``GET /api/v4.1/event`` for one page."""
    params = {"start": str(start), "count": str(count)}
    for name, value in filters.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise FluentInputError(
                    f"{_PARAMS[name]} needs a timezone-aware datetime", field=name
                )
            text = value.isoformat().replace("+00:00", "Z")
        else:
            text = _text(value, name) or ""
        params[_PARAMS[name]] = text
    return params


_PARAMS = {
    "name": "name",
    "entity_type": "context.entityType",
    "entity_ref": "context.entityRef",
    "entity_id": "context.entityId",
    "root_entity_type": "context.rootEntityType",
    "root_entity_ref": "context.rootEntityRef",
    "root_entity_id": "context.rootEntityId",
    "event_type": "eventType",
    "event_status": "eventStatus",
    "from_": "from",
    "to": "to",
}
"""Our keyword -> Fluent's query parameter."""


def _json(response: httpx.Response) -> object:
    try:
        return pydantic_core.from_json(response.content) if response.content else None
    except ValueError:
        return None


def sent_result(
    response: httpx.Response, mode: EventMode, scrub: Redactor
) -> EventResult:
    """Read the answer to a sent event.

    Raises:
        FluentNoRulesetMatchedError: sync mode, HTTP 404: no ruleset matched.
        FluentEventError: another 4xx refusal (async mode's "no ruleset" is a 400).
        FluentHTTPError: any other status outside 2xx.
        FluentResponseError: a 2xx body that is JSON but not an object.
    """
    body = _json(response)
    if not response.is_success:
        error = http_error(response, body, scrub=scrub)
        status = response.status_code
        if 400 <= status < 500 and status not in (401, 403, 413, 429):
            cls = (
                FluentNoRulesetMatchedError
                if status == 404 and mode == "sync"
                else FluentEventError
            )
            raise cls(
                str(error),
                status_code=status,
                body_excerpt=error.body_excerpt,
                request_id=error.request_id,
                errors=error.errors,
            )
        raise error
    if body is None:  # async: Fluent documents no body
        return EventResult(mode=mode)
    if not isinstance(body, dict):
        raise FluentResponseError(
            f"the Event API answered HTTP {response.status_code} with JSON that is "
            "not an object",
            status_code=response.status_code,
            body_excerpt=scrub(response.text[:200]),
        )
    try:
        return EventResult.model_validate({**body, "mode": mode})
    except pydantic.ValidationError as exc:
        raise model_error(exc) from exc


def read_event(response: httpx.Response, scrub: Redactor) -> Event | None:
    """One event from ``GET /api/v4.1/event/{id}``; ``None`` for HTTP 404."""
    if response.status_code == 404:
        return None
    try:
        return Event.model_validate(_object(response, scrub))
    except pydantic.ValidationError as exc:
        raise model_error(exc) from exc


def read_page(response: httpx.Response, scrub: Redactor) -> EventPage:
    """One page from ``GET /api/v4.1/event``."""
    try:
        return EventPage.model_validate(_object(response, scrub))
    except pydantic.ValidationError as exc:
        raise model_error(exc) from exc


def _object(response: httpx.Response, scrub: Redactor) -> dict[str, Any]:
    body = _json(response)
    if not response.is_success:
        raise http_error(response, body, scrub=scrub)
    if not isinstance(body, dict):
        raise FluentResponseError(
            f"the Event API answered HTTP {response.status_code} without a JSON object",
            status_code=response.status_code,
            body_excerpt=scrub(response.text[:200]),
        )
    return body


class EventPager:
    """The I/O-free part of paging ``GET /api/v4.1/event`` by ``start``/``count``."""

    def __init__(self, page_size: int, max_items: int | None) -> None:
        self.start = 0
        self.page_size = page_size
        self.remaining = max_items
        self.done = max_items == 0

    def next_count(self) -> int | None:
        """How many to ask for next, or ``None`` when finished."""
        if self.done:
            return None
        if self.remaining is None:
            return self.page_size
        return min(self.page_size, self.remaining)

    def take(self, page: EventPage) -> list[Event]:
        """The page's events (up to the maximum); note where the next page starts.

        Raises:
            FluentResponseError: the page says more follow but holds none (a loop).
        """
        events = list(page.results)
        if self.remaining is not None:
            events = events[: self.remaining]
            self.remaining -= len(events)
        self.start += len(page.results)
        if page.has_more and not page.results:
            raise FluentResponseError(
                "the Event API says more events follow but sent an empty page"
            )
        self.done = not page.has_more or self.remaining == 0
        return events
