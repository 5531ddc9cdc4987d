"""Bad input to the Python API raises our errors, never a builtin's or httpx's,
and nothing reaches the server: per-call options, raw requests, JSON values,
closed clients, amounts, and the constructors' settings. Each case runs on both
clients against the emulator, through a transport that records every request."""

from __future__ import annotations

import inspect
import math
import typing
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentClientClosedError,
    FluentConfigError,
    FluentInputError,
    RetryPolicy,
)
from fluent_gql._request import RequestOptions
from fluent_gql.emulator import EmulatorServer
from fluent_gql.types import AttributeInput, DateRange
from tests.conftest import Run

pytestmark = pytest.mark.anyio

ME = "query me { me { id } }"
OPTIONS_LIST = "headers=, timeout="


@dataclass
class Recorder:
    """Every request either client sent, as it left."""

    requests: list[httpx.Request] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


class _Recording(httpx.HTTPTransport):
    def __init__(self, seen: Recorder) -> None:
        super().__init__()
        self.seen = seen

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.requests.append(request)
        return super().handle_request(request)


class _AsyncRecording(httpx.AsyncHTTPTransport):
    def __init__(self, seen: Recorder) -> None:
        super().__init__()
        self.seen = seen

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.requests.append(request)
        return await super().handle_async_request(request)


@dataclass
class Clients:
    """A sync and an async client of one emulator, not logged in yet."""

    sync: FluentClient
    aio: AsyncFluentClient
    seen: Recorder
    server: EmulatorServer

    def both(self) -> tuple[Any, Any]:
        return self.sync, self.aio


@pytest.fixture
async def clients(fluent_emulator: EmulatorServer) -> AsyncIterator[Clients]:
    seen = Recorder()
    config = fluent_emulator.config()
    sync = FluentClient(config, transport=_Recording(seen))
    aio = AsyncFluentClient(config, transport=_AsyncRecording(seen))
    yield Clients(sync, aio, seen, fluent_emulator)
    sync.close()
    await aio.aclose()


async def refused(
    clients: Clients, call: Callable[[Any], Any], error: type[Exception]
) -> list[Exception]:
    """Run ``call`` on both clients; return the two errors (each must be raised
    by the call itself, or by awaiting it)."""
    errors = []
    for client in clients.both():
        with pytest.raises(error) as caught:
            result = call(client)
            if inspect.isawaitable(result):
                await result
        errors.append(caught.value)
    return errors


async def answered(clients: Clients, call: Callable[[Any], Any]) -> list[Any]:
    """Run ``call`` on both clients; return the two results."""
    results = []
    for client in clients.both():
        result = call(client)
        results.append(await result if inspect.isawaitable(result) else result)
    return results


# -- per-call options --------------------------------------------------------------

ORDER_LINE = {"ref": "L1", "product_ref": "SKU-1", "quantity": 1}

UNKNOWN_KEYWORDS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "a generated method's": (
        "create_customer",
        lambda c: c.create_customer("a@example.com", "Ada", nickname="Ace"),
    ),
    "an httpx option": ("me", lambda c: c.me(follow_redirects=True)),
    "one that would drop the login": ("me", lambda c: c.me(auth=None)),
    "one that is an execute() argument": ("me", lambda c: c.me(query=ME)),
    "graphql()'s": ("graphql", lambda c: c.graphql(ME, cookies={"a": "b"})),
    "execute()'s": ("me", lambda c: c.execute(ME, "me", None, verify=False)),
    "an iterator's": ("iter_customers", lambda c: c.iter_customers(params={})),
    "a connector read's": ("order_by_ref", lambda c: c.order_by_ref("X", proxy="p")),
    "an order create's, before its login": (
        "create_order",
        lambda c: c.create_order("HD-1", "HD", "1", [ORDER_LINE], extensions={}),
    ),
    "an event's": (
        "send_event",
        lambda c: c.send_event("Go", "ORDER", entity_ref="HD-1", sync=True),
    ),
    "cancel_order's": ("cancel_order", lambda c: c.cancel_order("HD-1", auth=None)),
    "paginate's": (
        "list_customers",
        lambda c: c.paginate(c.list_customers, follow_redirects=True),
    ),
}


