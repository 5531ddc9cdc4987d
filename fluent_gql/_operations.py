"""What the client needs to know about an operation before sending it.

For each (query text, operation name) pair, once: whether it is a mutation (the
retry policy treats writes differently) and which variables feed input fields with
a length limit. Then, on every call, a cheap check of the variables against those
limits, so that a value Fluent would refuse fails here, naming the field and the
limit, before anything is sent.

Limits come from the schema's descriptions ("At most N characters"), and Fluent's
rule that a string input without a documented limit takes at most 255 characters
(API-NOTES 2.3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLScalarType,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    visit,
)
from graphql.language import NonNullTypeNode, ObjectFieldNode, VariableNode

from fluent_gql._exceptions import FluentInputError
from fluent_gql._schema import bundled_schema

__all__ = ["OperationPlan", "plan_for"]

#: Fluent's limit for string inputs that document none (API-NOTES 2.3).
DEFAULT_STRING_LIMIT = 255
#: How many distinct operation texts keep their plan (typed operations are few;
#: raw queries may be many).
PLAN_CACHE_SIZE = 512

_MAX_LENGTH = re.compile(
    r"at most (\d+) characters|max(?:imum)? character limit:? (\d+)", re.I
)

# A limit tree: for a variable, either an int (string limit) or, for input objects,
# a mapping of field name -> limit tree.
Limits = int | dict[str, "Limits"]


@dataclass(frozen=True)
class OperationPlan:
    """The facts about one operation that the client acts on."""

    name: str | None
    is_mutation: bool
    #: Variable name -> its limit tree (only variables that reach limited inputs).
    limits: dict[str, Limits] = field(default_factory=dict)
    #: Variables of a non-null type without a default.
    required: frozenset[str] = frozenset()

    def check(self, variables: Mapping[str, Any] | None) -> None:
        """Raise FluentInputError for a missing required value or one over its limit."""
        variables = variables or {}
        for name in self.required:
            if variables.get(name) is None:
                raise FluentInputError(
                    f"{_label(name)} is required", field=_snake(name)
                )
        for name, limit in self.limits.items():
            value = variables.get(name)
            if value is not None:
                _check(value, limit, _label(name))


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _label(variable: str) -> str:
    """How a variable is named in messages: the Python keyword and the variable."""
    snake = _snake(variable)
    return f"{snake} (${variable})" if snake != variable else f"${variable}"


def _check(value: Any, limit: Limits, where: str) -> None:
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if item is not None:
                _check(item, limit, f"{where}[{i}]")
    elif isinstance(limit, int):
        if isinstance(value, str) and len(value) > limit:
            raise FluentInputError(
                f"{where} is {len(value)} characters long; Fluent allows at most "
                f"{limit}",
                field=where.split(" ")[0],
            )
    else:
        mapping = _as_mapping(value)
        for key, sub in limit.items():
            item = mapping.get(key)
            if item is not None:
                _check(item, sub, f"{where}.{key}")


def _as_mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)  # a generated input model
    return dump(by_alias=True) if callable(dump) else {}


def _field_limit(description: str | None, type_: GraphQLInputType) -> Limits | None:
    named = get_named_type(type_)
    if isinstance(named, GraphQLInputObjectType):
        return _object_limits(named) or None
    if isinstance(named, GraphQLScalarType) and named.name == "String":
        found = _MAX_LENGTH.search(description or "")
        return (
            int(next(g for g in found.groups() if g)) if found else DEFAULT_STRING_LIMIT
        )
    return None


@cache
def _object_limits(input_type: GraphQLInputObjectType) -> dict[str, Limits]:
    limits: dict[str, Limits] = {}
    for name, f in input_type.fields.items():
        limit = _field_limit(f.description, f.type)
        if limit is not None:
            limits[name] = limit
    return limits


class _VariableLimits(Visitor):
    """Collect, for each variable used inside an input object, that field's limit."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.limits: dict[str, Limits] = {}

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        if not isinstance(node.value, VariableNode):
            return
        parent = get_named_type(self.type_info.get_parent_input_type())
        if not isinstance(parent, GraphQLInputObjectType):
            return
        definition = parent.fields.get(node.name.value)
        if definition is None:
            return
        limit = _field_limit(definition.description, definition.type)
        if limit is not None:
            self.limits[node.value.name.value] = limit


def _operation(document: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def plan_for(
    query: str, operation_name: str | None, schema: GraphQLSchema | None = None
) -> OperationPlan:
    """The plan for an operation (cached). Unparsable text is treated as a write,
    the conservative choice for retries; the server reports the syntax error."""
    try:
        document = parse(query)
    except GraphQLError:
        return OperationPlan(operation_name, is_mutation=True)
    operation = _operation(document, operation_name)
    if operation is None:
        return OperationPlan(operation_name, is_mutation=True)
    visitor = _VariableLimits(TypeInfo(schema or bundled_schema()))
    visit(operation, TypeInfoVisitor(visitor.type_info, visitor))
    required = frozenset(
        d.variable.name.value
        for d in operation.variable_definitions
        if isinstance(d.type, NonNullTypeNode) and d.default_value is None
    )
    return OperationPlan(
        name=operation.name.value if operation.name else operation_name,
        is_mutation=operation.operation is OperationType.MUTATION,
        limits=visitor.limits,
        required=required,
    )
