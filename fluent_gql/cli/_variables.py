"""``--var NAME=VALUE``: read each value as the operation declares its variable.

A command line gives text; the operation's variable definitions say what it
means (``$ref: String`` keeps ``12345`` a string, ``$first: Int`` makes it a
number):

- ``String`` and ``ID``: the text as given;
- ``Int``, ``Float``: a number (``Int`` is 32-bit, as GraphQL's is);
- ``Boolean``: true or false, in fluent-gql's one dialect (1/0, true/false,
  yes/no, y/n, on/off);
- an enum: one of its values;
- a list or an input object: JSON (an input object must be a JSON object);
- another scalar (``DateTime``, ``Json`` ...): JSON when it parses, else the text;
- ``null`` for any nullable variable that is not a ``String`` or ``ID`` (for
  those, leave the variable out).

A value that cannot be read so, or a variable the operation does not declare,
is a usage error naming the variable and its type. When the operation cannot be
told (a syntax error, or several operations and no ``--operation-name``) the
values are JSON when they parse, else text, and the query's own check reports
the problem.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import click

from fluent_gql._config import parse_flag

if TYPE_CHECKING:
    from graphql import GraphQLNamedType, OperationDefinitionNode, TypeNode

__all__ = ["coerce_variables", "json_or_text"]

#: GraphQL's Int is a signed 32-bit integer.
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
#: An enum's values named in an error, at most.
_SHOWN_VALUES = 10

TypeLookup = Callable[[str], "GraphQLNamedType | None"]


class _NotCoercibleError(Exception):
    """The text does not fit the type; the message says what would."""


def _no_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which JSON has not: no request may
    # carry them.
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _loads(text: str) -> Any:
    return json.loads(text, parse_constant=_no_constant)


def json_or_text(text: str) -> Any:
    """The value of ``text``: JSON when it parses, else the text itself."""
    try:
        return _loads(text)
    except json.JSONDecodeError:
        return text


def coerce_variables(
    given: Mapping[str, str],
    source: str,
    operation_name: str | None,
    type_named: TypeLookup,
) -> dict[str, Any]:
    """Read the ``--var`` values of ``given`` as ``source``'s operation declares them.

    Args:
        given: variable name -> the text given on the command line.
        source: the query text.
        operation_name: the operation to run (``--operation-name``), if given.
        type_named: looks a named type up in the schema (``None``: unknown), to
            tell enums, input objects and custom scalars apart.

    Raises:
        click.UsageError: a value does not fit its variable's type, or the
            operation declares no variable of that name.
    """
    operation = _operation(source, operation_name)
    if operation is None:
        return {name: json_or_text(text) for name, text in given.items()}
    from graphql import print_ast

    declared = {
        definition.variable.name.value: definition.type
        for definition in operation.variable_definitions or ()
    }
    values: dict[str, Any] = {}
    for name, text in given.items():
        type_node = declared.get(name)
        if type_node is None:
            known = ", ".join(f"${n}" for n in declared) or "none"
            raise click.UsageError(
                f"--var {name}: the operation declares no variable ${name}"
                f" (it declares: {known})"
            )
        try:
            values[name] = _coerce(text, type_node, type_named)
        except _NotCoercibleError as exc:
            raise click.UsageError(
                f"--var {name}: ${name} is {print_ast(type_node)}; {exc}, got {text!r}"
            ) from None
    return values


def _operation(source: str, name: str | None) -> OperationDefinitionNode | None:
    """The operation that would run, or ``None`` when it cannot be told."""
    from graphql import GraphQLError, OperationDefinitionNode, parse

    try:
        document = parse(source)
    except GraphQLError:
        return None
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if name is not None:
        named = [o for o in operations if o.name is not None and o.name.value == name]
        return named[0] if len(named) == 1 else None
    return operations[0] if len(operations) == 1 else None


def _coerce(text: str, type_node: TypeNode, type_named: TypeLookup) -> Any:
    from graphql import ListTypeNode, NamedTypeNode, NonNullTypeNode

    nullable = not isinstance(type_node, NonNullTypeNode)
    inner = type_node.type if isinstance(type_node, NonNullTypeNode) else type_node
    name = inner.name.value if isinstance(inner, NamedTypeNode) else None
    if name in ("String", "ID"):
        return text
    if text.strip() == "null":
        if nullable:
            return None
        raise _NotCoercibleError("it cannot be null")
    if isinstance(inner, ListTypeNode):
        return _json(text, 'a JSON list, e.g. \'["a", "b"]\'')
    if name in ("Int", "Float", "Boolean"):
        return _builtin_scalar(text, name)
    return _by_schema(text, type_named(name) if name is not None else None)


def _builtin_scalar(text: str, name: str) -> Any:
    """``text`` as GraphQL's ``Int``, ``Float`` or ``Boolean``."""
    if name == "Int":
        if _INT.fullmatch(text.strip()) and _INT_MIN <= int(text) <= _INT_MAX:
            return int(text)
        raise _NotCoercibleError(f"give a whole number from {_INT_MIN} to {_INT_MAX}")
    if name == "Float":
        if _FLOAT.fullmatch(text.strip()) and math.isfinite(float(text)):
            return float(text)
        raise _NotCoercibleError("give a finite number, e.g. 7.5")
    flag = parse_flag(text)
    if flag is None:
        raise _NotCoercibleError("give true or false (or 1/0, yes/no, y/n, on/off)")
    return flag


def _by_schema(text: str, named: GraphQLNamedType | None) -> Any:
    from graphql import GraphQLEnumType, GraphQLInputObjectType

    if isinstance(named, GraphQLEnumType):
        value = text.strip()
        if value in named.values:
            return value
        choices = list(named.values)
        shown = ", ".join(choices[:_SHOWN_VALUES])
        hidden = len(choices) - _SHOWN_VALUES
        more = f" (and {hidden} more)" if hidden > 0 else ""
        raise _NotCoercibleError(f"give one of {shown}{more}")
    if isinstance(named, GraphQLInputObjectType):
        value = _json(text, 'a JSON object, e.g. \'{"ref": "HD-1"}\'')
        if not isinstance(value, dict):
            raise _NotCoercibleError('give a JSON object, e.g. \'{"ref": "HD-1"}\'')
        return value
    return json_or_text(text)  # another scalar, or a type the schema lacks


def _json(text: str, what: str) -> Any:
    try:
        return _loads(text)
    except json.JSONDecodeError:
        raise _NotCoercibleError(f"give {what}") from None
