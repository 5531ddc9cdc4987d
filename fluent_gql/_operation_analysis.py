"""Working out an :class:`~fluent_gql._operations.OperationPlan` from query text.

Kept apart from ``_operations`` so that graphql-core is imported only when the
first operation is planned, not by ``import fluent_gql``.
"""

from __future__ import annotations

from functools import cache
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

from fluent_gql._operations import Limits, OperationPlan, documented_limit
from fluent_gql._schema import bundled_schema


def _field_limit(description: str | None, type_: GraphQLInputType) -> Limits | None:
    named = get_named_type(type_)
    if isinstance(named, GraphQLInputObjectType):
        return _object_limits(named) or None
    if isinstance(named, GraphQLScalarType) and named.name == "String":
        return documented_limit(description)
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


def analyse(
    query: str, operation_name: str | None, schema: GraphQLSchema | None = None
) -> OperationPlan:
    """Build the plan of ``operation_name`` in ``query`` against ``schema`` (by
    default the bundled one)."""
    try:
        document = parse(query)
    except GraphQLError:
        return OperationPlan(operation_name, is_mutation=True)
    operation = _operation(document, operation_name)
    if operation is None:
        return OperationPlan(operation_name, is_mutation=True)
    is_mutation = operation.operation is OperationType.MUTATION
    limits: dict[str, Limits] = {}
    if is_mutation:
        # Fluent enforces lengths on what it stores. A query's filter stores
        # nothing, and some documented limits of filter inputs are smaller than
        # those of the values they match (a location ref: 100, its link: 8).
        visitor = _VariableLimits(TypeInfo(schema or bundled_schema()))
        visit(operation, TypeInfoVisitor(visitor.type_info, visitor))
        limits = visitor.limits
    required = tuple(
        d.variable.name.value
        for d in operation.variable_definitions
        if isinstance(d.type, NonNullTypeNode) and d.default_value is None
    )
    return OperationPlan(
        name=operation.name.value if operation.name else operation_name,
        is_mutation=is_mutation,
        limits=limits,
        required=required,
    )
