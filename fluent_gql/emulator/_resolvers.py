"""graphql-core resolvers for the emulator's schema, the bundled one or another.

Resolvers are plain functions; everything they need arrives in ``info.context`` (a
:class:`RequestContext`), so one executable schema serves every emulator. Records
are stored under their GraphQL field names, so graphql-core's default resolver
handles plain fields; only links between entities need resolvers here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLAbstractType,
    GraphQLFieldResolver,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLTypeResolver,
    GraphQLUnionType,
    get_named_type,
)

from fluent_gql._schema import load_bundled_schema
from fluent_gql._schema_files import load_schema
from fluent_gql.emulator._errors import (
    DUPLICATE_PRODUCT_REF,
    DUPLICATE_USERNAME,
    EMPTY_DATE_RANGE,
    MAX_LENGTH,
    MISSING_INPUT,
    NOT_EMULATED,
    NOT_FOUND,
    fluent_error,
)
from fluent_gql.emulator._paging import connection, window_from_args
from fluent_gql.emulator._scalars import install_scalars
from fluent_gql.emulator._store import (
    CATALOGUES,
    CUSTOMERS,
    LOCATIONS,
    MAX_ROW_ID,
    RETAILERS,
    STANDARD_PRODUCTS,
    USERS,
    AlreadyExistsError,
    Record,
    Search,
    Store,
    Table,
    now,
)

Args = dict[str, Any]

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
PRODUCT_MAX_LENGTHS: Mapping[str, int] = {
    "ref": 100,
    "type": 50,
    "gtin": 20,
    "name": 255,
    "summary": 255,
}
KEY_MAX_LENGTH = 100
"""Catalogue refs and tax type fields."""

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
PRODUCT_LIST_FILTERS = (
    "ref",
    "type",
    "workflowRef",
    "workflowVersion",
    "status",
    "gtin",
    "name",
    "summary",
)
DATE_FILTERS = ("createdOn", "updatedOn")


@dataclass
class RequestContext:
    """What resolvers of one GraphQL request share.

    Attributes:
        store: The emulator's storage.
        user_id: Id of the user the request's access token belongs to.
    """

    store: Store
    user_id: int
    _by_id: dict[tuple[str, object], Record | None] = field(default_factory=dict)

    def by_id(self, table: Table, row_id: object) -> Record | None:
        """Look a row up by id, once per request (lists repeat the same links)."""
        key = (table.name, row_id)
        if key not in self._by_id:
            self._by_id[key] = self.store.find_one(table, {"id": row_id})
        return self._by_id[key]


def _context(info: GraphQLResolveInfo) -> RequestContext:
    context = info.context
    if not isinstance(context, RequestContext):
        raise TypeError("the emulator's resolvers need a RequestContext")
    return context


def _numeric_id(value: str | None) -> int | None:
    # Customer, retailer and user ids are numeric; anything else cannot match.
    # isdigit() alone lets "²" through, and SQLite refuses integers over 2**63.
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None


# -- Query -----------------------------------------------------------------------


def resolve_me(_root: object, info: GraphQLResolveInfo) -> Record | None:
    """The user the access token belongs to."""
    context = _context(info)
    return context.by_id(USERS, context.user_id)


def resolve_user(_root: object, info: GraphQLResolveInfo, **args: Any) -> Record | None:
    """A user by id and/or username; ``null`` when neither is given or none match."""
    criteria: dict[str, object] = {}
    if args.get("id") is not None:
        user_id = _numeric_id(args["id"])
        if user_id is None:
            return None
        criteria["id"] = user_id
    if args.get("username") is not None:
        criteria["username"] = args["username"]
    if not criteria:
        return None
    return _context(info).store.find_one(USERS, criteria)


def resolve_customer(
    _root: object, info: GraphQLResolveInfo, ref: str
) -> Record | None:
    """A customer by ref (its username)."""
    return _context(info).store.find_one(CUSTOMERS, {"ref": ref})


def resolve_customer_by_id(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record | None:
    """A customer by id."""
    customer_id = _numeric_id(args["id"])
    if customer_id is None:
        return None
    return _context(info).by_id(CUSTOMERS, customer_id)


def resolve_customers(_root: object, info: GraphQLResolveInfo, **args: Any) -> Args:
    """Search customers; see :func:`_search`."""
    search = _search(args, CUSTOMER_LIST_FILTERS)
    window = window_from_args(args)
    return connection(_context(info).store.search(CUSTOMERS, search, window))


def resolve_standard_product(
    _root: object, info: GraphQLResolveInfo, ref: str, catalogue: Args
) -> Record | None:
    """A standard product by ref within a catalogue."""
    store = _context(info).store
    found = store.find_one(CATALOGUES, {"ref": catalogue["ref"]})
    if found is None:
        return None
    return store.find_one(STANDARD_PRODUCTS, {"catalogueId": found["id"], "ref": ref})


def resolve_product(
    root: object, info: GraphQLResolveInfo, ref: str, catalogue: Args
) -> Record | None:
    """A product of any kind by ref within a catalogue (only standard ones exist)."""
    found = resolve_standard_product(root, info, ref, catalogue)
    return None if found is None else {**found, "__typename": "StandardProduct"}


def resolve_standard_products(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """Search standard products, optionally within one catalogue."""
    store = _context(info).store
    extra: dict[str, list[object]] = {}
    if args.get("catalogue") is not None:
        found = store.find_one(CATALOGUES, {"ref": args["catalogue"]["ref"]})
        # An unknown catalogue holds no products: an empty page, not an error.
        extra["catalogueId"] = [] if found is None else [found["id"]]
    search = _search(args, PRODUCT_LIST_FILTERS, extra)
    window = window_from_args(args)
    return connection(store.search(STANDARD_PRODUCTS, search, window))


def resolve_product_catalogue(
    _root: object, info: GraphQLResolveInfo, ref: str
) -> Record | None:
    """A product catalogue by ref."""
    return _context(info).store.find_one(CATALOGUES, {"ref": ref})


def resolve_retailer_by_id(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record | None:
    """A retailer by id."""
    retailer_id = _numeric_id(args["id"])
    if retailer_id is None:
        return None
    return _context(info).by_id(RETAILERS, retailer_id)


def _search(
    args: Args,
    list_filters: tuple[str, ...],
    extra: Mapping[str, list[object]] | None = None,
) -> Search:
    """Filters from search arguments.

    A list argument matches any of its values exactly; an empty list is treated
    like an absent one. Date ranges are inclusive and need ``from`` or ``to``.

    Raises:
        GraphQLError: ``C0102E`` for a date range with neither end.
    """
    any_of: dict[str, list[object]] = {
        name: list(args[name]) for name in list_filters if args.get(name)
    }
    any_of.update(extra or {})
    between: dict[str, tuple[datetime | None, datetime | None]] = {}
    for name in DATE_FILTERS:
        window = args.get(name)
        if window is None:
            continue
        start, end = window.get("from"), window.get("to")
        if start is None and end is None:
            raise fluent_error(
                EMPTY_DATE_RANGE, f"'{name}' needs at least one of 'from' and 'to'"
            )
        between[name] = (start, end)
    return Search(any_of=any_of, between=between)


# -- Mutation --------------------------------------------------------------------


def _require_input(args: Args) -> Args:
    value = args.get("input")
    if value is None:
        raise fluent_error(MISSING_INPUT, "Argument 'input' is required")
    if not isinstance(value, dict):
        raise TypeError("input objects arrive as dicts")
    return value


def _check_lengths(values: Args, limits: Mapping[str, int], prefix: str = "") -> None:
    for name, limit in limits.items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise fluent_error(
                MAX_LENGTH,
                f"Field '{prefix}{name}' must be at most {limit} characters long "
                f"(got {len(value)})",
            )


def _unique_by(
    items: list[Args | None] | None, key: Callable[[Args], object]
) -> list[Args]:
    # Fluent updates an existing entry with the same key instead of adding one.
    merged: dict[object, Args] = {}
    for item in items or []:
        if item is not None:
            merged[key(item)] = dict(item)
    return list(merged.values())


def _customer_values(context: RequestContext, data: Args, prefix: str = "") -> Record:
    """The row of a new customer from a ``CreateCustomerInput``.

    Raises:
        GraphQLError: ``C0141E`` for a field that is too long, ``C0120E`` for an
            unknown retailer.
    """
    _check_lengths(data, CUSTOMER_MAX_LENGTHS, prefix)
    retailer_ref = data["retailer"]["id"]
    retailer_id = _numeric_id(retailer_ref)
    retailer = None if retailer_id is None else context.by_id(RETAILERS, retailer_id)
    if retailer is None:
        raise fluent_error(NOT_FOUND, f"Retailer with id {retailer_ref} not found")
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
        "attributes": _unique_by(data.get("attributes"), lambda a: a["name"]),
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
    data = _require_input(args)
    context = _context(info)
    try:
        return context.store.insert(CUSTOMERS, _customer_values(context, data))
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_USERNAME,
            f"Customer with username {data['username']} already exists",
        ) from None


def _check_product_lengths(data: Args) -> None:
    _check_lengths(data, PRODUCT_MAX_LENGTHS)
    _check_lengths(data["catalogue"], {"ref": KEY_MAX_LENGTH}, "catalogue.")
    if data.get("taxType") is not None:
        limits = dict.fromkeys(("country", "group", "tariff"), KEY_MAX_LENGTH)
        _check_lengths(data["taxType"], limits, "taxType.")


def _reject_links(data: Args, catalogue_ref: str) -> None:
    # The emulator has no categories or variant products, so any given is unknown.
    for argument, kind in (("categories", "Category"), ("variants", "VariantProduct")):
        for key in data.get(argument) or []:
            if key is not None:
                raise fluent_error(
                    NOT_FOUND,
                    f"{kind} with ref {key.get('ref')} not found in catalogue "
                    f"{catalogue_ref}",
                )


def resolve_create_standard_product(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create a standard product in an existing catalogue.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown catalogue, category or variant,
            ``C0128E`` for a ref already used in the catalogue.
    """
    data = _require_input(args)
    _check_product_lengths(data)
    store = _context(info).store
    catalogue_ref = data["catalogue"]["ref"]
    catalogue = store.find_one(CATALOGUES, {"ref": catalogue_ref})
    if catalogue is None:
        raise fluent_error(
            NOT_FOUND, f"ProductCatalogue with ref {catalogue_ref} not found"
        )
    _reject_links(data, catalogue_ref)
    created = now()
    try:
        return store.insert(
            STANDARD_PRODUCTS,
            {
                "id": str(uuid.uuid4()),
                "catalogueId": catalogue["id"],
                "ref": data["ref"],
                "type": data["type"],
                "workflowRef": f"PRODUCT_CATALOGUE::{catalogue['type']}",
                "workflowVersion": 1,
                "status": "CREATED",
                "gtin": data["gtin"],
                "name": data["name"],
                "summary": data.get("summary"),
                "prices": _unique_by(
                    data.get("prices"), lambda p: (p["type"], p["currency"])
                ),
                "tax": data.get("taxType"),
                "attributes": _unique_by(data.get("attributes"), lambda a: a["name"]),
                "createdOn": created,
                "updatedOn": created,
            },
        )
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_PRODUCT_REF,
            f"StandardProduct with ref {data['ref']} already exists in catalogue "
            f"{catalogue_ref}",
        ) from None


