"""The clients: :class:`FluentClient` (sync) and :class:`AsyncFluentClient` (async).

Our own generated client (``generated/``, made by ``fluent-gql generate`` like any
user's, so it stands on :mod:`fluent_gql._base`) plus the connector's conveniences
by area (:mod:`fluent_gql._connector`).
"""

from __future__ import annotations

from fluent_gql._connector.customers import AsyncCustomers, Customers
from fluent_gql._connector.events import AsyncEvents, Events
from fluent_gql._connector.fulfilments import AsyncFulfilments, Fulfilments
from fluent_gql._connector.inventory import AsyncInventory, Inventory
from fluent_gql._connector.locations import AsyncLocations, Locations
from fluent_gql._connector.orders import AsyncOrders, Orders
from fluent_gql._connector.products import AsyncProducts, Products

__all__ = ["AsyncFluentClient", "FluentClient"]


class FluentClient(
    Customers, Products, Orders, Fulfilments, Locations, Inventory, Events
):
    """A typed, synchronous client for one Fluent account: the connector's actions.

    Every operation in ``queries/`` is a method (``me()``, ``create_customer(...)``
    ...) returning pydantic models; :meth:`graphql` runs any other query or mutation.
    Log-in is lazy and automatic. Arguments as :class:`FluentBaseClient`.

    Example::

        from fluent_gql import FluentClient, FluentConfig

        with FluentClient(FluentConfig.from_env()) as client:
            me = client.me().me
            customer = client.customer_by_email(email="ada@example.com")
            order = client.order_by_ref(ref="HD-1001")
            client.cancel_order(ref="HD-1001", reason="Customer request")
            data = client.graphql("query { me { id } }")

    Raises:
        FluentConfigError: a setting is missing or malformed.
    """


class AsyncFluentClient(
    AsyncCustomers,
    AsyncProducts,
    AsyncOrders,
    AsyncFulfilments,
    AsyncLocations,
    AsyncInventory,
    AsyncEvents,
):
    """The asynchronous twin of :class:`FluentClient`; same methods, awaited.

    Example::

        async with AsyncFluentClient(FluentConfig.from_env()) as client:
            me = (await client.me()).me
    """
