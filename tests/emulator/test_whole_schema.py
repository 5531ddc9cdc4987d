"""The emulator serves Fluent's whole schema, or another account's.

Roots over entities it does not store answer as an empty account would; mutations
it does not carry out answer ``S9998E`` and change nothing. The end-to-end tests go
through the real client over HTTP; the tests over every root field run in process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    build_schema,
    get_named_type,
    graphql_sync,
    is_leaf_type,
    is_required_argument,
    is_required_input_field,
)

from fluent_gql import FluentClient, FluentGraphQLServerError
from fluent_gql._schema import bundled_schema
from fluent_gql._schema_files import SchemaFileError
from fluent_gql.emulator import Emulator, EmulatorServer
from fluent_gql.emulator._execution import Executor, GraphQLRequest
from fluent_gql.emulator._resolvers import (
    RESOLVERS,
    attach_type_resolvers,
    executable_schema,
)
from fluent_gql.emulator._store import Store
from tests._paths import FLUENT_2022

from .support import CREATE_CUSTOMER, Api, customer_input

NOT_EMULATED = "S9998E"

# Dummy literals for required arguments; any value of the right type will do.
_SCALAR_LITERALS = {
    "Int": "1",
    "Float": "1.5",
    "Boolean": "false",
    "DateTime": '"2023-01-01T00:00:00Z"',
    "Json": "{}",
}


def _literal(type_: GraphQLInputType) -> str:
    """A valid literal of an input type, with only its required fields filled."""
    if isinstance(type_, GraphQLNonNull):
        return _literal(type_.of_type)
    if isinstance(type_, GraphQLList):
        return f"[{_literal(type_.of_type)}]"
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        fields = ", ".join(
            f"{name}: {_literal(field.type)}"
            for name, field in type_.fields.items()
            if is_required_input_field(field)
        )
        return f"{{{fields}}}"
    assert isinstance(type_, GraphQLScalarType)
    return _SCALAR_LITERALS.get(type_.name, '"1"')


def _document(keyword: str, name: str, field: GraphQLField) -> str:
    """``keyword { name(required args) { __typename } }``."""
    given = [
        f"{arg_name}: {_literal(arg.type)}"
        for arg_name, arg in field.args.items()
        if is_required_argument(arg)
    ]
    args = f"({', '.join(given)})" if given else ""
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    return f"{keyword} {{ {name}{args}{selection} }}"


def _root(schema: GraphQLSchema, name: str) -> GraphQLObjectType:
    root = schema.get_type(name)
    assert isinstance(root, GraphQLObjectType)
    return root


Execute = Callable[[GraphQLRequest], dict[str, Any]]
"""Runs one request as the seeded user."""

QUERY_FIELDS = sorted(_root(bundled_schema(), "Query").fields)
UNEMULATED_MUTATIONS = sorted(
    set(_root(bundled_schema(), "Mutation").fields) - set(RESOLVERS["Mutation"])
)


@pytest.fixture(scope="module")
def executor() -> Iterator[Execute]:
    """Runs a request on the bundled schema over an empty in-memory store."""
    store = Store()
    executor = Executor(executable_schema())
    yield lambda request: executor.execute(request, 1, store)
    store.close()


@pytest.fixture(scope="module")
def client(shared_server: EmulatorServer) -> Iterator[FluentClient]:
    """The real client, logged in to the shared emulator server."""
    with FluentClient(shared_server.config()) as fluent:
        yield fluent


# -- The bundled schema, in process -----------------------------------------------


@pytest.mark.parametrize("name", QUERY_FIELDS)
def test_every_query_field_answers_without_error(executor: Execute, name: str) -> None:
    """Each root query, given only its required arguments, answers data, no errors."""
    field = _root(executable_schema(), "Query").fields[name]

    body = executor(GraphQLRequest(_document("query", name, field)))

    assert "errors" not in body, body
    assert list(body["data"]) == [name]


@pytest.mark.parametrize("name", UNEMULATED_MUTATIONS)
def test_every_mutation_without_a_resolver_answers_not_emulated(
    executor: Execute, name: str
) -> None:
    """A mutation the emulator does not carry out is an S9998E error naming it."""
    field = _root(executable_schema(), "Mutation").fields[name]

    body = executor(GraphQLRequest(_document("mutation", name, field)))

    assert body["data"] == {name: None}
    [error] = body["errors"]
    assert error["extensions"] == {"code": NOT_EMULATED}
    assert error["message"] == (
        f"Mutation '{name}' is not emulated by the fluent-gql emulator; "
        "nothing was changed"
    )


def test_most_mutations_are_not_emulated() -> None:
    """The parametrised list is the schema's mutations minus the implemented ones."""
    assert len(UNEMULATED_MUTATIONS) > 50
    assert "createCustomer" not in UNEMULATED_MUTATIONS
    assert "createWave" in UNEMULATED_MUTATIONS


