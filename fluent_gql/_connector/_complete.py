"""Whole orders and fulfilments: the lists the first read cut short, completed.

``OrderFields`` reads an order's first 100 items and 20 fulfilments (with their
first 100 items each) in one request, which covers nearly every order within
Fluent's complexity limit. When a list says more follow, these functions page
through the rest (``listOrderItems``, ``listOrderFulfilments``,
``listFulfilmentItems``) and return a copy that holds all of it, so nothing is
silently left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pydantic

from fluent_gql._pagination import MAX_PAGE_SIZE
from fluent_gql_generated.fragments import FulfilmentFields, OrderFields

if TYPE_CHECKING:
    from fluent_gql_generated.async_client import AsyncClient
    from fluent_gql_generated.client import Client

_Order = TypeVar("_Order", bound=OrderFields)
_Fulfilment = TypeVar("_Fulfilment", bound=FulfilmentFields)
_Model = TypeVar("_Model", bound=pydantic.BaseModel)


def more(connection: Any) -> bool:
    """True when a connection read says more items follow."""
    info = getattr(connection, "page_info", None)
    return bool(info is not None and info.has_next_page)


def nodes(connection: Any) -> list[Any]:
    """The nodes of a connection read (none when it is null)."""
    edges = getattr(connection, "edges", None) or []
    return [e.node for e in edges if e is not None and e.node is not None]


def replaced(model: _Model, changes: dict[str, Sequence[pydantic.BaseModel]]) -> _Model:
    """A copy of ``model`` whose connections in ``changes`` hold exactly these nodes."""
    data = model.model_dump(by_alias=True)
    for field, items in changes.items():
        alias = type(model).model_fields[field].alias or field
        data[alias] = {
            "edges": [
                {"cursor": None, "node": n.model_dump(by_alias=True)} for n in items
            ],
            "pageInfo": {"hasNextPage": False},
        }
    return type(model).model_validate(data)


def complete_fulfilment(client: Client, fulfilment: _Fulfilment) -> _Fulfilment:
    """``fulfilment`` with all of its items."""
    if not more(fulfilment.items):
        return fulfilment
    items = list(
        client.paginate(
            client.list_fulfilment_items, id=fulfilment.id, page_size=MAX_PAGE_SIZE
        )
    )
    return replaced(fulfilment, {"items": items})


def complete_order(client: Client, order: _Order) -> _Order:
    """``order`` with all of its items and fulfilments (each with all its items)."""
    changes: dict[str, Sequence[pydantic.BaseModel]] = {}
    if more(order.items):
        changes["items"] = list(
            client.paginate(
                client.list_order_items, id=order.id, page_size=MAX_PAGE_SIZE
            )
        )
    fulfilments = nodes(order.fulfilments)
    if more(order.fulfilments):
        fulfilments = list(
            client.paginate(
                client.list_order_fulfilments, id=order.id, page_size=MAX_PAGE_SIZE
            )
        )
    whole = [complete_fulfilment(client, f) for f in fulfilments]
    if more(order.fulfilments) or any(
        a is not b for a, b in zip(whole, fulfilments, strict=True)
    ):
        changes["fulfilments"] = whole
    return replaced(order, changes) if changes else order


async def acomplete_fulfilment(
    client: AsyncClient, fulfilment: _Fulfilment
) -> _Fulfilment:
    """The async twin of :func:`complete_fulfilment`."""
    if not more(fulfilment.items):
        return fulfilment
    pages = client.paginate(
        client.list_fulfilment_items, id=fulfilment.id, page_size=MAX_PAGE_SIZE
    )
    return replaced(fulfilment, {"items": [item async for item in pages]})


async def acomplete_order(client: AsyncClient, order: _Order) -> _Order:
    """The async twin of :func:`complete_order`."""
    changes: dict[str, Sequence[pydantic.BaseModel]] = {}
    if more(order.items):
        pages = client.paginate(
            client.list_order_items, id=order.id, page_size=MAX_PAGE_SIZE
        )
        changes["items"] = [item async for item in pages]
    fulfilments = nodes(order.fulfilments)
    if more(order.fulfilments):
        pages = client.paginate(
            client.list_order_fulfilments, id=order.id, page_size=MAX_PAGE_SIZE
        )
        fulfilments = [f async for f in pages]
    whole = [await acomplete_fulfilment(client, f) for f in fulfilments]
    if more(order.fulfilments) or any(
        a is not b for a, b in zip(whole, fulfilments, strict=True)
    ):
        changes["fulfilments"] = whole
    return replaced(order, changes) if changes else order
