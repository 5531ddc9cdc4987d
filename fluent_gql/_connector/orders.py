"""Orders: create (exactly once, by ref), read by ref or id, list, and update
attributes. An order's status changes through its workflow: see
:mod:`fluent_gql._connector.events`."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeVar, Unpack

import anyio

from fluent_gql._connector._complete import acomplete_order, complete_order
from fluent_gql._connector._filters import values
from fluent_gql._connector._idempotent import OrderResend
from fluent_gql._connector._order_input import (
    Attribute,
    CustomerInput,
    FulfilmentChoice,
    OrderItem,
    attribute_inputs,
    customer_input,
    optional_amount,
    order_items,
)
from fluent_gql._connector._order_input import (
    fulfilment_choice as choice_input,
)
from fluent_gql._exceptions import FluentError, FluentInputError
from fluent_gql._pagination import DEFAULT_PAGE_SIZE
from fluent_gql._request import RequestOptions
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.base_model import UNSET, UnsetType
from fluent_gql_generated.client import Client
from fluent_gql_generated.create_order import CreateOrder
from fluent_gql_generated.create_order_and_customer import CreateOrderAndCustomer
from fluent_gql_generated.fragments import OrderFields, OrderSummaryFields
from fluent_gql_generated.input_types import (
    CustomerLinkInput,
    DateRange,
)
from fluent_gql_generated.update_order_attributes import UpdateOrderAttributes

_Created = TypeVar("_Created", CreateOrder, CreateOrderAndCustomer)


def _order_filters(
    status: str | Sequence[str] | None,
    type: str | Sequence[str] | None,
    ref: str | Sequence[str] | None,
    created_on: DateRange | None,
    updated_on: DateRange | None,
    updated_since: datetime | None,
    customer_ref: str | None,
) -> dict[str, Any]:
    if updated_since is not None:
        if updated_on is not None:
            raise FluentInputError(
                "give updated_on or updated_since, not both", field="updated_since"
            )
        if not isinstance(updated_since, datetime) or updated_since.tzinfo is None:
            raise FluentInputError(
                "updated_since must be a timezone-aware datetime",
                field="updated_since",
            )
        updated_on = DateRange(from_=updated_since)
    return {
        "status": values(status),
        "type": values(type),
        "refs": values(ref),
        "created_on": UNSET if created_on is None else created_on,
        "updated_on": UNSET if updated_on is None else updated_on,
        "customer_link": UNSET
        if customer_ref is None
        else CustomerLinkInput(ref=customer_ref),
    }


def _order_parts(
    items: object,
    fulfilment_choice: FulfilmentChoice | None | UnsetType,
    attributes: Sequence[Attribute | None] | None | UnsetType,
    total_price: float | None | UnsetType,
    total_tax_price: float | None | UnsetType,
) -> dict[str, Any]:
    """A create's inputs, checked (before anything is sent, the login included)."""
    optional_amount(total_price, "total_price")
    optional_amount(total_tax_price, "total_tax_price")
    return {
        "items": order_items(items),
        "fulfilment_choice": choice_input(fulfilment_choice),
        "attributes": attributes
        if attributes is None or isinstance(attributes, UnsetType)
        else attribute_inputs(attributes),
        "total_price": total_price,
        "total_tax_price": total_tax_price,
    }


def _order_of(created: CreateOrder | CreateOrderAndCustomer) -> OrderFields | None:
    """The order a create mutation returned (its result has one field)."""
    [field] = type(created).model_fields
    order: OrderFields | None = getattr(created, field)
    return order


def _with_order(created: _Created, order: OrderFields) -> _Created:
    [field] = type(created).model_fields
    return created.model_copy(update={field: order})


def _created(model: type[_Created], order: OrderFields) -> _Created:
    """The create mutation's result, for an order found by ref after a resend."""
    [(field, info)] = model.model_fields.items()
    return model.model_validate({info.alias or field: order.model_dump(by_alias=True)})