# -- Links between entities ------------------------------------------------------


def _link(table: Table, column: str) -> GraphQLFieldResolver:
    def resolve(record: Record, info: GraphQLResolveInfo) -> Record | None:
        row_id = record.get(column)
        return None if row_id is None else _context(info).by_id(table, row_id)

    return resolve


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "me": resolve_me,
        "user": resolve_user,
        "customer": resolve_customer,
        "customerById": resolve_customer_by_id,
        "customers": resolve_customers,
        "standardProduct": resolve_standard_product,
        "standardProducts": resolve_standard_products,
        "product": resolve_product,
        "productCatalogue": resolve_product_catalogue,
        "retailerById": resolve_retailer_by_id,
    },
    "Mutation": {
        "createCustomer": resolve_create_customer,
        "createStandardProduct": resolve_create_standard_product,
    },
    "Customer": {"retailer": _link(RETAILERS, "retailerId")},
    "Location": {"retailer": _link(RETAILERS, "retailerId")},
    "User": {
        "primaryRetailer": _link(RETAILERS, "primaryRetailerId"),
        "primaryLocation": _link(LOCATIONS, "primaryLocationId"),
    },
    "StandardProduct": {"catalogue": _link(CATALOGUES, "catalogueId")},
}

# Orders, fulfilments, locations and inventory resolve in modules of their own.
# They import the helpers above, hence this import here rather than at the top.
from fluent_gql.emulator import (  # noqa: E402
    _addresses,
    _fulfilments,
    _inventory,
    _inventory_writes,
    _locations,
    _order_writes,
    _orders,
    _shared,
)

