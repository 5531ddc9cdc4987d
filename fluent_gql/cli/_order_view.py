"""An order for people: its own fields (customer, fulfilment choice and delivery
address included), then a table of its items and one of its fulfilments.

Fields Fluent left empty are not shown; ``--json`` has them all.
"""

from __future__ import annotations

from typing import Any

from fluent_gql.cli._output import print_record, print_table, to_jsonable

__all__ = ["FULFILMENT_COLUMNS", "ITEM_COLUMNS", "print_order"]

#: The columns of an order's items table.
ITEM_COLUMNS = (
    "ref",
    "product.ref",
    "product.name",
    "quantity",
    "price",
    "currency",
    "status",
)

#: The columns of a fulfilments table (an order's, and ``fulfilment list``'s).
FULFILMENT_COLUMNS = (
    "id",
    "ref",
    "type",
    "status",
    "deliveryType",
    "order.ref",
    "fromLocation.ref",
    "createdOn",
)


def print_order(order: Any, *, title: str) -> None:
    """Print an order (a model or its JSON) with its items and fulfilments."""
    data = to_jsonable(order)
    items = _nodes(data.pop("items", None))
    fulfilments = _nodes(data.pop("fulfilments", None))
    print_record(_without_nulls(data), title=title)
    print_table(items, columns=ITEM_COLUMNS, title="Items")
    print_table(
        fulfilments,
        columns=[c for c in FULFILMENT_COLUMNS if c != "order.ref"],
        title="Fulfilments",
    )


def _nodes(connection: Any) -> list[Any]:
    if not isinstance(connection, dict):
        return []
    return [e["node"] for e in connection.get("edges") or [] if e and e.get("node")]


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: _without_nulls(item)
            for key, item in value.items()
            if item is not None and key != "__typename"
        }
    return value
