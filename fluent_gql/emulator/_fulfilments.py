"""Fulfilments: reading them and ``createFulfilment``, ``updateFulfilment``.

A fulfilment belongs to an order and runs in the order's workflow; it is
``CREATED`` with items ``CREATED``. Its ``fromLocation`` is the location whose
address it ships from (``fromAddress``), which is what ``fromLocation: {ref}``
filters on.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._errors import DUPLICATE_REF, fluent_error
from fluent_gql.emulator._orders import require_order_item
from fluent_gql.emulator._shared import (
    NEW_STATUS,
    Args,
    attributes,
    by_numeric_id,
    changes,
    distinct_refs,
    find_by_id,
    given,
    link,
    link_ref,
    page,
    present,
    require,
    require_by_id,
    require_child,
    require_input,
    store_of,
)
from fluent_gql.emulator._store import (
    ADDRESSES,
    CUSTOMERS,
    FULFILMENT_CHOICES,
    FULFILMENT_ITEMS,
    FULFILMENTS,
    LOCATIONS,
    ORDER_ITEMS,
    ORDERS,
    AlreadyExistsError,
    Record,
    RowId,
    Store,
    Table,
    now,
)

FULFILMENT_LIST_FILTERS = (
    "ref",
    "status",
    "type",
    "deliveryType",
    "eta",
    "workflowRef",
    "workflowVersion",
    "retailerId",
    "fulfilmentChoiceRef",
)
FULFILMENT_RANGES = ("expiryTime",)
FULFILMENT_ITEM_LIST_FILTERS = (
    "ref",
    "status",
    "requestedQuantity",
    "filledQuantity",
    "rejectedQuantity",
)
FULFILMENT_UPDATES = ("status", "deliveryType", "type", "eta", "expiryTime")
ITEM_QUANTITIES = ("requestedQuantity", "filledQuantity", "rejectedQuantity")


def resolve_fulfilment(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record | None:
    """A fulfilment by id; ``null`` without one."""
    return find_by_id(store_of(info), FULFILMENTS, args.get("id"))


def _fulfilments(
    info: GraphQLResolveInfo, args: Args, within: dict[str, list[object]]
) -> Args:
    if args.get("fromLocation") is not None:
        ref = args["fromLocation"]["ref"]
        location = store_of(info).find_one(LOCATIONS, {"ref": ref})
        within["fromLocationId"] = [] if location is None else [location["id"]]
    return page(
        info,
        FULFILMENTS,
        args,
        FULFILMENT_LIST_FILTERS,
        within=within,
        ranges=FULFILMENT_RANGES,
    )


def resolve_fulfilments(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search fulfilments; ``fromLocation`` matches by the location's ref."""
    return _fulfilments(info, args, {})


