"""Variable values are checked against their declared types before anything is sent.

End to end against the emulator, on both clients, through the typed methods and the
raw graphql(): each class of wrong value is refused with a FluentInputError naming
the value in the caller's terms, and no request reaches /graphql. Then the other
side: values Fluent would accept are sent, including the ones GraphQL's input
coercion allows that are easy to refuse by mistake.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from fluent_gql import AsyncFluentClient, FluentClient, FluentInputError
from fluent_gql._operations import plan_for
from fluent_gql.emulator import EmulatorServer
from fluent_gql.types import DateRange

pytestmark = pytest.mark.anyio

ORDERS = """
query orders($refs: [String], $first: Int, $totals: [Float], $type: [String!],
             $createdOn: DateRange) {
  orders(ref: $refs, first: $first, totalPrice: $totals, type: $type,
         createdOn: $createdOn) { edges { node { id } } }
}
"""
CREATE_ORDER = """
mutation createOrder($items: [CreateOrderItemWithOrderInput]!) {
  createOrder(input: {ref: "O-1", type: "HD", customer: {id: 1}, retailer: {id: 1},
                      items: $items}) { id }
}
"""
FULFILMENT_OPTION = """
mutation option($mode: ExecutionMode) {
  createFulfilmentOption(executionMode: $mode,
                         input: {ref: "F", retailerId: 1, type: "HD"}) { id }
}
"""
CUSTOMER = "query c($gtin13Code: String!) { customer(ref: $gtin13Code) { id } }"
ITEM = {"ref": "L1", "productRef": "P1", "quantity": 1}


class Ref(enum.Enum):
    """A caller's own enum: its members are sent as their values."""

    NONE = "NO-SUCH-REF"


@dataclass(frozen=True)
class Case:
    """One wrong value: the call that passes it, and how it must be refused."""

    name: str
    call: Callable[[Any], Any]
    message: str
    field: str


def _customer(**wrong: Any) -> Callable[[Any], Any]:
    return lambda c: c.create_customer(email="w@example.com", first_name="W", **wrong)