class Orders(Client):
    """Order methods of :class:`~fluent_gql.FluentClient`."""

    def create_order(
        self,
        ref: str,
        type: str,
        customer_id: str,
        items: Sequence[OrderItem],
        retailer_id: str | int | None = None,
        fulfilment_choice: FulfilmentChoice | None | UnsetType = UNSET,
        attributes: Sequence[Attribute | None] | None | UnsetType = UNSET,
        total_price: float | None | UnsetType = UNSET,
        total_tax_price: float | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateOrder:
        """Create an order; its workflow starts with the CREATE event Fluent sends.

        Example::

            order = client.create_order(
                ref="HD-1001", type="HD", customer_id=customer.id,
                items=[{"ref": "L1", "product_ref": "SKU-1", "quantity": 2,
                        "price": 9.5, "currency": "AUD"}],
                fulfilment_choice={"delivery_type": "STANDARD",
                                   "delivery_address": {"ref": "A1", "city": "Sydney"}},
            ).create_order

        Args:
            ref: the order's reference, unique in the account.
            type: ``HD`` (home delivery, with a ``delivery_address``), ``CC``
                (click and collect, with a ``pickup_location_ref``) or your own.
            customer_id: the id of an existing customer.
            items: the lines: ``CreateOrderItemWithOrderInput`` models or dicts
                (``ref``, ``product_ref``, ``quantity``, optional prices and
                ``product_catalogue_ref``).
            retailer_id: defaults to the configured one, else the token's.
            fulfilment_choice: how the order reaches the customer, as a model or
                a dict (``delivery_type`` required).
            attributes, total_price, total_tax_price: as Fluent's input.

        The ref is Fluent's idempotency key for orders, and this method uses it:
        when the outcome of a send is unknown (a dropped connection, a timeout, a
        5xx), it looks the order up by ref and returns it if it was created, else
        sends again (at most the retry policy's ``max_retries`` times). Fluent's
        "already exists" after such a resend is our own order, returned as the
        success it is; "already exists" on the first send is an error.

        Raises:
            FluentInputError: an argument is malformed; the message names the field.
            FluentValueRefusedError: Fluent refused the order (e.g. the ref exists).
            FluentError: the order could not be created; ``maybe_applied`` says
                whether it may exist (look it up with :meth:`order_by_ref`).
        """
        kwargs = self._call_options("create_order", kwargs)
        parts = _order_parts(
            items, fulfilment_choice, attributes, total_price, total_tax_price
        )
        if retailer_id is None and self._needs_token_retailer():
            self.login()
        retailer = self._retailer_id(retailer_id)
        return self._create(
            Client.create_order,
            CreateOrder,
            (ref, type, customer_id, parts.pop("items"), retailer),
            {**parts, **kwargs},
        )

    def create_order_and_customer(
        self,
        ref: str,
        type: str,
        customer: CustomerInput,
        items: Sequence[OrderItem],
        retailer_id: str | int | None = None,
        fulfilment_choice: FulfilmentChoice | None | UnsetType = UNSET,
        attributes: Sequence[Attribute | None] | None | UnsetType = UNSET,
        total_price: float | None | UnsetType = UNSET,
        total_tax_price: float | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateOrderAndCustomer:
        """Create an order and its new customer together.

        ``customer`` is a ``CreateCustomerInput`` or a dict of its fields
        (``primary_email`` and ``first_name`` at least); ``username`` defaults to
        the e-mail, ``timezone`` to UTC, ``promotion_opt_in`` to false and the
        retailer to the order's. Other arguments, and the exactly-once resends
        by ref, as :meth:`create_order`.
        """
        kwargs = self._call_options("create_order_and_customer", kwargs)
        parts = _order_parts(
            items, fulfilment_choice, attributes, total_price, total_tax_price
        )
        if retailer_id is None and self._needs_token_retailer():
            self.login()
        retailer = self._retailer_id(retailer_id)
        new_customer = customer_input(customer, retailer)
        return self._create(
            Client.create_order_and_customer,
            CreateOrderAndCustomer,
            (ref, type, new_customer, parts.pop("items"), retailer),
            {**parts, **kwargs},
        )

    def _create(
        self,
        method: Callable[..., _Created],
        model: type[_Created],
        args: tuple[Any, ...],
        options: dict[str, Any],
    ) -> _Created:
        """Send a create mutation exactly once (see :mod:`._idempotent`); return
        its result with the whole order."""
        # Only our own resends are safe (they follow a look-up), so the transport
        # must not resend a create on its own, even under retry_mutations.
        target = self.with_options(retry_mutations=False)
        resend = OrderResend(target.retry_policy)
        while True:
            try:
                created = method(target, *args, **options)
                break
            except FluentError as exc:
                time.sleep(resend.after(exc))
                try:
                    found = self.order_by_ref(args[0])
                except FluentError as lookup_failed:
                    raise exc from lookup_failed
                if found is not None:
                    return _created(model, found)
                resend.not_found(exc)
        order = _order_of(created)
        if order is None:
            return created
        try:
            whole = complete_order(self, order)
        except FluentError as exc:
            exc.maybe_applied = True  # the order exists; reading all of it failed
            raise
        return _with_order(created, whole)

    def order_by_ref(
        self, ref: str, **kwargs: Unpack[RequestOptions]
    ) -> OrderFields | None:
        """The order with this ref, or ``None``: with its items, fulfilment
        choice (and address), customer and fulfilments (with their items), all
        of them however many."""
        kwargs = self._call_options("order_by_ref", kwargs)
        order = self.get_order_by_ref(ref, **kwargs).order
        return None if order is None else complete_order(self, order)

    def order_by_id(
        self, id: str, **kwargs: Unpack[RequestOptions]
    ) -> OrderFields | None:
        """The order with this id, or ``None``; as :meth:`order_by_ref`."""
        kwargs = self._call_options("order_by_id", kwargs)
        order = self.get_order_by_id(id, **kwargs).order_by_id
        return None if order is None else complete_order(self, order)

    def iter_orders(
        self,
        *,
        status: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        ref: str | Sequence[str] | None = None,
        created_on: DateRange | None = None,
        updated_on: DateRange | None = None,
        updated_since: datetime | None = None,
        customer_ref: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> Iterator[OrderSummaryFields]:
        """Iterate over the orders that match every given filter (without their
        items and fulfilments: read one whole with :meth:`order_by_id`).

        Example (the usual poll)::

            for order in client.iter_orders(updated_since=last_run, status="BOOKED"):
                print(order.ref, order.status)

        Args:
            status, type, ref: one value or several; any of them matches.
            created_on, updated_on: time windows (both ends inclusive).
            updated_since: orders updated at or after this aware datetime.
            customer_ref: only this customer's orders.
            page_size: orders per request, 1 to 5000.
            max_items: stop after this many; ``None`` for all.
            **kwargs: per-call options (``timeout=``, ``headers=``).

        Raises:
            FluentInputError: a filter or a paging value is malformed.
            FluentError: a request failed (raised while iterating).
        """
        kwargs = self._call_options("iter_orders", kwargs)
        filters = _order_filters(
            status, type, ref, created_on, updated_on, updated_since, customer_ref
        )
        return self.paginate(
            self.list_orders,
            page_size=page_size,
            max_items=max_items,
            **filters,
            **kwargs,
        )

    def update_order_attributes(
        self, id: str, attributes: Sequence[Attribute], **kwargs: Unpack[RequestOptions]
    ) -> UpdateOrderAttributes:
        """Set attributes of an order (``updateOrder`` with attributes only).

        An order's status is not set here: it belongs to the order's workflow,
        which changes it when an event's ruleset runs (``cancel_order``,
        ``send_event``). Fluent warns that a status set by a mutation is one the
        workflow never learns of.
        """
        kwargs = self._call_options("update_order_attributes", kwargs)
        return super().update_order_attributes(
            id, attribute_inputs(attributes), **kwargs
        )


class AsyncOrders(AsyncClient):
    """Order methods of :class:`~fluent_gql.AsyncFluentClient`."""

    async def create_order(
        self,
        ref: str,
        type: str,
        customer_id: str,
        items: Sequence[OrderItem],
        retailer_id: str | int | None = None,
        fulfilment_choice: FulfilmentChoice | None | UnsetType = UNSET,
        attributes: Sequence[Attribute | None] | None | UnsetType = UNSET,
        total_price: float | None | UnsetType = UNSET,
        total_tax_price: float | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateOrder:
        """Create an order; as :meth:`FluentClient.create_order`."""
        kwargs = self._call_options("create_order", kwargs)
        parts = _order_parts(
            items, fulfilment_choice, attributes, total_price, total_tax_price
        )
        if retailer_id is None and self._needs_token_retailer():
            await self.login()
        retailer = self._retailer_id(retailer_id)
        return await self._create(
            AsyncClient.create_order,
            CreateOrder,
            (ref, type, customer_id, parts.pop("items"), retailer),
            {**parts, **kwargs},
        )

    async def create_order_and_customer(
        self,
        ref: str,
        type: str,
        customer: CustomerInput,
        items: Sequence[OrderItem],
        retailer_id: str | int | None = None,
        fulfilment_choice: FulfilmentChoice | None | UnsetType = UNSET,
        attributes: Sequence[Attribute | None] | None | UnsetType = UNSET,
        total_price: float | None | UnsetType = UNSET,
        total_tax_price: float | None | UnsetType = UNSET,
        **kwargs: Unpack[RequestOptions],
    ) -> CreateOrderAndCustomer:
        """Create an order and its customer; as
        :meth:`FluentClient.create_order_and_customer`."""
        kwargs = self._call_options("create_order_and_customer", kwargs)
        parts = _order_parts(
            items, fulfilment_choice, attributes, total_price, total_tax_price
        )
        if retailer_id is None and self._needs_token_retailer():
            await self.login()
        retailer = self._retailer_id(retailer_id)
        new_customer = customer_input(customer, retailer)
        return await self._create(
            AsyncClient.create_order_and_customer,
            CreateOrderAndCustomer,
            (ref, type, new_customer, parts.pop("items"), retailer),
            {**parts, **kwargs},
        )

    async def _create(
        self,
        method: Callable[..., Awaitable[_Created]],
        model: type[_Created],
        args: tuple[Any, ...],
        options: dict[str, Any],
    ) -> _Created:
        """The async twin of :meth:`Orders._create`."""
        target = self.with_options(retry_mutations=False)
        resend = OrderResend(target.retry_policy)
        while True:
            try:
                created = await method(target, *args, **options)
                break
            except FluentError as exc:
                await anyio.sleep(resend.after(exc))
                try:
                    found = await self.order_by_ref(args[0])
                except FluentError as lookup_failed:
                    raise exc from lookup_failed
                if found is not None:
                    return _created(model, found)
                resend.not_found(exc)
        order = _order_of(created)
        if order is None:
            return created
        try:
            whole = await acomplete_order(self, order)
        except FluentError as exc:
            exc.maybe_applied = True  # the order exists; reading all of it failed
            raise
        return _with_order(created, whole)

    async def order_by_ref(
        self, ref: str, **kwargs: Unpack[RequestOptions]
    ) -> OrderFields | None:
        """The order with this ref, or ``None`` (see FluentClient.order_by_ref)."""
        kwargs = self._call_options("order_by_ref", kwargs)
        order = (await self.get_order_by_ref(ref, **kwargs)).order
        return None if order is None else await acomplete_order(self, order)

    async def order_by_id(
        self, id: str, **kwargs: Unpack[RequestOptions]
    ) -> OrderFields | None:
        """The order with this id, or ``None``; as :meth:`FluentClient.order_by_ref`."""
        kwargs = self._call_options("order_by_id", kwargs)
        order = (await self.get_order_by_id(id, **kwargs)).order_by_id
        return None if order is None else await acomplete_order(self, order)

    def iter_orders(
        self,
        *,
        status: str | Sequence[str] | None = None,
        type: str | Sequence[str] | None = None,
        ref: str | Sequence[str] | None = None,
        created_on: DateRange | None = None,
        updated_on: DateRange | None = None,
        updated_since: datetime | None = None,
        customer_ref: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_items: int | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AsyncIterator[OrderSummaryFields]:
        """Iterate with ``async for``; as :meth:`FluentClient.iter_orders`."""
        kwargs = self._call_options("iter_orders", kwargs)
        filters = _order_filters(
            status, type, ref, created_on, updated_on, updated_since, customer_ref
        )
        return self.paginate(
            self.list_orders,
            page_size=page_size,
            max_items=max_items,
            **filters,
            **kwargs,
        )

    async def update_order_attributes(
        self, id: str, attributes: Sequence[Attribute], **kwargs: Unpack[RequestOptions]
    ) -> UpdateOrderAttributes:
        """Set attributes of an order; as
        :meth:`FluentClient.update_order_attributes` (not its status)."""
        kwargs = self._call_options("update_order_attributes", kwargs)
        return await super().update_order_attributes(
            id, attribute_inputs(attributes), **kwargs
        )
