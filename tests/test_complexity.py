"""The complexity pre-flight: the two models of complexity.md on its examples."""

from __future__ import annotations

import warnings

import pytest
from graphql import GraphQLSchema, build_schema, parse

from fluent_gql._complexity import (
    COMPLEXITY_COSTS,
    COMPLEXITY_LIMIT,
    FluentComplexityWarning,
    estimate,
    preflight,
)
from fluent_gql._exceptions import FluentComplexityEstimateError, FluentInputError

# Orders, items, fulfilments and inventory positions shaped as Fluent's are
# (Relay connections with first/last), plus an abstract self-nesting Level for
# chains of any depth (complexity.md E6/E7).
SDL = """
type Query {
  orders(first: Int, last: Int, after: String): OrderConnection
  order(ref: String!): Order
  inventoryPositions(first: Int, last: Int): InventoryPositionConnection
  levels(first: Int, last: Int): LevelConnection
}
type Mutation { createOrder(ref: String!): Order }
type PageInfo { hasNextPage: Boolean hasPreviousPage: Boolean }
type OrderConnection { edges: [OrderEdge] pageInfo: PageInfo }
type OrderEdge { node: Order cursor: String }
type Order {
  id: ID! ref: String status: String customer: Customer
  items(first: Int, last: Int): OrderItemConnection
  fulfilments(first: Int, last: Int): FulfilmentConnection
}
type Customer { id: ID! orders(first: Int): OrderConnection }
type OrderItemConnection { edges: [OrderItemEdge] pageInfo: PageInfo }
type OrderItemEdge { node: OrderItem cursor: String }
type OrderItem { id: ID! ref: String status: String product: Product }
type Product { name: String }
type FulfilmentConnection { edges: [FulfilmentEdge] pageInfo: PageInfo }
type FulfilmentEdge { node: Fulfilment cursor: String }
type Fulfilment {
  id: ID! ref: String fromAddress: Address toAddress: Address
  items(first: Int, last: Int): FulfilmentItemConnection
}
type FulfilmentItemConnection { edges: [FulfilmentItemEdge] pageInfo: PageInfo }
type FulfilmentItemEdge { node: FulfilmentItem cursor: String }
type FulfilmentItem { id: ID! ref: String }
type Address { name: String }
type InventoryPositionConnection { edges: [InventoryPositionEdge] }
type InventoryPositionEdge { node: InventoryPosition cursor: String }
type InventoryPosition { ref: String quantitiesAggregate: QuantityAggregate }
type QuantityAggregate { onHand: Int }
type LevelConnection { edges: [LevelEdge] }
type LevelEdge { node: Level }
type Level { name: String next(first: Int, last: Int): LevelConnection }
"""


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    """The test schema."""
    return build_schema(SDL)


def chain(depth: int) -> str:
    """``depth`` connections nested in a chain, none with first or last."""
    inner = "name"
    for _ in range(depth - 1):
        inner = f"next {{ edges {{ node {{ {inner} }} }} }}"
    return f"{{ levels {{ edges {{ node {{ {inner} }} }} }} }}"


