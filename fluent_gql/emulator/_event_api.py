"""The Event API's logic: posting events and reading them back.

Nothing here knows about HTTP: each method takes what the request carried and
returns a status code and a JSON body (:class:`EventReply`), as
:class:`~fluent_gql.emulator._oauth.TokenIssuer` does for tokens. Errors have
Fluent's REST shape, ``{"errors": [{"code": "<status>", "message": "..."}]}``.

What real Fluent answers (per its Event API documentation and its SDK's
observed behaviour), with a handler standing in for
the ruleset of the event's name:

- ``sync``: the handler runs; 200 ``{"eventId", "entityId", "eventStatus"}``
  (``COMPLETE``, or ``FAILED`` if it raised). Without a handler: 404 "No
  workflow rule matched this event".
- ``async``: the handler runs before the answer, so that its effect is visible
  when the call returns (Fluent runs it later); 200 ``{"id"}`` either way.
  Without a handler: 400 with the same message, as Fluent's SDK observed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from fluent_gql.emulator._entities import resolve_entity_id
from fluent_gql.emulator._event_input import EventRequest, parse_event_body
from fluent_gql.emulator._event_query import event_json, parse_query, select
from fluent_gql.emulator._events import (
    PLATFORM_USER,
    EmulatorEvent,
    EventLog,
    event_time,
    new_event_id,
)
from fluent_gql.emulator._json_body import BadRequestError
from fluent_gql.emulator._store import USERS, Store

NO_MATCH_MESSAGE = "No workflow rule matched this event"
"""Fluent's answer to an event whose name matches no ruleset."""

NO_MATCH_STATUS = {"sync": 404, "async": 400}
"""The HTTP status of that answer, by mode (as Fluent's SDK observed)."""

PostMode = Literal["sync", "async"]


@dataclass(frozen=True)
class EventReply:
    """The status code and JSON body of one Event API response."""

    status: int
    body: dict[str, Any]


def event_error(status: int, message: str) -> EventReply:
    """An Event API error: ``{"errors": [{"code": "<status>", "message"}]}``."""
    return EventReply(status, {"errors": [{"code": str(status), "message": message}]})


class EventApi:
    """Answers Event API requests for one emulated account.

    Args:
        log: Where events are recorded, with the handlers that run them.
        store: The account's entities (for entity ids and usernames).
    """

    def __init__(self, log: EventLog, store: Store) -> None:
        self._log = log
        self._store = store

    def post(self, mode: PostMode, body: bytes, user_id: int) -> EventReply:
        """Record and run one event posted to ``/event/sync`` or ``/event/async``.

        The event is recorded (with its final status) before the reply is made,
        whatever the reply.
        """
        try:
            request = parse_event_body(body)
        except BadRequestError as exc:
            return event_error(400, str(exc))
        event = self._log.dispatch(self._event(request, mode, user_id))
        if event.status == "NO_MATCH":
            return event_error(NO_MATCH_STATUS[mode], NO_MATCH_MESSAGE)
        if mode == "async":
            return EventReply(200, {"id": event.id})
        return EventReply(
            200,
            {
                "eventId": event.id,
                "entityId": event.entity_id,
                "eventStatus": event.status,
            },
        )

    def get(self, event_id: str) -> EventReply:
        """One recorded event, or 404."""
        event = self._log.find(event_id)
        if event is None:
            return event_error(404, f"Event {event_id} not found")
        return EventReply(200, event_json(event))

    def search(
        self, params: Mapping[str, str], now: datetime | None = None
    ) -> EventReply:
        """A filtered page of recorded events, newest first (see ``select``)."""
        try:
            query = parse_query(params, now or datetime.now(UTC))
        except BadRequestError as exc:
            return event_error(400, str(exc))
        return EventReply(200, select(self._log.snapshot(), query))

    def _event(
        self, request: EventRequest, mode: PostMode, user_id: int
    ) -> EmulatorEvent:
        user = self._store.find_one(USERS, {"id": user_id})
        return EmulatorEvent(
            id=new_event_id(),
            name=request.name,
            type=request.type,
            retailer_id=request.retailer_id,
            entity_type=request.entity_type,
            entity_id=resolve_entity_id(
                self._store, request.entity_type, request.entity_id, request.entity_ref
            ),
            entity_ref=request.entity_ref,
            entity_subtype=request.entity_subtype,
            root_entity_type=request.root_entity_type,
            root_entity_id=request.root_entity_id,
            root_entity_ref=request.root_entity_ref,
            attributes=request.attributes,
            mode=mode,
            generated_on=event_time(),
            account_id=request.account_id or self._log.account_id,
            generated_by=PLATFORM_USER if user is None else user["username"],
            meta=request.meta,
        )
