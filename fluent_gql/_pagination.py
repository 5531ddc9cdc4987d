"""Iterate over Fluent's lists item by item, fetching one page at a time.

Fluent's lists are Relay connections whose ``PageInfo`` has only ``hasNextPage``
and ``hasPreviousPage``, no ``endCursor``: the next page starts after the cursor of
the page's last edge. :func:`paginate` and :func:`apaginate` follow
that rule for any generated operation that returns a connection (at the top,
or under single objects such as ``orderById { items }``) and takes ``$first`` and
``$after``: every client's ``paginate()`` and the connector's
``iter_*`` methods are thin, typed uses of them. Only one page is held at a
time, so memory stays flat however long the list.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic

from fluent_gql._constants import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MIN_PAGE_SIZE
from fluent_gql._exceptions import FluentInputError, FluentResponseError
from fluent_gql._request import check_options

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "MIN_PAGE_SIZE",
    "apaginate",
    "paginate",
]


_PAGE_VARIABLES = ("first", "after")


_NESTING = 3
"""How deep under single objects a connection is looked for (``orderById{items}``)."""


def _connection_path(method: Callable[..., Any]) -> tuple[str, ...]:
    """The result fields that lead from ``method``'s result to its connection:
    ``("orders",)`` at the top, or ``("order_by_id", "items")`` under an object.

    Raises:
        TypeError: ``method`` is not an operation returning one connection and
            taking ``first`` and ``after``.
    """
    name = getattr(method, "__name__", repr(method))
    parameters = inspect.signature(method).parameters
    if any(variable not in parameters for variable in _PAGE_VARIABLES):
        raise TypeError(f"{name}() takes no 'first' and 'after': it cannot be paged")
    result = typing.get_type_hints(inspect.unwrap(method)).get("return")
    paths = list(_connections(result, _NESTING)) if _is_model(result) else []
    if len(paths) != 1:
        raise TypeError(f"{name}() does not return exactly one connection")
    return paths[0]


def _connections(
    model: type[pydantic.BaseModel], depth: int
) -> Iterator[tuple[str, ...]]:
    # Connections, and connections under single (not list) objects; a
    # connection's own nodes are not searched.
    for field_name, info in model.model_fields.items():
        fields = _model_fields(info.annotation)
        if {"edges", "page_info"} <= set(fields):
            yield (field_name,)
        elif depth > 1 and (inner := _model_of(info.annotation)) is not None:
            for path in _connections(inner, depth - 1):
                yield (field_name, *path)


def _is_model(annotation: object) -> typing.TypeGuard[type[pydantic.BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def _model_of(annotation: object) -> type[pydantic.BaseModel] | None:
    """The model of an annotation, looking through ``Optional`` (not lists)."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if _is_model(candidate):
            return candidate
    return None


def _model_fields(annotation: object) -> Mapping[str, object]:
    """The fields of a model annotation, looking through ``Optional``."""
    model = _model_of(annotation)
    return model.model_fields if model is not None else {}


def check_limits(page_size: int, max_items: int | None) -> None:
    """Raise FluentInputError unless ``page_size`` is 1..5000 and ``max_items`` is
    ``None`` or a non-negative integer."""
    if (
        isinstance(page_size, bool)
        or not isinstance(page_size, int)
        or not MIN_PAGE_SIZE <= page_size <= MAX_PAGE_SIZE
    ):
        raise FluentInputError(
            f"page_size must be an integer from {MIN_PAGE_SIZE} to {MAX_PAGE_SIZE}, "
            f"got {page_size!r}",
            field="page_size",
        )
    if max_items is not None and (
        isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 0
    ):
        raise FluentInputError(
            f"max_items must be a non-negative integer or None, got {max_items!r}",
            field="max_items",
        )


