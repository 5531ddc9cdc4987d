"""Fluent's Event API on the client's login, retries and errors: send a workflow
event, read one back, list them, and cancel an order (the worked example)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import datetime
from typing import Any, Unpack

from fluent_gql._events import (
    EVENT_PATH,
    Event,
    EventMode,
    EventPager,
    EventResult,
    check_mode,
    event_body,
    event_query,
    read_event,
    read_page,
    sent_result,
)
from fluent_gql._exceptions import FluentInputError
from fluent_gql._pagination import DEFAULT_PAGE_SIZE, check_limits
from fluent_gql._plan import OperationPlan
from fluent_gql._request import RequestOptions
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.client import Client

DEFAULT_CANCEL_EVENT = "CancelOrder"
"""The event name Fluent's documentation uses for cancelling an order; each
account's workflow names its own, so ``cancel_order`` takes another."""

_SEND_ADVICE = "Send fewer or smaller attributes."


def _send_plan(mode: EventMode) -> OperationPlan:
    # An event is a write in both modes: never resent once it may have arrived.
    return OperationPlan(f"event ({mode})", is_mutation=True)


_READ = OperationPlan("event read", is_mutation=False)


def _post(
    client: Client | AsyncClient,
    mode: EventMode,
    body: dict[str, Any],
    retailer_id: str | int | None,
) -> tuple[OperationPlan, str, str, bytes, None]:
    """The plan, method, URL, body and parameters of sending one event."""
    payload = {**body, "retailerId": client._retailer_id(retailer_id)}
    return (
        _send_plan(mode),
        "POST",
        client._rest_url(f"{EVENT_PATH}/{mode}"),
        client._encode_json(payload, _SEND_ADVICE),
        None,
    )


def _event_path(id: object) -> str:
    if isinstance(id, bool) or not isinstance(id, str | int) or not str(id).strip():
        raise FluentInputError(f"id must be an event id, got {id!r}", field="id")
    text = str(id).strip()
    if "/" in text or "?" in text or "#" in text:
        raise FluentInputError(f"id {text!r} is not an event id", field="id")
    return f"{EVENT_PATH}/{text}"


def _cancel_attributes(reason: str | None) -> dict[str, Any] | None:
    return None if reason is None else {"cancelReason": reason}


