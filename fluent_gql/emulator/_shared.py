"""What every area's resolvers share: the request context and the rules of inputs.

Resolvers are plain functions; everything they need arrives in ``info.context``
(a :class:`RequestContext`), so one executable schema serves every emulator.
Records are stored under their GraphQL field names, so graphql-core's default
resolver handles plain fields; links between entities resolve through
:func:`link` and :func:`link_ref`.

Resolvers reach the account's event log through :func:`events_of`.

Here too: look-ups that answer ``C0120E`` for an unknown entity, lists with
Fluent's filters and cursors, and the rules of inputs (a missing ``input`` is
``C0140E``, a string over its limit ``C0141E``; in an update, a field left out or
``null`` keeps its value and attributes merge by name). Mutations read the store
directly (:func:`store_of`), never the per-request cache of
:meth:`RequestContext.by_id`, so that a later mutation of the same request sees
an earlier one's changes.

This module imports no area module; the areas import it, and ``_resolvers``
imports the areas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._errors import (
    DUPLICATE_REF,
    EMPTY_DATE_RANGE,
    MAX_LENGTH,
    MISSING_INPUT,
    NOT_FOUND,
    fluent_error,
)
from fluent_gql.emulator._events import EventLog
from fluent_gql.emulator._paging import connection, window_from_args
from fluent_gql.emulator._store import MAX_ROW_ID, Record, Search, Store, Table, now

Args = dict[str, Any]
"""A field's arguments, or an input object, as graphql-core passes them."""

NEW_STATUS = "CREATED"
"""Fluent's initial status of orders, fulfilments, inventory and their parts."""

DATE_FILTERS = ("createdOn", "updatedOn")
"""The date-range filters every list field has."""


# -- The request ---------------------------------------------------------------


@dataclass
class RequestContext:
    """What resolvers of one GraphQL request share.

    Attributes:
        store: The emulator's storage.
        user_id: Id of the user the request's access token belongs to.
        events: Where events the platform raises (an order's ``CREATE``) go.
    """

    store: Store
    user_id: int
    events: EventLog = field(default_factory=EventLog)
    _by_id: dict[tuple[str, object], Record | None] = field(default_factory=dict)

    def by_id(self, table: Table, row_id: object) -> Record | None:
        """Look a row up by id, once per request (lists repeat the same links)."""
        key = (table.name, row_id)
        if key not in self._by_id:
            self._by_id[key] = self.store.find_one(table, {"id": row_id})
        return self._by_id[key]


def context_of(info: GraphQLResolveInfo) -> RequestContext:
    """The :class:`RequestContext` of the request being resolved.

    Raises:
        TypeError: The schema runs with another context (a wiring mistake).
    """
    context = info.context
    if not isinstance(context, RequestContext):
        raise TypeError("the emulator's resolvers need a RequestContext")
    return context


def store_of(info: GraphQLResolveInfo) -> Store:
    """The store of the request being resolved."""
    return context_of(info).store


def events_of(info: GraphQLResolveInfo) -> EventLog:
    """The event log of the request being resolved."""
    return context_of(info).events


# -- Look-ups ------------------------------------------------------------------


def numeric_id(value: str | None) -> int | None:
    """A GraphQL ``ID`` as a stored row id; ``None`` if it cannot be one."""
    # isdigit() alone lets "²" through, and SQLite refuses integers over 2**63.
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if number <= MAX_ROW_ID else None


def find_by_id(store: Store, table: Table, value: object) -> Record | None:
    """A row by its numeric id, given as a GraphQL ``ID``; ``None`` if none."""
    row_id = numeric_id(value) if isinstance(value, str) else None
    return None if row_id is None else store.find_one(table, {"id": row_id})


def require(found: Record | None, kind: str, key: str) -> Record:
    """The row found, or Fluent's not-found error naming it.

    Raises:
        GraphQLError: ``C0120E`` when ``found`` is ``None``.
    """
    if found is None:
        raise fluent_error(NOT_FOUND, f"{kind} with {key} not found")
    return found


def require_by_id(store: Store, table: Table, value: object, kind: str) -> Record:
    """The row an id input names (``RetailerId``, ``OrderId``...).

    Raises:
        GraphQLError: ``C0120E`` ("<kind> with id <value> not found").
    """
    return require(find_by_id(store, table, value), kind, f"id {value}")


