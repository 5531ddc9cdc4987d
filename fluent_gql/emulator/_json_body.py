"""Reading a request body as strict JSON, for ``/graphql`` and the Event API.

Python's :mod:`json` is laxer than JSON: it accepts ``NaN``, ``Infinity`` and
escaped lone UTF-16 surrogates, which no response encoder, SQLite text or other
JSON parser would take back. A body using them is refused, naming where.
"""

from __future__ import annotations

import json
from typing import Any


class BadRequestError(Exception):
    """Raised when a request body is not what the endpoint accepts (HTTP 400)."""


class _Constant(str):
    """Stands in for ``NaN`` or ``Infinity`` until the value's path is known."""

    __slots__ = ()


def read_json(body: bytes) -> Any:
    """The JSON value of a request body.

    Raises:
        BadRequestError: The body is not JSON text; the message starts with
            "The request body is not JSON" and, for ``NaN`` or ``Infinity``,
            names where the value sits (``'attributes.price'``).
    """
    constants: list[_Constant] = []

    def constant(name: str) -> _Constant:
        constants.append(_Constant(name))
        return constants[-1]

    try:
        payload = json.loads(body, parse_constant=constant)
        # JSON may escape a lone UTF-16 surrogate ("\ud800"); no UTF-8 text
        # holds one, and SQLite and the response encoder would fail on it.
        if b"\\u" in body:
            json.dumps(payload, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise BadRequestError(
            "The request body is not JSON text: it escapes a lone UTF-16 surrogate"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise BadRequestError(f"The request body is not JSON: {exc}") from None
    if constants:
        try:
            where = _path_of_constant(payload, "")
        except RecursionError:
            where = None
        raise BadRequestError(
            f"The request body is not JSON: {constants[0]} is not a JSON value"
            + (f" (at '{where}')" if where else "")
        )
    return payload


def _path_of_constant(value: Any, path: str) -> str | None:
    """Where the first stand-in sits: a dotted path with ``[index]`` for lists."""
    if isinstance(value, _Constant):
        return path
    children: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        children = [(f"{path}.{key}" if path else key, v) for key, v in value.items()]
    elif isinstance(value, list):
        children = [(f"{path}[{index}]", v) for index, v in enumerate(value)]
    for child_path, child in children:
        found = _path_of_constant(child, child_path)
        if found is not None:
            return found
    return None
