"""Writing inventory: create and update positions and quantities.

Both are keyed by ``ref`` within an inventory catalogue, in create and update
inputs alike; they are ``CREATED`` in the catalogue's workflow
(``INVENTORY_CATALOGUE::<type>``, version 1). A position's ``locationRef`` must
name a stored location; its ``productRef`` is not checked, because inventory
often arrives before the product catalogue knows the product.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._errors import (
    DUPLICATE_REF,
    NOT_EMULATED,
    fluent_error,
)
from fluent_gql.emulator._shared import (
    NEW_STATUS,
    Args,
    attributes,
    changes,
    check_lengths,
    present,
    require,
    require_input,
    store_of,
)
from fluent_gql.emulator._store import (
    INVENTORY_CATALOGUES,
    INVENTORY_POSITIONS,
    INVENTORY_QUANTITIES,
    LOCATIONS,
    AlreadyExistsError,
    Record,
    Store,
    Table,
    now,
)

POSITION_MAX_LENGTHS: Mapping[str, int] = {"ref": 100, "type": 50, "status": 50}
QUANTITY_MAX_LENGTHS: Mapping[str, int] = {
    "ref": 100,
    "type": 50,
    "status": 50,
    "storageAreaRef": 100,
}
POSITION_UPDATES = ("type", "status", "productRef", "locationRef", "onHand")
QUANTITY_UPDATES = (
    "type",
    "status",
    "quantity",
    "condition",
    "expectedOn",
    "storageAreaRef",
)


def _catalogue(store: Store, key: Args) -> Record:
    found = store.find_one(INVENTORY_CATALOGUES, {"ref": key["ref"]})
    return require(found, "InventoryCatalogue", f"ref {key['ref']}")


def _existing(store: Store, table: Table, kind: str, data: Args) -> Record:
    catalogue = _catalogue(store, data["catalogue"])
    found = store.find_one(table, {"catalogueId": catalogue["id"], "ref": data["ref"]})
    return require(found, kind, f"ref {data['ref']} in catalogue {catalogue['ref']}")


def _check_location(store: Store, ref: str | None) -> None:
    if ref is not None:
        require(store.find_one(LOCATIONS, {"ref": ref}), "Location", f"ref {ref}")


def _new(table: Table, kind: str, store: Store, values: Args) -> Record:
    try:
        return store.insert(table, values)
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_REF, f"{kind} with ref {values['ref']} already exists"
        ) from None


def _workflow(catalogue: Record) -> Args:
    created = now()
    return {
        "catalogueId": catalogue["id"],
        "status": NEW_STATUS,
        "workflowRef": f"INVENTORY_CATALOGUE::{catalogue['type']}",
        "workflowVersion": 1,
        "createdOn": created,
        "updatedOn": created,
    }


def resolve_create_position(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create an inventory position of a product at a location.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown catalogue or location, ``C0123E`` for
            a ref in use in the catalogue, ``S9998E`` for ``quantities`` (create
            them with ``createInventoryQuantity``).
    """
    data = require_input(args)
    check_lengths(data, POSITION_MAX_LENGTHS)
    store = store_of(info)
    catalogue = _catalogue(store, data["catalogue"])
    _check_location(store, data["locationRef"])
    if present(data.get("quantities")):
        raise fluent_error(
            NOT_EMULATED,
            "Linking quantities from createInventoryPosition is not emulated; "
            "create them with createInventoryQuantity",
        )
    values = {
        **_workflow(catalogue),
        "ref": data["ref"],
        "type": data["type"],
        "productRef": data["productRef"],
        "locationRef": data["locationRef"],
        "onHand": data.get("onHand"),
        **attributes(data),
    }
    return _new(INVENTORY_POSITIONS, "InventoryPosition", store, values)


def resolve_update_position(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Change an inventory position's given fields; attributes merge by name.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown catalogue, position or location,
            ``S9998E`` for ``quantities``.
    """
    data = require_input(args)
    check_lengths(data, POSITION_MAX_LENGTHS)
    store = store_of(info)
    position = _existing(store, INVENTORY_POSITIONS, "InventoryPosition", data)
    _check_location(store, data.get("locationRef"))
    if present(data.get("quantities")):
        raise fluent_error(
            NOT_EMULATED,
            "Linking quantities from updateInventoryPosition is not emulated",
        )
    values = changes(data, POSITION_UPDATES, position)
    return store.update_all([(INVENTORY_POSITIONS, position["id"], values)])[0]


def resolve_create_quantity(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create an inventory quantity of a position.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown catalogue or position, ``C0123E`` for a
            ref in use in the catalogue.
    """
    data = require_input(args)
    check_lengths(data, QUANTITY_MAX_LENGTHS)
    store = store_of(info)
    catalogue = _catalogue(store, data["catalogue"])
    position = _existing(
        store, INVENTORY_POSITIONS, "InventoryPosition", data["position"]
    )
    values = {
        **_workflow(catalogue),
        "positionId": position["id"],
        "ref": data["ref"],
        "type": data["type"],
        "quantity": data["quantity"],
        "condition": data.get("condition"),
        "expectedOn": data.get("expectedOn"),
        "storageAreaRef": data.get("storageAreaRef"),
        **attributes(data),
    }
    return _new(INVENTORY_QUANTITIES, "InventoryQuantity", store, values)


def resolve_update_quantity(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Change an inventory quantity's given fields; attributes merge by name.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown catalogue or quantity.
    """
    data = require_input(args)
    check_lengths(data, QUANTITY_MAX_LENGTHS)
    store = store_of(info)
    quantity = _existing(store, INVENTORY_QUANTITIES, "InventoryQuantity", data)
    values = changes(data, QUANTITY_UPDATES, quantity)
    return store.update_all([(INVENTORY_QUANTITIES, quantity["id"], values)])[0]


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Mutation": {
        "createInventoryPosition": resolve_create_position,
        "updateInventoryPosition": resolve_update_position,
        "createInventoryQuantity": resolve_create_quantity,
        "updateInventoryQuantity": resolve_update_quantity,
    },
}