def require_child(
    store: Store,
    table: Table,
    value: object,
    kind: str,
    *,
    parent: tuple[str, object],
    where: str,
) -> Record:
    """The row an id input names, which must belong to a parent row.

    Args:
        store: The store to read.
        table: The child entity (order items, an order's fulfilment's items).
        value: The id given.
        kind: The child's type name, for the error.
        parent: The child's column naming its parent, and the parent's id.
        where: How the error names the parent (``"in order R1"``).

    Raises:
        GraphQLError: ``C0120E`` for an unknown id or another parent's row.
    """
    found = find_by_id(store, table, value)
    column, parent_id = parent
    if found is None or found[column] != parent_id:
        raise fluent_error(NOT_FOUND, f"{kind} with id {value} not found {where}")
    return found


def in_catalogue(
    store: Store, catalogues: Table, table: Table, ref: str, catalogue: Args
) -> Record | None:
    """A row by ref within the catalogue a catalogue key names; ``None`` if none."""
    found = store.find_one(catalogues, {"ref": catalogue["ref"]})
    if found is None:
        return None
    return store.find_one(table, {"catalogueId": found["id"], "ref": ref})


def by_id_or_ref(
    info: GraphQLResolveInfo, table: Table, args: Args, key: str = "ref"
) -> Record | None:
    """A row by ``id`` and/or ``key`` (both must match); ``null`` given neither."""
    criteria: dict[str, object] = {}
    if args.get("id") is not None:
        row_id = numeric_id(args["id"])
        if row_id is None:
            return None
        criteria["id"] = row_id
    if args.get(key) is not None:
        criteria[key] = args[key]
    if not criteria:
        return None
    return store_of(info).find_one(table, criteria)


def by_numeric_id(table: Table) -> GraphQLFieldResolver:
    """A ``...ById(id: ID!)`` root field over ``table``."""

    def resolve(_root: object, info: GraphQLResolveInfo, **args: Any) -> Record | None:
        row_id = numeric_id(args["id"])
        return None if row_id is None else context_of(info).by_id(table, row_id)

    return resolve


# -- Lists ---------------------------------------------------------------------


def search_from_args(
    args: Args, filters: tuple[str, ...], ranges: tuple[str, ...] = ()
) -> Search:
    """The filters of a list field's arguments.

    A list argument matches any of its values exactly; an empty list is treated
    like an absent one. Date ranges (``createdOn``, ``updatedOn`` and
    ``ranges``) are inclusive and need ``from`` or ``to``.

    Raises:
        GraphQLError: ``C0102E`` for a date range with neither end.
    """
    any_of = {name: list(args[name]) for name in filters if args.get(name)}
    between: dict[str, tuple[datetime | None, datetime | None]] = {}
    for name in (*DATE_FILTERS, *ranges):
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


def page(
    info: GraphQLResolveInfo,
    table: Table,
    args: Args,
    filters: tuple[str, ...],
    *,
    within: Mapping[str, Sequence[object]] | None = None,
    ranges: tuple[str, ...] = (),
) -> Args:
    """One page of ``table`` as a Relay connection, filtered as Fluent filters.

    Args:
        info: The resolve info of the list field.
        table: The stored entity.
        args: The field's arguments: list filters, date ranges and the window.
        filters: The argument names that are exact-match list filters.
        within: Further restrictions (column to accepted values), combined with
            any filter on the same column (a link's parent, a catalogue).
        ranges: Date-range arguments besides ``createdOn`` and ``updatedOn``.

    Raises:
        GraphQLError: ``C0102E`` for a date range with neither end, ``C0142E``
            or ``C0143E`` for a bad window.
    """
    search = search_from_args(args, filters, ranges)
    any_of = dict(search.any_of)
    for column, values in (within or {}).items():
        given = any_of.get(column)
        any_of[column] = (
            list(values) if given is None else [v for v in values if v in given]
        )
    window = window_from_args(args)
    found = store_of(info).search(table, Search(any_of, search.between), window)
    return connection(found)


# -- Inputs --------------------------------------------------------------------


