"""Customers: Create Customer and Get Customer by Email as the connector defines
them, and ``iter_customers``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Unpack

from fluent_gql._connector._filters import values
from fluent_gql._pagination import DEFAULT_PAGE_SIZE
from fluent_gql._request import RequestOptions
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.base_model import UNSET, UnsetType
from fluent_gql_generated.client import Client
from fluent_gql_generated.create_customer import CreateCustomer
from fluent_gql_generated.customer_by_email import CustomerByEmail
from fluent_gql_generated.fragments import CustomerFields
from fluent_gql_generated.input_types import AttributeInput, DateRange


def _customer_or_none(result: CustomerByEmail) -> CustomerFields | None:
    connection = result.customers
    edges = [e for e in (connection.edges or []) if e and e.node] if connection else []
    return edges[0].node if edges else None


def _filters(
    emails: str | Sequence[str] | None,
    usernames: str | Sequence[str] | None,
    status: str | Sequence[str] | None,
    created_on: DateRange | None,
    updated_on: DateRange | None,
) -> dict[str, Any]:
    return {
        "emails": values(emails),
        "usernames": values(usernames),
        "status": values(status),
        "created_on": UNSET if created_on is None else created_on,
        "updated_on": UNSET if updated_on is None else updated_on,
    }


class Customers(Client):
    """Customer methods of :class:`~fluent_gql.FluentClient`."""

    def create_customer(
        self,
        email: str,
        first_name: str,
        username: str | None = None,
        retailer_id: str | int | None = None,
        last_name: str | None | UnsetType = UNSET,
        phone: str | None | UnsetType = UNSET,
        country: str | None | UnsetType = UNSET,
        timezone: str | None | UnsetType = UNSET,
        promotion_opt_in: bool | None | UnsetType = UNSET,
        attributes: list[AttributeInput | None] | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateCustomer:
        """Create a customer (the connector's Create Customer).

        ``username`` defaults to ``email``; ``retailer_id`` to the configured one, else
        the token's ``Retailer_id``; ``timezone`` to ``UTC``; ``promotion_opt_in`` to
        ``False``.
        """
        kwargs = self._call_options("create_customer", kwargs)
        if retailer_id is None and self._needs_token_retailer():
            self.login()
        return super().create_customer(
            email,
            first_name,
            username or email,
            self._retailer_id(retailer_id),
            last_name=last_name,
            phone=phone,
            country=country,
            timezone=timezone,
            promotion_opt_in=promotion_opt_in,
            attributes=attributes,
            **kwargs,
        )

    def customer_by_email(  # type: ignore[override]
        self, email: str, **kwargs: Unpack[RequestOptions]
    ) -> CustomerFields | None:
        """Return the customer whose primary e-mail is ``email``, or ``None``.

        (The connector's Get Customer by Email; the generated method returned the
        whole connection, which is not what a caller wants here.)
        """
        kwargs = self._call_options("customer_by_email", kwargs)
        return _customer_or_none(super().customer_by_email(email, **kwargs))

    def iter_customers(
        self,
        *,
        emails: str | Sequence[str] | None = None,
        usernames: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        created_on: DateRange | None = None,
        updated_on: DateRange | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> Iterator[CustomerFields]:
        """Iterate over the customers that match every given filter.

        Pages are fetched as the loop needs them, one at a time.

        Example::

            from fluent_gql.types import DateRange

            recent = DateRange(from_=datetime(2025, 1, 1, tzinfo=UTC))
            for customer in client.iter_customers(created_on=recent, max_items=50):
                print(customer.username)

        Args:
            emails: primary e-mail addresses (exact); any of them matches.
            usernames: usernames; any of them matches.
            status: statuses such as ``"ACTIVE"``; any of them matches.
            created_on: a time window for the creation time (both ends inclusive).
            updated_on: a time window for the last update.
            page_size: customers per request, 1 to 5000.
            max_items: stop after this many; ``None`` for all.
            **kwargs: per-call options (``timeout=``, ``headers=``).

        Raises:
            FluentInputError: ``page_size`` or ``max_items`` is out of range.
            FluentError: a request failed (raised while iterating).
        """
        kwargs = self._call_options("iter_customers", kwargs)
        return self.paginate(
            self.list_customers,
            page_size=page_size,
            max_items=max_items,
            **_filters(emails, usernames, status, created_on, updated_on),
            **kwargs,
        )


class AsyncCustomers(AsyncClient):
    """Customer methods of :class:`~fluent_gql.AsyncFluentClient`."""

    async def create_customer(
        self,
        email: str,
        first_name: str,
        username: str | None = None,
        retailer_id: str | int | None = None,
        last_name: str | None | UnsetType = UNSET,
        phone: str | None | UnsetType = UNSET,
        country: str | None | UnsetType = UNSET,
        timezone: str | None | UnsetType = UNSET,
        promotion_opt_in: bool | None | UnsetType = UNSET,
        attributes: list[AttributeInput | None] | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateCustomer:
        """Create a customer (see :meth:`FluentClient.create_customer`)."""
        kwargs = self._call_options("create_customer", kwargs)
        if retailer_id is None and self._needs_token_retailer():
            await self.login()
        return await super().create_customer(
            email,
            first_name,
            username or email,
            self._retailer_id(retailer_id),
            last_name=last_name,
            phone=phone,
            country=country,
            timezone=timezone,
            promotion_opt_in=promotion_opt_in,
            attributes=attributes,
            **kwargs,
        )

    async def customer_by_email(  # type: ignore[override]
        self, email: str, **kwargs: Unpack[RequestOptions]
    ) -> CustomerFields | None:
        """Return the customer whose primary e-mail is ``email``, or ``None``."""
        kwargs = self._call_options("customer_by_email", kwargs)
        return _customer_or_none(await super().customer_by_email(email, **kwargs))

    def iter_customers(
        self,
        *,
        emails: str | Sequence[str] | None = None,
        usernames: str | Sequence[str] | None = None,
        status: str | Sequence[str] | None = None,
        created_on: DateRange | None = None,
        updated_on: DateRange | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AsyncIterator[CustomerFields]:
        """Iterate over matching customers with ``async for``.

        Arguments as :meth:`FluentClient.iter_customers`.

        Example::

            async for customer in client.iter_customers(status="ACTIVE"):
                print(customer.username)
        """
        kwargs = self._call_options("iter_customers", kwargs)
        return self.paginate(
            self.list_customers,
            page_size=page_size,
            max_items=max_items,
            **_filters(emails, usernames, status, created_on, updated_on),
            **kwargs,
        )