RESOLVERS = _shared.merge_resolvers(
    RESOLVERS,
    _orders.RESOLVERS,
    _order_writes.RESOLVERS,
    _fulfilments.RESOLVERS,
    _locations.RESOLVERS,
    _addresses.RESOLVERS,
    _inventory.RESOLVERS,
    _inventory_writes.RESOLVERS,
)


# -- Everything else ----------------------------------------------------------


def _empty_connection(_root: object, _info: GraphQLResolveInfo, **_: Any) -> Args:
    """A list query over entities the emulator does not store: an empty page."""
    return {"edges": [], "pageInfo": {"hasNextPage": False, "hasPreviousPage": False}}


def _nothing(_root: object, _info: GraphQLResolveInfo, **_: Any) -> None:
    """A single-entity query over entities the emulator does not store: ``null``."""
    return None


def _not_emulated(_root: object, info: GraphQLResolveInfo, **_: Any) -> None:
    """A mutation the emulator does not carry out: a GraphQL error, never a fake."""
    raise fluent_error(
        NOT_EMULATED,
        f"Mutation '{info.field_name}' is not emulated by the fluent-gql emulator; "
        "nothing was changed",
    )


def _default_resolver(field_type: GraphQLOutputType) -> GraphQLFieldResolver:
    """What an empty account answers for a query field with no resolver of its own."""
    returned = get_named_type(field_type)
    return _empty_connection if returned.name.endswith("Connection") else _nothing