@dataclass
class _Pager:
    """The I/O-free part of paging: what to ask for next and what a page holds."""

    path: tuple[str, ...]
    page_size: int
    remaining: int | None
    variables: dict[str, Any]
    after: str | None = None
    done: bool = False
    _seen_after: set[str] = field(default_factory=set)

    def next_request(self) -> dict[str, Any] | None:
        """The keywords of the next call, or ``None`` when the list is exhausted."""
        if self.done or self.remaining == 0:
            return None
        first = self.page_size
        if self.remaining is not None:
            first = min(first, self.remaining)
        request = {**self.variables, "first": first}
        if self.after is not None:  # the first page: the method's own default
            request["after"] = self.after
        return request

    def take(self, result: object) -> list[Any]:
        """Read one page: return its nodes (up to the maximum) and note the cursor.

        Raises:
            FluentResponseError: the page says more follow but gives no cursor to
                continue from, or repeats the previous one (which would loop).
        """
        page: Any = result
        for name in self.path:  # an object on the way may be null: no items
            page = getattr(page, name) if page is not None else None
        edges = list(page.edges or []) if page is not None else []
        info = page.page_info if page is not None else None
        nodes = [e.node for e in edges if e is not None and e.node is not None]
        if self.remaining is not None:
            nodes = nodes[: self.remaining]
            self.remaining -= len(nodes)
        self.done = not (info is not None and info.has_next_page)
        if not self.done:
            self._advance(edges[-1].cursor if edges and edges[-1] is not None else None)
        return nodes

    def _advance(self, cursor: str | None) -> None:
        if cursor is None or cursor in self._seen_after:
            raise FluentResponseError(
                f"the {'.'.join(self.path)} page says more items follow but its last "
                "edge gives no new cursor to continue after"
            )
        self._seen_after.add(cursor)
        self.after = cursor


def _pager(
    method: Callable[..., Any],
    page_size: int,
    max_items: int | None,
    variables: dict[str, Any],
) -> _Pager:
    check_limits(page_size, max_items)
    clash = [name for name in _PAGE_VARIABLES if name in variables]
    if clash:
        raise TypeError(
            f"{', '.join(clash)} are set by the pager: use page_size= and max_items="
        )
    path = _connection_path(method)
    # Whatever is not one of the method's arguments must be a per-call option:
    # checked now, not on the first page.
    arguments = {
        p.name
        for p in inspect.signature(method).parameters.values()
        if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
    }
    name = getattr(method, "__name__", "paginate")
    options = {k: v for k, v in variables.items() if k not in arguments}
    checked = {**variables, **check_options(name, options)}
    return _Pager(path, page_size, max_items, checked)


def paginate(
    method: Callable[..., Any],
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_items: int | None = None,
    **variables: Any,
) -> Iterator[Any]:
    """Yield every node of a connection-returning operation, page after page.

    Example::

        active = paginate(client.list_customers, page_size=500, status=["ACTIVE"])
        for customer in active:
            print(customer.username)

    Args:
        method: a sync client's generated operation method taking ``first`` and
            ``after`` (``client.list_customers``).
        page_size: items per request, 1 to 5000.
        max_items: stop after this many items; ``None`` for all of them.
        **variables: the operation's other arguments, and per-call options
            (``timeout=``, ``headers=``), passed on every request.

    Raises:
        FluentInputError: ``page_size`` or ``max_items`` is out of range, or an
            argument is neither the operation's nor a per-call option.
        TypeError: ``method`` cannot be paged, or ``first``/``after`` were given.
        FluentError: a request failed (raised while iterating).
    """
    pager = _pager(method, page_size, max_items, variables)

    def pages() -> Iterator[Any]:
        while (request := pager.next_request()) is not None:
            yield from pager.take(method(**request))

    return pages()


def apaginate(
    method: Callable[..., Any],
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    max_items: int | None = None,
    **variables: Any,
) -> AsyncIterator[Any]:
    """The async twin of :func:`paginate`, for an async client's methods.

    Example::

        async for product in apaginate(client.list_standard_products, refs=refs):
            print(product.ref)
    """
    pager = _pager(method, page_size, max_items, variables)

    async def pages() -> AsyncIterator[Any]:
        while (request := pager.next_request()) is not None:
            for node in pager.take(await method(**request)):
                yield node

    return pages()
