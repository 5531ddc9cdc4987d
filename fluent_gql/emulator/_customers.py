"""Users, customers and retailers: ``me``, ``user``, ``customers``, ``createCustomer``.

A customer's ref is its username. Users and retailers are seeded, never created
through the API; ``me`` is the user the request's access token belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._errors import DUPLICATE_USERNAME, fluent_error
from fluent_gql.emulator._shared import (
    Args,
    by_id_or_ref,
    by_numeric_id,
    check_lengths,
    context_of,
    link,
    page,
    require_by_id,
    require_input,
    store_of,
    unique_by,
)
from fluent_gql.emulator._store import (
    CUSTOMERS,
    LOCATIONS,
    RETAILERS,
    USERS,
    AlreadyExistsError,
    Record,
    Store,
    now,
)

CUSTOMER_MAX_LENGTHS: Mapping[str, int] = {
    "username": 250,
    "title": 50,
    # Fluent's default for strings without a documented limit.
    "department": 255,
    "country": 100,
    "firstName": 50,
    "lastName": 50,
    "primaryEmail": 250,
    "primaryPhone": 20,
    "timezone": 32,
}
CUSTOMER_LIST_FILTERS = (
    "ref",
    "status",
    "title",
    "department",
    "country",
    "firstName",
    "lastName",
    "username",
    "primaryEmail",
    "primaryPhone",
    "timezone",
    "promotionOptIn",
)


def resolve_me(_root: object, info: GraphQLResolveInfo) -> Record | None:
    """The user the access token belongs to."""
    context = context_of(info)
    return context.by_id(USERS, context.user_id)


def resolve_user(_root: object, info: GraphQLResolveInfo, **args: Any) -> Record | None:
    """A user by id and/or username; ``null`` when neither is given or none match."""
    return by_id_or_ref(info, USERS, args, key="username")


def resolve_customer(
    _root: object, info: GraphQLResolveInfo, ref: str
) -> Record | None:
    """A customer by ref (its username)."""
    return store_of(info).find_one(CUSTOMERS, {"ref": ref})


def resolve_customers(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search customers."""
    return page(info, CUSTOMERS, args, CUSTOMER_LIST_FILTERS)


def customer_values(store: Store, data: Args, prefix: str = "") -> Record:
    """The row of a new customer from a ``CreateCustomerInput``.

    Args:
        store: The store, to find the customer's retailer.
        data: The input.
        prefix: Where the input sits in the mutation's ``input``, for errors
            (``"customer."`` in ``createOrderAndCustomer``).

    Raises:
        GraphQLError: ``C0141E`` for a field that is too long, ``C0120E`` for an
            unknown retailer.
    """
    check_lengths(data, CUSTOMER_MAX_LENGTHS, prefix)
    retailer = require_by_id(store, RETAILERS, data["retailer"]["id"], "Retailer")
    created = now()
    return {
        "ref": data["username"],
        "username": data["username"],
        "status": "ACTIVE",
        "title": data.get("title"),
        "department": data.get("department"),
        "country": data.get("country"),
        # Optional in the 2023 schema (required in older ones).
        "firstName": data.get("firstName"),
        "lastName": data.get("lastName"),
        "primaryEmail": data["primaryEmail"],
        "primaryPhone": data.get("primaryPhone"),
        "timezone": data["timezone"],
        "promotionOptIn": data["promotionOptIn"],
        "retailerId": retailer["id"],
        "attributes": unique_by(data.get("attributes"), lambda a: a["name"]),
        "createdOn": created,
        "updatedOn": created,
    }


def resolve_create_customer(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create a customer of an existing retailer.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown retailer, ``C0123E`` for a username in use.
    """
    data = require_input(args)
    store = store_of(info)
    try:
        return store.insert(CUSTOMERS, customer_values(store, data))
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_USERNAME,
            f"Customer with username {data['username']} already exists",
        ) from None


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "me": resolve_me,
        "user": resolve_user,
        "customer": resolve_customer,
        "customerById": by_numeric_id(CUSTOMERS),
        "customers": resolve_customers,
        "retailerById": by_numeric_id(RETAILERS),
    },
    "Mutation": {"createCustomer": resolve_create_customer},
    "Customer": {"retailer": link(RETAILERS, "retailerId")},
    "User": {
        "primaryRetailer": link(RETAILERS, "primaryRetailerId"),
        "primaryLocation": link(LOCATIONS, "primaryLocationId"),
    },
}