def attach_resolvers(
    schema: GraphQLSchema,
    resolvers: Mapping[str, Mapping[str, GraphQLFieldResolver]] = RESOLVERS,
    *,
    strict: bool = True,
) -> None:
    """Attach resolvers to a schema's fields.

    Root fields without a resolver of their own answer as an empty account
    would (``null``, or an empty connection); mutations without one answer a
    not-emulated error (``S9998E``).

    Args:
        schema: The schema to change.
        resolvers: Resolvers by type name, then field name.
        strict: Refuse a resolver the schema has no place for (the bundled
            schema, where that is a typo); otherwise skip it (another account's
            schema, which may lack types and fields ours has).

    Raises:
        LookupError: ``strict`` and a resolver names a type or field the schema
            lacks.
    """
    for type_name, fields in resolvers.items():
        object_type = schema.get_type(type_name)
        if isinstance(object_type, GraphQLObjectType):
            _attach_fields(object_type, fields, strict=strict)
        elif strict:
            raise LookupError(f"the schema has no object type {type_name}")
    _attach_defaults(schema)


def _attach_fields(
    object_type: GraphQLObjectType,
    resolvers: Mapping[str, GraphQLFieldResolver],
    *,
    strict: bool,
) -> None:
    for field_name, resolver in resolvers.items():
        if field_name in object_type.fields:
            object_type.fields[field_name].resolve = resolver
        elif strict:
            raise LookupError(f"{object_type.name} has no field {field_name}")


def _attach_defaults(schema: GraphQLSchema) -> None:
    if schema.query_type is not None:
        for query_field in schema.query_type.fields.values():
            if query_field.resolve is None:
                query_field.resolve = _default_resolver(query_field.type)
    if schema.mutation_type is not None:
        for mutation_field in schema.mutation_type.fields.values():
            if mutation_field.resolve is None:
                mutation_field.resolve = _not_emulated


def _type_resolver(only: str | None) -> GraphQLTypeResolver:
    def resolve_type(
        value: object, _info: GraphQLResolveInfo, _abstract: GraphQLAbstractType
    ) -> str | None:
        if isinstance(value, Mapping):
            typename = value.get("__typename")
            if isinstance(typename, str):
                return typename
        return only

    return resolve_type


def attach_type_resolvers(schema: GraphQLSchema) -> None:
    """Let every interface and union of a schema tell which type a record is.

    A record returned where the schema declares an abstract type (``Product``,
    ``Address``) names its type in a ``__typename`` key; without one it is the
    abstract type's only implementation, if it has exactly one.
    """
    for named in schema.type_map.values():
        if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            possible = schema.get_possible_types(named)
            only = possible[0].name if len(possible) == 1 else None
            named.resolve_type = _type_resolver(only)


def _make_executable(schema: GraphQLSchema, *, strict: bool) -> GraphQLSchema:
    install_scalars(schema, strict=strict)
    attach_resolvers(schema, strict=strict)
    attach_type_resolvers(schema)
    return schema


@cache
def executable_schema() -> GraphQLSchema:
    """The bundled schema with the emulator's scalars and resolvers (built once).

    It is built anew from the pre-built form rather than taken from
    :func:`fluent_gql._schema.bundled_schema`, so attaching resolvers never changes
    the schema object the client uses; it is never built from the SDL, which takes
    several times longer.
    """
    return _make_executable(load_bundled_schema(), strict=True)


def load_executable_schema(path: str | os.PathLike[str]) -> GraphQLSchema:
    """Another account's schema (SDL, or introspection JSON) made executable.

    Resolvers for types and fields the schema lacks are skipped, as is the
    behaviour of a ``DateTime`` or ``Json`` scalar it lacks.

    Raises:
        SchemaFileError: The file cannot be read or is not a valid schema (a
            one-line message naming the file).
    """
    return _make_executable(load_schema(Path(path)), strict=False)