EXAMPLES = {
    "E1": ("{ orders(first: 100) { edges { node { ref status } } } }", 1, 101),
    "E2": ("{ orders { edges { node { ref } } } }", 1, 11),
    "E3": ("{ orders(first: 6000) { edges { node { ref } } } }", 1, 5_001),
    "E4": (
        "{ orders(first: 100) { edges { node {"
        " items(first: 100) { edges { node { ref } } } } } } }",
        101,
        10_101,
    ),
    "E5": (
        "{ orders(first: 100) { edges { node {"
        " items(first: 100) { edges { node { ref } } }"
        " fulfilments(first: 100) { edges { node { ref } } } } } } }",
        201,
        20_101,
    ),
    "E6": (chain(5), 11_111, 111_111),
    "E7": (chain(4), 1_111, 11_111),
    "E8": (
        "{ orders(first: 5000) { edges { node {"
        " fulfilments(first: 5000) { edges { node {"
        " items { edges { node { ref } } } } } } } } } }",
        25_005_001,
        275_005_001,
    ),
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_illustrative_examples_of_the_note_score_as_the_note_says(
    schema: GraphQLSchema, name: str
) -> None:
    """E1-E8: the queries model and the records model give the note's numbers."""
    query, queries, records = EXAMPLES[name]

    result = estimate(parse(query), schema)

    assert (result.queries, result.records) == (queries, records)


def test_a_weighted_field_takes_the_larger_of_the_two_readings(
    schema: GraphQLSchema,
) -> None:
    """E9/E10: quantitiesAggregate weighs 10; the conservative 1,010 is kept."""
    query = (
        "{ inventoryPositions(first: 100) { edges { node {"
        " ref quantitiesAggregate { onHand } } } } }"
    )

    result = estimate(parse(query), schema)

    assert COMPLEXITY_COSTS["quantitiesAggregate"] == 10
    # E9 (per evaluation) gives 1 + 100 x 10 = 1,001; E10 (whole query) gives
    # (1 + 100) x 10 = 1,010. The note's advice is to keep the larger.
    assert result.queries == max(1 + 100 * 10, (1 + 100) * 10) == 1_010
    assert result.records == 1 + 100 + 100 * 10


def test_single_object_relations_cost_nothing_of_their_own(
    schema: GraphQLSchema,
) -> None:
    """E11: a get, two nested connections; product and addresses are free."""
    query = """{ order(ref: "O1") { ref
      items { edges { node { status product { name } } } }
      fulfilments { edges { node { ref fromAddress { name } toAddress { name } } } }
    } }"""

    result = estimate(parse(query), schema)

    assert (result.queries, result.records) == (3, 21)


def test_a_nested_connection_without_first_counts_ten_per_parent(
    schema: GraphQLSchema,
) -> None:
    """Nested connections default to 10 records too (complexity.md A7)."""
    with_first = "{ orders(first: 50) { edges { node { items(first: 3) { edges { node { id } } } } } } }"  # noqa: E501
    without = (
        "{ orders(first: 50) { edges { node { items { edges { node { id } } } } } } }"
    )

    given = estimate(parse(with_first), schema)
    defaulted = estimate(parse(without), schema)

    assert (given.queries, given.records) == (1 + 50, 1 + 50 + 150)
    assert (defaulted.queries, defaulted.records) == (1 + 50, 1 + 50 + 500)


def test_a_connection_under_a_single_object_is_still_counted(
    schema: GraphQLSchema,
) -> None:
    """Free fields pass the cost of the connections below them through."""
    query = '{ order(ref: "O1") { customer { orders(first: 20) { edges { node { items(first: 5) { edges { node { id } } } } } } } } }'  # noqa: E501

    result = estimate(parse(query), schema)

    assert result.queries == 1 + (1 + 20 * 1)
    assert result.records == 1 + 20 + 20 * 5


def test_page_sizes_come_from_variables_then_their_defaults(
    schema: GraphQLSchema,
) -> None:
    """$first resolves from the variables, else its default, else Fluent's 10."""
    query = """query q($outer: Int = 200, $inner: Int) {
      orders(first: $outer) { edges { node { items(first: $inner) { edges { node { id } } } } } }
    }"""  # noqa: E501
    document = parse(query)

    defaults = estimate(document, schema)
    given = estimate(document, schema, {"outer": 7, "inner": 3})
    null = estimate(document, schema, {"outer": None})

    assert defaults.records == 1 + 200 + 200 * 10
    assert given.records == 1 + 7 + 7 * 3
    assert null.records == 1 + 10 + 10 * 10
    assert (
        defaults.hotspots[1].page_source
        == "first: $inner not set: Fluent's default of 10"
    )


def test_first_and_last_are_capped_at_5000_and_the_larger_counts(
    schema: GraphQLSchema,
) -> None:
    """Fluent replaces sizes over 5,000; given both, the larger is counted."""
    both = estimate(
        parse("{ orders(first: 3, last: 40) { edges { node { id } } } }"), schema
    )
    huge = estimate(parse("{ orders(last: 99999) { edges { node { id } } } }"), schema)

    assert both.records == 1 + 40
    assert huge.records == 1 + 5_000
    assert huge.hotspots[0].page_source == "last: 99999, capped at 5,000"


def test_fragments_and_inline_fragments_are_expanded(schema: GraphQLSchema) -> None:
    """A connection inside a fragment or an inline fragment is counted."""
    query = """
    query q { orders(first: 100) { edges { node { ...Lines ... on Order {
      fulfilments(first: 2) { edges { node { id } } } } } } } }
    fragment Lines on Order { items(first: 100) { edges { node { id } } } }
    """

    result = estimate(parse(query), schema)

    assert result.queries == 1 + 100 * 2
    assert result.records == 1 + 100 + 100 * 100 + 100 * 2


def test_aliases_count_separately_and_repeated_fields_merge(
    schema: GraphQLSchema,
) -> None:
    """Two aliases run twice; the same field selected twice runs once."""
    aliased = "{ a: orders(first: 100) { edges { node { id } } } b: orders(first: 100) { edges { node { id } } } }"  # noqa: E501
    repeated = "{ orders(first: 100) { edges { node { id } } } orders(first: 100) { edges { node { ref } } } }"  # noqa: E501

    twice = estimate(parse(aliased), schema)
    once = estimate(parse(repeated), schema)

    assert (twice.queries, twice.records) == (2, 2 + 200)
    assert (once.queries, once.records) == (1, 101)


def test_skip_and_include_are_resolved_from_the_variables(
    schema: GraphQLSchema,
) -> None:
    """A skipped connection costs nothing; an unknown condition counts it."""
    query = """query q($withItems: Boolean!) { orders(first: 100) { edges { node {
      items(first: 100) @include(if: $withItems) { edges { node { id } } }
      fulfilments(first: 100) @skip(if: true) { edges { node { id } } } } } } }"""
    document = parse(query)

    included = estimate(document, schema, {"withItems": True})
    excluded = estimate(document, schema, {"withItems": False})
    unknown = estimate(document, schema)

    assert included.queries == unknown.queries == 101
    assert excluded.queries == 1
    assert excluded.records == 101


def test_a_mutation_counts_its_root_field_and_the_connections_it_returns(
    schema: GraphQLSchema,
) -> None:
    """complexity.md section 3: createOrder { items } is 1 + 1."""
    query = 'mutation { createOrder(ref: "O1") { id items { edges { node { id } } } } }'

    result = estimate(parse(query), schema)

    assert (result.queries, result.records) == (2, 11)


def test_the_operation_is_chosen_by_name(schema: GraphQLSchema) -> None:
    """With several operations, operation_name picks one; without it, an error."""
    document = parse(
        "query small { orders(first: 1) { edges { node { id } } } }"
        " query big { orders(first: 900) { edges { node { id } } } }"
    )

    result = estimate(document, schema, operation_name="big")

    assert result.records == 901
    with pytest.raises(FluentInputError, match="several operations"):
        estimate(document, schema)
    with pytest.raises(FluentInputError, match="no operation named 'huge'"):
        estimate(document, schema, operation_name="huge")


def test_hotspots_rank_the_connections_by_their_share(schema: GraphQLSchema) -> None:
    """The outer connection first, with its path, place and page size."""
    result = estimate(parse(EXAMPLES["E8"][0]), schema)

    paths = [h.path for h in result.hotspots]
    assert paths == [
        "orders",
        "orders.edges.node.fulfilments",
        "orders.edges.node.fulfilments.edges.node.items",
    ]
    assert result.hotspots[0].page_source == "first: 5000"
    assert (result.hotspots[0].line, result.hotspots[0].column) == (1, 3)
    assert [h.fits_at for h in result.hotspots] == [2, 1, None]


def test_preflight_refuses_a_query_over_the_limit_naming_what_to_lower(
    schema: GraphQLSchema,
) -> None:
    """E8 is refused before sending; the message names page sizes that would fit."""
    document = parse("query deep" + EXAMPLES["E8"][0])

    with pytest.raises(FluentComplexityEstimateError) as caught:
        preflight(document, schema)

    error = caught.value
    assert error.estimate == 25_005_001
    assert error.limit == COMPLEXITY_LIMIT
    assert error.errors[0].code == "C0001E"
    assert "operation 'deep' is too complex" in str(error)
    assert "orders at 1:13 (first: 5000) to at most 2" in str(error)
    assert error.hotspots[0].startswith("orders at 1:13 (first: 5000)")
    # What the message advises does fit.
    lowered = parse(
        EXAMPLES["E8"][0].replace("orders(first: 5000)", "orders(first: 2)")
    )
    assert estimate(lowered, schema).queries <= COMPLEXITY_LIMIT


def test_preflight_warns_when_only_the_upper_bound_is_over(
    schema: GraphQLSchema,
) -> None:
    """E5 passes the conservative model but not the records one: a warning."""
    with pytest.warns(FluentComplexityWarning, match="up to 20,101 records") as caught:
        result = preflight(parse(EXAMPLES["E5"][0]), schema)

    assert result.queries == 201
    assert "orders at 1:3 (first: 100)" in str(caught[0].message)


def test_preflight_warns_at_exactly_the_limit(schema: GraphQLSchema) -> None:
    """E6 scores exactly 11,111: borderline (complexity.md A1), so a warning."""
    with pytest.warns(FluentComplexityWarning, match="exactly at"):
        preflight(parse(EXAMPLES["E6"][0]), schema)


def test_preflight_is_silent_under_both_limits(schema: GraphQLSchema) -> None:
    """E4 is under both models: no warning, no error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        result = preflight(parse(EXAMPLES["E4"][0]), schema)

    assert result.records == 10_101


def test_the_bundled_schema_is_the_default() -> None:
    """Without a schema, the bundled one is used (customers is a connection)."""
    query = "{ customers(first: 20) { edges { node { id } } } }"

    result = estimate(parse(query))

    assert (result.queries, result.records) == (1, 21)


def test_a_repeated_request_is_estimated_once(schema: GraphQLSchema) -> None:
    """Cached by document, schema and page-size variables; other variables ignored."""
    document = parse(
        "query q($first: Int, $ref: String) {"
        " orders(first: $first, after: $ref) { edges { node { id } } } }"
    )

    first = estimate(document, schema, {"first": 30, "ref": "a"})
    again = estimate(document, schema, {"first": 30, "ref": "b"})
    other = estimate(document, schema, {"first": 40, "ref": "a"})

    assert again is first
    assert other is not first
    assert (first.records, other.records) == (31, 41)
    # 1 and 1.0 are equal keys to a dict, but only the int is a page size.
    assert estimate(document, schema, {"first": 1}).records == 2
    assert estimate(document, schema, {"first": 1.0}).records == 11


def test_an_unhashable_page_size_counts_as_absent(schema: GraphQLSchema) -> None:
    """A list given for $first (the server would refuse it) falls back to 10."""
    document = parse(
        "query q($first: Int) { orders(first: $first) { edges { node { id } } } }"
    )

    result = estimate(document, schema, {"first": [5]})

    assert result.records == 11