@pytest.mark.parametrize(
    "method, call", UNKNOWN_KEYWORDS.values(), ids=list(UNKNOWN_KEYWORDS)
)
async def test_an_unknown_keyword_names_the_method_and_the_options_it_takes(
    clients: Clients, method: str, call: Callable[[Any], Any]
) -> None:
    """Not a pass-through to httpx: a FluentInputError before anything is sent,
    the login included."""
    errors = await refused(clients, call, FluentInputError)

    for error in errors:
        assert f"{method}() got an unexpected keyword argument" in str(error)
        assert OPTIONS_LIST in str(error)
    assert clients.seen.paths == []


async def test_auth_none_is_refused_and_the_bearer_token_is_always_sent(
    clients: Clients,
) -> None:
    """me(auth=None) cannot turn the login off; the next call sends the token."""
    await refused(clients, lambda c: c.me(auth=None), FluentInputError)
    await answered(clients, lambda c: c.me())

    graphql = [r for r in clients.seen.requests if r.url.path == "/graphql"]
    assert len(graphql) == 2
    assert all(r.headers["Authorization"].startswith("Bearer ") for r in graphql)


@pytest.mark.parametrize(
    "timeout",
    [-1, 0, "x", "30", None, True, math.inf, math.nan, httpx.Timeout(-1.0)],
    ids=repr,
)
async def test_a_timeout_that_is_no_positive_number_is_refused(
    clients: Clients, timeout: object
) -> None:
    """Not httpx's ValueError (sync) or a timeout error (async): ours, naming it."""
    errors = await refused(clients, lambda c: c.me(timeout=timeout), FluentInputError)

    assert {e.field for e in errors if isinstance(e, FluentInputError)} == {"timeout"}
    assert "me(): timeout must be a positive number of seconds" in str(errors[0])
    assert clients.seen.paths == []


async def test_per_call_timeout_and_headers_are_sent_with_the_call(
    clients: Clients,
) -> None:
    """A number means what the client's setting means (connect at most 5 s)."""
    await answered(
        clients, lambda c: c.me(timeout=7, headers={"X-Request-Id": "job-42"})
    )

    graphql = [r for r in clients.seen.requests if r.url.path == "/graphql"]
    for request in graphql:
        assert request.headers["X-Request-Id"] == "job-42"
        assert request.headers["Content-Type"] == "application/json"
        assert request.extensions["timeout"]["read"] == 7.0
        assert request.extensions["timeout"]["connect"] == 5.0
    assert len(graphql) == 2


@pytest.mark.parametrize(
    "headers, problem",
    [
        ({"X-Note": "café"}, "printable ASCII"),
        ({"X-Note": "a\r\nX-Injected: 1"}, "printable ASCII"),
        ({"X-Note": 1}, "must be a string"),
        ({"Bad Name": "x"}, "not a valid HTTP header name"),
        ({b"X-Note": "x"}, "not a valid HTTP header name"),
        ({"Authorization": "Bearer stolen"}, "set by the client itself"),
        ({"content-type": "text/plain"}, "set by the client itself"),
        ([("X-Note", "x")], "must be a mapping"),
    ],
    ids=repr,
)
async def test_headers_http_cannot_carry_or_that_are_the_clients_own_are_refused(
    clients: Clients, headers: object, problem: str
) -> None:
    """A clear error instead of UnicodeEncodeError, a split header, or a login
    replaced by the caller's."""
    errors = await refused(clients, lambda c: c.me(headers=headers), FluentInputError)

    assert all(problem in str(e) for e in errors)
    assert clients.seen.paths == []


# -- raw requests and JSON values --------------------------------------------------


@pytest.mark.parametrize("query", [None, 123, "", "  \n", b"query { me { id } }"])
async def test_graphql_refuses_a_query_that_is_not_a_document(
    clients: Clients, query: object
) -> None:
    """graphql(None) is not a TypeError from deep inside."""
    errors = await refused(clients, lambda c: c.graphql(query), FluentInputError)

    assert all("graphql(): query must be a GraphQL document" in str(e) for e in errors)
    assert clients.seen.paths == []


async def test_graphql_takes_validate_as_a_bool_or_none(clients: Clients) -> None:
    """validate="no" would have meant yes (a truthy string)."""
    errors = await refused(
        clients, lambda c: c.graphql(ME, validate="no"), FluentInputError
    )

    assert {e.field for e in errors if isinstance(e, FluentInputError)} == {"validate"}
    assert clients.seen.paths == []


