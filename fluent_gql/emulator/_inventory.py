"""Reading inventory: catalogues, positions and quantities, with their links.

Positions and quantities live in an inventory catalogue (the seeded one is
``DEFAULT:1``) and are found by ref within it. An unknown catalogue holds
nothing: ``null``, or an empty page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._products import as_product
from fluent_gql.emulator._shared import Args, in_catalogue, link, page, store_of
from fluent_gql.emulator._store import (
    ADDRESSES,
    CATALOGUES,
    INVENTORY_CATALOGUES,
    INVENTORY_POSITIONS,
    INVENTORY_QUANTITIES,
    LOCATIONS,
    STANDARD_PRODUCTS,
    Record,
    Store,
    Table,
)

WORKFLOW_FILTERS = ("ref", "type", "status", "workflowRef", "workflowVersion")
CATALOGUE_LIST_FILTERS = (*WORKFLOW_FILTERS, "name", "description")
POSITION_LIST_FILTERS = (*WORKFLOW_FILTERS, "productRef", "locationRef", "onHand")
QUANTITY_LIST_FILTERS = (*WORKFLOW_FILTERS, "quantity", "condition", "storageAreaRef")
QUANTITY_RANGES = ("expectedOn",)


def within_catalogue(
    store: Store, key: Args | None, within: Mapping[str, list[object]]
) -> dict[str, list[object]]:
    """``within`` narrowed to the catalogue an ``InventoryCatalogueKey`` names."""
    if key is None:
        return dict(within)
    found = store.find_one(INVENTORY_CATALOGUES, {"ref": key["ref"]})
    ids: list[object] = [] if found is None else [found["id"]]
    allowed = within.get("catalogueId")
    narrowed = ids if allowed is None else [i for i in ids if i in allowed]
    return {**within, "catalogueId": narrowed}


def _in_catalogue(table: Table) -> GraphQLFieldResolver:
    def resolve(
        _root: object, info: GraphQLResolveInfo, ref: str, catalogue: Args
    ) -> Record | None:
        store = store_of(info)
        return in_catalogue(store, INVENTORY_CATALOGUES, table, ref, catalogue)

    return resolve


def resolve_inventory_catalogue(
    _root: object, info: GraphQLResolveInfo, ref: str
) -> Record | None:
    """An inventory catalogue by ref."""
    return store_of(info).find_one(INVENTORY_CATALOGUES, {"ref": ref})


def resolve_inventory_catalogues(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """Search inventory catalogues."""
    return page(info, INVENTORY_CATALOGUES, args, CATALOGUE_LIST_FILTERS)


def _positions(
    info: GraphQLResolveInfo, args: Args, within: Mapping[str, list[object]]
) -> Args:
    narrowed = within_catalogue(store_of(info), args.get("catalogue"), within)
    return page(info, INVENTORY_POSITIONS, args, POSITION_LIST_FILTERS, within=narrowed)


def resolve_positions(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search inventory positions, optionally within one catalogue."""
    return _positions(info, args, {})


def resolve_catalogue_positions(
    record: Record, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """An inventory catalogue's positions."""
    return _positions(info, args, {"catalogueId": [record["id"]]})


def _quantities(
    info: GraphQLResolveInfo, args: Args, within: Mapping[str, list[object]]
) -> Args:
    return page(
        info,
        INVENTORY_QUANTITIES,
        args,
        QUANTITY_LIST_FILTERS,
        within=within_catalogue(store_of(info), args.get("catalogue"), within),
        ranges=QUANTITY_RANGES,
    )


def resolve_quantities(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search inventory quantities, optionally within one catalogue."""
    return _quantities(info, args, {})


def resolve_position_quantities(
    record: Record, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """An inventory position's quantities."""
    return _quantities(info, args, {"positionId": [record["id"]]})


def resolve_position_product(
    record: Record, info: GraphQLResolveInfo, **args: Any
) -> Record | None:
    """The product of a position's ``productRef``, in the given catalogue or any."""
    store = store_of(info)
    criteria: dict[str, object] = {"ref": record["productRef"]}
    if args.get("catalogue") is not None:
        catalogue = store.find_one(CATALOGUES, {"ref": args["catalogue"]["ref"]})
        if catalogue is None:
            return None
        criteria["catalogueId"] = catalogue["id"]
    return as_product(store.find_one(STANDARD_PRODUCTS, criteria))


def resolve_position_location(
    record: Record, info: GraphQLResolveInfo
) -> Record | None:
    """The primary address of the position's location."""
    store = store_of(info)
    location = store.find_one(LOCATIONS, {"ref": record.get("locationRef")})
    if location is None:
        return None
    return store.find_one(ADDRESSES, {"locationId": location["id"]})


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "inventoryCatalogue": resolve_inventory_catalogue,
        "inventoryCatalogues": resolve_inventory_catalogues,
        "inventoryPosition": _in_catalogue(INVENTORY_POSITIONS),
        "inventoryPositions": resolve_positions,
        "inventoryQuantity": _in_catalogue(INVENTORY_QUANTITIES),
        "inventoryQuantities": resolve_quantities,
    },
    "InventoryCatalogue": {"inventoryPositions": resolve_catalogue_positions},
    "InventoryPosition": {
        "catalogue": link(INVENTORY_CATALOGUES, "catalogueId"),
        "quantities": resolve_position_quantities,
        "product": resolve_position_product,
        "location": resolve_position_location,
    },
    "InventoryQuantity": {
        "catalogue": link(INVENTORY_CATALOGUES, "catalogueId"),
        "position": link(INVENTORY_POSITIONS, "positionId"),
    },
}