def resolve_order_fulfilments(
    record: Record, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """An order's fulfilments."""
    return _fulfilments(info, args, {"orderId": [record["id"]]})


def resolve_choice_fulfilments(
    record: Record, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """The fulfilments of an order that name a fulfilment choice's ref."""
    ref = record.get("ref")
    refs: list[object] = [] if ref is None else [ref]
    within = {"orderId": [record["orderId"]], "fulfilmentChoiceRef": refs}
    return _fulfilments(info, args, within)


def resolve_fulfilment_items(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """Search the items of every fulfilment."""
    return page(info, FULFILMENT_ITEMS, args, FULFILMENT_ITEM_LIST_FILTERS)


def resolve_items(record: Record, info: GraphQLResolveInfo, **args: Any) -> Args:
    """A fulfilment's items."""
    within = {"fulfilmentId": [record["id"]]}
    return page(
        info, FULFILMENT_ITEMS, args, FULFILMENT_ITEM_LIST_FILTERS, within=within
    )


def _address(store: Store, data: Args, name: str) -> Record:
    """The address an ``AddressId`` input names; ``{}`` if it is not given."""
    key = data.get(name)
    return {} if key is None else require_by_id(store, ADDRESSES, key["id"], "Address")


def _customer_id(store: Store, data: Args, order: Record) -> object:
    if data.get("customer") is None:
        return order["customerId"]
    return require_by_id(store, CUSTOMERS, data["customer"]["id"], "Customer")["id"]


def _check_choice_ref(store: Store, data: Args, order: Record) -> None:
    ref = data.get("fulfilmentChoiceRef")
    if ref is not None:
        found = store.find_one(FULFILMENT_CHOICES, {"orderId": order["id"], "ref": ref})
        require(found, "FulfilmentChoice", f"ref {ref} in order {order['ref']}")


def _item_rows(
    store: Store, data: Args, order: Record
) -> list[tuple[Table, Mapping[str, object]]]:
    items = present(data.get("items"))
    distinct_refs(items, "FulfilmentItem")
    rows: list[tuple[Table, Mapping[str, object]]] = []
    for item in items:
        order_item = require_order_item(store, order, item["orderItem"]["id"])
        values = {
            "fulfilmentId": RowId(0),
            "orderItemId": order_item["id"],
            "ref": item["ref"],
            "status": NEW_STATUS,
            **{name: item.get(name) for name in ITEM_QUANTITIES},
        }
        rows.append((FULFILMENT_ITEMS, values))
    return rows


def resolve_create_fulfilment(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create a fulfilment of an order's items.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0120E`` for an unknown order,
            address, customer, fulfilment choice ref or item of the order,
            ``C0123E`` for a ref the order's fulfilments (or the input's items)
            already use.
    """
    data = require_input(args)
    store = store_of(info)
    order = require_by_id(store, ORDERS, data["order"]["id"], "Order")
    _check_choice_ref(store, data, order)
    from_address = _address(store, data, "fromAddress")
    created = now()
    fulfilment = {
        "orderId": order["id"],
        "ref": data["ref"],
        "type": data["type"],
        "status": NEW_STATUS,
        "workflowRef": order["workflowRef"],
        "workflowVersion": order["workflowVersion"],
        "retailerId": order["retailerId"],
        "customerId": _customer_id(store, data, order),
        "deliveryType": data.get("deliveryType"),
        "eta": data.get("eta"),
        "expiryTime": data.get("expiryTime"),
        "fromAddressId": from_address.get("id"),
        "toAddressId": _address(store, data, "toAddress").get("id"),
        "fromLocationId": from_address.get("locationId"),
        "fulfilmentChoiceRef": data.get("fulfilmentChoiceRef"),
        **attributes(data),
        "createdOn": created,
        "updatedOn": created,
    }
    rows = [(FULFILMENTS, fulfilment), *_item_rows(store, data, order)]
    try:
        return store.insert_all(rows)[0]
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_REF,
            f"Fulfilment with ref {data['ref']} already exists in order {order['ref']}",
        ) from None


def _item_change(
    store: Store, fulfilment: Record, change: Args
) -> tuple[Table, object, Args]:
    item = require_child(
        store,
        FULFILMENT_ITEMS,
        change["id"],
        "FulfilmentItem",
        parent=("fulfilmentId", fulfilment["id"]),
        where=f"in fulfilment {fulfilment['id']}",
    )
    return (FULFILMENT_ITEMS, item["id"], given(change, ("status", *ITEM_QUANTITIES)))


def resolve_update_fulfilment(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Change a fulfilment's given fields and its items' status and quantities.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0120E`` for an unknown
            fulfilment or an item that is not the fulfilment's.
    """
    data = require_input(args)
    store = store_of(info)
    fulfilment = require_by_id(store, FULFILMENTS, data["id"], "Fulfilment")
    values = changes(data, FULFILMENT_UPDATES, fulfilment)
    items = [_item_change(store, fulfilment, i) for i in present(data.get("items"))]
    return store.update_all([(FULFILMENTS, fulfilment["id"], values), *items])[0]


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "fulfilment": resolve_fulfilment,
        "fulfilmentById": by_numeric_id(FULFILMENTS),
        "fulfilments": resolve_fulfilments,
        "fulfilmentItems": resolve_fulfilment_items,
    },
    "Mutation": {
        "createFulfilment": resolve_create_fulfilment,
        "updateFulfilment": resolve_update_fulfilment,
    },
    "Order": {"fulfilments": resolve_order_fulfilments},
    "FulfilmentChoice": {"fulfilments": resolve_choice_fulfilments},
    "Fulfilment": {
        "items": resolve_items,
        "order": link(ORDERS, "orderId"),
        "fromAddress": link(ADDRESSES, "fromAddressId"),
        "toAddress": link(ADDRESSES, "toAddressId"),
        "fromLocation": link_ref(LOCATIONS, "fromLocationId"),
        "user": link(CUSTOMERS, "customerId"),
    },
    "FulfilmentItem": {
        "fulfilment": link(FULFILMENTS, "fulfilmentId"),
        "orderItem": link(ORDER_ITEMS, "orderItemId"),
    },
}
