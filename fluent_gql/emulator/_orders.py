"""Reading orders: ``order``, ``orders``, ``orderItems``, fulfilment choices, links.

An order's first fulfilment choice is its ``fulfilmentChoice``; all of them are
its ``fulfilmentChoices``. An order item's ``product`` is a ``StandardProduct``
(the only kind the emulator stores).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._products import as_product
from fluent_gql.emulator._shared import (
    Args,
    by_id_or_ref,
    by_numeric_id,
    context_of,
    link,
    link_ref,
    page,
    require_child,
    store_of,
)
from fluent_gql.emulator._store import (
    ADDRESSES,
    CUSTOMERS,
    FULFILMENT_CHOICES,
    ORDER_ITEMS,
    ORDERS,
    RETAILERS,
    STANDARD_PRODUCTS,
    Record,
    Store,
)

ORDER_LIST_FILTERS = (
    "ref",
    "type",
    "status",
    "workflowRef",
    "workflowVersion",
    "totalPrice",
    "totalTaxPrice",
    "retailerId",
)
ITEM_PRICES = (
    "paidPrice",
    "currency",
    "price",
    "taxPrice",
    "taxType",
    "totalPrice",
    "totalTaxPrice",
)
"""An order item's price fields, stored as given."""

ORDER_ITEM_LIST_FILTERS = ("ref", "status", "quantity", *ITEM_PRICES)
FULFILMENT_CHOICE_LIST_FILTERS = (
    "ref",
    "type",
    "status",
    "workflowRef",
    "workflowVersion",
    "currency",
    "deliveryContact",
    "deliveryEmail",
    "deliveryFirstName",
    "deliveryInstruction",
    "deliveryLastName",
    "deliveryType",
    "fulfilmentPrice",
    "fulfilmentTaxPrice",
    "fulfilmentType",
    "pickupLocationRef",
)
FULFILMENT_CHOICE_RANGES = ("deliverAfter", "deliverBefore", "dispatchOn")


def resolve_order(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record | None:
    """An order by id and/or ref; ``null`` given neither."""
    return by_id_or_ref(info, ORDERS, args)


def resolve_orders(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search orders; ``customerLink`` and ``payment`` match by ref."""
    within: dict[str, list[object]] = {}
    if args.get("customerLink") is not None:
        customer = store_of(info).find_one(
            CUSTOMERS, {"ref": args["customerLink"]["ref"]}
        )
        within["customerId"] = [] if customer is None else [customer["id"]]
    if args.get("payment") is not None:
        within["paymentRef"] = [args["payment"]["ref"]]
    return page(info, ORDERS, args, ORDER_LIST_FILTERS, within=within)


def resolve_order_items(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search the items of every order."""
    return page(info, ORDER_ITEMS, args, ORDER_ITEM_LIST_FILTERS)


def resolve_items(record: Record, info: GraphQLResolveInfo, **args: Any) -> Args:
    """An order's items."""
    within = {"orderId": [record["id"]]}
    return page(info, ORDER_ITEMS, args, ORDER_ITEM_LIST_FILTERS, within=within)


def resolve_choice_items(record: Record, info: GraphQLResolveInfo, **args: Any) -> Args:
    """The items of an order that a fulfilment choice covers."""
    within = {"fulfilmentChoiceId": [record["id"]]}
    return page(info, ORDER_ITEMS, args, ORDER_ITEM_LIST_FILTERS, within=within)


def resolve_fulfilment_choice(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record | None:
    """A fulfilment choice by id and/or ref; ``null`` given neither."""
    return by_id_or_ref(info, FULFILMENT_CHOICES, args)


def resolve_order_choice(record: Record, info: GraphQLResolveInfo) -> Record | None:
    """An order's (first) fulfilment choice."""
    return store_of(info).find_one(FULFILMENT_CHOICES, {"orderId": record["id"]})


def resolve_order_choices(
    record: Record, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """All of an order's fulfilment choices."""
    return page(
        info,
        FULFILMENT_CHOICES,
        args,
        FULFILMENT_CHOICE_LIST_FILTERS,
        within={"orderId": [record["id"]]},
        ranges=FULFILMENT_CHOICE_RANGES,
    )


def resolve_payment(record: Record, _info: GraphQLResolveInfo) -> Args | None:
    """An order's ``PaymentLink``."""
    ref = record.get("paymentRef")
    return None if ref is None else {"ref": ref}


def resolve_product(record: Record, info: GraphQLResolveInfo) -> Record | None:
    """An order item's product, typed for the ``Product`` interface."""
    return as_product(context_of(info).by_id(STANDARD_PRODUCTS, record["productId"]))


def require_order_item(store: Store, order: Record, item_id: object) -> Record:
    """An item of ``order`` by id (for writes, read from the store).

    Raises:
        GraphQLError: ``C0120E`` for an unknown id or another order's item.
    """
    return require_child(
        store,
        ORDER_ITEMS,
        item_id,
        "OrderItem",
        parent=("orderId", order["id"]),
        where=f"in order {order['ref']}",
    )


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "order": resolve_order,
        "orderById": by_numeric_id(ORDERS),
        "orders": resolve_orders,
        "orderItems": resolve_order_items,
        "fulfilmentChoice": resolve_fulfilment_choice,
        "fulfilmentChoiceById": by_numeric_id(FULFILMENT_CHOICES),
    },
    "Order": {
        "items": resolve_items,
        "fulfilmentChoice": resolve_order_choice,
        "fulfilmentChoices": resolve_order_choices,
        "customer": link(CUSTOMERS, "customerId"),
        "customerLink": link_ref(CUSTOMERS, "customerId"),
        "retailer": link(RETAILERS, "retailerId"),
        "payment": resolve_payment,
    },
    "OrderItem": {
        "order": link(ORDERS, "orderId"),
        "product": resolve_product,
        "fulfilmentChoice": link(FULFILMENT_CHOICES, "fulfilmentChoiceId"),
    },
    "FulfilmentChoice": {
        "deliveryAddress": link(ADDRESSES, "deliveryAddressId"),
        "items": resolve_choice_items,
    },
}