TYPED = [
    Case(
        "a string for a Boolean",
        _customer(promotion_opt_in="yes"),
        "promotion_opt_in ($promotionOptIn) must be true or false, got 'yes'",
        "promotion_opt_in",
    ),
    Case(
        "a number for a Boolean",
        _customer(promotion_opt_in=1),
        "promotion_opt_in ($promotionOptIn) must be true or false, got 1",
        "promotion_opt_in",
    ),
    Case(
        "a number for a String",
        _customer(last_name=5),
        "last_name ($lastName) must be a string, got 5",
        "last_name",
    ),
    Case(
        "a numeric string for an Int",
        lambda c: c.list_order_items(id="1", first="10"),
        "first ($first) must be a whole number from -2147483648 to 2147483647 (Int), "
        "got '10'",
        "first",
    ),
    Case(
        "an Int over 32 bits",
        lambda c: c.list_orders(first=2**31),
        "first ($first) must be a whole number from -2147483648 to 2147483647 (Int), "
        "got 2147483648",
        "first",
    ),
    Case(
        "a bool for an ID",
        lambda c: c.get_order_by_id(id=True),
        "id ($id) must be an ID (a string or a whole number), got True",
        "id",
    ),
    Case(
        "a list for an input object",
        lambda c: c.list_orders(created_on=[{"from": "2024-01-01T00:00:00Z"}]),
        "created_on ($createdOn) must be an input object of type DateRange (a dict, "
        "or the input model), got a list",
        "created_on",
    ),
    Case(
        "a wrong scalar for a list",
        lambda c: c.list_orders(refs=5),
        "refs ($refs) must be a list of String (or a single one), got 5",
        "refs",
    ),
    Case(
        "a null item in a list of non-null items",
        lambda c: c.list_orders(type=["HD", None]),
        "type[1] ($type[1]) cannot be null",
        "type[1]",
    ),
    Case(
        "an input object field the type lacks",
        lambda c: c.list_orders(created_on={"since": "2024-01-01T00:00:00Z"}),
        "created_on.since ($createdOn.since) is not a field of DateRange (its "
        "fields: from, to)",
        "created_on.since",
    ),
    Case(
        "a required input object field missing",
        lambda c: c.list_inventory_positions(catalogue={}),
        "catalogue.ref ($catalogue.ref) is required",
        "catalogue.ref",
    ),
]
RAW = [
    Case(
        "a numeric string for an Int",
        lambda c: c.graphql(ORDERS, {"first": "10"}),
        "first ($first) must be a whole number from -2147483648 to 2147483647 (Int), "
        "got '10'",
        "first",
    ),
    Case(
        "a string for a Float in a list",
        lambda c: c.graphql(ORDERS, {"totals": [1.5, "2.5"]}),
        "totals[1] ($totals[1]) must be a finite number (Float), got '2.5'",
        "totals[1]",
    ),
    Case(
        "infinity for a Float",
        lambda c: c.graphql(ORDERS, {"totals": float("inf")}),
        "totals ($totals) must be a list of Float (or a single one), got inf",
        "totals",
    ),
    Case(
        "a value not in the enum",
        lambda c: c.graphql(FULFILMENT_OPTION, {"mode": "FAST"}),
        "mode ($mode) must be one of AWAIT_ORCHESTRATION (ExecutionMode), got 'FAST'",
        "mode",
    ),
    Case(
        "a wrong value deep in a list of input objects",
        lambda c: c.graphql(CREATE_ORDER, {"items": [ITEM, {**ITEM, "quantity": "2"}]}),
        "items[1].quantity ($items[1].quantity) must be a whole number from "
        "-2147483648 to 2147483647 (Int), got '2'",
        "items[1].quantity",
    ),
    Case(
        "a required input object field given null",
        lambda c: c.graphql(CREATE_ORDER, {"items": [{**ITEM, "ref": None}]}),
        "items[0].ref ($items[0].ref) is required",
        "items[0].ref",
    ),
    Case(
        "a variable whose Python name has digits",
        lambda c: c.graphql(CUSTOMER, {"gtin13Code": 13}),
        "gtin_13_code ($gtin13Code) must be a string, got 13",
        "gtin_13_code",
    ),
]
CASES = [
    *(Case(f"typed: {c.name}", c.call, c.message, c.field) for c in TYPED),
    *(Case(f"raw: {c.name}", c.call, c.message, c.field) for c in RAW),
]


@pytest.fixture
def sent() -> list[str]:
    """The paths of the requests the test's client sent."""
    return []


@pytest.fixture
def client(fluent_emulator: EmulatorServer, sent: list[str]) -> Iterator[FluentClient]:
    """A sync client of the emulator whose requests are recorded in ``sent``."""
    hooks = {"request": [lambda r: sent.append(r.url.path)]}
    with (
        httpx.Client(event_hooks=hooks) as http,
        FluentClient(fluent_emulator.config(), http_client=http) as made,
    ):
        made.login()
        yield made


@pytest.fixture
async def async_client(
    fluent_emulator: EmulatorServer, sent: list[str]
) -> AsyncIterator[AsyncFluentClient]:
    """An async client of the emulator whose requests are recorded in ``sent``."""

    async def record(request: httpx.Request) -> None:
        sent.append(request.url.path)

    async with (
        httpx.AsyncClient(event_hooks={"request": [record]}) as http,
        AsyncFluentClient(fluent_emulator.config(), http_client=http) as made,
    ):
        await made.login()
        yield made


def _graphql_requests(sent: list[str]) -> list[str]:
    return [path for path in sent if path == "/graphql"]


def test_each_wrong_value_is_refused_naming_it_and_nothing_is_sent(
    client: FluentClient, sent: list[str], subtests: pytest.Subtests
) -> None:
    """The sync client raises FluentInputError with the value's path; no request."""
    for case in CASES:
        with subtests.test(case.name):
            sent.clear()
            with pytest.raises(FluentInputError) as refused:
                case.call(client)

            assert str(refused.value) == case.message
            assert refused.value.field == case.field
            assert _graphql_requests(sent) == []


async def test_the_async_client_refuses_the_same_values_before_sending(
    async_client: AsyncFluentClient, sent: list[str], subtests: pytest.Subtests
) -> None:
    """The async client raises the same errors, before anything is sent."""
    for case in CASES:
        with subtests.test(case.name):
            sent.clear()
            with pytest.raises(FluentInputError) as refused:
                call: Awaitable[Any] = case.call(async_client)
                await call

            assert str(refused.value) == case.message
            assert refused.value.field == case.field
            assert _graphql_requests(sent) == []


