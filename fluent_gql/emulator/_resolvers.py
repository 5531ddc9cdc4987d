"""The emulator's executable schema: every area's resolvers, attached to a schema.

Each area module (``_customers``, ``_products``, ``_orders``...) exports its
``RESOLVERS``; this module merges them and attaches them to the bundled schema or
another account's. Root fields no area resolves answer as an empty account would,
and mutations no area carries out answer a not-emulated error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
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
from fluent_gql.emulator import (
    _addresses,
    _customers,
    _fulfilments,
    _inventory,
    _inventory_writes,
    _locations,
    _order_writes,
    _orders,
    _products,
)
from fluent_gql.emulator._errors import NOT_EMULATED, fluent_error
from fluent_gql.emulator._scalars import install_scalars
from fluent_gql.emulator._shared import Args, merge_resolvers

RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = merge_resolvers(
    _customers.RESOLVERS,
    _products.RESOLVERS,
    _orders.RESOLVERS,
    _order_writes.RESOLVERS,
    _fulfilments.RESOLVERS,
    _locations.RESOLVERS,
    _addresses.RESOLVERS,
    _inventory.RESOLVERS,
    _inventory_writes.RESOLVERS,
)
"""Every area's resolvers by type name, then field name."""


# -- Root fields no area resolves ----------------------------------------------


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