@pytest.mark.parametrize(
    "variables, problem",
    [
        ([1], "variables must be a mapping"),
        ("ref=1", "variables must be a mapping"),
        ({1: "a"}, "variable names must be strings"),
    ],
    ids=repr,
)
async def test_variables_must_be_a_mapping_of_names(
    clients: Clients, variables: object, problem: str
) -> None:
    """variables=[1] is not an AttributeError."""
    errors = await refused(
        clients, lambda c: c.graphql(ME, variables), FluentInputError
    )

    assert all(problem in str(e) for e in errors)
    assert clients.seen.paths == []


@pytest.mark.parametrize(
    "value, path, problem",
    [
        (math.nan, "v", "is nan"),
        ({"a": [1, -math.inf]}, "v.a[1]", "is -inf"),
        ({1, 2}, "v", "of type set, which cannot be sent as JSON; send a list"),
        (b"bytes", "v", "of type bytes"),
        (Decimal("1.5"), "v", "convert it with float()"),
        (datetime(2025, 1, 1), "v", "a naive datetime"),
        (date(2025, 1, 1), "v", "of type date"),
        ({"k": {(1, 2): "x"}}, "v.k[(1, 2)]", "a key that is not text"),
        (object(), "v", "of type object"),
    ],
    ids=repr,
)
async def test_a_value_json_cannot_carry_is_refused_naming_its_path(
    clients: Clients, value: object, path: str, problem: str
) -> None:
    """NaN was sent as a body that is not JSON; a set as a list; now each is an
    error naming the variable path (``Json`` variables take any JSON)."""
    query = "query q($v: Json) { me { id } }"

    errors = await refused(
        clients,
        lambda c: c.graphql(query, {"v": value}, validate=False),
        FluentInputError,
    )

    for error in errors:
        assert isinstance(error, FluentInputError)
        assert error.field == path
        assert f"variable {path} " in str(error) and problem in str(error)
    assert clients.seen.paths == []


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query q { me { id } } # \ud800", None),
        ("query q($v: String) { me { id } }", {"v": "half \udc00 a pair"}),
    ],
    ids=["in the query", "in a variable"],
)
async def test_a_lone_surrogate_that_utf8_cannot_carry_is_refused(
    clients: Clients, query: str, variables: dict[str, str] | None
) -> None:
    """Half a UTF-16 pair is a Python str but no UTF-8 text: our error, not a
    UnicodeEncodeError, and nothing sent."""
    errors = await refused(
        clients,
        lambda c: c.graphql(query, variables, validate=False),
        FluentInputError,
    )

    for error in errors:
        assert "surrogate" in str(error)
    assert clients.seen.paths == []


async def test_typed_methods_and_events_name_the_path_of_a_value_json_cannot_carry(
    clients: Clients,
) -> None:
    """The same rule for a generated method's input models and event attributes."""
    bad = [{"name": "tier", "type": "JSON", "value": {"levels": {1, 2}}}]

    typed = await refused(
        clients, lambda c: c.update_order_attributes("1", bad), FluentInputError
    )
    event = await refused(
        clients,
        lambda c: c.send_event(
            "Go", "ORDER", entity_ref="HD-1", attributes={"n": math.nan}
        ),
        FluentInputError,
    )

    assert {e.field for e in typed if isinstance(e, FluentInputError)} == {
        "attributes[0].value.levels"
    }
    assert {e.field for e in event if isinstance(e, FluentInputError)} == {
        "attributes.n"
    }
    assert "/graphql" not in clients.seen.paths
    assert not any("event" in path for path in clients.seen.paths)


async def test_models_and_aware_datetimes_are_sent_by_their_graphql_names(
    clients: Clients,
) -> None:
    """An input model inside a plain dict goes by its GraphQL names (``type``,
    not ``type_``); an aware datetime as ISO 8601 (Fluent's DateTime)."""
    query = (
        "mutation c($input: CreateCustomerInput!) { createCustomer(input: $input) "
        "{ username attributes { name type value } } }"
    )
    emulator = clients.server.emulator

    def create(client: Any) -> Any:
        name = f"{type(client).__name__}@example.com"
        customer = {
            "username": name,
            "primaryEmail": name,
            "firstName": "Ada",
            "timezone": "UTC",
            "promotionOptIn": False,
            "retailer": {"id": emulator.retailer_id},
            "attributes": [AttributeInput(name="tier", type_="STRING", value="Gold")],
        }
        return client.graphql(query, {"input": customer})

    created = await answered(clients, create)
    since = DateRange(from_=datetime(2000, 1, 1, tzinfo=UTC))
    listed = [
        [c.username for c in clients.sync.iter_customers(created_on=since)],
        [c.username async for c in clients.aio.iter_customers(created_on=since)],
    ]

    for data in created:
        assert data["createCustomer"]["attributes"] == [
            {"name": "tier", "type": "STRING", "value": "Gold"}
        ]
    assert listed[0] == listed[1] and len(listed[0]) == 2


