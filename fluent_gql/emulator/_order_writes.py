"""Writing orders: ``createOrder``, ``createOrderAndCustomer``, ``updateOrder``.

A new order is ``CREATED`` in workflow ``ORDER::<type>`` version 1; its items and
fulfilment choices (sub-entities, in the order's workflow) are stored with it in
one transaction, and so is the customer of ``createOrderAndCustomer``. Once it is
stored, the platform's ``CREATE`` event of the order is recorded, running a
``CREATE`` handler a test registered (its status changes are not in the
mutation's answer, which shows the order as created, as Fluent's does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLError, GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._addresses import CUSTOMER_ADDRESS, address_values
from fluent_gql.emulator._customers import customer_values
from fluent_gql.emulator._errors import (
    DUPLICATE_ORDER_REF,
    DUPLICATE_REF,
    DUPLICATE_USERNAME,
    NOT_FOUND,
    fluent_error,
)
from fluent_gql.emulator._orders import ITEM_PRICES, require_order_item
from fluent_gql.emulator._shared import (
    NEW_STATUS,
    Args,
    attributes,
    changes,
    distinct_refs,
    events_of,
    present,
    require,
    require_by_id,
    require_input,
    store_of,
)
from fluent_gql.emulator._store import (
    ADDRESSES,
    CATALOGUES,
    CUSTOMERS,
    FULFILMENT_CHOICES,
    LOCATIONS,
    ORDER_ITEMS,
    ORDERS,
    RETAILERS,
    STANDARD_PRODUCTS,
    AlreadyExistsError,
    Record,
    RowId,
    Store,
    Table,
    now,
)

CHOICE_FIELDS = (
    "ref",
    "currency",
    "deliverAfter",
    "deliverBefore",
    "deliveryContact",
    "deliveryEmail",
    "deliveryFirstName",
    "deliveryInstruction",
    "deliveryLastName",
    "deliveryType",
    "dispatchOn",
    "fulfilmentPrice",
    "fulfilmentTaxPrice",
    "fulfilmentType",
    "pickupLocationRef",
)


class _Rows:
    """Rows to insert in one transaction; each ``add`` gives the row's future id."""

    def __init__(self) -> None:
        self.rows: list[tuple[Table, Mapping[str, object]]] = []

    def add(self, table: Table, values: Mapping[str, object]) -> RowId:
        self.rows.append((table, values))
        return RowId(len(self.rows) - 1)


def _product(store: Store, item: Args) -> Record:
    ref, catalogue_ref = item["productRef"], item.get("productCatalogueRef")
    if catalogue_ref is None:
        # Without a catalogue, any catalogue's product of that ref will do.
        found = store.find_one(STANDARD_PRODUCTS, {"ref": ref})
        return require(found, "Product", f"ref {ref}")
    catalogue = require(
        store.find_one(CATALOGUES, {"ref": catalogue_ref}),
        "ProductCatalogue",
        f"ref {catalogue_ref}",
    )
    found = store.find_one(
        STANDARD_PRODUCTS, {"catalogueId": catalogue["id"], "ref": ref}
    )
    return require(found, "Product", f"ref {ref} in catalogue {catalogue_ref}")


def _product_values(store: Store, item: Args) -> Args:
    product = _product(store, item)
    catalogue = store.find_one(CATALOGUES, {"id": product["catalogueId"]})
    return {
        "productId": product["id"],
        "productRef": product["ref"],
        "productCatalogueRef": None if catalogue is None else catalogue["ref"],
    }


def _add_choice(
    rows: _Rows, store: Store, choice: Args, order: Mapping[str, Any], prefix: str
) -> RowId:
    pickup = choice.get("pickupLocationRef")
    if pickup is not None:
        require(store.find_one(LOCATIONS, {"ref": pickup}), "Location", f"ref {pickup}")
    address = choice.get("deliveryAddress")
    address_id = None
    if address is not None:
        values = address_values(address, CUSTOMER_ADDRESS, f"{prefix}deliveryAddress.")
        address_id = rows.add(ADDRESSES, values)
    return rows.add(
        FULFILMENT_CHOICES,
        {
            **{name: choice.get(name) for name in CHOICE_FIELDS},
            "orderId": order["id"],
            "type": choice.get("type") or order["type"],
            "status": NEW_STATUS,
            "workflowRef": order["workflowRef"],
            "workflowVersion": order["workflowVersion"],
            "deliveryAddressId": address_id,
            **attributes(choice),
            "createdOn": order["createdOn"],
            "updatedOn": order["createdOn"],
        },
    )


def _add_choices(
    rows: _Rows, store: Store, data: Args, order: Mapping[str, Any]
) -> dict[object, RowId]:
    """Add the fulfilment choices; return their ids by ref."""
    by_ref: dict[object, RowId] = {}
    if data.get("fulfilmentChoice") is not None:
        choice = data["fulfilmentChoice"]
        by_ref[choice.get("ref")] = _add_choice(
            rows, store, choice, order, "fulfilmentChoice."
        )
    for choice in present(data.get("fulfilmentChoices")):
        by_ref[choice.get("ref")] = _add_choice(
            rows, store, choice, order, "fulfilmentChoices."
        )
    return by_ref


