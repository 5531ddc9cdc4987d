"""Standard products: ``iter_standard_products`` (Create Product is the generated
``create_product`` as it is)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from fluent_gql._connector._filters import values
from fluent_gql._pagination import DEFAULT_PAGE_SIZE
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.base_model import UNSET
from fluent_gql_generated.client import Client
from fluent_gql_generated.fragments import StandardProductFields
from fluent_gql_generated.input_types import ProductCatalogueKey


def _filters(
    catalogue_ref: str | None,
    refs: str | Sequence[str] | None,
    status: str | Sequence[str] | None,
) -> dict[str, Any]:
    return {
        "catalogue": UNSET
        if catalogue_ref is None
        else ProductCatalogueKey(ref=catalogue_ref),
        "refs": values(refs),
        "status": values(status),
    }


class Products(Client):
    """Product methods of :class:`~fluent_gql.FluentClient`."""

    def iter_standard_products(
        self,
        *,
        catalogue_ref: str | None = None,
        refs: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Any,
    ) -> Iterator[StandardProductFields]:
        """Iterate over the standard products that match every given filter.

        Example::

            for product in client.iter_standard_products(catalogue_ref="PC:MASTER:1"):
                print(product.ref, product.name)

        Args:
            catalogue_ref: only products of this catalogue.
            refs: product refs; any of them matches.
            status: statuses such as ``"CREATED"``; any of them matches.
            page_size: products per request, 1 to 5000.
            max_items: stop after this many; ``None`` for all.
            **kwargs: per-call options (``timeout=``, ``headers=``).

        Raises:
            FluentInputError: ``page_size`` or ``max_items`` is out of range.
            FluentError: a request failed (raised while iterating).
        """
        return self.paginate(
            self.list_standard_products,
            page_size=page_size,
            max_items=max_items,
            **_filters(catalogue_ref, refs, status),
            **kwargs,
        )


class AsyncProducts(AsyncClient):
    """Product methods of :class:`~fluent_gql.AsyncFluentClient`."""

    def iter_standard_products(
        self,
        *,
        catalogue_ref: str | None = None,
        refs: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[StandardProductFields]:
        """Iterate over matching standard products with ``async for``.

        Arguments as :meth:`FluentClient.iter_standard_products`.
        """
        return self.paginate(
            self.list_standard_products,
            page_size=page_size,
            max_items=max_items,
            **_filters(catalogue_ref, refs, status),
            **kwargs,
        )