# -- closed clients ----------------------------------------------------------------


async def test_a_call_after_close_is_a_fluent_error_saying_the_client_is_closed(
    fluent_emulator: EmulatorServer,
) -> None:
    """Not httpx's RuntimeError: after close(), aclose() or the with block, every
    call (and a with_options copy's) says to create a new client."""
    config = fluent_emulator.config()
    with FluentClient(config) as sync:
        copy = sync.with_options(timeout=9)
    async with AsyncFluentClient(config) as aio:
        pass
    closed = AsyncFluentClient(config)
    await closed.aclose()

    calls: list[Callable[[], Any]] = [
        sync.me,
        sync.login,
        lambda: sync.graphql(ME),
        copy.me,
        aio.me,
        aio.login,
        lambda: aio.send_event("Go", "ORDER", entity_ref="HD-1", retailer_id="1"),
        closed.me,
    ]
    for call in calls:
        with pytest.raises(FluentClientClosedError, match="client is closed") as caught:
            result = call()
            if inspect.isawaitable(result):
                await result
        assert "create a new one" in str(caught.value)
        assert isinstance(caught.value, RuntimeError)  # as httpx's own was
    assert fluent_emulator.emulator.token_requests == []


def test_a_closed_http_client_of_the_callers_is_named_as_such(
    fluent_emulator: EmulatorServer,
) -> None:
    """A given http_client is the caller's to close; the message says which."""
    http = httpx.Client()
    client = FluentClient(fluent_emulator.config(), http_client=http)
    http.close()

    with pytest.raises(
        FluentClientClosedError, match="http_client given to this client is closed"
    ):
        client.me()


# -- amounts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "price, problem",
    [
        (-0.01, "must not be negative"),
        (math.nan, "must be a finite number"),
        (math.inf, "must be a finite number"),
        ("7.5", "must be a number"),
        (True, "must be a number"),
    ],
    ids=repr,
)
async def test_create_product_refuses_a_price_that_is_not_a_price(
    clients: Clients, price: object, problem: str
) -> None:
    """The bulk importer's rule, on the method too: finite, never negative."""

    def create(client: Any) -> Any:
        return client.create_product(
            catalogue_ref=clients.server.emulator.catalogue_ref,
            ref="SKU-NEG",
            name="Tea",
            gtin="9300633603140",
            price_currency="AUD",
            price_value=price,
        )

    errors = await refused(clients, create, FluentInputError)

    for error in errors:
        assert isinstance(error, FluentInputError)
        assert error.field == "price_value" and problem in str(error)
    assert clients.seen.paths == []
    assert clients.server.emulator.product_count() == 0


