"""The raw method checks queries against the schema and the complexity limit."""

from __future__ import annotations

import time

import pytest
from graphql import build_schema

from fluent_gql import (
    FluentClient,
    FluentComplexityEstimateError,
    FluentComplexityWarning,
    FluentGraphQLError,
    FluentInputError,
    FluentQueryValidationError,
    FluentSchemaWarning,
)
from fluent_gql._schema import bundled_schema
from fluent_gql.emulator import EmulatorServer

BAD = "query {\n  me {\n    usernme\n  }\n}"
DEEP = """
query deep {
  customers(first: 5000) { edges { node { id } } }
  a: customers(first: 5000) { edges { node { id } } }
  b: customers(first: 5000) { edges { node { id } } }
}
"""


def test_an_invalid_raw_query_fails_locally_with_line_and_column(
    fluent_emulator: EmulatorServer,
) -> None:
    """Against the account's schema a typo is reported like a compiler would, and
    nothing is sent."""
    before = fluent_emulator.emulator.token_requests[:]

    with (
        FluentClient(fluent_emulator.config(), schema=bundled_schema()) as client,
        pytest.raises(FluentQueryValidationError) as caught,
    ):
        client.graphql(BAD)

    assert str(caught.value) == (
        "3:5: Cannot query field 'usernme' on type 'User'. Did you mean 'username'?"
    )
    assert caught.value.errors[0].locations == [{"line": 3, "column": 5}]
    assert fluent_emulator.emulator.token_requests == before


def test_a_name_the_bundled_snapshot_lacks_warns_and_the_account_decides(
    fluent_client: FluentClient,
) -> None:
    """With only the bundled snapshot, an unknown name is a warning naming it and
    how to pull the account's schema; the query is sent, and the server answers."""
    with (
        pytest.warns(FluentSchemaWarning, match=r"User\.usernme") as warned,
        pytest.raises(FluentGraphQLError) as caught,
    ):
        fluent_client.graphql(BAD)

    assert "fluent-gql schema pull" in str(warned[0].message)
    assert not isinstance(caught.value, FluentQueryValidationError)
    assert "usernme" in str(caught.value)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("query { me { id }", "Syntax Error"),
        ("query q($unused: Int) { me { id } }", r"'\$unused' is never used"),
        ("query q { me { id } } query q { me { id } }", "only one operation named"),
        ("{ me { ...missing } }", "Unknown fragment 'missing'"),
    ],
)
def test_a_malformed_query_is_refused_even_against_the_bundled_snapshot(
    fluent_client: FluentClient, query: str, message: str
) -> None:
    """What no schema version can fix is refused locally, without a warning."""
    with pytest.raises(FluentQueryValidationError, match=message):
        fluent_client.graphql(query)


def test_validation_can_be_turned_off_per_call_and_per_client(
    fluent_client: FluentClient,
) -> None:
    """Then the server's own error comes back instead, and nothing warns."""
    with pytest.raises(FluentGraphQLError) as per_call:
        fluent_client.graphql("query { me { id }", validate=False)
    with pytest.raises(FluentGraphQLError) as per_client:
        fluent_client.with_options(validate_queries=False).graphql(BAD)

    assert not isinstance(per_call.value, FluentQueryValidationError)
    assert not isinstance(per_client.value, FluentQueryValidationError)


def test_a_user_supplied_schema_is_used_for_validation(
    fluent_emulator: EmulatorServer,
) -> None:
    """A schema that lacks `me` rejects a query the bundled schema accepts."""
    schema = build_schema(
        "type Query { customerById(id: ID!): Customer } type Customer { id: ID! }"
    )

    with (
        FluentClient(fluent_emulator.config(), schema=schema) as client,
        pytest.raises(FluentQueryValidationError, match="'me'"),
    ):
        client.graphql("query { me { id } }")


NESTED = build_schema(
    """
    type Query { orders(first: Int): OrderConnection }
    type OrderConnection { edges: [OrderEdge] }
    type OrderEdge { node: Order }
    type Order { ref: String fulfilments(first: Int): FulfilmentConnection }
    type FulfilmentConnection { edges: [FulfilmentEdge] }
    type FulfilmentEdge { node: Fulfilment }
    type Fulfilment { ref: String items(first: Int): ItemConnection }
    type ItemConnection { edges: [ItemEdge] }
    type ItemEdge { node: Item }
    type Item { ref: String }
    """
)


def test_an_over_complex_query_is_blocked_before_sending(
    fluent_emulator: EmulatorServer,
) -> None:
    """Nested connections past 11,111 are refused, naming what to lower."""
    query = (
        "query big { orders(first: 5000) { edges { node { fulfilments(first: 5000) "
        "{ edges { node { items { edges { node { ref } } } } } } } } } }"
    )

    with (
        FluentClient(fluent_emulator.config(), schema=NESTED) as client,
        pytest.raises(FluentComplexityEstimateError) as caught,
    ):
        client.graphql(query)

    assert caught.value.limit == 11111
    assert caught.value.estimate == 25_005_001
    assert any("fulfilments" in h for h in caught.value.hotspots)
    assert fluent_emulator.emulator.token_requests == []


def test_a_query_only_the_upper_bound_model_rejects_warns_and_is_sent(
    fluent_client: FluentClient,
) -> None:
    """Three 5000-item root connections: the records model warns, the server answers."""
    with pytest.warns(FluentComplexityWarning):
        data = fluent_client.graphql(DEEP)

    assert set(data) == {"customers", "a", "b"}


def test_a_repeated_raw_query_is_parsed_and_validated_once(
    fluent_client: FluentClient,
) -> None:
    """The second and later checks of the same text cost a cache look-up."""
    from fluent_gql._validation import validate_query

    text = "query cached { me { id username } }"
    first = validate_query(text)
    started = time.perf_counter()
    for _ in range(1000):
        again = validate_query(text)
    per_call = (time.perf_counter() - started) / 1000

    assert again is first
    assert per_call < 50e-6


def test_length_limits_apply_to_writes_not_to_query_filters(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Fluent documents 8 characters for a location link's ref, 100 for a location's:
    a filter by a longer ref is sent, while a write over its limit is refused."""
    before = fluent_emulator.emulator.customer_count()
    long_ref = "LOC-SYDNEY-CENTRAL-01"
    filtered = fluent_client.graphql(
        "query f($ref: String!) { fulfilments(fromLocation: {ref: $ref}) "
        "{ edges { node { id } } } }",
        {"ref": long_ref},
    )
    with pytest.raises(FluentInputError, match="at most 250") as caught:
        fluent_client.graphql(
            "mutation c($name: String!) { createCustomer(input: {username: $name, "
            'primaryEmail: "a@example.com", timezone: "UTC", promotionOptIn: false, '
            "retailer: {id: 1}}) { id } }",
            {"name": "u" * 251},
        )

    assert filtered == {"fulfilments": {"edges": []}}
    assert caught.value.field == "name"
    assert fluent_emulator.emulator.customer_count() == before


def test_a_value_of_another_type_than_the_snapshots_warns_and_is_sent(
    fluent_client: FluentClient,
) -> None:
    """Another account may type an argument differently: the snapshot warns that
    the query does not fit it, and the account (here the emulator) decides."""
    with (
        pytest.warns(FluentSchemaWarning, match="does not fit the bundled") as warned,
        pytest.raises(FluentGraphQLError) as caught,
    ):
        fluent_client.graphql('query { customers(first: "ten") { edges { cursor } } }')

    assert "Int cannot represent non-integer value" in str(warned[0].message)
    assert not isinstance(caught.value, FluentQueryValidationError)
