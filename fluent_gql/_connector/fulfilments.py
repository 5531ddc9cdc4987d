"""Fulfilments: by id, and lists by order, status and location."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Unpack

from fluent_gql._connector._complete import acomplete_fulfilment, complete_fulfilment
from fluent_gql._connector._filters import values
from fluent_gql._exceptions import FluentInputError
from fluent_gql._pagination import DEFAULT_PAGE_SIZE
from fluent_gql._request import RequestOptions
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.base_model import UNSET
from fluent_gql_generated.client import Client
from fluent_gql_generated.fragments import FulfilmentFields
from fluent_gql_generated.input_types import DateRange, LocationLinkInput


def _fulfilment_filters(
    order_id: str | None,
    ref: str | Sequence[str] | None,
    status: str | Sequence[str] | None,
    from_location_ref: str | None,
    delivery_type: str | Sequence[str] | None,
    type: str | Sequence[str] | None,
    created_on: DateRange | None,
    updated_on: DateRange | None,
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "status": values(status),
        "from_location": UNSET
        if from_location_ref is None
        else LocationLinkInput(ref=from_location_ref),
        "delivery_type": values(delivery_type),
        "type": values(type),
        "created_on": UNSET if created_on is None else created_on,
        "updated_on": UNSET if updated_on is None else updated_on,
    }
    if order_id is None:
        filters["refs"] = values(ref)
    elif ref is not None:
        raise FluentInputError(
            "ref cannot be combined with order_id (Fluent lists an order's "
            "fulfilments by the other filters only)",
            field="ref",
        )
    else:
        filters["id"] = order_id
    return filters


class Fulfilments(Client):
    """Fulfilment methods of :class:`~fluent_gql.FluentClient`."""

    def fulfilment_by_id(
        self, id: str, **kwargs: Unpack[RequestOptions]
    ) -> FulfilmentFields | None:
        """The fulfilment with this id (with all its items), or ``None``."""
        kwargs = self._call_options("fulfilment_by_id", kwargs)
        found = self.get_fulfilment_by_id(id, **kwargs).fulfilment_by_id
        return None if found is None else complete_fulfilment(self, found)

    def iter_fulfilments(
        self,
        *,
        order_id: str | None = None,
        status: str | Sequence[str] | None = None,
        from_location_ref: str | None = None,
        delivery_type: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        ref: str | Sequence[str] | None = None,
        created_on: DateRange | None = None,
        updated_on: DateRange | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> Iterator[FulfilmentFields]:
        """Iterate over the fulfilments that match every given filter, each with
        all its items.

        Example (a store's pick list)::

            for f in client.iter_fulfilments(status="CREATED", from_location_ref="S1"):
                print(f.ref, [i.node.ref for i in f.items.edges])

        Args:
            order_id: only this order's fulfilments (not combinable with ``ref``).
            status, delivery_type, type, ref: one value or several; any matches.
            from_location_ref: only fulfilments sent from this location.
            created_on, updated_on: time windows (both ends inclusive).
            page_size: fulfilments per request, 1 to 5000.
            max_items: stop after this many; ``None`` for all.
            **kwargs: per-call options (``timeout=``, ``headers=``).

        Raises:
            FluentInputError: a filter or a paging value is malformed.
            FluentError: a request failed (raised while iterating).
        """
        kwargs = self._call_options("iter_fulfilments", kwargs)
        filters = _fulfilment_filters(
            order_id,
            ref,
            status,
            from_location_ref,
            delivery_type,
            type,
            created_on,
            updated_on,
        )
        method = (
            self.list_fulfilments if order_id is None else self.list_order_fulfilments
        )
        pages = self.paginate(
            method, page_size=page_size, max_items=max_items, **filters, **kwargs
        )
        return (complete_fulfilment(self, f) for f in pages)


class AsyncFulfilments(AsyncClient):
    """Fulfilment methods of :class:`~fluent_gql.AsyncFluentClient`."""

    async def fulfilment_by_id(
        self, id: str, **kwargs: Unpack[RequestOptions]
    ) -> FulfilmentFields | None:
        """The fulfilment with this id (with all its items), or ``None``."""
        kwargs = self._call_options("fulfilment_by_id", kwargs)
        found = (await self.get_fulfilment_by_id(id, **kwargs)).fulfilment_by_id
        return None if found is None else await acomplete_fulfilment(self, found)

    def iter_fulfilments(
        self,
        *,
        order_id: str | None = None,
        status: str | Sequence[str] | None = None,
        from_location_ref: str | None = None,
        delivery_type: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        ref: str | Sequence[str] | None = None,
        created_on: DateRange | None = None,
        updated_on: DateRange | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AsyncIterator[FulfilmentFields]:
        """Iterate with ``async for``; as :meth:`FluentClient.iter_fulfilments`."""
        kwargs = self._call_options("iter_fulfilments", kwargs)
        filters = _fulfilment_filters(
            order_id,
            ref,
            status,
            from_location_ref,
            delivery_type,
            type,
            created_on,
            updated_on,
        )
        method = (
            self.list_fulfilments if order_id is None else self.list_order_fulfilments
        )
        pages = self.paginate(
            method, page_size=page_size, max_items=max_items, **filters, **kwargs
        )

        async def whole() -> AsyncIterator[FulfilmentFields]:
            async for fulfilment in pages:
                yield await acomplete_fulfilment(self, fulfilment)

        return whole()
