"""Standard products: Create Product (its price checked before sending) and
``iter_standard_products``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Unpack

from fluent_gql._connector._filters import values
from fluent_gql._connector._order_input import amount
from fluent_gql._pagination import DEFAULT_PAGE_SIZE
from fluent_gql._request import RequestOptions
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.base_model import UNSET, UnsetType
from fluent_gql_generated.client import Client
from fluent_gql_generated.create_product import CreateProduct
from fluent_gql_generated.fragments import StandardProductFields
from fluent_gql_generated.input_types import AttributeInput, ProductCatalogueKey


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

    def create_product(
        self,
        catalogue_ref: str,
        ref: str,
        name: str,
        gtin: str,
        price_currency: str,
        price_value: float,
        type: str | None | UnsetType = UNSET,
        summary: str | None | UnsetType = UNSET,
        attributes: list[AttributeInput | None] | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateProduct:
        """Create a standard product with one RRP price (the connector's Create
        Product); ``type`` defaults to ``STANDARD``.

        Raises:
            FluentInputError: ``price_value`` is negative, not finite or not a
                number (as the bulk importer's rule), or another input is
                malformed; nothing was sent.
        """
        kwargs = self._call_options("create_product", kwargs)
        return super().create_product(
            catalogue_ref,
            ref,
            name,
            gtin,
            price_currency,
            amount(price_value, "price_value"),
            type=type,
            summary=summary,
            attributes=attributes,
            **kwargs,
        )

    def iter_standard_products(
        self,
        *,
        catalogue_ref: str | None = None,
        refs: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
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
        kwargs = self._call_options("iter_standard_products", kwargs)
        return self.paginate(
            self.list_standard_products,
            page_size=page_size,
            max_items=max_items,
            **_filters(catalogue_ref, refs, status),
            **kwargs,
        )


class AsyncProducts(AsyncClient):
    """Product methods of :class:`~fluent_gql.AsyncFluentClient`."""

    async def create_product(
        self,
        catalogue_ref: str,
        ref: str,
        name: str,
        gtin: str,
        price_currency: str,
        price_value: float,
        type: str | None | UnsetType = UNSET,
        summary: str | None | UnsetType = UNSET,
        attributes: list[AttributeInput | None] | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateProduct:
        """Create a standard product; as :meth:`FluentClient.create_product`."""
        kwargs = self._call_options("create_product", kwargs)
        return await super().create_product(
            catalogue_ref,
            ref,
            name,
            gtin,
            price_currency,
            amount(price_value, "price_value"),
            type=type,
            summary=summary,
            attributes=attributes,
            **kwargs,
        )

    def iter_standard_products(
        self,
        *,
        catalogue_ref: str | None = None,
        refs: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AsyncIterator[StandardProductFields]:
        """Iterate over matching standard products with ``async for``.

        Arguments as :meth:`FluentClient.iter_standard_products`.
        """
        kwargs = self._call_options("iter_standard_products", kwargs)
        return self.paginate(
            self.list_standard_products,
            page_size=page_size,
            max_items=max_items,
            **_filters(catalogue_ref, refs, status),
            **kwargs,
        )
