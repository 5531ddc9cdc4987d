"""Addresses: a location's ``StoreAddress``, an order's delivery ``CustomerAddress``.

Both live in one table; each row names its GraphQL type in ``__typename``, which
is what answers a field typed with the ``Address`` interface.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._shared import Args, by_numeric_id, check_lengths, link, page
from fluent_gql.emulator._store import ADDRESSES, LOCATIONS, Record, now

CUSTOMER_ADDRESS = "CustomerAddress"
STORE_ADDRESS = "StoreAddress"

ADDRESS_MAX_LENGTHS: Mapping[str, int] = {
    "city": 255,
    "companyName": 255,
    "country": 100,
    "directions": 4096,
    "email": 255,
    "postcode": 100,
    "region": 250,
    "state": 200,
    "street": 255,
    "street2": 255,
    "timeZone": 32,
}
"""The limits the schema documents for address inputs."""

ADDRESS_FIELDS = (
    "ref",
    "companyName",
    "name",
    "street",
    "street2",
    "city",
    "state",
    "postcode",
    "region",
    "country",
    "email",
    "latitude",
    "longitude",
    "timeZone",
)
"""The fields of an address input that are stored as given."""

ADDRESS_LIST_FILTERS = (*ADDRESS_FIELDS, "type")


def address_values(
    data: Args, typename: str, prefix: str, location_id: object = None
) -> Record:
    """The row of a new address from a create-address input.

    Raises:
        GraphQLError: ``C0141E`` for a field that is too long.
    """
    check_lengths(data, ADDRESS_MAX_LENGTHS, prefix)
    created = now()
    return {
        "__typename": typename,
        **{name: data.get(name) for name in ADDRESS_FIELDS},
        "locationId": location_id,
        "createdOn": created,
        "updatedOn": created,
    }


def _by_id_of(typename: str) -> GraphQLFieldResolver:
    find = by_numeric_id(ADDRESSES)

    def resolve(root: object, info: GraphQLResolveInfo, **args: Any) -> Record | None:
        found = find(root, info, **args)
        return found if found and found["__typename"] == typename else None

    return resolve


def _list_of(typename: str, filters: tuple[str, ...]) -> GraphQLFieldResolver:
    def resolve(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
        return page(info, ADDRESSES, args, filters, within={"__typename": [typename]})

    return resolve


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "customerAddressById": _by_id_of(CUSTOMER_ADDRESS),
        "customerAddresses": _list_of(CUSTOMER_ADDRESS, ADDRESS_LIST_FILTERS),
        "storeAddressById": _by_id_of(STORE_ADDRESS),
        "storeAddresses": _list_of(
            STORE_ADDRESS, (*ADDRESS_LIST_FILTERS, "directions")
        ),
    },
    "StoreAddress": {"location": link(LOCATIONS, "locationId")},
}
