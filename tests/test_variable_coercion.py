"""Our pre-send check of variable values agrees with the emulator's own coercion.

For any input type of the schema (wrapped in lists and non-nulls) and any value
drawn for it, right or wrong, the plan's check accepts exactly what the emulator's
GraphQL engine accepts once the value has crossed JSON: no false refusals, and no
wrong value let through. Length limits are left out (queries have none): they are
Fluent's rule on what it stores, not GraphQL's coercion.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    OperationDefinitionNode,
    Undefined,
    is_input_type,
    parse,
    parse_type,
    type_from_ast,
)
from graphql.execution.values import get_variable_values
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fluent_gql import FluentInputError
from fluent_gql._operation_analysis import analyse
from fluent_gql._plan import OperationPlan
from fluent_gql.emulator._resolvers import executable_schema
from fluent_gql_generated.operation_plans import PLANS

#: The emulator's schema: the bundled one with its DateTime and Json behaviour.
SCHEMA = executable_schema()
INPUT_TYPES = sorted(
    name
    for name, type_ in SCHEMA.type_map.items()
    if is_input_type(type_) and not name.startswith("__")
)
WRAPPERS = ["{}", "{}!", "[{}]", "[{}!]!", "[[{}]]"]
#: How deep values are drawn into nested input objects.
MAX_DEPTH = 3

#: Values of no particular type: what a caller may pass by mistake.
_noise: st.SearchStrategy[Any] = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(-3, 3).map(float)
    | st.text(max_size=4)
    | st.just([])
    | st.just({})
)
# One branch among a type's own values, however many kinds of noise there are.
noise = st.deferred(lambda: _noise)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=8,
)
SCALARS: dict[str, st.SearchStrategy[Any]] = {
    "Int": st.integers(-(2**32), 2**32) | st.integers(-3, 3).map(float) | noise,
    "Float": st.floats(allow_nan=False, allow_infinity=False) | noise,
    "String": st.text(max_size=6) | noise,
    "ID": st.text(max_size=6) | st.integers() | noise,
    "Boolean": st.booleans() | noise,
    # The custom scalars take any value on our side; draw only what the
    # emulator's accept (an ISO-8601 string, finite JSON), or null.
    "DateTime": st.none()
    | st.datetimes(timezones=st.just(dt.UTC)).map(dt.datetime.isoformat),
    "Json": json_values,
}


@cache
def values(type_: GraphQLInputType, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values for ``type_``: mostly of its shape, often subtly or plainly wrong."""
    if isinstance(type_, GraphQLNonNull):
        return values(type_.of_type, depth)
    if isinstance(type_, GraphQLList):
        item = values(type_.of_type, depth + 1)
        return st.lists(item, max_size=3) | item
    if isinstance(type_, GraphQLEnumType):
        return st.sampled_from(list(type_.values)) | noise
    if isinstance(type_, GraphQLScalarType):
        return SCALARS[type_.name]
    assert isinstance(type_, GraphQLInputObjectType)
    if depth > MAX_DEPTH:
        return noise
    fields = {n: values(f.type, depth + 1) for n, f in type_.fields.items()}
    required = {
        n: fields[n]
        for n, f in type_.fields.items()
        if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined
    }
    optional = {n: s for n, s in fields.items() if n not in required}
    objects = st.fixed_dictionaries(required, optional=optional)
    extra = objects.map(lambda given: {**given, "notAField": 1})
    return objects | extra | noise


def _emulator_accepts(query: str, variables: dict[str, Any]) -> bool:
    """Whether the emulator's engine coerces ``variables`` for ``query``."""
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    coerced = get_variable_values(SCHEMA, operation.variable_definitions, variables)
    return not isinstance(coerced, list)


def _whole_floats(value: Any) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        value = list(value.values())
    return isinstance(value, list) and any(_whole_floats(v) for v in value)


def _agree(plan: OperationPlan, query: str, variables: dict[str, Any]) -> None:
    # What the emulator receives is what JSON carries.
    sent = json.loads(json.dumps(variables, allow_nan=False))
    accepted = _emulator_accepts(query, sent)
    event("the emulator accepts" if accepted else "the emulator refuses")
    try:
        plan.check(variables)
    except FluentInputError as refused:
        # One deliberate difference: graphql-core takes a whole float as an ID
        # (3.0 -> "3"); Fluent's engine would read it as "3.0". GraphQL's ID is
        # a string or an integer.
        if accepted:
            assert re.search(r"\bID\b.*got -?[\d.e+]+$", str(refused)), refused
            assert _whole_floats(variables), variables
    else:
        assert accepted, variables


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_the_check_accepts_exactly_what_the_emulator_coerces(data: Any) -> None:
    """Any input type of the schema, any value: the same verdict as the emulator."""
    name = data.draw(st.sampled_from(INPUT_TYPES), label="type")
    declared = data.draw(st.sampled_from(WRAPPERS), label="wrapper").format(name)
    type_ = type_from_ast(SCHEMA, parse_type(declared))
    assert is_input_type(type_)
    value = data.draw(values(type_), label="value")
    query = f"query q($v: {declared}) {{ __typename }}"
    plan = analyse(query, None, SCHEMA)
    variables = {"v": value} if data.draw(st.booleans(), label="given") else {}

    _agree(plan, query, variables)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_the_typed_operations_plans_agree_with_the_emulator(data: Any) -> None:
    """The plans `make generate` wrote, for values of each variable's type."""
    query = data.draw(st.sampled_from(sorted(PLANS)), label="operation")
    operation = parse(query).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    variables = {}
    for definition in operation.variable_definitions:
        type_ = type_from_ast(SCHEMA, definition.type)
        if data.draw(st.booleans()):
            variables[definition.variable.name.value] = data.draw(values(type_))
    # Lengths aside (a query checks none), the plan's types are the schema's.
    plan = PLANS[query]
    types_only = OperationPlan(
        plan.name, False, plan.variables, plan.required, plan.types, plan.unset
    )

    _agree(types_only, query, variables)
