"""What one request may carry, checked before anything is sent.

- :class:`RequestOptions`: the per-call options every operation method,
  ``graphql()`` and ``execute()`` take (``timeout=``, ``headers=``), and nothing
  else: they are not passed through to httpx, so an unknown keyword, or one that
  would replace the login (``auth=``), is an error naming the method.
- :func:`json_body` and :func:`json_ready`: a value as the JSON it is sent as, or
  an error naming the path of the first value JSON cannot carry (NaN, a set,
  bytes ...): never a body that is not JSON.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, TypedDict

import httpx
import pydantic
import pydantic_core

from fluent_gql._config import DEFAULT_TIMEOUT
from fluent_gql._exceptions import FluentInputError

__all__ = ["RequestOptions", "check_options", "json_body", "json_ready"]


class RequestOptions(TypedDict, total=False):
    """The per-call options of every operation method, ``graphql()`` and
    ``execute()``. Anything else a client does differently for some calls is a
    :meth:`~fluent_gql.FluentBaseClient.with_options` copy (retries, validation).

    Example::

        client.me(timeout=5, headers={"X-Request-Id": "job-42"})
    """

    timeout: float | httpx.Timeout
    """Seconds for this call (each attempt): a positive number, as the client's
    ``timeout`` setting (connect at most 5 s), or an ``httpx.Timeout``."""
    headers: Mapping[str, str]
    """Extra HTTP headers (ASCII names and values) sent with this call; not the
    ones the client sets itself (``Authorization``, ``Content-Type`` ...)."""


_OPTIONS = tuple(sorted(RequestOptions.__optional_keys__))

#: Headers the client sets on every request: the bearer token, the JSON body's
#: type and length, what it accepts back, the host. A caller's value would break
#: the login or the request, so it is refused rather than sent.
RESERVED_HEADERS = frozenset(
    {"authorization", "content-type", "content-length", "accept", "host"}
)

# RFC 9110 field names are tokens; values are visible ASCII, spaces and tabs.
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


def check_options(method: str, options: Mapping[str, object]) -> RequestOptions:
    """``options`` checked and normalised (a number ``timeout`` becomes an
    ``httpx.Timeout`` like the client's setting); ``method`` names the caller.

    Raises:
        FluentInputError: an unknown option, or a malformed ``timeout`` or
            ``headers``; the message names the method and the option.
    """
    checked: RequestOptions = {}
    for name, value in options.items():
        if name == "timeout":
            checked["timeout"] = _timeout(method, value)
        elif name == "headers":
            checked["headers"] = _headers(method, value)
        else:
            accepted = ", ".join(f"{option}=" for option in _OPTIONS)
            raise FluentInputError(
                f"{method}() got an unexpected keyword argument {name!r}; its "
                f"per-call options are {accepted} (other settings: "
                "client.with_options(...))",
                field=str(name),
            )
    return checked


def _timeout(method: str, value: object) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        parts = value.as_dict()
        bad = {k: v for k, v in parts.items() if v is not None and not _seconds(v)}
        if not bad:
            return value
        value = bad
    elif _seconds(value):
        assert isinstance(value, int | float)
        return httpx.Timeout(float(value), connect=min(float(value), _CONNECT))
    raise FluentInputError(
        f"{method}(): timeout must be a positive number of seconds or an "
        f"httpx.Timeout of them, got {value!r} (leave it out for the client's "
        "timeout)",
        field="timeout",
    )


_CONNECT = DEFAULT_TIMEOUT.connect or 5.0


def _seconds(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _headers(method: str, value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise FluentInputError(
            f"{method}(): headers must be a mapping of header names to values, "
            f"got {type(value).__name__}",
            field="headers",
        )
    headers: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            raise FluentInputError(
                f"{method}(): header name {name!r} is not a valid HTTP header name "
                "(ASCII letters, digits and !#$%&'*+-.^_`|~)",
                field="headers",
            )
        where = f"headers[{name!r}]"
        if name.lower() in RESERVED_HEADERS:
            raise FluentInputError(
                f"{method}(): the {name} header is set by the client itself and "
                "cannot be given per call",
                field=where,
            )
        if not isinstance(text, str):
            raise FluentInputError(
                f"{method}(): {where} must be a string, got {type(text).__name__}",
                field=where,
            )
        if not _HEADER_VALUE.fullmatch(text):
            raise FluentInputError(
                f"{method}(): {where} must be printable ASCII on one line (HTTP "
                "cannot carry other characters in a header)",
                field=where,
            )
        headers[name] = text
    return headers


# -- JSON --------------------------------------------------------------------------
#
# One rule for what is sent as JSON, in two implementations: json_body's fast path
# (the C encoder, with a hook for models, datetimes and enums) and json_ready's
# walk, which runs only when the fast path fails, to name the value at fault.
# Mapping keys follow Python's json: strings, and numbers, booleans and None
# turned into text.


class _NotJsonError(Exception):
    pass


def _default(value: object) -> object:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return pydantic_core.to_jsonable_python(value)
    if isinstance(value, enum.Enum):
        return value.value
    raise _NotJsonError


def json_body(value: object, find: Callable[[], object]) -> bytes:
    """``value`` encoded as JSON (the rule of :func:`json_ready`).

    ``find`` runs when ``value`` breaks the rule: it is to raise the error that
    names the value at fault (``json_ready`` of the part the caller labels).

    Raises:
        FluentInputError: what ``find`` raises, or a value that cannot be sent.
    """
    try:
        text = json.dumps(
            value,
            default=_default,
            allow_nan=False,
            ensure_ascii=False,
            separators=(",", ":"),
        )
    except (_NotJsonError, ValueError, TypeError, RecursionError):
        try:
            find()
        except RecursionError:
            raise FluentInputError(
                "the request refers to itself or is nested too deeply to be sent "
                "as JSON"
            ) from None
        raise FluentInputError("the request cannot be sent as JSON") from None
    try:
        return text.encode()
    except UnicodeEncodeError as exc:  # a lone surrogate, e.g. "\ud800"
        bad = text[exc.start : exc.end]
        raise FluentInputError(
            f"the request holds {bad!a}, half of a UTF-16 surrogate pair: not text "
            "that UTF-8 (and so Fluent) can carry"
        ) from None


def json_ready(value: object, where: str, noun: str = "") -> Any:
    """``value`` as plain JSON data: pydantic models as the dicts of the fields
    that were set, under their GraphQL names; aware datetimes as ISO 8601 text
    (Fluent's ``DateTime``); enums as their values; tuples as lists.

    ``where`` is the path of ``value`` in the request (``input.items[0]``) and
    ``noun`` what it is (``"variable "``), for the message.

    Raises:
        FluentInputError: something JSON cannot carry (NaN, infinity, a set,
            bytes, a naive datetime, a key of another type, any other object),
            naming its path.
    """
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _not_json(noun, where, repr(value), "; send a finite number")
        return value
    if isinstance(value, pydantic.BaseModel | Mapping | list | tuple):
        return _container(value, where, noun)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _not_json(
                noun, where, "a naive datetime", "; give it a timezone (tzinfo=UTC)"
            )
        return pydantic_core.to_jsonable_python(value)
    if isinstance(value, enum.Enum):
        return json_ready(value.value, where, noun)
    raise _not_json(noun, where, _kind(value), _HINTS.get(type(value), ""))


def _container(
    value: pydantic.BaseModel | Mapping[object, object] | list[Any] | tuple[Any, ...],
    where: str,
    noun: str,
) -> Any:
    if isinstance(value, pydantic.BaseModel):
        dumped = value.model_dump(by_alias=True, exclude_unset=True)
        return json_ready(dumped, where, noun)
    if isinstance(value, list | tuple):
        return [json_ready(v, f"{where}[{i}]", noun) for i, v in enumerate(value)]
    out = {}
    for key, item in value.items():
        if not isinstance(key, _KEY_TYPES) or key != key:  # NaN != NaN
            raise _not_json(noun, f"{where}[{key!r}]", "a key that is not text", "")
        path = f"{where}.{key}" if where else str(key)
        out[key] = json_ready(item, path, noun)
    return out


#: What Python's json takes as an object's key (all but text turned into text).
_KEY_TYPES = (str, int, float, bool, type(None))


_HINTS: dict[type, str] = {
    set: "; send a list",
    frozenset: "; send a list",
    bytes: "; decode it to a string",
    bytearray: "; decode it to a string",
    date: "; send an aware datetime or an ISO 8601 string",
    time: "; send an ISO 8601 string",
    Decimal: "; convert it with float()",
}


def _kind(value: object) -> str:
    return f"of type {type(value).__qualname__}"


def _not_json(noun: str, where: str, what: str, hint: str) -> FluentInputError:
    label = f"{noun}{where}" if where else noun.strip() or "the value"
    return FluentInputError(
        f"{label} is {what}, which cannot be sent as JSON{hint}", field=where or None
    )