def test_product_create_on_the_command_line_refuses_a_negative_price(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """The command goes through create_product: an input error (exit 8)."""
    code, out, err = run(
        "product", "create", "--catalogue-ref", emulator_env.emulator.catalogue_ref,
        "--ref", "R", "--name", "N", "--gtin", "1", "--price-currency", "AUD",
        "--price-value", "-5",
    )  # fmt: skip

    assert (code, out) == (8, "")
    assert "price_value must not be negative" in err
    assert emulator_env.emulator.product_count() == 0


@pytest.mark.parametrize(
    "arguments, where",
    [
        ({"items": [{**ORDER_LINE, "quantity": 0}]}, "items[0].quantity"),
        ({"items": [ORDER_LINE, {**ORDER_LINE, "quantity": -2}]}, "items[1].quantity"),
        ({"items": [{**ORDER_LINE, "price": -9.5}]}, "items[0].price"),
        ({"items": [{**ORDER_LINE, "paid_price": math.nan}]}, "items[0].paid_price"),
        ({"total_price": -1.0}, "total_price"),
        ({"total_tax_price": math.inf}, "total_tax_price"),
        (
            {"fulfilment_choice": {"delivery_type": "STD", "fulfilment_price": -3}},
            "fulfilment_choice.fulfilment_price",
        ),
    ],
    ids=repr,
)
async def test_order_quantities_and_amounts_follow_the_same_rule(
    clients: Clients, arguments: dict[str, Any], where: str
) -> None:
    """A line's quantity is a whole number from 1; every amount of an order is
    finite and never negative. Refused before the login."""
    given = {"items": [ORDER_LINE], **arguments}

    errors = await refused(
        clients, lambda c: c.create_order("HD-1", "HD", "1", **given), FluentInputError
    )

    assert {e.field for e in errors if isinstance(e, FluentInputError)} == {where}
    assert clients.seen.paths == []


# -- constructors ------------------------------------------------------------------


def _wrong_settings(config: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(the setting the message must name, the constructor's keywords)"""
    yield "base_url", {
        "base_url": None, "username": "u", "password": "p", "client_id": "c",
        "client_secret": "s",
    }  # fmt: skip
    yield "config", {"config": 3}
    yield "config", {"config": {"base_url": config.base_url}}
    for name, value in [
        ("retry_policy", 3),
        ("http_client", "http"),
        ("transport", 3),
        ("validate_queries", "no"),
        ("schema", 3),
        ("timeout", "x"),
        ("max_retries", -1),
    ]:
        yield name, {"config": config, name: value}


@pytest.mark.parametrize("cls", [FluentClient, AsyncFluentClient])
def test_the_constructors_report_wrong_settings_as_config_errors(
    fluent_emulator: EmulatorServer, cls: type[Any]
) -> None:
    """FluentConfigError naming the setting, not a TypeError or AttributeError."""
    for name, settings in _wrong_settings(fluent_emulator.config()):
        with pytest.raises(FluentConfigError) as caught:
            cls(**settings)
        assert name in str(caught.value), settings


def test_an_http_client_of_the_wrong_kind_is_a_config_error(
    fluent_emulator: EmulatorServer,
) -> None:
    """An httpx.AsyncClient cannot serve the sync client, nor the reverse."""
    config = fluent_emulator.config()
    with (
        httpx.Client() as sync_http,
        pytest.raises(FluentConfigError, match=r"httpx\.AsyncClient"),
    ):
        AsyncFluentClient(config, http_client=sync_http)  # type: ignore[arg-type]
    with pytest.raises(FluentConfigError, match=r"httpx\.BaseTransport"):
        FluentClient(config, transport=httpx.AsyncHTTPTransport())  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [FluentClient, AsyncFluentClient])
def test_an_unknown_constructor_keyword_is_a_type_error_naming_it(
    fluent_emulator: EmulatorServer, cls: type[Any]
) -> None:
    """As Python (and httpx) does for any call: TypeError, here naming the class,
    the keyword and the settings there are."""
    with pytest.raises(TypeError) as caught:
        cls(fluent_emulator.config(), base_ulr="https://typo.example.com")

    message = str(caught.value)
    assert f"{cls.__name__}() got an unexpected keyword argument 'base_ulr'" in message
    assert "base_url=" in message


def test_with_options_reports_wrong_types_as_config_errors(
    fluent_emulator: EmulatorServer,
) -> None:
    """with_options checks what it is given, as the constructor does."""
    client = FluentClient(fluent_emulator.config())
    wrong: list[dict[str, Any]] = [
        {"timeout": -1},
        {"max_retries": "many"},
        {"retry_mutations": "yes"},
        {"validate_queries": 1},
        {"retry_policy": RetryPolicy},
    ]
    for options in wrong:
        with pytest.raises(FluentConfigError, match=next(iter(options))):
            client.with_options(**options)
    client.close()


def test_every_method_types_its_per_call_options() -> None:
    """Generated and connector methods take ``**kwargs: Unpack[RequestOptions]``,
    so that a type checker flags ``me(auth=None)`` before it runs."""
    untyped = [
        f"{cls.__name__}.{name}"
        for cls in (FluentClient, AsyncFluentClient)
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
        and (kwargs := inspect.signature(member).parameters.get("kwargs")) is not None
        and not _typed_options(kwargs.annotation)
    ]

    assert untyped == []
    me = inspect.signature(FluentClient.me).parameters["kwargs"]
    assert _typed_options(me.annotation)


def _typed_options(annotation: object) -> bool:
    # Generated modules hold the objects, connector modules the strings.
    if isinstance(annotation, str):
        return annotation == "Unpack[RequestOptions]"
    return typing.get_origin(annotation) is typing.Unpack and typing.get_args(
        annotation
    ) == (RequestOptions,)
