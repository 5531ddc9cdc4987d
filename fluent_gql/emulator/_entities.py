"""Stored entities by their Event API entity type: finding one, setting its status.

This is what event handlers need to do what a workflow's rulesets do (Fluent's
``SetState`` rule), and how an event's ``entityRef`` becomes the ``entityId`` of
the sync answer.
"""

from __future__ import annotations

from collections.abc import Mapping

from fluent_gql.emulator._shared import numeric_id
from fluent_gql.emulator._store import (
    CATALOGUES,
    CUSTOMERS,
    FULFILMENT_CHOICES,
    FULFILMENTS,
    INVENTORY_CATALOGUES,
    INVENTORY_POSITIONS,
    INVENTORY_QUANTITIES,
    LOCATIONS,
    ORDER_ITEMS,
    ORDERS,
    RETAILERS,
    STANDARD_PRODUCTS,
    Record,
    Search,
    Store,
    Table,
    Window,
    now,
)

STATUS_TABLES: Mapping[str, Table] = {
    "ORDER": ORDERS,
    "ORDER_ITEM": ORDER_ITEMS,
    "FULFILMENT_CHOICE": FULFILMENT_CHOICES,
    "FULFILMENT": FULFILMENTS,
    "LOCATION": LOCATIONS,
    "CUSTOMER": CUSTOMERS,
    "RETAILER": RETAILERS,
    "PRODUCT_CATALOGUE": CATALOGUES,
    "PRODUCT": STANDARD_PRODUCTS,
    "INVENTORY_CATALOGUE": INVENTORY_CATALOGUES,
    "INVENTORY_POSITION": INVENTORY_POSITIONS,
    "INVENTORY_QUANTITY": INVENTORY_QUANTITIES,
}
"""The stored entities with a status, by entity type (Event API names where
Fluent has one)."""

RESOLVED_TYPES = frozenset({"ORDER", "FULFILMENT", "LOCATION"})
"""Entity types whose id a sync event answer finds from the event's ref."""


def table_of(entity_type: str) -> Table:
    """The table storing an entity type.

    Raises:
        ValueError: The emulator stores no entities of that type with a status.
    """
    table = STATUS_TABLES.get(entity_type) if isinstance(entity_type, str) else None
    if table is None:
        known = ", ".join(sorted(STATUS_TABLES))
        raise ValueError(
            f"the emulator stores no {entity_type!r} entities with a status; "
            f"known entity types: {known}"
        )
    return table


def _row_id(table: Table, value: str | int) -> object | None:
    if isinstance(value, bool):
        return None
    if table is STANDARD_PRODUCTS:  # product ids are UUID strings
        return str(value)
    return numeric_id(str(value))


def find_entities(
    store: Store,
    entity_type: str,
    *,
    ref: str | None = None,
    id: str | int | None = None,  # Fluent's name for it
    limit: int = 2,
) -> list[Record]:
    """Up to ``limit`` entities of a type matching ``ref`` and/or ``id`` (both
    must match when both are given); none when neither is given.

    Raises:
        ValueError: An unknown entity type (see :func:`table_of`).
    """
    table = table_of(entity_type)
    criteria: dict[str, list[object]] = {}
    if id is not None:
        row_id = _row_id(table, id)
        if row_id is None:
            return []
        criteria["id"] = [row_id]
    if ref is not None:
        criteria["ref"] = [ref]
    if not criteria:
        return []
    return store.search(table, Search(any_of=criteria), Window(first=limit)).records


def set_status(
    store: Store,
    entity_type: str,
    status: str,
    *,
    ref: str | None = None,
    id: str | int | None = None,  # Fluent's name for it
) -> Record:
    """Set a stored entity's ``status`` and ``updatedOn``; return it as stored.

    Raises:
        ValueError: An unknown entity type, a status that is not a non-empty
            string, or neither ``ref`` nor ``id`` given.
        LookupError: No entity matches, or several do (a fulfilment's ref is
            unique within its order only: give the id).
    """
    table = table_of(entity_type)
    if not isinstance(status, str) or not status.strip():
        raise ValueError(f"a status must be a non-empty string, got {status!r}")
    if ref is None and id is None:
        raise ValueError(f"give the ref or the id of the {entity_type} to change")
    key = " and ".join(
        f"{name} {value!r}"
        for name, value in (("id", id), ("ref", ref))
        if value is not None
    )
    found = find_entities(store, entity_type, ref=ref, id=id)
    if not found:
        raise LookupError(f"no {entity_type} with {key} is stored")
    if len(found) > 1:
        raise LookupError(f"several {entity_type} entities have {key}; give the id")
    values = {"status": status, "updatedOn": now()}
    return store.update_all([(table, found[0]["id"], values)])[0]


def resolve_entity_id(
    store: Store, entity_type: str, entity_id: str | None, entity_ref: str | None
) -> str | None:
    """The id of the entity an event names, as a string.

    For an ``ORDER``, ``FULFILMENT`` or ``LOCATION`` the emulator stores (found
    by ``entity_id`` and/or ``entity_ref``, unambiguously) its id; otherwise
    ``entity_id`` as given.
    """
    if entity_type not in RESOLVED_TYPES:
        return entity_id
    found = find_entities(store, entity_type, ref=entity_ref, id=entity_id)
    return str(found[0]["id"]) if len(found) == 1 else entity_id