class Events(Client):
    """Event API methods of :class:`~fluent_gql.FluentClient`."""

    def send_event(
        self,
        name: str,
        entity_type: str,
        entity_ref: str | None = None,
        entity_id: str | None = None,
        root_entity_type: str | None = None,
        root_entity_ref: str | None = None,
        root_entity_id: str | None = None,
        entity_subtype: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        retailer_id: str | int | None = None,
        mode: EventMode = "async",
        **kwargs: Unpack[RequestOptions],
    ) -> EventResult:
        """Send a workflow event (``POST /api/v4.1/event/{async,sync}``).

        Example::

            result = client.send_event(
                name="CancelOrder", entity_type="ORDER", entity_ref="HD-1001",
                attributes={"cancelReason": "Customer request"}, mode="sync",
            )
            assert result.event_status == "COMPLETE"

        Args:
            name: the event name, which a ruleset of the entity's workflow matches
                (names are your account's, not an API enum).
            entity_type: ``ORDER``, ``FULFILMENT``, ``LOCATION``, ...
            entity_ref, entity_id: the entity (``entity_ref`` for most entities).
            root_entity_type, root_entity_ref, root_entity_id: its root entity (an
                order for a fulfilment); a root entity such as an order is its own
                root when these are not given.
            entity_subtype: the entity's subtype (an order's type, ``HD``).
            attributes: free JSON the ruleset reads.
            retailer_id: defaults to the configured one, else the token's.
            mode: ``"async"`` (queued; Fluent answers at once) or ``"sync"``
                (Fluent runs the workflow, then answers with its status).
            **kwargs: per-call options (``timeout=``, ``headers=``).

        An event is a write in both modes: after a failure that leaves its
        arrival unknown it is not sent again, and the error has
        ``maybe_applied = True`` (look for it with :meth:`iter_events`).

        Raises:
            FluentInputError: an argument is missing or malformed (named).
            FluentNoRulesetMatchedError: sync mode: no ruleset matched (HTTP 404).
            FluentEventError: Fluent refused the event (async mode's "no ruleset
                matched" is an HTTP 400).
            FluentError: as for any call.
        """
        kwargs = self._call_options("send_event", kwargs)
        checked = check_mode(mode)
        body = event_body(
            name=name,
            entity_type=entity_type,
            entity_ref=entity_ref,
            entity_id=entity_id,
            root_entity_type=root_entity_type,
            root_entity_ref=root_entity_ref,
            root_entity_id=root_entity_id,
            entity_subtype=entity_subtype,
            attributes=attributes,
        )
        if retailer_id is None and self._needs_token_retailer():
            self.login()
        response = self._send(*_post(self, checked, body, retailer_id), kwargs)
        return sent_result(response, checked, self._scrub)

    def get_event(self, id: str, **kwargs: Unpack[RequestOptions]) -> Event | None:
        """The event with this id (``GET /api/v4.1/event/{id}``), or ``None``."""
        kwargs = self._call_options("get_event", kwargs)
        response = self._send(
            _READ, "GET", self._rest_url(_event_path(id)), None, None, kwargs
        )
        return read_event(response, self._scrub)

    def iter_events(
        self,
        *,
        name: str | None = None,
        entity_type: str | None = None,
        entity_ref: str | None = None,
        entity_id: str | None = None,
        root_entity_type: str | None = None,
        root_entity_ref: str | None = None,
        root_entity_id: str | None = None,
        event_type: str | None = None,
        event_status: str | None = None,
        from_: datetime | None = None,
        to: datetime | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> Iterator[Event]:
        """Iterate over events (``GET /api/v4.1/event``), newest first, a page
        (``start``/``count``) at a time.

        Example (why did this order not move?)::

            for event in client.iter_events(
                root_entity_type="ORDER", root_entity_ref="HD-1001",
                event_status="FAILED",
            ):
                print(event.name, event.generated_on)

        Args:
            name, entity_*, root_entity_*: exact matches.
            event_type: ``ORCHESTRATION``, ``ORCHESTRATION_AUDIT``, ``API`` ...
            event_status: ``COMPLETE``, ``FAILED``, ``NO_MATCH`` ...
            from_, to: a window on when events were recorded (aware datetimes);
                Fluent's default is the last 30 days.
            page_size: events per request, 1 to 5000.
            max_items: stop after this many; ``None`` for all.

        Raises:
            FluentInputError: a filter or paging value is malformed.
            FluentError: a request failed (raised while iterating).
        """
        kwargs = self._call_options("iter_events", kwargs)
        check_limits(page_size, max_items)
        filters = dict(
            name=name,
            entity_type=entity_type,
            entity_ref=entity_ref,
            entity_id=entity_id,
            root_entity_type=root_entity_type,
            root_entity_ref=root_entity_ref,
            root_entity_id=root_entity_id,
            event_type=event_type,
            event_status=event_status,
            from_=from_,
            to=to,
        )
        event_query(filters=filters, start=0, count=page_size)  # bad filters fail now
        pager = EventPager(page_size, max_items)
        url = self._rest_url(EVENT_PATH)

        def pages() -> Iterator[Event]:
            while (count := pager.next_count()) is not None:
                params = event_query(filters=filters, start=pager.start, count=count)
                response = self._send(_READ, "GET", url, None, params, kwargs)
                yield from pager.take(read_page(response, self._scrub))

        return pages()

    def cancel_order(
        self,
        ref: str,
        reason: str | None = None,
        event_name: str = DEFAULT_CANCEL_EVENT,
        **kwargs: Unpack[RequestOptions],
    ) -> EventResult:
        """Ask the order's workflow to cancel it: a sync event on the order.

        Fluent's workflows cancel an order in the statuses they allow; the name
        of the event that does it is your account's (``CancelOrder`` in Fluent's
        documentation). The order's status is what its workflow sets: read it
        back with :meth:`order_by_ref`.

        Raises:
            FluentNoRulesetMatchedError: the workflow has no such ruleset for the
                order in its current status.
            FluentError: as for :meth:`send_event`.
        """
        kwargs = self._call_options("cancel_order", kwargs)
        return self.send_event(
            name=event_name,
            entity_type="ORDER",
            entity_ref=ref,
            attributes=_cancel_attributes(reason),
            mode="sync",
            **kwargs,
        )


class AsyncEvents(AsyncClient):
    """Event API methods of :class:`~fluent_gql.AsyncFluentClient`."""

    async def send_event(
        self,
        name: str,
        entity_type: str,
        entity_ref: str | None = None,
        entity_id: str | None = None,
        root_entity_type: str | None = None,
        root_entity_ref: str | None = None,
        root_entity_id: str | None = None,
        entity_subtype: str | None = None,
        attributes: Mapping[str, Any] | None = None,
        retailer_id: str | int | None = None,
        mode: EventMode = "async",
        **kwargs: Unpack[RequestOptions],
    ) -> EventResult:
        """Send a workflow event; as :meth:`FluentClient.send_event`."""
        kwargs = self._call_options("send_event", kwargs)
        checked = check_mode(mode)
        body = event_body(
            name=name,
            entity_type=entity_type,
            entity_ref=entity_ref,
            entity_id=entity_id,
            root_entity_type=root_entity_type,
            root_entity_ref=root_entity_ref,
            root_entity_id=root_entity_id,
            entity_subtype=entity_subtype,
            attributes=attributes,
        )
        if retailer_id is None and self._needs_token_retailer():
            await self.login()
        response = await self._send(*_post(self, checked, body, retailer_id), kwargs)
        return sent_result(response, checked, self._scrub)

    async def get_event(
        self, id: str, **kwargs: Unpack[RequestOptions]
    ) -> Event | None:
        """The event with this id, or ``None``; as :meth:`FluentClient.get_event`."""
        kwargs = self._call_options("get_event", kwargs)
        response = await self._send(
            _READ, "GET", self._rest_url(_event_path(id)), None, None, kwargs
        )
        return read_event(response, self._scrub)

    def iter_events(
        self,
        *,
        name: str | None = None,
        entity_type: str | None = None,
        entity_ref: str | None = None,
        entity_id: str | None = None,
        root_entity_type: str | None = None,
        root_entity_ref: str | None = None,
        root_entity_id: str | None = None,
        event_type: str | None = None,
        event_status: str | None = None,
        from_: datetime | None = None,
        to: datetime | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AsyncIterator[Event]:
        """Iterate with ``async for``; as :meth:`FluentClient.iter_events`."""
        kwargs = self._call_options("iter_events", kwargs)
        check_limits(page_size, max_items)
        filters = dict(
            name=name,
            entity_type=entity_type,
            entity_ref=entity_ref,
            entity_id=entity_id,
            root_entity_type=root_entity_type,
            root_entity_ref=root_entity_ref,
            root_entity_id=root_entity_id,
            event_type=event_type,
            event_status=event_status,
            from_=from_,
            to=to,
        )
        event_query(filters=filters, start=0, count=page_size)
        pager = EventPager(page_size, max_items)
        url = self._rest_url(EVENT_PATH)

        async def pages() -> AsyncIterator[Event]:
            while (count := pager.next_count()) is not None:
                params = event_query(filters=filters, start=pager.start, count=count)
                response = await self._send(_READ, "GET", url, None, params, kwargs)
                for event in pager.take(read_page(response, self._scrub)):
                    yield event

        return pages()

    async def cancel_order(
        self,
        ref: str,
        reason: str | None = None,
        event_name: str = DEFAULT_CANCEL_EVENT,
        **kwargs: Unpack[RequestOptions],
    ) -> EventResult:
        """Cancel an order through its workflow (see FluentClient.cancel_order)."""
        kwargs = self._call_options("cancel_order", kwargs)
        return await self.send_event(
            name=event_name,
            entity_type="ORDER",
            entity_ref=ref,
            attributes=_cancel_attributes(reason),
            mode="sync",
            **kwargs,
        )