def require_input(args: Args) -> Args:
    """A mutation's ``input`` argument.

    Raises:
        GraphQLError: ``C0140E`` when it is missing or ``null``.
    """
    value = args.get("input")
    if value is None:
        raise fluent_error(MISSING_INPUT, "Argument 'input' is required")
    if not isinstance(value, dict):
        raise TypeError("input objects arrive as dicts")
    return value


def check_lengths(values: Args, limits: Mapping[str, int], prefix: str = "") -> None:
    """Refuse a string field longer than its limit.

    Args:
        values: An input object.
        limits: Maximum lengths by field name.
        prefix: Where the input sits in the mutation's ``input``, for the error
            (``"customer."``).

    Raises:
        GraphQLError: ``C0141E`` naming the first field that is too long.
    """
    for name, limit in limits.items():
        value = values.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise fluent_error(
                MAX_LENGTH,
                f"Field '{prefix}{name}' must be at most {limit} characters long "
                f"(got {len(value)})",
            )


def unique_by(
    items: list[Args | None] | None, key: Callable[[Args], object]
) -> list[Args]:
    """The entries of an input list, the last of each ``key`` winning.

    Fluent updates an existing entry with the same key instead of adding one
    (attributes by name, prices by type and currency).
    """
    merged: dict[object, Args] = {}
    for item in items or []:
        if item is not None:
            merged[key(item)] = dict(item)
    return list(merged.values())


def present(items: list[Args | None] | None) -> list[Args]:
    """The entries of an input list, without ``null`` entries."""
    return [item for item in items or [] if item is not None]


def distinct_refs(items: Iterable[Args], kind: str) -> None:
    """Refuse two entries of one input list with the same ``ref``.

    Raises:
        GraphQLError: ``C0123E`` naming the repeated ref.
    """
    seen: set[object] = set()
    for item in items:
        if item["ref"] in seen:
            raise fluent_error(DUPLICATE_REF, f"{kind} ref {item['ref']} is repeated")
        seen.add(item["ref"])


def given(data: Args, names: Iterable[str]) -> Args:
    """The fields of an update input that were given a value (``null`` keeps)."""
    return {name: data[name] for name in names if data.get(name) is not None}


def attributes(data: Args, existing: list[Args] | None = None) -> Args:
    """``{"attributes": ...}`` merged by name into ``existing``, if any were given."""
    new = data.get("attributes")
    if new is None:
        return {}
    return {"attributes": unique_by([*(existing or []), *new], lambda a: a["name"])}


def changes(data: Args, names: Iterable[str], row: Record) -> Args:
    """What an update input changes in ``row``: given fields, attributes, time."""
    return {
        **given(data, names),
        **attributes(data, row["attributes"]),
        "updatedOn": now(),
    }


# -- Links and assembly --------------------------------------------------------


def link(table: Table, column: str) -> GraphQLFieldResolver:
    """A field resolving to the row of ``table`` whose id ``column`` holds."""

    def resolve(record: Record, info: GraphQLResolveInfo) -> Record | None:
        row_id = record.get(column)
        return None if row_id is None else context_of(info).by_id(table, row_id)

    return resolve


def link_ref(table: Table, column: str) -> GraphQLFieldResolver:
    """A ``{ref}`` link (``CustomerLink``, ``LocationLink``) to a stored row."""

    def resolve(record: Record, info: GraphQLResolveInfo) -> Args | None:
        row_id = record.get(column)
        found = None if row_id is None else context_of(info).by_id(table, row_id)
        return None if found is None else {"ref": found["ref"]}

    return resolve


def merge_resolvers(
    *parts: Mapping[str, Mapping[str, GraphQLFieldResolver]],
) -> dict[str, dict[str, GraphQLFieldResolver]]:
    """Resolvers by type, then field, from several modules.

    Raises:
        ValueError: Two parts resolve the same field.
    """
    merged: dict[str, dict[str, GraphQLFieldResolver]] = {}
    for part in parts:
        for type_name, fields in part.items():
            into = merged.setdefault(type_name, {})
            clash = into.keys() & fields.keys()
            if clash:
                raise ValueError(f"{type_name} fields resolved twice: {sorted(clash)}")
            into.update(fields)
    return merged