def test_a_long_value_of_the_wrong_type_is_shown_shortened(
    client: FluentClient, sent: list[str]
) -> None:
    """A message quotes at most 40 characters of the value it refuses."""
    with pytest.raises(FluentInputError) as refused:
        client.graphql(ORDERS, {"first": "9" * 500})

    assert str(refused.value).endswith(f"got {'9' * 40!r}... (500 characters)")
    assert _graphql_requests(sent) == []


def test_values_graphql_coerces_are_sent_and_accepted(
    client: FluentClient, sent: list[str]
) -> None:
    """A single value for a list, a whole float for an Int, an int for a Float, a
    tuple for a list, an input model or a dict for an input object, an enum member
    or an aware datetime for a String (sent as its value, as ISO 8601 text): all
    are what Fluent accepts, so none is refused."""
    empty: dict[str, Any] = {"orders": {"edges": []}}
    since = {"from": "2024-01-01T00:00:00Z"}

    assert client.graphql(ORDERS, {"refs": "NO-SUCH-REF"}) == empty
    assert client.graphql(ORDERS, {"refs": ("A", "B"), "first": 10.0}) == empty
    assert client.graphql(ORDERS, {"totals": [1, 2.5], "type": "HD"}) == empty
    assert client.graphql(ORDERS, {"refs": ["X"], "createdOn": since}) == empty
    when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    assert client.graphql(ORDERS, {"refs": [Ref.NONE, when]}) == empty
    model = DateRange.model_validate({"from": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)})
    assert client.list_orders(refs=["X"], created_on=model).orders is not None
    assert len(_graphql_requests(sent)) == 6


def test_omitted_and_null_optional_values_are_not_refused(
    client: FluentClient,
) -> None:
    """An omitted optional argument is left out; None for a nullable one is sent."""
    made = client.create_customer(email="n@example.com", first_name="N")
    assert made.create_customer is not None

    nulls = client.list_orders(refs=None, first=None, created_on=None)
    raw = client.graphql(ORDERS, {"refs": None, "first": None, "createdOn": None})

    assert nulls.orders is not None
    assert raw == {"orders": {"edges": []}}


async def test_the_async_client_sends_what_graphql_coerces(
    async_client: AsyncFluentClient,
) -> None:
    """The async client accepts the same coercible values."""
    data = await async_client.graphql(ORDERS, {"refs": "X", "first": 5.0})

    assert data == {"orders": {"edges": []}}


def test_a_whole_input_variable_of_a_mutation_gets_its_fields_limits(
    client: FluentClient, sent: list[str], fluent_emulator: EmulatorServer
) -> None:
    """An input object given as one variable is checked like one written inline:
    a first name over 50 characters is refused, naming the path inside it."""
    mutation = (
        "mutation c($input: CreateCustomerInput) { createCustomer(input: $input) "
        "{ id } }"
    )
    customer = {
        "username": "u",
        "primaryEmail": "u@example.com",
        "firstName": "F" * 51,
        "timezone": "UTC",
        "promotionOptIn": False,
        "retailer": {"id": fluent_emulator.emulator.retailer_id},
    }

    with pytest.raises(FluentInputError) as refused:
        client.graphql(mutation, {"input": customer})

    assert str(refused.value) == (
        "input.firstName ($input.firstName) is 51 characters long; Fluent allows at "
        "most 50"
    )
    assert refused.value.field == "input.firstName"
    assert _graphql_requests(sent) == []
    assert fluent_emulator.emulator.customer_count() == 0


def test_a_variable_feeding_two_fields_gets_the_smaller_limit() -> None:
    """$name feeds username (250) and firstName (50): 50 holds, whatever the order."""
    plan = plan_for(
        "mutation m($name: String!) { createCustomer(input: {firstName: $name, "
        'username: $name, primaryEmail: "e", timezone: "UTC", promotionOptIn: '
        "false, retailer: {id: 1}}) { id } }",
        None,
    )

    assert plan.variables == {"name": "String(50)!"}