# -- Over HTTP, through the real client -------------------------------------------


def test_roots_over_unstored_entities_answer_null_or_an_empty_page(
    client: FluentClient,
) -> None:
    """settings, setting, waves and returnOrders answer as an empty account would."""
    data = client.graphql(
        """
        {
          settings(first: 5) { edges { node { id } } pageInfo { hasNextPage } }
          setting(id: "1") { id name }
          waves { edges { node { id } } }
          returnOrders(first: 1) { edges { cursor } }
          wave(id: "1") { id }
        }
        """
    )

    assert data == {
        "settings": {"edges": [], "pageInfo": {"hasNextPage": False}},
        "setting": None,
        "waves": {"edges": []},
        "returnOrders": {"edges": []},
        "wave": None,
    }


@pytest.mark.parametrize(
    "mutation",
    [
        "createWave(input: null) { id }",
        "createCarrier(input: null) { id ref }",
        "createBillingAccount(input: null) { id }",
        "createControlGroup(input: null) { id }",
        "updateSetting(input: null) { id value }",
    ],
)
def test_an_unemulated_mutation_raises_the_s9998e_error(
    client: FluentClient, mutation: str
) -> None:
    """The client raises FluentGraphQLServerError (an answer, no 5xx) with no data."""
    name = mutation.split("(", 1)[0]

    with pytest.raises(FluentGraphQLServerError) as raised:
        client.graphql(f"mutation {{ {mutation} }}")

    assert raised.value.code == NOT_EMULATED
    assert raised.value.data == {name: None}
    assert f"Mutation '{name}' is not emulated" in str(raised.value)


def test_an_unemulated_mutation_is_http_200_with_only_the_error(api: Api) -> None:
    """Plain HTTP: status 200, one S9998E error, and null for the mutation's field."""
    response = api.post("mutation { createWave(input: null) { id } }")

    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"createWave": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == [NOT_EMULATED]


def test_a_stored_standard_product_is_found_as_a_product(
    client: FluentClient, api: Api
) -> None:
    """Query.product returns the interface Product; the record says which type."""
    created = api.create_product()
    catalogue = api.emulator.catalogue_ref

    data = client.graphql(
        """
        query($ref: String!, $catalogue: String!) {
          product(ref: $ref, catalogue: {ref: $catalogue}) {
            __typename ref
            ... on StandardProduct { gtin catalogue { ref } }
          }
          missing: product(ref: "no-such-ref", catalogue: {ref: $catalogue}) { id }
        }
        """,
        {"ref": created["ref"], "catalogue": catalogue},
    )

    assert data == {
        "product": {
            "__typename": "StandardProduct",
            "ref": created["ref"],
            "gtin": created["gtin"],
            "catalogue": {"ref": catalogue},
        },
        "missing": None,
    }


# -- Interfaces and unions --------------------------------------------------------

_ABSTRACT_SDL = """
interface Named { name: String }
interface Lonely { name: String }
type Dog implements Named { name: String }
type Cat implements Named & Lonely { name: String }
union Pet = Dog | Cat
type Query { named: Named lonely: Lonely pet: Pet }
"""


def _run_abstract(record: dict[str, Any]) -> dict[str, Any] | None:
    schema = build_schema(_ABSTRACT_SDL)
    attach_type_resolvers(schema)
    query = _root(schema, "Query")
    for field in query.fields.values():
        field.resolve = lambda _root, _info: record
    result = graphql_sync(
        schema, "{ named { __typename } lonely { __typename } pet { __typename } }"
    )
    assert not result.errors or all(
        "must resolve to an Object type" in e.message for e in result.errors
    ), result.errors
    return result.data


