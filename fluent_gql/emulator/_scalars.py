"""Behaviour of the SDL's custom scalars, ``DateTime`` and ``Json``."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLScalarType,
    GraphQLSchema,
    StringValueNode,
    ValueNode,
)
from graphql.utilities import value_from_ast_untyped

from fluent_gql.emulator._errors import INVALID_DATE, fluent_error


def serialize_datetime(value: Any) -> str:
    """Render a datetime as Fluent does: UTC, milliseconds, ``Z`` suffix."""
    if not isinstance(value, datetime):
        raise TypeError(f"DateTime cannot represent {type(value).__name__}")
    utc = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def parse_datetime(value: Any) -> datetime:
    """Read an ISO-8601 string into an aware UTC datetime; no zone means UTC.

    Raises:
        GraphQLError: ``C0100E`` when the value is not an ISO-8601 string.
    """
    if not isinstance(value, str):
        raise fluent_error(
            INVALID_DATE, f"DateTime must be an ISO-8601 string, not {value!r}"
        )
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise fluent_error(
            INVALID_DATE,
            f"DateTime must be ISO-8601, for example "
            f"2019-09-19T01:01:42.448Z; got {value!r}",
        ) from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_datetime_literal(
    node: ValueNode, _variables: dict[str, Any] | None = None
) -> datetime:
    """Read a ``DateTime`` written inline in a query (it must be a string)."""
    if not isinstance(node, StringValueNode):
        raise GraphQLError("DateTime must be written as a string", node)
    try:
        return parse_datetime(node.value)
    except GraphQLError as error:
        # Point the error at the literal; graphql-core reports it as raised.
        raise GraphQLError(error.message, node, extensions=error.extensions) from None


def _identity(value: Any) -> Any:
    return value


def _is_finite_json(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, float) and not math.isfinite(item):
            return False
        if isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def parse_json_value(value: Any) -> Any:
    """Accept a ``Json`` variable as given, unless it holds a non-finite number.

    Raises:
        GraphQLError: A number such as 1e400 reads as infinity, which JSON
            cannot carry back.
    """
    if not _is_finite_json(value):
        raise GraphQLError("Json numbers must be finite")
    return value


def parse_json_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Any:
    """Read any inline literal (object, list or scalar) as plain JSON data."""
    value = value_from_ast_untyped(node, variables)
    # A literal such as 1e400 reads as infinity, which JSON cannot carry back.
    if not _is_finite_json(value):
        raise GraphQLError("Json numbers must be finite", node)
    return value


def install_scalars(schema: GraphQLSchema, *, strict: bool = True) -> None:
    """Attach the emulator's scalar behaviour to a schema's ``DateTime`` and ``Json``.

    Args:
        schema: The schema to change.
        strict: Require both scalars (the bundled schema); otherwise a scalar the
            schema lacks is skipped (another account's schema).

    Raises:
        TypeError: ``strict`` and the schema lacks one of the scalars.
    """
    date_time = schema.get_type("DateTime")
    json_type = schema.get_type("Json")
    if strict and not (
        isinstance(date_time, GraphQLScalarType)
        and isinstance(json_type, GraphQLScalarType)
    ):
        raise TypeError("the schema must define the DateTime and Json scalars")
    if isinstance(date_time, GraphQLScalarType):
        date_time.serialize = serialize_datetime  # type: ignore[method-assign]
        date_time.parse_value = parse_datetime  # type: ignore[method-assign]
        date_time.parse_literal = parse_datetime_literal  # type: ignore[method-assign,assignment]
    if isinstance(json_type, GraphQLScalarType):
        json_type.serialize = _identity  # type: ignore[method-assign]
        json_type.parse_value = parse_json_value  # type: ignore[method-assign]
        json_type.parse_literal = parse_json_literal  # type: ignore[method-assign]
