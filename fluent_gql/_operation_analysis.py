"""Working out an :class:`~fluent_gql._plan.OperationPlan` from query text.

Kept apart from ``_plan`` so that graphql-core is imported only when the first raw
operation is planned (and by ``fluent-gql generate``), not by ``import fluent_gql``.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Undefined,
    Visitor,
    ast_from_value,
    get_named_type,
    is_input_type,
    parse,
    print_ast,
    type_from_ast,
    visit,
)
from graphql.language import (
    NonNullTypeNode,
    ObjectFieldNode,
    VariableDefinitionNode,
    VariableNode,
)

from fluent_gql._plan import InputTypes, OperationPlan, documented_limit
from fluent_gql._schema import bundled_schema


def type_reference(type_: GraphQLInputType, limit: int | None = None) -> str:
    """``type_`` as GraphQL writes it, ``limit`` on its String: ``[String(50)!]``."""
    if isinstance(type_, GraphQLNonNull):
        return f"{type_reference(type_.of_type, limit)}!"
    if isinstance(type_, GraphQLList):
        return f"[{type_reference(type_.of_type, limit)}]"
    name = get_named_type(type_).name
    return f"String({limit})" if name == "String" and limit is not None else name


def _field_limit(description: str | None, type_: GraphQLInputType) -> int | None:
    """The length limit of an input field or argument: only Strings have one."""
    named = get_named_type(type_)
    return documented_limit(description) if named.name == "String" else None


@cache
def _input_object(input_type: GraphQLInputObjectType) -> dict[str, str]:
    """An input object's fields and their types, each String with its limit."""
    fields: dict[str, str] = {}
    for name, f in input_type.fields.items():
        ref = type_reference(f.type, _field_limit(f.description, f.type))
        if isinstance(f.type, GraphQLNonNull) and f.default_value is not Undefined:
            default = ast_from_value(f.default_value, f.type)
            ref += f" = {print_ast(default) if default else '...'}"
        fields[name] = ref
    return fields


def _reached(type_: GraphQLInputType, types: dict[str, Any]) -> None:
    """Add the input objects and enums ``type_`` reaches to ``types``."""
    named = get_named_type(type_)
    if named.name in types:
        return
    if isinstance(named, GraphQLEnumType):
        types[named.name] = tuple(named.values)
    elif isinstance(named, GraphQLInputObjectType):
        types[named.name] = _input_object(named)
        for f in named.fields.values():
            _reached(f.type, types)


class _VariableLimits(Visitor):
    """Collect, for each variable given as an input object's field, the smallest
    length limit of the fields it feeds."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.limits: dict[str, int] = {}

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
            name = node.value.name.value
            self.limits[name] = min(limit, self.limits.get(name, limit))


def _operation(document: Any, name: str | None) -> OperationDefinitionNode | None:
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _variable_type(
    definition: VariableDefinitionNode,
    schema: GraphQLSchema,
    limits: dict[str, int],
    types: dict[str, Any],
) -> str:
    """A variable's declared type, with its String's limit; the input types it
    reaches are added to ``types``. A type the schema lacks is written as
    declared, and then accepts any value (the server reports it)."""
    declared = type_from_ast(schema, definition.type)
    if declared is None or not is_input_type(declared):
        return print_ast(definition.type)
    input_type = cast(GraphQLInputType, declared)
    _reached(input_type, types)
    return type_reference(input_type, limits.get(definition.variable.name.value))


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
    schema = schema or bundled_schema()
    is_mutation = operation.operation is OperationType.MUTATION
    limits: dict[str, int] = {}
    if is_mutation:
        # Fluent enforces lengths on what it stores, not on a query's filters.
        visitor = _VariableLimits(TypeInfo(schema))
        visit(operation, TypeInfoVisitor(visitor.type_info, visitor))
        limits = visitor.limits
    types: dict[str, Any] = {}
    variables = {
        d.variable.name.value: _variable_type(d, schema, limits, types)
        for d in operation.variable_definitions
    }
    required = tuple(
        d.variable.name.value
        for d in operation.variable_definitions
        if isinstance(d.type, NonNullTypeNode) and d.default_value is None
    )
    reached: InputTypes = types
    return OperationPlan(
        name=operation.name.value if operation.name else operation_name,
        is_mutation=is_mutation,
        variables=variables,
        required=required,
        types=reached,
    )
