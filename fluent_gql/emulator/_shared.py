"""What the resolvers of orders, fulfilments, locations and inventory share.

Look-ups that answer ``C0120E`` for an unknown entity, lists with Fluent's filters
and cursors, and the rules of update inputs (a field left out or ``null`` keeps
its value; attributes merge by name). Mutations read the store directly, never the
per-request cache of :class:`~fluent_gql.emulator._resolvers.RequestContext`, so
that a later mutation of the same request sees an earlier one's changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._errors import (
    DUPLICATE_REF,
    EMPTY_DATE_RANGE,
    NOT_FOUND,
    fluent_error,
)
from fluent_gql.emulator._paging import connection, window_from_args
from fluent_gql.emulator._resolvers import (
    Args,
    _context,
    _numeric_id,
    _search,
    _unique_by,
)
from fluent_gql.emulator._store import Record, Search, Store, Table

NEW_STATUS = "CREATED"
"""Fluent's initial status of orders, fulfilments, inventory and their parts."""


def store_of(info: GraphQLResolveInfo) -> Store:
    """The store of the request being resolved."""
    return _context(info).store


def find_by_id(store: Store, table: Table, value: object) -> Record | None:
    """A row by its numeric id, given as a GraphQL ``ID``; ``None`` if none."""
    row_id = _numeric_id(value) if isinstance(value, str) else None
    return None if row_id is None else store.find_one(table, {"id": row_id})


def require(found: Record | None, kind: str, key: str) -> Record:
    """The row found, or Fluent's not-found error naming it.

    Raises:
        GraphQLError: ``C0120E`` when ``found`` is ``None``.
    """
    if found is None:
        raise fluent_error(NOT_FOUND, f"{kind} with {key} not found")
    return found


def by_id_or_ref(info: GraphQLResolveInfo, table: Table, args: Args) -> Record | None:
    """A row by ``id`` and/or ``ref`` (both must match); ``null`` given neither."""
    criteria: dict[str, object] = {}
    if args.get("id") is not None:
        row_id = _numeric_id(args["id"])
        if row_id is None:
            return None
        criteria["id"] = row_id
    if args.get("ref") is not None:
        criteria["ref"] = args["ref"]
    if not criteria:
        return None
    return store_of(info).find_one(table, criteria)


def by_numeric_id(table: Table) -> GraphQLFieldResolver:
    """A ``...ById(id: ID!)`` root field over ``table``."""

    def resolve(_root: object, info: GraphQLResolveInfo, **args: Any) -> Record | None:
        row_id = _numeric_id(args["id"])
        return None if row_id is None else _context(info).by_id(table, row_id)

    return resolve


def _ranges(
    args: Args, names: Iterable[str]
) -> dict[str, tuple[datetime | None, datetime | None]]:
    between: dict[str, tuple[datetime | None, datetime | None]] = {}
    for name in names:
        window = args.get(name)
        if window is None:
            continue
        start, end = window.get("from"), window.get("to")
        if start is None and end is None:
            raise fluent_error(
                EMPTY_DATE_RANGE, f"'{name}' needs at least one of 'from' and 'to'"
            )
        between[name] = (start, end)
    return between


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
    search = _search(args, filters)
    any_of = dict(search.any_of)
    for column, values in (within or {}).items():
        given = any_of.get(column)
        any_of[column] = (
            list(values) if given is None else [v for v in values if v in given]
        )
    between = {**search.between, **_ranges(args, ranges)}
    window = window_from_args(args)
    found = store_of(info).search(table, Search(any_of, between), window)
    return connection(found)


def given(data: Args, names: Iterable[str]) -> Args:
    """The fields of an update input that were given a value (``null`` keeps)."""
    return {name: data[name] for name in names if data.get(name) is not None}


def attributes(data: Args, existing: list[Args] | None = None) -> Args:
    """``{"attributes": ...}`` merged by name into ``existing``, if any were given."""
    new = data.get("attributes")
    if new is None:
        return {}
    return {"attributes": _unique_by([*(existing or []), *new], lambda a: a["name"])}


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


def present(items: list[Args | None] | None) -> list[Args]:
    """The entries of an input list, without ``null`` entries."""
    return [item for item in items or [] if item is not None]


def link_ref(table: Table, column: str) -> GraphQLFieldResolver:
    """A ``{ref}`` link (``CustomerLink``, ``LocationLink``) to a stored row."""

    def resolve(record: Record, info: GraphQLResolveInfo) -> Args | None:
        row_id = record.get(column)
        found = None if row_id is None else _context(info).by_id(table, row_id)
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
