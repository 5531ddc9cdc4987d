"""Relay connections as Fluent serves them: cursors, page sizes and page info."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fluent_gql.emulator._errors import INVALID_CURSOR, INVALID_PAGE_SIZE, fluent_error
from fluent_gql.emulator._store import MAX_ROW_ID, Page, Window

DEFAULT_PAGE_SIZE = 10
"""Fluent returns 10 items when neither ``first`` nor ``last`` is given."""

MAX_PAGE_SIZE = 5000
"""Fluent silently replaces larger ``first``/``last`` values with 5000."""

_CURSOR_PREFIX = "cursor:"


def encode_cursor(position: int) -> str:
    """Make the opaque cursor of the row at ``position``."""
    return base64.b64encode(f"{_CURSOR_PREFIX}{position}".encode()).decode("ascii")


def decode_cursor(cursor: str, argument: str) -> int:
    """Read a cursor made by :func:`encode_cursor`.

    Raises:
        GraphQLError: ``C0143E`` when the cursor was not issued by the emulator.
    """
    try:
        text = base64.b64decode(cursor.encode("ascii"), validate=True).decode("ascii")
    except (UnicodeError, binascii.Error):
        text = ""
    position = text.removeprefix(_CURSOR_PREFIX)
    if (
        not text.startswith(_CURSOR_PREFIX)
        or not position.isdigit()
        or int(position) > MAX_ROW_ID
    ):
        raise fluent_error(INVALID_CURSOR, f"'{argument}' is not a valid cursor")
    return int(position)


def _page_size(value: int | None, argument: str) -> int | None:
    if value is None:
        return None
    if value < 1:
        raise fluent_error(
            INVALID_PAGE_SIZE,
            f"'{argument}' must be between 1 and {MAX_PAGE_SIZE}, got {value}",
        )
    return min(value, MAX_PAGE_SIZE)


def window_from_args(args: dict[str, Any]) -> Window:
    """Turn ``first``/``last``/``after``/``before`` arguments into a store window.

    Raises:
        GraphQLError: ``C0142E`` for a page size below 1, ``C0143E`` for a bad cursor.
    """
    first = _page_size(args.get("first"), "first")
    last = _page_size(args.get("last"), "last")
    if first is None and last is None:
        first = DEFAULT_PAGE_SIZE
    after, before = args.get("after"), args.get("before")
    return Window(
        first=first,
        last=last,
        after=None if after is None else decode_cursor(after, "after"),
        before=None if before is None else decode_cursor(before, "before"),
    )


def connection(page: Page) -> dict[str, Any]:
    """Shape a store page as a Relay connection (``edges`` and ``pageInfo``)."""
    return {
        "edges": [
            {"node": record, "cursor": encode_cursor(position)}
            for record, position in zip(page.records, page.positions, strict=True)
        ],
        "pageInfo": {
            "hasNextPage": page.has_next,
            "hasPreviousPage": page.has_previous,
        },
    }