def _add_items(
    rows: _Rows,
    store: Store,
    data: Args,
    order: Mapping[str, Any],
    choices: Mapping[object, RowId],
) -> None:
    items = present(data["items"])
    distinct_refs(items, "OrderItem")
    for item in items:
        choice_ref = item.get("fulfilmentChoiceRef")
        if choice_ref is not None and choice_ref not in choices:
            raise fluent_error(
                NOT_FOUND, f"FulfilmentChoice with ref {choice_ref} not found"
            )
        rows.add(
            ORDER_ITEMS,
            {
                "orderId": order["id"],
                "ref": item["ref"],
                **_product_values(store, item),
                "fulfilmentChoiceId": None
                if choice_ref is None
                else choices[choice_ref],
                "status": NEW_STATUS,
                "quantity": item["quantity"],
                **{name: item.get(name) for name in ITEM_PRICES},
                **attributes(item),
                "createdOn": order["createdOn"],
                "updatedOn": order["createdOn"],
            },
        )


def _duplicate(exc: AlreadyExistsError, data: Args) -> GraphQLError:
    if f"{CUSTOMERS.name}." in str(exc):
        username = data["customer"]["username"]
        return fluent_error(
            DUPLICATE_USERNAME, f"Customer with username {username} already exists"
        )
    return fluent_error(
        DUPLICATE_ORDER_REF, f"Order with ref {data['ref']} already exists"
    )


def _create_order(
    info: GraphQLResolveInfo, data: Args, rows: _Rows, customer_id: object
) -> Record:
    store = store_of(info)
    retailer = require_by_id(store, RETAILERS, data["retailer"]["id"], "Retailer")
    created = now()
    order: dict[str, Any] = {
        "ref": data["ref"],
        "type": data["type"],
        "status": NEW_STATUS,
        "workflowRef": f"ORDER::{data['type']}",
        "workflowVersion": 1,
        "retailerId": retailer["id"],
        "customerId": customer_id,
        "paymentRef": (data.get("payment") or {}).get("ref"),
        "totalPrice": data.get("totalPrice"),
        "totalTaxPrice": data.get("totalTaxPrice"),
        **attributes(data),
        "createdOn": created,
        "updatedOn": created,
    }
    order_id = rows.add(ORDERS, order)
    linked = {**order, "id": order_id}
    _add_items(rows, store, data, linked, _add_choices(rows, store, data, linked))
    try:
        stored = store.insert_all(rows.rows)[order_id.index]
    except AlreadyExistsError as exc:
        raise _duplicate(exc, data) from None
    # Committed: the platform's CREATE event runs now, as Fluent's would.
    events_of(info).created(
        "ORDER",
        entity_id=str(stored["id"]),
        entity_ref=stored["ref"],
        entity_subtype=stored["type"],
        retailer_id=str(stored["retailerId"]),
    )
    return stored


def resolve_create_order(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create an order of an existing customer, with its items and choices.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for an address field
            that is too long, ``C0120E`` for an unknown retailer, customer,
            product, catalogue, pickup location or fulfilment choice ref,
            ``C0121E`` for an order ref in use, ``C0123E`` for a repeated item ref.
    """
    data = require_input(args)
    customer_id = data["customer"]["id"]
    customer = require_by_id(store_of(info), CUSTOMERS, customer_id, "Customer")
    return _create_order(info, data, _Rows(), customer["id"])


def resolve_create_order_and_customer(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create a customer and an order of theirs, in one transaction.

    Raises:
        GraphQLError: as ``createOrder``, and ``C0123E`` for a username in use
            or ``C0141E`` for a customer field that is too long.
    """
    data = require_input(args)
    rows = _Rows()
    customer = customer_values(store_of(info), data["customer"], "customer.")
    return _create_order(info, data, rows, rows.add(CUSTOMERS, customer))


def _item_change(
    store: Store, order: Record, change: Args
) -> tuple[Table, object, Args]:
    item = require_order_item(store, order, change["id"])
    values = changes(change, ("ref", "status", "quantity", *ITEM_PRICES), item)
    if change.get("productRef") is not None:
        values.update(_product_values(store, change))
    choice_ref = change.get("fulfilmentChoiceRef")
    if choice_ref is not None:
        choice = store.find_one(
            FULFILMENT_CHOICES, {"orderId": order["id"], "ref": choice_ref}
        )
        values["fulfilmentChoiceId"] = require(
            choice, "FulfilmentChoice", f"ref {choice_ref}"
        )["id"]
    return (ORDER_ITEMS, item["id"], values)


def resolve_update_order(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Change an order's status, attributes and totals, and its given items.

    Attributes merge by name. Changing the status this way bypasses the
    workflow, as it does in Fluent.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0120E`` for an unknown order,
            item of the order, product or fulfilment choice, ``C0123E`` for an
            item ref in use.
    """
    data = require_input(args)
    store = store_of(info)
    order = require_by_id(store, ORDERS, data["id"], "Order")
    values = changes(data, ("status", "totalPrice", "totalTaxPrice"), order)
    items = [_item_change(store, order, item) for item in present(data.get("items"))]
    try:
        return store.update_all([(ORDERS, order["id"], values), *items])[0]
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_REF, f"An item of order {order['ref']} already has that ref"
        ) from None


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Mutation": {
        "createOrder": resolve_create_order,
        "createOrderAndCustomer": resolve_create_order_and_customer,
        "updateOrder": resolve_update_order,
    },
}
