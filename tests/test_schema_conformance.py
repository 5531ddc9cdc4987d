"""Our hand-written SDL must be a faithful subset of Fluent's real schema."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    build_client_schema,
    is_non_null_type,
)

from fluent_gql._schema import bundled_schema
from tests._paths import FLUENT_INTROSPECTION


@pytest.fixture(scope="module")
def fluent() -> GraphQLSchema:
    """The real Fluent schema from the shared introspection."""
    if not FLUENT_INTROSPECTION.is_file():
        pytest.skip(f"{FLUENT_INTROSPECTION} is absent: no real schema to compare with")
    document = json.loads(FLUENT_INTROSPECTION.read_text("utf-8"))
    return build_client_schema(document["data"])


def _own_types(schema: GraphQLSchema) -> Iterator[str]:
    for name in sorted(schema.type_map):
        if not name.startswith("__") and name not in {
            "String",
            "Int",
            "Float",
            "Boolean",
            "ID",
        }:
            yield name


def differences(ours: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    """Every way in which ``ours`` is not a subset of ``real``."""
    problems: list[str] = []
    for name in _own_types(ours):
        mine, theirs = ours.type_map[name], real.type_map.get(name)
        if theirs is None:
            problems.append(f"type {name} does not exist in Fluent")
        elif type(mine) is not type(theirs):
            problems.append(f"type {name} is a {type(theirs).__name__} in Fluent")
        elif isinstance(mine, GraphQLObjectType | GraphQLInterfaceType):
            problems += _field_differences(name, mine, theirs)  # type: ignore[arg-type]
        elif isinstance(mine, GraphQLInputObjectType):
            assert isinstance(theirs, GraphQLInputObjectType)
            problems += _argument_differences(name, mine.fields, theirs.fields)
        elif isinstance(mine, GraphQLEnumType):
            assert isinstance(theirs, GraphQLEnumType)
            problems += [
                f"enum value {name}.{value} does not exist in Fluent"
                for value in mine.values
                if value not in theirs.values
            ]
        else:
            assert isinstance(mine, GraphQLScalarType)
    for op in ("query", "mutation", "subscription"):
        mine_root = getattr(ours, f"{op}_type")
        real_root = getattr(real, f"{op}_type")
        if mine_root and (real_root is None or real_root.name != mine_root.name):
            problems.append(f"the {op} root type differs from Fluent's")
    return problems


def _field_differences(
    name: str,
    mine: GraphQLObjectType | GraphQLInterfaceType,
    theirs: GraphQLObjectType | GraphQLInterfaceType,
) -> list[str]:
    real_ifaces = {i.name for i in theirs.interfaces}
    problems = [
        f"{name} does not implement {iface.name} in Fluent"
        for iface in mine.interfaces
        if iface.name not in real_ifaces
    ]
    for fname, field in mine.fields.items():
        real_field = theirs.fields.get(fname)
        if real_field is None:
            problems.append(f"field {name}.{fname} does not exist in Fluent")
            continue
        if str(field.type) != str(real_field.type):
            problems.append(
                f"field {name}.{fname} is {field.type}, Fluent has {real_field.type}"
            )
        problems += _argument_differences(
            f"{name}.{fname}", field.args, real_field.args
        )
    return problems


def _argument_differences(owner: str, mine: dict, theirs: dict) -> list[str]:  # type: ignore[type-arg]
    problems = []
    for name, arg in mine.items():
        real_arg = theirs.get(name)
        if real_arg is None:
            problems.append(f"{owner}({name}) does not exist in Fluent")
        elif str(arg.type) != str(real_arg.type):
            problems.append(
                f"{owner}({name}) is {arg.type}, Fluent has {real_arg.type}"
            )
    for name, real_arg in theirs.items():
        required = is_non_null_type(real_arg.type) and real_arg.default_value is None
        if required and name not in mine:
            problems.append(f"{owner}({name}) is required by Fluent but missing here")
    return problems


def test_every_type_field_and_argument_matches_fluent(fluent: GraphQLSchema) -> None:
    """Types, fields, arguments, input fields and enum values match Fluent's."""
    problems = differences(bundled_schema(), fluent)

    assert problems == []


def test_the_sdl_covers_what_the_issue_lists() -> None:
    """The schema has every type and root field the operations and users rely on."""
    schema = bundled_schema()
    expected_types = {
        "User", "UserRole", "Role", "Permission", "RoleContext", "SettingValueType",
        "Retailer", "Location", "Customer", "StandardProduct", "ProductCatalogue",
        "Price", "TaxType", "Attribute", "CustomerConnection", "CustomerEdge",
        "StandardProductConnection", "StandardProductEdge", "PageInfo",
        "CreateCustomerInput", "CreateStandardProductInput", "RetailerId",
        "ProductCatalogueKey", "PriceInput", "TaxTypeInput", "CategoryKey",
        "VariantProductKey", "AttributeInput", "DateRange", "DateTime", "Json",
    }  # fmt: skip
    assert schema.query_type is not None and schema.mutation_type is not None

    assert expected_types <= set(schema.type_map)
    assert set(schema.query_type.fields) >= {
        "me", "user", "customer", "customerById", "customers", "standardProduct",
        "standardProducts", "productCatalogue", "retailerById",
    }  # fmt: skip
    assert set(schema.mutation_type.fields) >= {
        "createCustomer",
        "createStandardProduct",
    }


def test_the_check_catches_a_wrong_nullability_and_a_made_up_field(
    fluent: GraphQLSchema,
) -> None:
    """The comparison itself reports drift (so the main test can fail)."""
    from graphql import build_schema

    wrong = build_schema(
        """
        type Query { me: User! }
        type User { id: ID! nickname: String }
        input RetailerId { id: ID }
        """
    )

    problems = differences(wrong, fluent)

    assert "field Query.me is User!, Fluent has User" in problems
    assert "field User.nickname does not exist in Fluent" in problems
    assert "RetailerId(id) is ID, Fluent has ID!" in problems
