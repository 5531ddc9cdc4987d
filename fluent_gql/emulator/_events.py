"""Recorded events and the handlers tests register for them.

Fluent runs an event through the ruleset of the same name in the entity's
workflow. The emulator has no workflows: a test registers a handler per event
name (:meth:`EventLog.on_event`) that does what the ruleset would, e.g. set the
order's status. An event with no handler matches no ruleset (``NO_MATCH``),
except the platform's own events, such as an order's ``CREATE``, which always
complete.

Events live in memory only, like tokens: they are not kept in a ``--db`` file,
and a restarted emulator starts with none.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

logger = logging.getLogger("fluent_gql.emulator")

EventMode = Literal["sync", "async", "platform"]
"""How an event arrived: ``POST /event/sync``, ``/event/async``, or from the
emulator itself (the ``CREATE`` event of a new order)."""

EventStatus = Literal["COMPLETE", "FAILED", "NO_MATCH", "PENDING"]
"""An event's status: ``PENDING`` only while its handler runs."""

EventHandler = Callable[["EmulatorEvent"], None]
"""What an event does: called with the event (status ``PENDING``); raising
makes the event ``FAILED``."""

DEFAULT_EVENT_TYPE = "NORMAL"
"""The ``type`` of an event request when none is given, as Fluent's samples send."""

CREATE_EVENT = "CREATE"
"""The name of the event the platform raises for each new entity."""

PLATFORM_USER = "Rubix User"
"""Who generated the events the platform raises itself (Fluent's workflow engine)."""


@dataclass(frozen=True, kw_only=True)
class EmulatorEvent:
    """One event the emulator received or raised, as recorded.

    Immutable: :attr:`Emulator.events` lists each event once, after its handler
    ran, with its final status. Handlers get the event while it is ``PENDING``.

    Attributes:
        id: The event's id, a UUID.
        name: The event name, which picks the handler (Fluent: the ruleset).
        type: The request's ``type`` (``"NORMAL"`` unless given).
        retailer_id: The retailer, as a string, or ``None``.
        entity_type: ``ORDER``, ``FULFILMENT``, ``LOCATION``...
        entity_id: The entity's id: as given, or found from ``entity_ref`` for
            an ``ORDER``, ``FULFILMENT`` or ``LOCATION`` the emulator stores.
        entity_ref: The entity's ref, as given.
        entity_subtype: The entity's subtype (an order's type, say), as given.
        root_entity_type: The root entity's type, as given.
        root_entity_id: The root entity's id, as given.
        root_entity_ref: The root entity's ref, as given.
        attributes: The ``attributes`` JSON value, as given (``None`` if none).
        mode: ``"sync"``, ``"async"`` or ``"platform"``.
        status: ``"COMPLETE"`` or ``"FAILED"`` when a handler ran (or, for a
            platform event, without one), ``"NO_MATCH"`` when none was
            registered; ``"PENDING"`` only while the handler runs.
        generated_on: When the event was received or raised (aware, UTC,
            millisecond precision).
        account_id: The request's ``accountId``, else the emulator's account
            (its client id).
        generated_by: The username of the token that posted the event, or
            ``"Rubix User"`` for platform events.
        meta: The request's ``meta`` object, if any.

    .. versionadded:: 0.1
    """

    id: str
    name: str
    type: str = DEFAULT_EVENT_TYPE
    retailer_id: str | None = None
    entity_type: str
    entity_id: str | None = None
    entity_ref: str | None = None
    entity_subtype: str | None = None
    root_entity_type: str | None = None
    root_entity_id: str | None = None
    root_entity_ref: str | None = None
    attributes: Any = None
    mode: EventMode
    status: EventStatus = "PENDING"
    generated_on: datetime
    account_id: str | None = None
    generated_by: str = PLATFORM_USER
    meta: Mapping[str, Any] | None = None


def new_event_id() -> str:
    """A fresh event id (Fluent's are UUIDs)."""
    return str(uuid.uuid4())


def event_time() -> datetime:
    """Now, in UTC, at the millisecond precision Fluent reports."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


class EventLog:
    """The events an emulator recorded, oldest first, and the handlers by name.

    Thread-safe: requests run in a thread pool. Handlers run in the calling
    (request) thread, outside the lock, so they may read the log, register
    handlers or change stored entities.

    Args:
        account_id: The account id recorded on events that do not give one.
    """

    def __init__(self, account_id: str | None = None) -> None:
        self._lock = threading.Lock()
        self._handlers: dict[str, EventHandler] = {}
        self.account_id = account_id
        self.events: list[EmulatorEvent] = []
        """The live list of recorded events, oldest first; tests may clear it."""

    def on_event(self, name: str, handler: EventHandler | None) -> None:
        """Register what events named ``name`` do; ``None`` removes it.

        Raises:
            ValueError: ``name`` is not a non-empty string.
            TypeError: ``handler`` is neither callable nor ``None``.
        """
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"an event name must be a non-empty string, got {name!r}")
        if handler is not None and not callable(handler):
            raise TypeError(f"an event handler must be callable, got {handler!r}")
        with self._lock:
            if handler is None:
                self._handlers.pop(name, None)
            else:
                self._handlers[name] = handler

    def find(self, event_id: str) -> EmulatorEvent | None:
        """The recorded event with this id, if any."""
        with self._lock:
            return next((e for e in self.events if e.id == event_id), None)

    def snapshot(self) -> list[EmulatorEvent]:
        """A copy of the recorded events, oldest first."""
        with self._lock:
            return list(self.events)

    def created(
        self,
        entity_type: str,
        *,
        entity_id: str,
        entity_ref: str | None,
        entity_subtype: str | None,
        retailer_id: str | None,
    ) -> EmulatorEvent:
        """Raise and run the platform's ``CREATE`` event of a new root entity.

        Call it once the entity is stored. The entity is its own root; the
        event is ``COMPLETE`` unless a ``CREATE`` handler raises.

        Returns:
            The event as recorded.
        """
        return self.dispatch(
            EmulatorEvent(
                id=new_event_id(),
                name=CREATE_EVENT,
                retailer_id=retailer_id,
                entity_type=entity_type,
                entity_id=entity_id,
                entity_ref=entity_ref,
                entity_subtype=entity_subtype,
                root_entity_type=entity_type,
                root_entity_id=entity_id,
                root_entity_ref=entity_ref,
                mode="platform",
                generated_on=event_time(),
                account_id=self.account_id,
            )
        )

    def dispatch(self, event: EmulatorEvent) -> EmulatorEvent:
        """Run the event's handler, then record the event with its final status.

        Without a handler a posted event is ``NO_MATCH`` and a platform event
        ``COMPLETE``. A handler that raises makes the event ``FAILED``; the
        exception is logged as a warning, never raised here.

        Returns:
            The event as recorded.
        """
        with self._lock:
            handler = self._handlers.get(event.name)
        status: EventStatus
        if handler is None:
            status = "COMPLETE" if event.mode == "platform" else "NO_MATCH"
        else:
            status = _run(handler, event)
        recorded = dataclasses.replace(event, status=status)
        with self._lock:
            self.events.append(recorded)
        return recorded


def _run(handler: EventHandler, event: EmulatorEvent) -> EventStatus:
    try:
        handler(event)
    except Exception:
        # A warning, not an error: a failing handler is a test's own doing,
        # and FAILED is a normal outcome of a workflow.
        logger.warning(
            "the handler of event %r (%s) raised; the event is FAILED",
            event.name,
            event.id,
            exc_info=True,
        )
        return "FAILED"
    return "COMPLETE"
