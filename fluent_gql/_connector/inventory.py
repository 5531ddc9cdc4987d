"""Inventory positions: stock of a product at a location, in a catalogue."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Unpack

from fluent_gql._connector._filters import values
from fluent_gql._pagination import DEFAULT_PAGE_SIZE
from fluent_gql._request import RequestOptions
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.base_model import UNSET
from fluent_gql_generated.client import Client
from fluent_gql_generated.fragments import InventoryPositionFields
from fluent_gql_generated.input_types import InventoryCatalogueKey


def _position_filters(
    catalogue_ref: str | None,
    product_ref: str | Sequence[str] | None,
    location_ref: str | Sequence[str] | None,
    status: str | Sequence[str] | None,
    type: str | Sequence[str] | None,
) -> dict[str, Any]:
    return {
        "catalogue": UNSET
        if catalogue_ref is None
        else InventoryCatalogueKey(ref=catalogue_ref),
        "product_refs": values(product_ref),
        "location_refs": values(location_ref),
        "status": values(status),
        "type": values(type),
    }


class Inventory(Client):
    """Inventory methods of :class:`~fluent_gql.FluentClient`."""

    def iter_inventory_positions(
        self,
        *,
        catalogue_ref: str | None = None,
        product_ref: str | Sequence[str] | None = None,
        location_ref: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> Iterator[InventoryPositionFields]:
        """Iterate over the inventory positions that match every given filter.

        Example (stock of one product across stores)::

            for p in client.iter_inventory_positions(
                catalogue_ref="DEFAULT:1", product_ref="SKU-1"
            ):
                print(p.location_ref, p.on_hand)

        Args:
            catalogue_ref: the inventory catalogue (``DEFAULT:<retailer id>`` is
                a retailer's default one).
            product_ref, location_ref, status, type: one value or several; any
                of them matches.
            page_size: positions per request, 1 to 5000.
            max_items: stop after this many; ``None`` for all.
            **kwargs: per-call options (``timeout=``, ``headers=``).

        Raises:
            FluentInputError: a paging value is out of range.
            FluentError: a request failed (raised while iterating).
        """
        kwargs = self._call_options("iter_inventory_positions", kwargs)
        return self.paginate(
            self.list_inventory_positions,
            page_size=page_size,
            max_items=max_items,
            **_position_filters(catalogue_ref, product_ref, location_ref, status, type),
            **kwargs,
        )


class AsyncInventory(AsyncClient):
    """Inventory methods of :class:`~fluent_gql.AsyncFluentClient`."""

    def iter_inventory_positions(
        self,
        *,
        catalogue_ref: str | None = None,
        product_ref: str | Sequence[str] | None = None,
        location_ref: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AsyncIterator[InventoryPositionFields]:
        """Iterate with ``async for``; as
        :meth:`FluentClient.iter_inventory_positions`."""
        kwargs = self._call_options("iter_inventory_positions", kwargs)
        return self.paginate(
            self.list_inventory_positions,
            page_size=page_size,
            max_items=max_items,
            **_position_filters(catalogue_ref, product_ref, location_ref, status, type),
            **kwargs,
        )
