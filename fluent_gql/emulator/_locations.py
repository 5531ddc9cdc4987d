"""Locations: ``location``, ``locations``, ``createLocation``, ``updateLocation``.

A location keeps its primary address (a ``StoreAddress``) in the address table
and its opening schedule as JSON. Networks and storage areas are not stored: a
network id names an unknown network (``C0120E``), and storage areas are not
emulated (``S9998E``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._addresses import (
    ADDRESS_FIELDS,
    ADDRESS_MAX_LENGTHS,
    STORE_ADDRESS,
    address_values,
)
from fluent_gql.emulator._errors import (
    DUPLICATE_REF,
    NOT_EMULATED,
    NOT_FOUND,
    fluent_error,
)
from fluent_gql.emulator._shared import (
    Args,
    attributes,
    by_id_or_ref,
    by_numeric_id,
    changes,
    check_lengths,
    given,
    link,
    page,
    present,
    require_by_id,
    require_child,
    require_input,
    store_of,
)
from fluent_gql.emulator._store import (
    ADDRESSES,
    LOCATIONS,
    RETAILERS,
    AlreadyExistsError,
    Record,
    RowId,
    Store,
    Table,
    now,
)

LOCATION_MAX_LENGTHS: Mapping[str, int] = {
    "ref": 100,
    "name": 100,
    "type": 25,
    "status": 15,
    "supportPhoneNumber": 20,
    "defaultCarrier": 50,
}
LOCATION_LIST_FILTERS = (
    "ref",
    "type",
    "status",
    "name",
    "supportPhoneNumber",
    "defaultCarrier",
    "defaultCarrierName",
)
LOCATION_UPDATES = ("name", "type", "status", "supportPhoneNumber", "defaultCarrier")
NEW_LOCATION_STATUS = "ACTIVE"
"""Fluent's location statuses are ACTIVE and INACTIVE; a new one is active."""


def resolve_location(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record | None:
    """A location by id and/or ref; ``null`` given neither."""
    return by_id_or_ref(info, LOCATIONS, args)


def resolve_locations(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search locations."""
    return page(info, LOCATIONS, args, LOCATION_LIST_FILTERS)


def resolve_primary_address(record: Record, info: GraphQLResolveInfo) -> Record | None:
    """A location's ``StoreAddress``."""
    return store_of(info).find_one(ADDRESSES, {"locationId": record["id"]})


def _reject_unstored(data: Args) -> None:
    networks = present(data.get("networks"))
    if networks:
        raise fluent_error(NOT_FOUND, f"Network with id {networks[0]['id']} not found")
    if present(data.get("storageAreas")):
        raise fluent_error(
            NOT_EMULATED,
            "Storage areas are not emulated by the fluent-gql emulator; "
            "nothing was changed",
        )


def _retailer_id(store: Store, data: Args) -> int:
    retailer = require_by_id(store, RETAILERS, data["retailer"]["id"], "Retailer")
    return int(retailer["id"])


def resolve_create_location(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create a location with its primary address and opening schedule.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown retailer or network, ``C0123E`` for a
            ref in use, ``S9998E`` for storage areas.
    """
    data = require_input(args)
    check_lengths(data, LOCATION_MAX_LENGTHS)
    store = store_of(info)
    retailer_id = _retailer_id(store, data)
    _reject_unstored(data)
    created = now()
    location = {
        "ref": data["ref"],
        "type": data["type"],
        "status": NEW_LOCATION_STATUS,
        "name": data["name"],
        "retailerId": retailer_id,
        "supportPhoneNumber": data.get("supportPhoneNumber"),
        "defaultCarrier": data.get("defaultCarrier"),
        "openingSchedule": {"id": str(uuid.uuid4()), **data["openingSchedule"]},
        **attributes(data),
        "createdOn": created,
        "updatedOn": created,
    }
    address = address_values(
        data["primaryAddress"], STORE_ADDRESS, "primaryAddress.", RowId(0)
    )
    try:
        return store.insert_all([(LOCATIONS, location), (ADDRESSES, address)])[0]
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_REF, f"Location with ref {data['ref']} already exists"
        ) from None


def _schedule_change(location: Record, data: Args) -> Args:
    change = data.get("openingSchedule")
    if change is None:
        return {}
    schedule = location.get("openingSchedule") or {}
    if schedule.get("id") != change["id"]:
        raise fluent_error(
            NOT_FOUND, f"OpeningSchedule with id {change['id']} not found"
        )
    return {"openingSchedule": {**schedule, **given(change, change)}}


def _address_change(
    store: Store, location: Record, data: Args
) -> list[tuple[Table, object, Args]]:
    change = data.get("primaryAddress")
    if change is None:
        return []
    check_lengths(change, ADDRESS_MAX_LENGTHS, "primaryAddress.")
    address = require_child(
        store,
        ADDRESSES,
        change["id"],
        "StoreAddress",
        parent=("locationId", location["id"]),
        where=f"at location {location['ref']}",
    )
    values = given(change, (*ADDRESS_FIELDS, "directions"))
    return [(ADDRESSES, address["id"], {**values, "updatedOn": now()})]


def resolve_update_location(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Change a location's given fields, primary address and opening schedule.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown location, retailer, network, address
            or schedule, ``S9998E`` for storage areas.
    """
    data = require_input(args)
    check_lengths(data, LOCATION_MAX_LENGTHS)
    store = store_of(info)
    location = require_by_id(store, LOCATIONS, data["id"], "Location")
    _reject_unstored(data)
    values = {
        **changes(data, LOCATION_UPDATES, location),
        **_schedule_change(location, data),
    }
    if data.get("retailer") is not None:
        values["retailerId"] = _retailer_id(store, data)
    rows = [(LOCATIONS, location["id"], values)]
    return store.update_all([*rows, *_address_change(store, location, data)])[0]


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "location": resolve_location,
        "locationById": by_numeric_id(LOCATIONS),
        "locations": resolve_locations,
    },
    "Mutation": {
        "createLocation": resolve_create_location,
        "updateLocation": resolve_update_location,
    },
    "Location": {
        "primaryAddress": resolve_primary_address,
        "retailer": link(RETAILERS, "retailerId"),
    },
}