def test_a_record_names_its_type_with_a_typename_key() -> None:
    """``__typename`` in the record decides for every interface and union."""
    data = _run_abstract({"__typename": "Cat", "name": "Tom"})

    assert data == {
        "named": {"__typename": "Cat"},
        "lonely": {"__typename": "Cat"},
        "pet": {"__typename": "Cat"},
    }


def test_without_a_typename_only_a_single_implementation_is_assumed() -> None:
    """An interface with one implementation needs no key; one with two cannot guess."""
    data = _run_abstract({"name": "Tom"})

    assert data == {"named": None, "lonely": {"__typename": "Cat"}, "pet": None}


# -- Another account's schema -----------------------------------------------------

needs_2022 = pytest.mark.skipif(
    not FLUENT_2022.exists(),
    reason=f"the 2022 Fluent introspection is not at {FLUENT_2022}",
)


@pytest.fixture(scope="module")
def account_2022() -> Iterator[tuple[Emulator, FluentClient]]:
    """An emulator serving the 2022 account's schema, and a client logged in to it."""
    if not FLUENT_2022.exists():
        pytest.skip(f"the 2022 Fluent introspection is not at {FLUENT_2022}")
    with (
        Emulator(schema=FLUENT_2022) as emulator,
        EmulatorServer(emulator) as server,
        FluentClient(server.config()) as fluent,
    ):
        yield emulator, fluent


@needs_2022
def test_roots_only_the_2022_account_has_are_served(
    account_2022: tuple[Emulator, FluentClient],
) -> None:
    """virtualView and decisionTable (gone by 2023) answer null, not an error."""
    _, client_2022 = account_2022

    data = client_2022.graphql(
        '{ virtualView(input: {ref: "VV1"}) { ref } decisionTable(id: "1") { id } }',
        validate=False,  # the client checks against the bundled 2023 schema
    )

    assert data == {"virtualView": None, "decisionTable": None}


@needs_2022
def test_a_mutation_only_the_2022_account_has_is_not_emulated(
    account_2022: tuple[Emulator, FluentClient],
) -> None:
    """createVirtualView (gone by 2023) answers S9998E."""
    _, client_2022 = account_2022

    with pytest.raises(FluentGraphQLServerError) as raised:
        client_2022.graphql(
            "mutation { createVirtualView(input: null) { __typename } }",
            validate=False,
        )

    assert raised.value.code == NOT_EMULATED


@needs_2022
def test_the_2022_account_still_stores_customers(
    account_2022: tuple[Emulator, FluentClient],
) -> None:
    """A customer created through graphql() reads back by ref and in the list."""
    emulator, client_2022 = account_2022
    values = customer_input()

    created = client_2022.graphql(CREATE_CUSTOMER, {"input": values})
    found = client_2022.graphql(
        "query($ref: String!) { customer(ref: $ref) { id username retailer { id } }"
        " customers(username: [$ref]) { edges { node { id } } } }",
        {"ref": values["username"]},
    )

    customer_id = created["createCustomer"]["id"]
    assert found == {
        "customer": {
            "id": customer_id,
            "username": values["username"],
            "retailer": {"id": emulator.retailer_id},
        },
        "customers": {"edges": [{"node": {"id": customer_id}}]},
    }


@needs_2022
def test_the_2022_account_lacks_the_2023_only_root_product() -> None:
    """Resolvers for fields the schema lacks are skipped: the schema is served as is."""
    with Emulator(schema=FLUENT_2022) as emulator, EmulatorServer(emulator) as server:
        api = Api(server)
        api.login()
        error = api.error('{ product(ref: "X", catalogue: {ref: "Y"}) { id } }')
        api.close()

    assert "Cannot query field 'product' on type 'Query'" in error["message"]


def test_a_missing_schema_file_is_a_one_line_error(tmp_path: Path) -> None:
    """Emulator(schema=...) names the file; nothing is opened."""
    missing = tmp_path / "missing.graphql"

    with pytest.raises(SchemaFileError) as raised:
        Emulator(schema=missing)

    assert str(raised.value) == (
        f"{missing}: cannot read the schema: No such file or directory"
    )
