"""Locations (stores, warehouses): by ref, and lists."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Unpack

from fluent_gql._connector._filters import values
from fluent_gql._pagination import DEFAULT_PAGE_SIZE
from fluent_gql._request import RequestOptions
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.client import Client
from fluent_gql_generated.fragments import LocationFields


def _location_filters(
    ref: str | Sequence[str] | None,
    type: str | Sequence[str] | None,
    status: str | Sequence[str] | None,
    name: str | Sequence[str] | None,
) -> dict[str, Any]:
    return {
        "refs": values(ref),
        "type": values(type),
        "status": values(status),
        "names": values(name),
    }


class Locations(Client):
    """Location methods of :class:`~fluent_gql.FluentClient`."""

    def location_by_ref(
        self, ref: str, **kwargs: Unpack[RequestOptions]
    ) -> LocationFields | None:
        """The location with this ref (with its primary address), or ``None``."""
        kwargs = self._call_options("location_by_ref", kwargs)
        return self.get_location_by_ref(ref, **kwargs).location

    def iter_locations(
        self,
        *,
        ref: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        name: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> Iterator[LocationFields]:
        """Iterate over the locations that match every given filter.

        Example::

            for store in client.iter_locations(type="STORE", status="ACTIVE"):
                print(store.ref, store.name)

        Args:
            ref, type, status, name: one value or several (exact); any matches.
            page_size: locations per request, 1 to 5000.
            max_items: stop after this many; ``None`` for all.
            **kwargs: per-call options (``timeout=``, ``headers=``).

        Raises:
            FluentInputError: a paging value is out of range.
            FluentError: a request failed (raised while iterating).
        """
        kwargs = self._call_options("iter_locations", kwargs)
        return self.paginate(
            self.list_locations,
            page_size=page_size,
            max_items=max_items,
            **_location_filters(ref, type, status, name),
            **kwargs,
        )


class AsyncLocations(AsyncClient):
    """Location methods of :class:`~fluent_gql.AsyncFluentClient`."""

    async def location_by_ref(
        self, ref: str, **kwargs: Unpack[RequestOptions]
    ) -> LocationFields | None:
        """The location with this ref, or ``None``."""
        kwargs = self._call_options("location_by_ref", kwargs)
        return (await self.get_location_by_ref(ref, **kwargs)).location

    def iter_locations(
        self,
        *,
        ref: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        name: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AsyncIterator[LocationFields]:
        """Iterate with ``async for``; as :meth:`FluentClient.iter_locations`."""
        kwargs = self._call_options("iter_locations", kwargs)
        return self.paginate(
            self.list_locations,
            page_size=page_size,
            max_items=max_items,
            **_location_filters(ref, type, status, name),
            **kwargs,
        )
